/**
 * Sending, as every source asks for it (the JSON API, the compatibility
 * endpoints, the inbox): pick the channel, find the recipient, fill the
 * template, fetch or decode the file, and queue the message. Answers once
 * the message is committed in the outbox.
 */
import { AppError, conflict, forbidden, invalidInput, notFound } from "../core/app_error.ts";
import { MAX_CAPTION, MAX_TEXT, type SendMessageInput } from "../core/api_messages.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import type { Clock } from "../core/clock.ts";
import { checkMedia, checkStoredMedia, fileTooLarge } from "../core/media_type.ts";
import { describePhoneProblem, normalisePhone } from "../core/phone.ts";
import { renderTemplate } from "../core/template.ts";
import { fromBase64, sha256Hex } from "../core/tokens.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { getMedia, saveMedia } from "../db/media.ts";
import type { ChannelRef, ChannelRefs } from "../db/channel_refs.ts";
import { contactAddress } from "../db/contacts.ts";
import {
  ChannelDeleted,
  enqueueMessage,
  findByIdempotencyKey,
  type Message,
  type OutboundRequest,
  type Recipient,
} from "../db/outbox.ts";
import { getMessageView, type MessageView } from "../db/messages.ts";
import { isOptedOut } from "../db/opt_outs.ts";
import { findActiveTemplate } from "../db/templates.ts";
import type { EventBus } from "../sessions/events.ts";
import {
  MAX_REDIRECTS,
  type OutboundFetch,
  OutboundFetchError,
} from "../sessions/outbound_fetch.ts";

export interface SendDeps {
  db: Db;
  /** Channel lookups, remembered. */
  channels: ChannelRefs;
  writer: GroupCommit;
  clock: Clock;
  events: EventBus;
  dataDir: string;
  mediaMaxBytes: number;
  /** The region (ISO 3166 alpha-2) of numbers written without a country code. */
  phoneRegion: string;
  /** Downloads `media.url` files through the guard. */
  outbound: OutboundFetch;
}

/** Who asks to send, and how urgent it is. */
export interface Sender {
  source: OutboundRequest["source"];
  priority: number;
  apiKeyId?: number;
  /** The only channel the sender may use (an API key's restriction). */
  onlyChannelId?: number | null;
  /** Whether a `media.url` may be on the private network (a key with `*`). */
  privateNetwork?: boolean;
  authorId?: number;
  /** The failed message this one sends again. */
  retryOfId?: number;
  /** Staff starting a conversation from the inbox: it opens, theirs. */
  startsConversation?: boolean;
}

const URL_TIMEOUT_MS = 30_000;

/**
 * Queues `input`. With an idempotency key used before by the same API key:
 * the same body answers the earlier message (`replay`), another body is a 409.
 */
export async function sendMessage(
  deps: SendDeps,
  sender: Sender,
  input: SendMessageInput,
): Promise<{ view: MessageView; replay: boolean }> {
  // Only a request with an idempotency key can be replayed, so only then is it fingerprinted.
  const requestHash = input.idempotency_key === undefined
    ? undefined
    : await sha256Hex(canonicalJson(input));
  if (requestHash !== undefined && sender.apiKeyId !== undefined) {
    const earlier = await findByIdempotencyKey(deps.db, sender.apiKeyId, input.idempotency_key!);
    if (earlier) return await replayOf(deps.db, earlier, requestHash);
  }
  let channel = await resolveChannel(deps.channels, sender, input.channel);
  let { to, address } = await resolveRecipient(
    deps.db,
    channel,
    input.to,
    sender,
    deps.phoneRegion,
  );
  if (input.respect_opt_out) await refuseOptedOut(deps.db, address);
  const body = await resolveBody(deps.db, input);
  const media = input.media ? await resolveMedia(deps, sender, input) : undefined;
  const named = input.channel !== undefined || (sender.onlyChannelId ?? undefined) !== undefined;
  let enqueued;
  // A remembered channel may have been deleted since: the queueing refuses it, and
  // without a channel asked for, the default is looked up again, once.
  for (let attempt = 1; !enqueued; attempt++) {
    try {
      enqueued = await enqueueMessage(deps.db, deps.writer, deps.clock, {
        channelId: channel.id,
        channelKind: channel.kind,
        to,
        type: input.type,
        body: body.text,
        mediaId: media?.id,
        source: sender.source,
        priority: sender.priority,
        authorId: sender.authorId,
        apiKeyId: sender.apiKeyId,
        idempotencyKey: input.idempotency_key,
        requestHash,
        templateId: body.templateId,
        metadata: input.metadata ? JSON.stringify(input.metadata) : undefined,
        retryOfId: sender.retryOfId,
        startsConversation: sender.startsConversation,
      });
    } catch (e) {
      if (!(e instanceof ChannelDeleted)) throw e;
      deps.channels.forget(e.channelId);
      if (named || attempt > 1) throw e;
      channel = await resolveChannel(deps.channels, sender, input.channel);
      ({ to, address } = await resolveRecipient(
        deps.db,
        channel,
        input.to,
        sender,
        deps.phoneRegion,
      ));
      if (input.respect_opt_out) await refuseOptedOut(deps.db, address);
    }
  }
  const { message, replay } = enqueued;
  if (replay) return await replayOf(deps.db, message, requestHash);
  deps.events.publish({
    type: "message.queued",
    channelId: channel.id,
    conversationId: message.conversationId,
    messageId: message.id,
  });
  return {
    view: {
      message,
      contact: address,
      media: media
        ? { mimeType: media.mimeType, fileName: media.fileName, size: media.size }
        : null,
      template: body.template ?? null,
    },
    replay: false,
  };
}

