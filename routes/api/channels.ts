import { parseRecordId } from "../../core/record_id.ts";
import { type Context, Hono } from "hono";
import type { z } from "zod";
// @ts-types="@types/qrcode"
import QRCode from "qrcode";
import { AppError, forbidden, invalidInput, notFound } from "../../core/app_error.ts";
import {
  type channelDeletedResponse,
  type ChannelJson,
  type channelListResponse,
  createChannelSchema,
  deleteChannelQuery,
  type numberCheckResponse,
  numbersCheckSchema,
  qrQuerySchema,
  type qrResponse,
  sandboxInboundSchema,
  updateChannelSchema,
} from "../../core/api_channels.ts";
import { pacingFor } from "../../core/pacing.ts";
import { sandboxTiming } from "../../core/sandbox_timing.ts";
import { describePhoneProblem, normalisePhone, PHONE_PROBLEM_TEXT } from "../../core/phone.ts";
import {
  type Channel,
  type ChannelWithQueue,
  countQueued,
  getChannel,
  listChannels,
  parseChannelOptions,
  requireChannel,
} from "../../db/channels.ts";
import { findByExternalId, getMessageView } from "../../db/messages.ts";
import { messageJson } from "../../db/message_json.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { readJson, readQuery } from "./json_input.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A channel's pace and (a sandbox's) delays, as the API names them. */
function paceAndSandbox(ch: Channel): Pick<ChannelJson, "pace" | "sandbox"> {
  const options = parseChannelOptions(ch.options);
  const p = pacingFor(ch.kind, options);
  const s = sandboxTiming(options);
  return {
    pace: {
      gap_ms: p.gapMs,
      jitter_ms: p.jitterMs,
      broadcast_gap_ms: p.broadcastGapMs,
      broadcast_jitter_ms: p.broadcastJitterMs,
      warmup_days: p.warmupDays,
      daily_cap: p.dailyCap,
      attempts: p.maxAttempts,
    },
    sandbox: ch.kind === "sandbox"
      ? {
        accept_after_ms: s.acceptAfterMs,
        deliver_after_ms: s.deliverAfterMs,
        read_after_ms: s.readAfterMs,
      }
      : null,
  };
}

