/**
 * `/broadcasts` (supervisors and admins): the list, the form (with the
 * mapping step of an uploaded list), a broadcast's review and progress
 * (live), its steps, and its recipients.
 */
import { type Context, Hono } from "hono";
import { AppError, notFound } from "../../core/app_error.ts";
import { isBlankRow, type SheetRow } from "../../core/contact_import.ts";
import { looksLikeHeader } from "../../core/broadcast_recipients.ts";
import { localFields, readBroadcastForm, variableLines } from "../../core/broadcast_form.ts";
import type { FieldErrors, FormValues } from "../../core/form.ts";
import { zoneShortName } from "../../core/local_day.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { DEFAULT_SEND_WINDOW, formatTimeOfDay } from "../../core/send_window.ts";
import { templateVariables } from "../../core/template.ts";
import {
  RECIPIENT_FILTERS,
  type RecipientFilter,
  type ShownRecipientStatus,
} from "../../core/broadcast_status.ts";
import { broadcastTextFiller } from "../../core/broadcast_text.ts";
import {
  type Broadcast,
  listBroadcasts,
  listRecipients,
  requireBroadcast,
  windowOf,
} from "../../db/broadcasts.ts";
import { listChannels } from "../../db/channels.ts";
import { findImportFile, pruneImportFiles, saveImportFile } from "../../db/import_files.ts";
import { listLabels } from "../../db/labels.ts";
import { listTemplates } from "../../db/templates.ts";
import { listUsers } from "../../db/users.ts";
import type {
  BroadcastInput,
  BroadcastOverview,
  BroadcastStep,
} from "../../services/broadcasts.ts";
import { REPORT_FORMATS } from "../../services/broadcast_reports.ts";
import { streamSheet } from "../../services/contact_sheets.ts";
import { broadcastFileNames, storeBroadcastFile } from "../../services/broadcast_files.ts";
import { recipientFileKind } from "../../services/recipient_lists.ts";
import type { KabarEvent } from "../../sessions/events.ts";
import {
  type BroadcastFormChoices,
  BroadcastFormPage,
  BroadcastMappingPage,
} from "../../views/broadcast_form_page.tsx";
import {
  broadcastParts,
  BroadcastRecipientsPage,
  BroadcastReviewPage,
  BroadcastsPage,
  type BroadcastView,
  type RowStatus,
} from "../../views/broadcasts_page.tsx";
import { localeOf } from "../../views/format_time.ts";
import { renderParts } from "../../views/live_part.ts";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { type LiveParts, liveStream, SentParts } from "../live_stream.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";
import { isMessageKey } from "../../core/i18n.ts";
import { reasonText, recipientStatusText } from "../../core/broadcast_reason.ts";

const PAGE_SIZE = 50;
const RECIPIENTS_PAGE = 100;
const MAPPING_ROWS = 10;
/** Filled by the name column. */
const NAME_VARIABLES = ["nama", "name"];
const STEPS: BroadcastStep[] = ["confirm", "start", "pause", "resume", "cancel"];

