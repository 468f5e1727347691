/**
 * Wappin's API v1 (`/v1/token/get`, `/v1/message/*`, `/v1/phone/number-checker`)
 * for systems written against it: the same paths, fields, codes and words,
 * always HTTP 200 with the code in `status`. Only translation: messages go
 * through the same sending path as the JSON API, on the integration's channel.
 * Over a rate limit (the integration's, or the address's for requests without
 * valid credentials) the answer is the document's nearest: 700 "Error from
 * vendor", with `Retry-After` and the reason in `data`.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../core/app_error.ts";
import { ipAllowed } from "../../core/ip_allowlist.ts";
import { checkMedia } from "../../core/media_type.ts";
import { TIMED_STATUSES } from "../../core/message_status.ts";
import type { MediaMessageType } from "../../core/message_type.ts";
import { describePhoneProblem, normalisePhone } from "../../core/phone.ts";
import { PRIORITY } from "../../core/priority.ts";
import { textValues } from "../../core/template.ts";
import { fromBase64 } from "../../core/tokens.ts";
import {
  sameWappinId,
  unixSeconds,
  wappinAnswer,
  wappinDateTime,
  type WappinOutcome,
  wappinParams,
  wappinUniqueId,
} from "../../core/wappin.ts";
import { getMessageView } from "../../db/messages.ts";
import { saveMedia } from "../../db/media.ts";
import { findActiveTemplate } from "../../db/templates.ts";
import {
  issueWappinToken,
  wappinByToken,
  wappinClient,
  type WappinIntegration,
} from "../../db/wappin_integrations.ts";
import type { SendMessageInput } from "../../core/api_messages.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { clientIp } from "../client_ip.ts";
import type { OverLimit } from "../rate_limit.ts";
import { compatBody } from "./compat_body.ts";
import { bodyLimit, fileBodyBytes, MAX_FORM_BYTES } from "../body_limit.ts";

type Fields = Record<string, unknown>;

/** The media types Wappin's document allows. */
const MEDIA_TYPES = ["image", "document", "audio"] as const satisfies readonly MediaMessageType[];
/** The statuses a status report lists: those a message keeps the time of. */
const REPORTED_STATUSES = new Set<string>(TIMED_STATUSES);
const MAX_TEXT = 4096;

/** An answer that ends the request early, with what was wrong when there is something to say. */
class WappinRefusal extends Error {
  constructor(readonly outcome: WappinOutcome, readonly errors?: Record<string, string>) {
    super(outcome);
  }
}

const refuse = (outcome: WappinOutcome, errors?: Record<string, string>): never => {
  throw new WappinRefusal(outcome, errors);
};