/** Sending, as a service: every surface that sends (API, compatible APIs, inbox) calls this. */
export class MessageService {
  constructor(private readonly deps: SendDeps) {}

  send(sender: Sender, input: SendMessageInput): Promise<{ view: MessageView; replay: boolean }> {
    return sendMessage(this.deps, sender, input);
  }
}

async function replayOf(
  db: Db,
  message: Message,
  requestHash: string | undefined,
): Promise<{ view: MessageView; replay: true }> {
  if (message.requestHash !== requestHash) {
    throw conflict(
      `The idempotency key was used for another request (message ${message.id}); ` +
        "use a new key for a new message",
      { idempotency_key: "used for a different request", message_id: message.id },
    );
  }
  return { view: (await getMessageView(db, message.id))!, replay: true };
}

/** The channel asked for, the key's own, the default one, or the only one. */
async function resolveChannel(
  channels: ChannelRefs,
  sender: Sender,
  asked?: number,
): Promise<ChannelRef> {
  const only = sender.onlyChannelId ?? undefined;
  if (asked !== undefined && only !== undefined && asked !== only) {
    throw forbidden(`This API key may only send through channel ${only}`);
  }
  const id = asked ?? only;
  if (id !== undefined) {
    const ref = await channels.byId(id);
    if (!ref) throw new ChannelDeleted(id);
    return ref;
  }
  const ref = await channels.implicit();
  if (ref === "none" || ref === "ambiguous") {
    throw invalidInput(
      ref === "none"
        ? "There is no channel yet: add one first"
        : "Say which channel: there are several and none is the default",
      { channel: "required" },
    );
  }
  return ref;
}

type Address = MessageView["contact"];

/** A 409 `opted_out` when the recipient's number is on the opt-out list. */
async function refuseOptedOut(db: Db, address: Address): Promise<void> {
  if (address.phone === null || !(await isOptedOut(db, address.phone))) return;
  throw new AppError(
    409,
    "opted_out",
    `+${address.phone} is on the opt-out list (it asked for no more broadcasts), and the ` +
      "request says respect_opt_out: nothing was queued",
    { to: `+${address.phone} opted out`, phone: address.phone },
  );
}

/**
 * `to` as a recipient. A sender limited to one channel may address by id
 * only the contacts that have a conversation on it; any other id is answered
 * as one that does not exist.
 */
async function resolveRecipient(
  db: Db,
  channel: ChannelRef,
  to: string | number,
  sender: Sender,
  phoneRegion: string,
): Promise<{ to: Recipient; address: Address }> {
  const text = String(to).trim();
  const contact = text.match(/^contact:(\d{1,15})$/);
  if (contact) {
    const id = Number(contact[1]);
    const row = await contactAddress(db, id, sender.onlyChannelId ?? undefined);
    if (!row) throw notFound(`No contact with id ${id}`, { to: `no contact ${id}` });
    return { to: { contactId: id }, address: row };
  }
  if (channel.kind === "telegram") {
    if (!/^-?\d{1,20}$/.test(text)) {
      throw invalidInput(`"${text}" is not a Telegram chat id`, {
        to: "on a Telegram channel, a chat id (digits) or contact:<id>",
      });
    }
    return { to: { telegramChatId: text }, address: { phone: null, telegramChatId: text } };
  }
  const phone = normalisePhone(text, phoneRegion);
  if (!phone.ok) {
    const why = describePhoneProblem(text, phone.problem);
    throw invalidInput(`to: the number ${why}`, { to: why });
  }
  return { to: { phone: phone.phone }, address: { phone: phone.phone, telegramChatId: null } };
}