/** `/api/v1/channels`, `/api/v1/numbers/check` and `/api/v1/sandbox/{id}/inbound`. */
export function channelApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, registry } = deps;
  const service = deps.services.channels;

  const channelJson = (ch: Channel, queued: number): ChannelJson => {
    const live = registry.live(ch.id);
    return {
      id: ch.id,
      kind: ch.kind,
      name: ch.name,
      number: ch.phone,
      bot_username: ch.botUsername,
      status: ch.enabled ? live?.status ?? ch.status : "disconnected",
      reason: ch.enabled ? (live ? live.reason : ch.statusReason) : "disabled",
      enabled: ch.enabled,
      default: ch.isDefault,
      queued,
      paired_at: iso(ch.pairedAt),
      last_activity_at: iso(ch.lastActivityAt),
      created_at: iso(ch.createdAt),
      ...paceAndSandbox(ch),
    };
  };
  /** The channel in the path, if the key may see it. */
  const pathChannel = async (c: Context<AppEnv>, param = "id"): Promise<ChannelWithQueue> => {
    const raw = c.req.param(param) ?? "";
    const id = parseRecordId(raw);
    const only = c.get("apiKey")!.channelId;
    const found = id !== undefined && (only === null || only === id)
      ? await getChannel(db, id)
      : undefined;
    if (!found) throw notFound(`No channel with id ${raw}`);
    return { ...found, queued: await countQueued(db, found.id) };
  };

  app.get("/api/v1/channels", async (c) => {
    requireScope(c, "channels:read");
    const only = c.get("apiKey")!.channelId;
    const all = (await listChannels(db)).filter((ch) => only === null || ch.id === only);
    const answer: z.input<typeof channelListResponse> = {
      data: all.map((ch) => channelJson(ch, ch.queued)),
      next_cursor: null,
      has_more: false,
    };
    return c.json(answer);
  });

  app.get("/api/v1/channels/:id", async (c) => {
    requireScope(c, "channels:read");
    const channel = await pathChannel(c);
    return c.json(channelJson(channel, channel.queued));
  });

  app.post("/api/v1/channels", async (c) => {
    requireScope(c, "channels:write");
    if (c.get("apiKey")!.channelId !== null) {
      throw forbidden("This API key is limited to one channel and may not add channels");
    }
    const input = await readJson(c, createChannelSchema);
    let phone: string | undefined;
    if (input.kind === "whatsapp") {
      const normalised = normalisePhone(input.number, deps.config.phoneRegion);
      if (!normalised.ok) {
        const why = describePhoneProblem(input.number, normalised.problem);
        throw invalidInput(`number: ${why}`, { number: why });
      }
      phone = normalised.phone;
    }
    const channel = await service.add(apiActor(c, deps), {
      kind: input.kind,
      name: input.name,
      phone,
      token: input.kind === "telegram" ? input.bot_token : undefined,
    });
    return c.json(channelJson(await requireChannel(db, channel.id), 0), 201);
  });

  app.patch("/api/v1/channels/:id", async (c) => {
    requireScope(c, "channels:write");
    const channel = await pathChannel(c);
    const patch = await readJson(c, updateChannelSchema);
    if (patch.sandbox && channel.kind !== "sandbox") {
      const why = "only a sandbox channel has simulated delays";
      throw invalidInput(`sandbox: ${why}`, { sandbox: why });
    }
    const actor = apiActor(c, deps);
    if (patch.name !== undefined && patch.name !== channel.name) {
      await service.rename(actor, channel.id, patch.name);
    }
    // Only the fields given: the store merges them, so changes made at once all stay.
    const given = <T extends Record<string, unknown>>(o: T) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
    if (patch.pace) {
      const p = patch.pace;
      await service.setPacing(
        actor,
        channel.id,
        given({
          gapMs: p.gap_ms,
          jitterMs: p.jitter_ms,
          broadcastGapMs: p.broadcast_gap_ms,
          broadcastJitterMs: p.broadcast_jitter_ms,
          warmupDays: p.warmup_days,
          dailyCap: p.daily_cap,
          maxAttempts: p.attempts,
        }),
      );
    }
    if (patch.sandbox) {
      const s = patch.sandbox;
      await service.setSandboxTiming(
        actor,
        channel,
        given({
          acceptAfterMs: s.accept_after_ms,
          deliverAfterMs: s.deliver_after_ms,
          readAfterMs: s.read_after_ms,
        }),
      );
    }
    if (patch.enabled !== undefined && patch.enabled !== channel.enabled) {
      await service.setEnabled(actor, channel.id, patch.enabled);
    }
    const updated = await pathChannel(c);
    return c.json(channelJson(updated, updated.queued));
  });

  app.delete("/api/v1/channels/:id", async (c) => {
    requireScope(c, "channels:write");
    const channel = await pathChannel(c);
    const { force } = readQuery(c, deleteChannelQuery);
    const queued = channel.queued;
    if (queued > 0 && force !== "true") {
      throw new AppError(
        409,
        "messages_waiting",
        `${queued} messages still wait to be sent on this channel; repeat with ?force=true to ` +
          "delete it anyway (they will not be sent: the outbox's are marked failed, a running " +
          "broadcast is cancelled)",
        { queued },
      );
    }
    const result = await service.remove(apiActor(c, deps), channel);
    return c.json<z.input<typeof channelDeletedResponse>>({
      deleted: true,
      failed_messages: result.failedMessages,
      logged_out_on_phone: channel.kind === "whatsapp" ? result.loggedOutOnPhone : null,
    });
  });

  app.get("/api/v1/channels/:id/qr", async (c) => {
    requireScope(c, "channels:write");
    const channel = await pathChannel(c);
    const query = readQuery(c, qrQuerySchema);
    if (channel.kind !== "whatsapp") {
      throw new AppError(409, "not_whatsapp", "Only WhatsApp channels are paired with a QR code");
    }
    const live = registry.live(channel.id);
    if (live?.status === "connected") {
      throw new AppError(409, "already_connected", "The channel is already paired and connected");
    }
    if (query.pairing_code === "true") {
      const code = await service.pairingCode(channel);
      return c.json<z.input<typeof qrResponse>>({ pairing_code: code, number: channel.phone });
    }
    if (!live?.qr) {
      c.header("Retry-After", "5");
      throw new AppError(409, "no_qr_yet", "There is no QR code yet; try again in a few seconds", {
        status: live?.status ?? channel.status,
      });
    }
    const { value, expiresAt } = live.qr;
    if (query.format === "raw") return c.text(value);
    if (query.format === "svg") {
      return c.body(await QRCode.toString(value, { type: "svg", margin: 2 }), 200, {
        "content-type": "image/svg+xml",
      });
    }
    if (query.format === "png") {
      const png = await QRCode.toBuffer(value, { type: "png", margin: 2, width: 320 });
      return c.body(new Uint8Array(png), 200, { "content-type": "image/png" });
    }
    return c.json<z.input<typeof qrResponse>>({ qr: value, expires_at: iso(expiresAt) });
  });

  app.post("/api/v1/numbers/check", async (c) => {
    requireScope(c, "numbers:check");
    const input = await readJson(c, numbersCheckSchema);
    const only = c.get("apiKey")!.channelId;
    if (only !== null && input.channel !== undefined && input.channel !== only) {
      throw forbidden(`This API key may only use channel ${only}`);
    }
    const wanted = input.channel ?? only;
    const candidates = (await listChannels(db)).filter((ch) =>
      ch.kind !== "telegram" && (wanted === null || wanted === undefined ? true : ch.id === wanted)
    );
    const channel = wanted !== null && wanted !== undefined
      ? candidates[0]
      : candidates.find((ch) => ch.isDefault) ?? candidates.find((ch) => registry.adapter(ch.id));
    if (!channel) {
      throw invalidInput(
        wanted
          ? `Channel ${wanted} is not a WhatsApp or sandbox channel`
          : "No WhatsApp channel to check with",
        { channel: "a WhatsApp or sandbox channel" },
      );
    }
    const parsed = input.numbers.map((raw) => ({
      raw,
      result: normalisePhone(raw, deps.config.phoneRegion),
    }));
    const valid = parsed.flatMap((p) => (p.result.ok ? [p.result.phone] : []));
    const checking = registry.checkNumbers(channel.id, [...new Set(valid)]);
    if (!checking) {
      throw new AppError(503, "channel_unavailable", `Channel ${channel.id} is not connected`, {
        channel: channel.id,
      });
    }
    const answers = new Map((await checking).map((a) => [a.phone, a]));
    return c.json<z.input<typeof numberCheckResponse>>({
      channel: channel.id,
      data: parsed.map(({ raw, result }) => {
        if (!result.ok) {
          return {
            input: raw,
            valid: false,
            problem: result.problem,
            error: `not a phone number: ${PHONE_PROBLEM_TEXT[result.problem]}`,
          };
        }
        const answer = answers.get(result.phone);
        return {
          input: raw,
          valid: true,
          number: result.phone,
          type: result.type,
          ...(result.warning ? { warning: result.warning } : {}),
          on_whatsapp: answer?.exists ?? false,
          canonical: answer?.canonical ?? null,
        };
      }),
    });
  });

  app.post("/api/v1/sandbox/:channelId/inbound", async (c) => {
    requireScope(c, "messages:send");
    const channel = await pathChannel(c, "channelId");
    if (channel.kind !== "sandbox") throw notFound(`Channel ${channel.id} is not a sandbox`);
    const input = await readJson(c, sandboxInboundSchema);
    const phone = normalisePhone(input.from, deps.config.phoneRegion);
    if (!phone.ok) {
      const why = describePhoneProblem(input.from, phone.problem);
      throw invalidInput(`from: ${why}`, { from: why });
    }
    const { externalId } = await service.simulateInbound(channel, {
      phone: phone.phone,
      name: input.name,
      text: input.text,
    });
    const message = await findByExternalId(db, channel.id, externalId);
    return c.json(messageJson((await getMessageView(db, message!.id))!), 201);
  });

  return app;
}