export function broadcastRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;
  const service = deps.services.broadcasts;

  const idOf = (c: Context<AppEnv>): number => {
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    if (id === undefined) throw notFound(`No broadcast with id ${raw.slice(0, 40)}`);
    return id;
  };

  const viewsOf = async (overviews: BroadcastOverview[]): Promise<BroadcastView[]> => {
    const [channels, users, templates] = await Promise.all([
      listChannels(db),
      listUsers(db),
      listTemplates(db),
    ]);
    const channel = new Map(channels.map((ch) => [ch.id, ch]));
    const user = new Map(users.map((u) => [u.id, u.displayName]));
    const template = new Map(templates.map((tp) => [tp.id, tp.name]));
    const files = await broadcastFileNames(
      db,
      overviews.flatMap((o) => o.broadcast.mediaId ?? []),
    );
    return overviews.map(({ broadcast: b, counts, progress, estimatedSeconds, wait, rate }) => ({
      id: b.id,
      name: b.name,
      channelName: channel.get(b.channelId)?.name ?? `#${b.channelId}`,
      channelKind: channel.get(b.channelId)?.kind ?? null,
      status: b.status,
      templateName: b.templateId === null ? null : template.get(b.templateId) ?? null,
      body: b.body,
      mediaName: b.mediaId === null ? null : files.get(b.mediaId) ?? null,
      window: windowOf(b),
      scheduledAt: b.scheduledAt,
      stopAfter: b.stopAfter,
      createdByName: b.createdBy === null ? null : user.get(b.createdBy) ?? null,
      createdAt: b.createdAt,
      startedAt: b.startedAt,
      finishedAt: b.finishedAt,
      counts,
      progress,
      estimatedSeconds,
      wait,
      rate,
    }));
  };
  const viewOf = async (id: number) => (await viewsOf([await service.overview(id)]))[0];

  app.get("/broadcasts", async (c) => {
    const cursor = parseRecordId(c.req.query("cursor") ?? "");
    const page = await listBroadcasts(db, { cursor, limit: PAGE_SIZE });
    const rows = await viewsOf(await service.overviews(page.broadcasts));
    return renderPage(
      c,
      <BroadcastsPage
        ctx={pageContext(c, deps)}
        rows={rows}
        nextHref={page.nextCursor === null ? undefined : `/broadcasts?cursor=${page.nextCursor}`}
      />,
    );
  });

  // --- the form ---------------------------------------------------------------------

  const choicesOf = async (
    c: Context<AppEnv>,
    keepRows?: number,
  ): Promise<BroadcastFormChoices> => {
    const [channels, templates, labels] = await Promise.all([
      listChannels(db),
      listTemplates(db),
      listLabels(db),
    ]);
    return {
      channels: channels.map((ch) => ({ id: ch.id, name: ch.name, kind: ch.kind })),
      templates: templates.filter((tp) => tp.active).map((tp) => ({
        id: tp.id,
        name: tp.name,
        variables: templateVariables(tp.body),
      })),
      labels: labels.map((l) => ({ id: l.id, name: l.name })),
      keepRows,
      maxMb: Math.floor(config.mediaMaxBytes / 1024 / 1024),
      zone: zoneShortName(deps.clock.now(), config.timeZone, localeOf(c.get("lang"))),
    };
  };

  const showForm = async (
    c: Context<AppEnv>,
    existing: Broadcast | undefined,
    values: FormValues,
    errors?: FieldErrors,
  ) => {
    const keepRows = existing ? (await service.overview(existing.id)).counts.rows : undefined;
    return renderPage(
      c,
      <BroadcastFormPage
        ctx={pageContext(c, deps)}
        action={existing ? `/broadcasts/${existing.id}/edit` : "/broadcasts/new"}
        editing={existing !== undefined}
        choices={await choicesOf(c, keepRows)}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );
  };

  const newValues = async (): Promise<FormValues> => {
    const { sendWindow } = await service.settings();
    const shown = sendWindow ?? DEFAULT_SEND_WINDOW;
    return {
      window_start: formatTimeOfDay(shown.start),
      window_end: formatTimeOfDay(shown.end),
      any_time: sendWindow ? undefined : "on",
      recipients: "text",
      message_kind: "text",
    };
  };

  const valuesOf = (b: Broadcast): FormValues => {
    const window = windowOf(b);
    const at = (prefix: string, ms: number | null) => {
      if (ms === null) return {};
      const f = localFields(ms, config.timeZone);
      return { [`${prefix}_date`]: f.date, [`${prefix}_time`]: f.time };
    };
    return {
      name: b.name,
      channel: String(b.channelId),
      message_kind: b.templateId === null ? "text" : "template",
      text: b.templateId === null ? b.body : "",
      template: b.templateId === null ? "" : String(b.templateId),
      variables: variableLines(JSON.parse(b.variables)),
      window_start: formatTimeOfDay(window?.start ?? DEFAULT_SEND_WINDOW.start),
      window_end: formatTimeOfDay(window?.end ?? DEFAULT_SEND_WINDOW.end),
      any_time: window ? undefined : "on",
      recipients: "keep",
      label: b.labelId === null ? "" : String(b.labelId),
      ...at("schedule", b.scheduledAt),
      ...at("stop", b.stopAfter),
    };
  };

  /** The variables of the message the form names (a template's, or the text's). */
  const messageVariables = async (values: FormValues): Promise<string[]> => {
    if (values.message_kind === "template") {
      const id = Number(values.template);
      const tp = (await listTemplates(db)).find((x) => x.id === id);
      return tp ? templateVariables(tp.body) : [];
    }
    return templateVariables(typeof values.text === "string" ? values.text : "");
  };

  const showMapping = async (
    c: Context<AppEnv>,
    existing: Broadcast | undefined,
    fileId: string,
    values: FormValues,
    errors?: FieldErrors,
  ) => {
    const file = await findImportFile(config.dataDir, fileId);
    if (!file) return showForm(c, existing, values, { file: "err.import_gone" });
    const sheet = /^\d{1,3}$/.test(String(values.sheet ?? "")) ? Number(values.sheet) : 0;
    let stream;
    const rows: SheetRow[] = [];
    try {
      stream = await streamSheet(file, sheet);
      for await (const row of stream.rows) {
        if (isBlankRow(row.cells)) continue;
        rows.push(row);
        if (rows.length >= MAPPING_ROWS) break;
      }
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (fields) return showForm(c, existing, values, fields);
      throw e;
    }
    const width = Math.max(1, ...rows.map((r) => r.cells.length));
    const shown = { ...values };
    if (shown.col_phone === undefined) {
      const sample = rows[1] ?? rows[0];
      const phone = sample?.cells.findIndex((cell) => /(?:\d\D?){8}/.test(cell)) ?? -1;
      shown.col_phone = phone >= 0 ? String(phone) : "";
      const head = rows[0]?.cells ?? [];
      const header = looksLikeHeader(head, phone >= 0 ? phone : undefined);
      shown.header = header ? "on" : "";
      const named = header ? head.findIndex((h) => /^(nama|name)\b/i.test(h.trim())) : -1;
      shown.col_name = named >= 0 ? String(named) : "";
      for (const v of await messageVariables(values)) {
        if (NAME_VARIABLES.includes(v)) continue;
        const at = header ? head.findIndex((h) => h.trim().toLowerCase() === v.toLowerCase()) : -1;
        if (at >= 0) shown[`col_var.${v}`] = String(at);
      }
    }
    return renderPage(
      c,
      <BroadcastMappingPage
        ctx={pageContext(c, deps)}
        action={existing ? `/broadcasts/${existing.id}/edit` : "/broadcasts/new"}
        view={{
          fileId,
          fileName: typeof values.file_name === "string" ? values.file_name : "",
          sheets: stream.sheets,
          sheet: stream.sheet,
          width,
          rows,
        }}
        variables={(await messageVariables(values)).filter((v) => !NAME_VARIABLES.includes(v))}
        values={shown}
        errors={errors}
      />,
      errors ? 422 : 200,
    );
  };

  const save = async (c: Context<AppEnv>, existing?: Broadcast) => {
    const body = await c.req.parseBody({ all: true }).catch(() => {
      throw new AppError(400, "bad_form", c.get("t")("error.bad_form"));
    });
    const values: FormValues = {};
    let upload: File | undefined;
    let attachment: File | undefined;
    for (const [key, value] of Object.entries(body)) {
      const list = Array.isArray(value) ? value : [value];
      const texts = list.filter((v): v is string => typeof v === "string");
      if (texts.length) values[key] = texts.length > 1 ? texts : texts[0];
      const file = list.find((v): v is File => v instanceof File && v.size > 0);
      if (key === "file" && file) upload = file;
      if (key === "attachment" && file) attachment = file;
    }
    if (attachment) {
      const fileName = attachment.name.slice(0, 200) || "file";
      const stored = await storeBroadcastFile({
        db,
        clock: deps.clock,
        dataDir: config.dataDir,
        mediaMaxBytes: config.mediaMaxBytes,
      }, {
        data: new Uint8Array(await attachment.arrayBuffer()),
        fileName,
        declared: attachment.type || undefined,
      });
      if (!stored.ok) return showForm(c, existing, values, { attachment: stored.error });
      values.media_id = stored.id;
      values.media_name = fileName;
      delete values.remove_media;
    }
    const read = readBroadcastForm(values, {
      timeZone: config.timeZone,
      now: deps.clock.now(),
      uploaded: upload !== undefined,
    });
    if (!read.ok) {
      if (values.file_id && (read.errors.col_phone || Object.keys(read.errors).length === 0)) {
        return showMapping(c, existing, String(values.file_id), values, read.errors);
      }
      return showForm(c, existing, values, read.errors);
    }
    const form = read.form;
    if (form.recipients.kind === "upload") {
      const data = new Uint8Array(await upload!.arrayBuffer());
      try {
        if (data.byteLength > config.mediaMaxBytes) {
          throw new AppError(422, "invalid_input", "The file is too large", {
            file: "err.import_too_large",
          });
        }
        const kind = recipientFileKind(data, upload!.name);
        await pruneImportFiles(config.dataDir);
        const fileId = await saveImportFile(db, config.dataDir, data, kind);
        return showMapping(c, existing, fileId, {
          ...values,
          file_name: upload!.name.slice(0, 200),
        });
      } catch (e) {
        const fields = fieldErrorsOf(e);
        if (fields) return showForm(c, existing, values, fields);
        throw e;
      }
    }
    if (form.recipients.kind === "file" && values.show_sheet) {
      const { col_phone: _p, col_name: _n, header: _h, ...rest } = values;
      const fresh = Object.fromEntries(
        Object.entries(rest).filter(([k]) => !k.startsWith("col_var.")),
      );
      return showMapping(c, existing, form.recipients.fileId, fresh);
    }
    let recipients: BroadcastInput["recipients"];
    const r = form.recipients;
    if (r.kind === "text") recipients = { kind: "text", text: r.text };
    else if (r.kind === "label") recipients = { kind: "label", labelId: r.labelId };
    else if (r.kind === "file") {
      const file = await findImportFile(config.dataDir, r.fileId);
      if (!file) return showForm(c, existing, values, { file: "err.import_gone" });
      recipients = {
        kind: "file",
        file,
        sheet: r.sheet,
        header: r.header,
        columns: { phone: r.columns.phone, name: r.columns.name, variables: r.columns.variables },
      };
    } else if (existing) {
      recipients = {
        kind: "keep",
        broadcastId: existing.id,
        source: existing.source,
        labelId: existing.labelId,
      };
    } else {
      return showForm(c, existing, values, { recipients: "err.broadcast_recipients" });
    }
    const input: BroadcastInput = {
      name: form.name,
      channelId: form.channelId,
      message: form.message,
      variables: form.variables,
      mediaId: values.remove_media || !/^[0-9a-f]{64}$/.test(String(values.media_id ?? ""))
        ? null
        : String(values.media_id),
      window: form.window,
      stopAfter: form.stopAfter,
      scheduledAt: form.scheduledAt,
      recipients,
    };
    let saved: Broadcast;
    try {
      saved = existing
        ? await service.updateFrom(actorOf(c, deps), existing.id, input)
        : await service.createFrom(actorOf(c, deps), input);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      const fields = fieldErrorsOf(e) ?? {};
      if (e.status === 409 && existing) {
        return refused(c, existing.id, e, "edit");
      }
      if (r.kind === "file") {
        const mapped: FieldErrors = {};
        for (const [k, v] of Object.entries(e.details)) {
          if (k === "phone" || k === "name") mapped[`col_${k}`] = "err.broadcast_col_phone";
          else if (k.startsWith("variables.")) {
            mapped[`col_var.${k.slice(10)}`] = "err.broadcast_col_phone";
          } else if (typeof v === "string" && isMessageKey(v)) mapped[k] = v;
        }
        if (Object.keys(mapped).some((k) => k.startsWith("col_"))) {
          return showMapping(c, existing, r.fileId, values, mapped);
        }
        return showForm(c, existing, values, Object.keys(mapped).length ? mapped : fields);
      }
      if (r.kind === "text") {
        // A column the message needs that no typed line has: said beside the list.
        const needed = Object.keys(e.details).map((k) =>
          k === "name"
            ? (String(values.text ?? "").includes("{{name}}") ? "name" : "nama")
            : k.startsWith("variables.")
            ? k.slice(10)
            : undefined
        ).find((v) => v !== undefined);
        if (needed !== undefined) {
          fields.recipients_text = {
            key: "err.broadcast_list_column",
            params: { variable: needed },
          };
        }
      }
      return showForm(
        c,
        existing,
        values,
        Object.keys(fields).length ? fields : { recipients: "err.broadcast_recipients" },
      );
    }
    setFlash(c, config, "success", "broadcasts.saved");
    return redirectTo(c, `/broadcasts/${saved.id}`);
  };

  app.get("/broadcasts/new", async (c) => showForm(c, undefined, await newValues()));
  app.post("/broadcasts/new", (c) => save(c));

  app.get("/broadcasts/:id{[0-9]+}/edit", async (c) => {
    const b = await requireBroadcast(db, idOf(c));
    const values = valuesOf(b);
    if (b.mediaId) {
      values.media_id = b.mediaId;
      values.media_name = (await broadcastFileNames(db, [b.mediaId])).get(b.mediaId) ?? "";
    }
    return showForm(c, b, values);
  });
  app.post(
    "/broadcasts/:id{[0-9]+}/edit",
    async (c) => save(c, await requireBroadcast(db, idOf(c))),
  );

  // --- review, steps, progress ------------------------------------------------------

  /** A step the broadcast's status does not allow: said on its page, nothing changed. */
  const refused = (c: Context<AppEnv>, id: number, e: AppError, action: string) => {
    const t = c.get("t");
    const status = typeof e.details.status === "string" ? e.details.status : "";
    const statusText = isMessageKey(`broadcasts.status.${status}`)
      ? t(`broadcasts.status.${status}` as "broadcasts.status.draft")
      : status;
    const actionText = isMessageKey(`broadcasts.action.${action}`)
      ? t(`broadcasts.action.${action}` as "broadcasts.action.start")
      : action;
    setFlash(c, config, "error", "broadcasts.refused", { action: actionText, status: statusText });
    return redirectTo(c, `/broadcasts/${id}`);
  };

  app.get("/broadcasts/:id{[0-9]+}", async (c) => {
    const id = idOf(c);
    const overview = await service.overview(id);
    const [b] = await viewsOf([overview]);
    const textFor = broadcastTextFiller(b.body, JSON.parse(overview.broadcast.variables));
    const page = await listRecipients(db, id, { limit: 50 });
    const previews = page.recipients
      .filter((r) => r.status === "pending" || r.status === "queued")
      .slice(0, 3)
      .map((r) => ({
        to: [r.name, r.phone ? `+${r.phone}` : r.telegramChatId].filter(Boolean).join(" · "),
        text: textFor(JSON.parse(r.variables)),
      }));
    return renderPage(
      c,
      <BroadcastReviewPage ctx={pageContext(c, deps)} b={b} previews={previews} />,
    );
  });

  app.get("/broadcasts/:id{[0-9]+}/live", async (c) => {
    const id = idOf(c);
    const b = await requireBroadcast(db, id);
    const ctx = pageContext(c, deps);
    const sent = new SentParts();
    const live: LiveParts = {
      relevant: (event: KabarEvent) =>
        (event.type === "broadcast.changed" && "broadcastId" in event &&
          event.broadcastId === id) ||
        ((event.type.startsWith("message.") || event.type === "channel.status" ||
          event.type === "channel.changed") &&
          "channelId" in event &&
          event.channelId === b.channelId),
      render: async (update) => {
        if (update === "all") sent.clear();
        return sent.changed(await renderParts(broadcastParts(ctx, await viewOf(id))));
      },
    };
    return liveStream(c, deps, live);
  });

  for (const action of STEPS) {
    app.post(`/broadcasts/:id{[0-9]+}/${action}`, async (c) => {
      const id = idOf(c);
      try {
        await service.step(actorOf(c, deps), id, action);
      } catch (e) {
        if (e instanceof AppError && e.status === 409) return refused(c, id, e, action);
        throw e;
      }
      setFlash(c, config, "success", `broadcasts.done.${action}`);
      return redirectTo(c, `/broadcasts/${id}`);
    });
  }

  app.post("/broadcasts/:id{[0-9]+}/check-numbers", async (c) => {
    const id = idOf(c);
    let result;
    try {
      result = await service.checkNumbers(id);
    } catch (e) {
      if (e instanceof AppError && e.status === 409) return refused(c, id, e, "check");
      if (e instanceof AppError && e.status === 503) {
        setFlash(c, config, "error", "broadcasts.check_unavailable");
        return redirectTo(c, `/broadcasts/${id}`);
      }
      throw e;
    }
    setFlash(c, config, "success", "broadcasts.checked", {
      checked: result.checked,
      left: result.notOnWhatsapp,
    });
    return redirectTo(c, `/broadcasts/${id}`);
  });

  for (const format of REPORT_FORMATS) {
    app.get(`/broadcasts/:id{[0-9]+}/report.${format}`, async (c) => {
      const t = c.get("t");
      const file = await service.report(actorOf(c, deps), idOf(c), format, {
        timeZone: config.timeZone,
        reason: (r) => reasonText(t, r),
        words: {
          column: (column) => t(`broadcasts.report_col.${column}`),
          status: (status) => recipientStatusText(t, status as ShownRecipientStatus),
        },
      });
      return c.body(file.body, 200, {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.fileName}"`,
      });
    });
  }

  app.post("/broadcasts/:id{[0-9]+}/retry", async (c) => {
    const id = idOf(c);
    let made;
    try {
      made = await service.retryFailed(
        actorOf(c, deps),
        id,
        c.get("t")("broadcasts.retry_name_suffix"),
      );
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 409) throw e;
      setFlash(c, config, "error", "broadcasts.retry_none");
      return redirectTo(c, `/broadcasts/${id}`);
    }
    setFlash(c, config, "success", "broadcasts.retried");
    return redirectTo(c, `/broadcasts/${made.id}`);
  });

  app.post("/broadcasts/:id{[0-9]+}/delete", async (c) => {
    const id = idOf(c);
    const b = await requireBroadcast(db, id);
    try {
      await service.delete(actorOf(c, deps), id);
    } catch (e) {
      if (e instanceof AppError && e.status === 409) return refused(c, id, e, "delete");
      throw e;
    }
    setFlash(c, config, "success", "broadcasts.deleted", { name: b.name });
    return redirectTo(c, "/broadcasts");
  });

  app.get("/broadcasts/:id{[0-9]+}/recipients", async (c) => {
    const id = idOf(c);
    const b = await requireBroadcast(db, id);
    const t = c.get("t");
    const asked = c.req.query("status") ?? "";
    const status = (RECIPIENT_FILTERS as readonly string[]).includes(asked)
      ? asked as RecipientFilter
      : "";
    const cursor = parseRecordId(c.req.query("cursor") ?? "");
    const page = await listRecipients(db, id, {
      status: status || undefined,
      cursor,
      limit: RECIPIENTS_PAGE,
    });
    const rows = page.recipients.map((r) => {
      const reason = reasonText(t, r);
      return {
        row: r.row,
        number: r.phone ? `+${r.phone}` : r.telegramChatId ?? r.input,
        name: r.name,
        status: String(r.shownStatus) as RowStatus,
        at: r.at,
        reason,
        code: r.code,
        variables: JSON.parse(r.variables),
      };
    });
    const next = new URLSearchParams();
    if (status) next.set("status", status);
    if (page.nextCursor !== null) next.set("cursor", String(page.nextCursor));
    return renderPage(
      c,
      <BroadcastRecipientsPage
        ctx={pageContext(c, deps)}
        b={{ id, name: b.name }}
        rows={rows}
        status={status}
        nextHref={page.nextCursor === null ? undefined : `/broadcasts/${id}/recipients?${next}`}
      />,
    );
  });

  return app;
}