async function resolveBody(
  db: Db,
  input: SendMessageInput,
): Promise<{ text?: string; templateId?: number; template?: { id: number; name: string } }> {
  if (!input.template) return { text: input.type === "text" ? input.text : input.caption };
  const template = await findActiveTemplate(db, input.template);
  const ref = input.template.name ?? `id ${input.template.id}`;
  if (!template) {
    throw invalidInput(`No active template ${ref}`, { template: `no active template ${ref}` });
  }
  const rendered = renderTemplate(template.body, input.template.variables);
  if (!rendered.ok) {
    const details: Record<string, string> = {};
    for (const name of rendered.missing) details[`template.variables.${name}`] = "missing";
    for (const name of rendered.unknown) {
      details[`template.variables.${name}`] = "not a variable of this template";
    }
    const parts = [
      rendered.missing.length ? `missing ${rendered.missing.join(", ")}` : "",
      rendered.unknown.length ? `unknown ${rendered.unknown.join(", ")}` : "",
    ].filter(Boolean);
    throw invalidInput(`Template ${template.name} variables: ${parts.join("; ")}`, details);
  }
  // Filled in, the text is held to the limit a text typed whole is held to.
  const limit = input.type === "text" ? MAX_TEXT : MAX_CAPTION;
  if (rendered.text.length > limit) {
    throw invalidInput(
      `Template ${template.name} filled in is ${rendered.text.length} characters, over ${limit}`,
      { "template.variables": `the filled-in text must be at most ${limit} characters` },
    );
  }
  return {
    text: rendered.text,
    templateId: template.id,
    template: { id: template.id, name: template.name },
  };
}

/** The stored file of the message. */
interface StoredMedia {
  id: string;
  mimeType: string;
  fileName: string | null;
  size: number;
}

async function resolveMedia(
  deps: SendDeps,
  sender: Sender,
  input: SendMessageInput,
): Promise<StoredMedia> {
  const media = input.media!;
  const type = input.type as Exclude<SendMessageInput["type"], "text">;
  if ("id" in media) {
    const stored = await getMedia(deps.db, media.id, {
      usableOn: sender.onlyChannelId ?? undefined,
    });
    if (!stored) {
      throw invalidInput(`No uploaded media ${media.id}`, { "media.id": "not uploaded" });
    }
    const check = checkStoredMedia(type, stored.mimeType);
    if (!check.ok) throw invalidInput(`media: ${check.reason}`, { "media.id": check.reason });
    return stored;
  }
  let bytes: Uint8Array;
  let declared: string | undefined;
  let fileName: string | undefined;
  if ("base64" in media) {
    const clean = media.base64.replace(/^data:[^;]+;base64,/, "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
      throw invalidInput("media.base64 is not valid base64", { "media.base64": "not base64" });
    }
    const size = (clean.length * 3) / 4 - (clean.match(/=*$/)?.[0].length ?? 0);
    if (size > deps.mediaMaxBytes) throw fileTooLarge(deps.mediaMaxBytes, "media.base64");
    bytes = fromBase64(clean);
    declared = media.mimetype;
    fileName = media.filename;
  } else {
    ({ bytes, declared } = await download(deps, media.url, sender.privateNetwork ?? false));
    const lastSegment = fileNameOf(media.url);
    fileName = media.filename ?? (lastSegment || undefined);
  }
  const path = "base64" in media ? "media.base64" : "media.url";
  if (bytes.byteLength === 0) throw invalidInput("The file is empty", { [path]: "empty file" });
  const check = await checkMedia(type, bytes, declared, fileName);
  if (!check.ok) throw invalidInput(`media: ${check.reason}`, { [path]: check.reason });
  const id = await saveMedia(deps.db, deps.clock, deps.dataDir, {
    data: bytes,
    mimeType: check.mimeType,
    fileName,
  });
  return { id, mimeType: check.mimeType, fileName: fileName ?? null, size: bytes.byteLength };
}

/**
 * Downloads a file through the guard: more than the size limit or slower than
 * 30 s is refused, and so is an address on the private network unless the
 * sender may reach it. The error never tells a refused address from one that
 * does not answer, so the API cannot be used to map the hospital's network.
 */
async function download(
  deps: SendDeps,
  url: string,
  privateNetwork: boolean,
): Promise<{ bytes: Uint8Array; declared?: string }> {
  let response;
  try {
    response = await deps.outbound.fetch(url, {
      privateNetwork,
      timeoutMs: URL_TIMEOUT_MS,
      maxBytes: deps.mediaMaxBytes,
      maxRedirects: MAX_REDIRECTS,
    });
  } catch (e) {
    if (!(e instanceof OutboundFetchError)) throw e;
    if (e.failure === "too_large") throw fileTooLarge(deps.mediaMaxBytes, "media.url");
    const why = e.failure === "timeout"
      ? "no answer within 30 s"
      : e.failure === "bad_url"
      ? "only http:// and https:// addresses can be fetched"
      : e.failure === "redirects"
      ? `more than ${MAX_REDIRECTS} redirects`
      : "could not fetch the file";
    throw invalidInput(`Could not download ${url}: ${why}`, { "media.url": why });
  }
  if (response.status < 200 || response.status > 299) {
    const why = `the server answered ${response.status}`;
    throw invalidInput(`Could not download ${url}: ${why}`, { "media.url": why });
  }
  return {
    bytes: response.body,
    declared: response.headers.get("content-type")?.split(";")[0].trim() || undefined,
  };
}

/** The last path segment of `url`, decoded when it can be. */
function fileNameOf(url: string): string {
  const segment = new URL(url).pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
