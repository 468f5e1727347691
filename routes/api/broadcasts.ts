import { type Context, Hono } from "hono";
import type { z } from "zod";
import {
  type BroadcastJson,
  type broadcastPageResponse,
  type CreateBroadcastInput,
  createBroadcastSchema,
  listBroadcastsQuery,
  listRecipientsQuery,
  type RecipientJson,
  type recipientPageResponse,
  type UpdateBroadcastInput,
  updateBroadcastSchema,
} from "../../core/api_broadcasts.ts";
import { forbidden, invalidInput, notFound } from "../../core/app_error.ts";
import { parseTimeBound } from "../../core/local_day.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { formatTimeOfDay, parseTimeOfDay } from "../../core/send_window.ts";
import {
  type Broadcast,
  getBroadcast,
  listBroadcasts,
  listRecipients,
  type RecipientView,
  windowOf,
} from "../../db/broadcasts.ts";
import { getMedia } from "../../db/media.ts";
import type {
  BroadcastInput,
  BroadcastOverview,
  RecipientSource,
} from "../../services/broadcasts.ts";
import { REPORT_FORMATS } from "../../services/broadcast_reports.ts";
import { uploadedList } from "../../services/recipient_lists.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { readJson, readQuery } from "./json_input.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A broadcast as the API shows it. */
export function broadcastJson(
  { broadcast: b, counts, progress, estimatedSeconds, createdByName, templateName, wait }:
    BroadcastOverview,
): BroadcastJson {
  const window = windowOf(b);
  return {
    id: b.id,
    name: b.name,
    channel: b.channelId,
    status: b.status,
    text: b.body,
    template: b.templateId !== null && templateName !== null
      ? { id: b.templateId, name: templateName }
      : null,
    variables: JSON.parse(b.variables),
    media: b.mediaId ? { id: b.mediaId } : null,
    counts,
    progress,
    estimated_seconds: estimatedSeconds,
    send_window: window
      ? { start: formatTimeOfDay(window.start), end: formatTimeOfDay(window.end) }
      : null,
    waiting: wait ? { reason: wait.reason, until: iso(wait.until) } : null,
    scheduled_at: iso(b.scheduledAt),
    stop_after: iso(b.stopAfter),
    created_by: createdByName,
    created_at: iso(b.createdAt)!,
    confirmed_at: iso(b.confirmedAt),
    started_at: iso(b.startedAt),
    finished_at: iso(b.finishedAt),
  };
}

function recipientJson(r: RecipientView): RecipientJson {
  return {
    row: r.row,
    phone: r.phone ?? r.telegramChatId,
    name: r.name,
    variables: JSON.parse(r.variables),
    status: r.shownStatus,
    error: r.error ?? r.messageError,
    error_code: r.code,
    message_id: r.messageId,
    at: iso(r.at),
  };
}

/**
 * `/api/v1/broadcasts`: drafts made from a list, a file or a label, their
 * steps, their recipients and report. A key limited to one channel reaches
 * only that channel's broadcasts.
 */