export function wappinRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock, secretBox, registry } = deps;
  const messages = deps.services.messages;

  const answer = (
    c: Context,
    outcome: WappinOutcome,
    extra: { messageId?: string; data?: unknown; note?: string } = {},
  ) => c.json(wappinAnswer(outcome, extra), 200);

  app.onError((err, c) => {
    if (err instanceof WappinRefusal) {
      return answer(c, err.outcome, err.errors ? { data: { errors: err.errors } } : {});
    }
    throw err;
  });

  const allowedFrom = (c: Context, integration: WappinIntegration) =>
    ipAllowed(integration.ipWhitelist, clientIp(c, deps.config.trustProxy));

  const tooMany = (c: Context, over: OverLimit) => {
    c.header("Retry-After", String(over.retryAfterS));
    return answer(c, "vendorError", {
      data: {
        errors: { request: over.message },
        limit: over.limit,
        retry_after_s: over.retryAfterS,
      },
    });
  };
  /** A request without valid credentials counts against its address's limit. */
  const refuseCredentials = (c: Context, outcome: WappinOutcome) => {
    const over = deps.rateLimiter.forAddress(clientIp(c, deps.config.trustProxy));
    return over ? tooMany(c, over) : answer(c, outcome);
  };
  /** A request with valid credentials counts against its integration's limit. */
  const overLimit = (integration: WappinIntegration) =>
    deps.rateLimiter.forCredential(
      `wappin:${integration.id}`,
      `The Wappin integration ${integration.clientId}`,
    );

  app.post("/v1/token/get", async (c) => {
    const encoded = c.req.header("authorization")?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
    let credentials: string | undefined;
    try {
      credentials = encoded ? new TextDecoder().decode(fromBase64(encoded)) : undefined;
    } catch {
      credentials = undefined;
    }
    const colon = credentials?.indexOf(":") ?? -1;
    if (!credentials || colon < 1) return refuseCredentials(c, "authNotRecognized");
    const client = await wappinClient(db, credentials.slice(0, colon));
    if (!client) return refuseCredentials(c, "invalidCredential");
    const { integration } = client;
    // The address first: from outside the whitelist, a secret key cannot even be tried.
    if (!allowedFrom(c, integration)) return refuseCredentials(c, "ipNotAllowed");
    if (!(await client.secretMatches(credentials.slice(colon + 1)))) {
      return refuseCredentials(c, "invalidCredential");
    }
    const over = overLimit(integration);
    if (over) return tooMany(c, over);
    const { token, expiresAt, fresh } = await issueWappinToken(
      db,
      clock,
      secretBox,
      integration.id,
    );
    return answer(c, fresh ? "success" : "tokenNotExpired", {
      data: {
        access_token: token,
        expired_datetime: wappinDateTime(expiresAt, deps.config.timeZone),
        token_type: "access_token",
      },
    });
  });

  const bearer: MiddlewareHandler<AppEnv> = async (c, next) => {
    const token = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (!token) return refuseCredentials(c, "authNotRecognized");
    const integration = await wappinByToken(db, clock, token);
    if (!integration) return refuseCredentials(c, "invalidCredential");
    if (!allowedFrom(c, integration)) return refuseCredentials(c, "ipNotAllowed");
    const over = overLimit(integration);
    if (over) return tooMany(c, over);
    c.set("wappin", integration);
    await next();
  };
  app.use("/v1/message/*", bearer);
  app.use("/v1/phone/*", bearer);
  // Bodies are capped after the token is checked: a caller without one is refused unread.
  // Only an upload carries a file; `/v1/token/get` reads no body.
  app.use("/v1/message/do-send-media", bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes)));
  app.use("/v1/*", bodyLimit(MAX_FORM_BYTES));

  /** The body, with `client_id` and `project_id` those of the token's integration. */
  const projectBody = async (c: Context<AppEnv>): Promise<Fields> => {
    const body = (await compatBody(c)) ?? refuse("noInput");
    const integration = c.get("wappin")!;
    if (
      !sameWappinId(body.client_id, integration.clientId) ||
      !sameWappinId(body.project_id, integration.projectId)
    ) {
      refuse("wrongProject");
    }
    return body;
  };

  /**
   * The number in `field` as E.164 digits, refused with `invalid` (601) when it
   * is no number or the channel says it is not on WhatsApp; `onWhatsApp` is
   * undefined when the channel cannot tell now.
   */
  const whatsAppNumber = async (
    integration: WappinIntegration,
    body: Fields,
    field: "recipient_number" | "phone_number",
    invalid: WappinOutcome,
  ): Promise<{ phone: string; onWhatsApp: boolean | undefined }> => {
    const raw = body[field];
    if (typeof raw !== "string" && typeof raw !== "number") {
      return refuse("noInput", { [field]: "required: a phone number" });
    }
    const phone = normalisePhone(String(raw), deps.config.phoneRegion);
    if (!phone.ok) {
      return refuse(invalid, { [field]: describePhoneProblem(String(raw), phone.problem) });
    }
    const onWhatsApp = await checkNumber(integration, phone.phone);
    if (onWhatsApp === false) refuse(invalid, { [field]: "not on WhatsApp" });
    return { phone: phone.phone, onWhatsApp };
  };

  /** The recipient of a send: a number on WhatsApp, or one the channel cannot check now. */
  const recipient = async (integration: WappinIntegration, body: Fields) =>
    (await whatsAppNumber(integration, body, "recipient_number", "contactInvalid")).phone;

  /** Whether `phone` is on WhatsApp; undefined when the channel cannot tell now. */
  const checkNumber = async (integration: WappinIntegration, phone: string) => {
    const checking = registry.checkNumbers(integration.channelId, [phone]);
    if (!checking) return undefined;
    try {
      const [found] = await checking;
      return found?.exists;
    } catch (e) {
      deps.log.warn("number check failed", { channel_id: integration.channelId, error: String(e) });
      return undefined;
    }
  };

  const send = async (c: Context<AppEnv>, input: SendMessageInput, note?: string) => {
    try {
      const { view } = await messages.send({
        source: "compat",
        priority: PRIORITY.api,
        onlyChannelId: c.get("wappin")!.channelId,
      }, input);
      return answer(c, "success", { messageId: String(view.message.id), note });
    } catch (e) {
      if (e instanceof AppError && e.status < 500) {
        return answer(c, "noInput", { data: { errors: { request: e.message } } });
      }
      throw e;
    }
  };

  app.post("/v1/message/do-send-hsm", async (c) => {
    const body = await projectBody(c);
    const integration = c.get("wappin")!;
    if (typeof body.type !== "string" || !body.type) {
      return refuse("noInput", { type: "required: the template name" });
    }
    const params = textValues(body.params) ??
      refuse("noInput", { params: 'required: an object such as {"1": "…", "2": "…"}' });
    const sms = smsFields(body);
    const template = await findActiveTemplate(db, { name: body.type, kind: "message" });
    if (!template) return answer(c, "templateNotFound");
    const variables = wappinParams(template.body, params) ?? refuse("paramCount");
    const to = await recipient(integration, body);
    return await send(
      c,
      { to, type: "text", template: { id: template.id, variables } },
      sms ? "SMS is not sent: Kabar sends this message on WhatsApp only" : undefined,
    );
  });

  app.post("/v1/message/do-send", async (c) => {
    const body = await projectBody(c);
    const integration = c.get("wappin")!;
    if (integration.environment === "UAT") {
      return answer(c, "uatSendText", { messageId: wappinUniqueId(clock.now()) });
    }
    const text = body.message_content;
    if (typeof text !== "string" || !text.trim() || text.length > MAX_TEXT) {
      return refuse("noInput", { message_content: `required, 1 to ${MAX_TEXT} characters` });
    }
    const to = await recipient(integration, body);
    return await send(c, { to, type: "text", text });
  });

  app.post("/v1/message/do-send-media", async (c) => {
    const body = await projectBody(c);
    const integration = c.get("wappin")!;
    const type = MEDIA_TYPES.find((t) => t === body.media_type) ??
      refuse("uploadFailed", { media_type: "one of image, document, audio" });
    const file = body.media instanceof File
      ? body.media
      : refuse("uploadFailed", { media: "a file, sent as multipart/form-data" });
    if (file.size === 0) refuse("uploadFailed", { media: "the file is empty" });
    if (file.size > deps.config.mediaMaxBytes) {
      refuse("uploadFailed", {
        media: `larger than ${Math.round(deps.config.mediaMaxBytes / 1024 / 1024)} MB`,
      });
    }
    const caption = typeof body.caption === "string" && body.caption && type !== "audio"
      ? body.caption.slice(0, 1024)
      : undefined;
    const to = await recipient(integration, body);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const checked = await checkMedia(type, bytes, file.type || undefined, file.name || undefined);
    if (!checked.ok) return refuse("uploadFailed", { media: checked.reason });
    const id = await saveMedia(db, clock, deps.config.dataDir, {
      data: bytes,
      mimeType: checked.mimeType,
      fileName: file.name || undefined,
    }, { forChannel: integration.channelId });
    return await send(c, { to, type, media: { id }, caption });
  });

  app.post("/v1/message/inquiry", async (c) => {
    const body = (await compatBody(c)) ?? refuse("noInput");
    if (typeof body.message_id !== "string" && typeof body.message_id !== "number") {
      return refuse("noInput", { message_id: "required: the message_id a send answered" });
    }
    const raw = String(body.message_id).trim();
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    const view = id ? await getMessageView(db, id) : undefined;
    if (
      !view || view.message.channelId !== c.get("wappin")!.channelId ||
      view.message.direction !== "out"
    ) {
      return answer(c, "dataNotFound");
    }
    return answer(c, "success", {
      messageId: raw,
      data: view.history.filter((e) => REPORTED_STATUSES.has(e.status)).map((e) => ({
        status: e.status,
        timestamp: unixSeconds(e.at),
      })),
    });
  });

  app.post("/v1/phone/number-checker", async (c) => {
    const body = await projectBody(c);
    const integration = c.get("wappin")!;
    const { phone, onWhatsApp } = await whatsAppNumber(
      integration,
      body,
      "phone_number",
      "numberInvalid",
    );
    if (onWhatsApp === undefined) {
      return refuse("vendorError", {
        channel: "the channel is not connected, so the number cannot be checked now",
      });
    }
    return answer(c, "numberValid", { messageId: wappinUniqueId(clock.now()), data: `+${phone}` });
  });

  return app;
}

/** The SMS fields, checked as the document defines them; undefined when not asked for. */
function smsFields(body: Fields): { content: string; params: Record<string, string> } | undefined {
  if (body.channel === undefined || body.channel === "" || body.channel === "whatsapp") {
    return undefined;
  }
  if (body.channel !== "sms") refuse("noInput", { channel: 'only "sms" (or no channel)' });
  if (typeof body.content !== "string" || !body.content) {
    refuse("noInput", { content: "required with channel sms: the SMS template name" });
  }
  const params = textValues(body.params_sms ?? {}) ??
    refuse("smsParamCount", { params_sms: 'an object such as {"1": "…"}' });
  return { content: body.content as string, params };
}