export function broadcastApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;
  const service = deps.services.broadcasts;
  const base = "/api/v1/broadcasts";
  const onlyChannel = (c: Context<AppEnv>) => c.get("apiKey")!.channelId;

  /** The broadcast in the path, if the key may see it; 404 otherwise. */
  const broadcastOf = async (c: Context<AppEnv>): Promise<Broadcast> => {
    const id = parseRecordId(c.req.param("id"));
    const found = id === undefined ? undefined : await getBroadcast(db, id);
    const only = onlyChannel(c);
    if (!found || (only !== null && found.channelId !== only)) {
      throw notFound(`No broadcast with id ${c.req.param("id")}`);
    }
    return found;
  };
  const answer = async (broadcasts: Broadcast[]) =>
    (await service.overviews(broadcasts)).map(broadcastJson);
  const one = async (broadcast: Broadcast) => (await answer([broadcast]))[0];

  const timeOf = (value: string | null | undefined, field: string) => {
    if (value === undefined || value === null) return null;
    const at = parseTimeBound(value, "since", config.timeZone);
    if (at === undefined) {
      const why = "must be an ISO 8601 time or milliseconds since 1970";
      throw invalidInput(`${field}: ${why}`, { [field]: why });
    }
    return at;
  };
  const channelOf = (c: Context<AppEnv>, asked: number) => {
    const only = onlyChannel(c);
    if (only !== null && asked !== only) {
      throw forbidden(`This API key may only use channel ${only}`, { channel: `only ${only}` });
    }
    return asked;
  };
  /** An uploaded file the key may use: one uploaded for its channel, when it is limited to one. */
  const mediaOf = async (c: Context<AppEnv>, id: string, field: string) => {
    const only = onlyChannel(c);
    const found = await getMedia(db, id, only === null ? {} : { usableOn: only });
    if (!found) {
      throw invalidInput(`${field}: no uploaded file ${id}`, { [field]: "not uploaded" });
    }
    return found;
  };
  const recipientsOf = async (
    c: Context<AppEnv>,
    body: CreateBroadcastInput | UpdateBroadcastInput,
  ): Promise<RecipientSource | undefined> => {
    if (body.recipients) return { kind: "list", recipients: body.recipients };
    if (body.label !== undefined) return { kind: "label", labelId: body.label };
    const spec = body.recipients_file;
    if (!spec) return undefined;
    const media = await mediaOf(c, spec.media_id, "recipients_file.media_id");
    const { file, sheet } = await uploadedList(config.dataDir, media, spec.sheet, {
      media: "recipients_file.media_id",
      sheet: "recipients_file.sheet",
    });
    return {
      kind: "file",
      file,
      sheet,
      columns: { phone: spec.phone_column, name: spec.name_column, variables: spec.variables },
      header: true,
    };
  };
  const windowFrom = (w: { start: string; end: string } | null) =>
    w === null ? null : { start: parseTimeOfDay(w.start)!, end: parseTimeOfDay(w.end)! };

  app.get(base, async (c) => {
    requireScope(c, "broadcasts:read");
    const query = readQuery(c, listBroadcastsQuery);
    const page = await listBroadcasts(db, { ...query, channelId: onlyChannel(c) });
    return c.json<z.input<typeof broadcastPageResponse>>({
      data: await answer(page.broadcasts),
      next_cursor: page.nextCursor,
      has_more: page.nextCursor !== null,
    });
  });

  app.post(base, async (c) => {
    requireScope(c, "broadcasts:write");
    const body = await readJson(c, createBroadcastSchema);
    const channelId = channelOf(c, body.channel);
    if (body.media) await mediaOf(c, body.media.id, "media.id");
    const input: BroadcastInput = {
      name: body.name,
      channelId,
      message: body.text !== undefined
        ? { text: body.text }
        : { template: { id: body.template!.id, name: body.template!.name } },
      variables: body.template?.variables ?? {},
      mediaId: body.media?.id ?? null,
      window: body.send_window === undefined
        ? (await service.settings()).sendWindow
        : windowFrom(body.send_window),
      stopAfter: timeOf(body.stop_after, "stop_after"),
      scheduledAt: timeOf(body.scheduled_at, "scheduled_at"),
      recipients: (await recipientsOf(c, body))!,
    };
    const created = await service.createFrom(apiActor(c, deps), input);
    return c.json<BroadcastJson, 201>(await one(created), 201);
  });

  app.get(`${base}/:id`, async (c) => {
    requireScope(c, "broadcasts:read");
    return c.json(await one(await broadcastOf(c)));
  });

  app.patch(`${base}/:id`, async (c) => {
    requireScope(c, "broadcasts:write");
    const before = await broadcastOf(c);
    const body = await readJson(c, updateBroadcastSchema);
    const channelId = body.channel === undefined ? before.channelId : channelOf(c, body.channel);
    if (body.media) await mediaOf(c, body.media.id, "media.id");
    const input: BroadcastInput = {
      name: body.name ?? before.name,
      channelId,
      message: body.text !== undefined
        ? { text: body.text }
        : body.template
        ? { template: { id: body.template.id, name: body.template.name } }
        : before.templateId !== null
        ? { template: { id: before.templateId } }
        : { text: before.body },
      variables: body.template?.variables ?? JSON.parse(before.variables),
      mediaId: body.media === undefined ? before.mediaId : body.media.id,
      window: body.send_window === undefined ? windowOf(before) : windowFrom(body.send_window),
      stopAfter: body.stop_after === undefined
        ? before.stopAfter
        : timeOf(body.stop_after, "stop_after"),
      scheduledAt: body.scheduled_at === undefined
        ? before.scheduledAt
        : timeOf(body.scheduled_at, "scheduled_at"),
      recipients: await recipientsOf(c, body) ??
        { kind: "keep", broadcastId: before.id, source: before.source, labelId: before.labelId },
    };
    const updated = await service.updateFrom(apiActor(c, deps), before.id, input);
    return c.json(await one(updated));
  });

  app.delete(`${base}/:id`, async (c) => {
    requireScope(c, "broadcasts:write");
    await service.delete(apiActor(c, deps), (await broadcastOf(c)).id);
    return c.body(null, 204);
  });

  for (const action of ["confirm", "start", "pause", "resume", "cancel"] as const) {
    app.post(`${base}/:id/${action}`, async (c) => {
      requireScope(c, "broadcasts:write");
      const { id } = await broadcastOf(c);
      return c.json(await one(await service.step(apiActor(c, deps), id, action)));
    });
  }

  app.post(`${base}/:id/check-numbers`, async (c) => {
    requireScope(c, "broadcasts:write");
    const { id } = await broadcastOf(c);
    await service.checkNumbers(id);
    return c.json(await one((await getBroadcast(db, id))!));
  });

  app.post(`${base}/:id/retry-failed`, async (c) => {
    requireScope(c, "broadcasts:write");
    const retry = await service.retryFailed(apiActor(c, deps), (await broadcastOf(c)).id);
    return c.json<BroadcastJson, 201>(await one(retry), 201);
  });

  app.get(`${base}/:id/recipients`, async (c) => {
    requireScope(c, "broadcasts:read");
    const { id } = await broadcastOf(c);
    const query = readQuery(c, listRecipientsQuery);
    const page = await listRecipients(db, id, query);
    return c.json<z.input<typeof recipientPageResponse>>({
      data: page.recipients.map(recipientJson),
      next_cursor: page.nextCursor,
      has_more: page.nextCursor !== null,
    });
  });

  for (const format of REPORT_FORMATS) {
    app.get(`${base}/:id/report.${format}`, async (c) => {
      requireScope(c, "broadcasts:read");
      const { id } = await broadcastOf(c);
      const file = await service.report(apiActor(c, deps), id, format);
      return c.body(file.body, 200, {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.fileName}"`,
      });
    });
  }

  return app;
}
