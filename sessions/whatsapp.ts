/**
 * The WhatsApp channel on Baileys 7: one adapter instance drives one socket
 * from connecting to closed, and reports through the registry's callbacks.
 */
import makeWASocket, {
  type AnyMessageContent,
  type BaileysEventMap,
  Browsers,
  type ConnectionState,
  type Contact,
  DisconnectReason,
  downloadMediaMessage,
  isLidUser,
  isPnUser,
  jidDecode,
  jidEncode,
  type LIDMapping,
  normalizeMessageContent,
  proto,
  type SocketConfig,
  toNumber,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WAMessageUpdate,
  type WASocket,
} from "@whiskeysockets/baileys";
import { Buffer } from "node:buffer";
import type { ChannelStatus, ReceiptStatus, StatusReason } from "../core/channel_types.ts";
import type { LogFields, Logger } from "../core/log.ts";
import { receivedMimeType } from "../core/media_type.ts";
import type { MessageType } from "../core/message_type.ts";
import type {
  AdapterContext,
  AdapterFactory,
  ChannelAdapter,
  InboundMessage,
  InboundSender,
  MediaFile,
  MessageToRead,
  NumberCheck,
  OutboundMessage,
  RestartPolicy,
} from "./channel.ts";
import { loadAuthState, type WhatsAppAuthState } from "./whatsapp_auth_state.ts";

/** The part of a Baileys socket the adapter uses; tests provide a fake of it. */
export type WhatsAppSocket =
  & Pick<
    WASocket,
    | "ev"
    | "user"
    | "sendMessage"
    | "onWhatsApp"
    | "requestPairingCode"
    | "logout"
    | "end"
    | "updateMediaMessage"
    | "readMessages"
  >
  & {
    /** Baileys' own LID -> phone number store, for senders known only by LID. */
    signalRepository: {
      lidMapping: Pick<WASocket["signalRepository"]["lidMapping"], "getPNForLID">;
    };
  };

/** Creates the socket; Baileys' `makeWASocket` unless replaced. */
export type MakeWhatsAppSocket = (config: UserFacingSocketConfig) => WhatsAppSocket;

/**
 * Fetches and decrypts the media of a received message (asking the sender's
 * phone to re-upload old media); throws once it grows past `maxBytes`.
 */
export type DownloadWhatsAppMedia = (
  message: WAMessage,
  socket: WhatsAppSocket,
  maxBytes: number,
) => Promise<Uint8Array>;

/** Reads `chunks` into one array, giving up as soon as they pass `maxBytes`. */
export async function readAtMost(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`the file is larger than ${maxBytes} bytes`);
    parts.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Replaceable parts of the WhatsApp adapter. */
export interface WhatsAppAdapterOptions {
  makeSocket?: MakeWhatsAppSocket;
  downloadMedia?: DownloadWhatsAppMedia;
}

/** How long `requestPairingCode` waits for WhatsApp to be ready to pair. */
export const PAIRING_READY_TIMEOUT_MS = 30_000;

const E164 = /^[1-9]\d{5,14}$/;

/** The JID of a phone number given as E.164 digits; throws for anything else. */
export function phoneJid(phone: string): string {
  if (!E164.test(phone)) throw new Error(`not a phone number in E.164 digits: ${phone}`);
  return jidEncode(phone, "s.whatsapp.net");
}

/**
 * The user part of a person's JID and whether it is a phone number (`pn`,
 * `…@s.whatsapp.net`) or a LID (`…@lid`); undefined for groups, broadcasts,
 * newsletters and anything else. Device suffixes (`:12`) are dropped.
 */
export function parseJid(
  jid: string | null | undefined,
): { kind: "pn" | "lid"; user: string } | undefined {
  if (!jid) return undefined;
  const user = jidDecode(jid)?.user;
  if (!user) return undefined;
  if (isPnUser(jid)) return { kind: "pn", user };
  if (isLidUser(jid)) return { kind: "lid", user };
  return undefined;
}

/** How many received messages' chat JIDs an adapter remembers for read receipts. */
const REMEMBERED_CHATS = 5_000;

/**
 * The chat a received message came in, for its read receipt: the JID it
 * arrived on when this session saw it (`seen`), else the person's LID (how
 * WhatsApp addresses one-to-one chats now), else their phone number's JID.
 */
export function readReceiptJid(
  message: MessageToRead,
  seen: string | undefined,
): string | undefined {
  if (seen) return seen;
  if (message.from.waLid && /^\d{1,20}$/.test(message.from.waLid)) {
    return jidEncode(message.from.waLid, "lid");
  }
  if (message.from.phone && E164.test(message.from.phone)) return phoneJid(message.from.phone);
  return undefined;
}

/** What to report when the socket closed with a given status code. */
export interface DisconnectOutcome {
  status: ChannelStatus;
  reason: StatusReason;
  policy: RestartPolicy;
  /** The auth state is useless from now on and is deleted. */
  clearAuth: boolean;
}

/**
 * Maps the status code of a closed socket (Baileys' `DisconnectReason`) to a
 * status and restart policy. `qrPending`: a QR was shown and never scanned.
 */
export function disconnectOutcome(
  statusCode: number | undefined,
  qrPending: boolean,
): DisconnectOutcome {
  const outcome = (
    status: ChannelStatus,
    reason: StatusReason,
    policy: RestartPolicy,
    clearAuth = false,
  ): DisconnectOutcome => ({ status, reason, policy, clearAuth });
  switch (statusCode) {
    case DisconnectReason.restartRequired:
      return outcome("connecting", "restarting", "now");
    case DisconnectReason.loggedOut:
      return outcome("logged_out", "logged_out", "never", true);
    case DisconnectReason.connectionReplaced:
      return outcome("error", "replaced", "never");
    case DisconnectReason.badSession:
      return outcome("error", "bad_session", "backoff", true);
    case DisconnectReason.forbidden:
      return outcome("error", "forbidden", "never");
    // Also `connectionLost`: the same code, told apart by the unscanned QR.
    case DisconnectReason.timedOut:
      if (qrPending) return outcome("error", "qr_timeout", "backoff");
  }
  return outcome("error", "unreachable", "backoff");
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("output" in error)) return undefined;
  const output = (error as { output?: { statusCode?: unknown } }).output;
  return typeof output?.statusCode === "number" ? output.statusCode : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A pino-like logger for Baileys over Kabar's: its info and warnings become
 * debug lines, its errors warnings, and only the message and an error's text
 * pass. Baileys' log objects carry protocol nodes and keys, which must not
 * reach the logs.
 */
export function baileysLogger(log: Logger): SocketConfig["logger"] {
  const text = (obj: unknown, msg?: string) => typeof obj === "string" ? obj : msg ?? "";
  const fields = (obj: unknown): LogFields | undefined => {
    if (typeof obj !== "object" || obj === null) return undefined;
    const { err, error } = obj as { err?: unknown; error?: unknown };
    const cause = err ?? error;
    if (!(cause instanceof Error)) return undefined;
    const statusCode = statusCodeOf(cause);
    return {
      error: cause.message,
      ...(statusCode === undefined ? {} : { status_code: statusCode }),
    };
  };
  return {
    // Anything but `debug`/`trace` keeps Baileys from building verbose log data.
    level: "info",
    child: (bindings) =>
      baileysLogger(
        typeof bindings.class === "string" ? log.with({ baileys: bindings.class }) : log,
      ),
    trace() {},
    debug() {},
    info: (obj, msg) => log.debug(text(obj, msg), fields(obj)),
    warn: (obj, msg) => log.debug(text(obj, msg), fields(obj)),
    error: (obj, msg) => log.warn(text(obj, msg), fields(obj)),
  };
}

const RECEIPT_STATUS: Partial<Record<proto.WebMessageInfo.Status, ReceiptStatus>> = {
  [proto.WebMessageInfo.Status.SERVER_ACK]: "sent",
  [proto.WebMessageInfo.Status.DELIVERY_ACK]: "delivered",
  [proto.WebMessageInfo.Status.READ]: "read",
  [proto.WebMessageInfo.Status.PLAYED]: "played",
  [proto.WebMessageInfo.Status.ERROR]: "failed",
};

function failureText(update: WAMessageUpdate["update"]): string {
  const [code, detail] = (update.messageStubParameters ?? []) as unknown[];
  let text = "WhatsApp refused the message";
  if (code !== undefined && code !== null && code !== "") text += ` (error ${code})`;
  if (typeof detail === "string" && detail) text += `: ${detail}`;
  return text;
}

/** The paired number, from the socket's own contact (its id, or its phone number JID). */
function ownPhone(user: Contact | undefined): string | undefined {
  for (const jid of [user?.id, user?.phoneNumber]) {
    const parsed = parseJid(jid);
    if (parsed?.kind === "pn") return parsed.user;
  }
  return undefined;
}

/**
 * Who wrote in a one-to-one chat. WhatsApp addresses a chat by phone number or
 * by LID; Baileys 7 gives the other form in `remoteJidAlt` when it knows it.
 */
function senderOf(key: WAMessageKey, pushName: string | null | undefined): InboundSender | null {
  const chat = parseJid(key.remoteJid);
  if (!chat) return null;
  const alt = parseJid(key.remoteJidAlt);
  const from: InboundSender = chat.kind === "pn" ? { phone: chat.user } : { waLid: chat.user };
  if (alt && alt.kind !== chat.kind) {
    if (alt.kind === "pn") from.phone = alt.user;
    else from.waLid = alt.user;
  }
  if (pushName) from.pushName = pushName;
  return from;
}

interface ContentParts {
  type: MessageType;
  text?: string;
  /** Present for media types: what the file is, before downloading it. */
  file?: { mimeType: string; fileName?: string; declaredBytes?: number };
}

/** The size a media message says its file has, when it says. */
function declared(fileLength: number | Long | null | undefined): { declaredBytes?: number } {
  return fileLength === null || fileLength === undefined
    ? {}
    : { declaredBytes: toNumber(fileLength) };
}

/** The Kabar view of a message's content; undefined for kinds Kabar does not take. */
function contentParts(message: proto.IMessage | null | undefined): ContentParts | undefined {
  // Unwraps disappearing, view-once and document-with-caption messages.
  const content = normalizeMessageContent(message);
  if (!content) return undefined;
  const caption = (text: string | null | undefined) => text ? { text } : {};
  if (content.conversation) return { type: "text", text: content.conversation };
  if (content.extendedTextMessage?.text) {
    return { type: "text", text: content.extendedTextMessage.text };
  }
  if (content.imageMessage) {
    const m = content.imageMessage;
    return {
      type: "image",
      ...caption(m.caption),
      file: { mimeType: m.mimetype || "image/jpeg", ...declared(m.fileLength) },
    };
  }
  if (content.videoMessage) {
    const m = content.videoMessage;
    return {
      type: "video",
      ...caption(m.caption),
      file: { mimeType: m.mimetype || "video/mp4", ...declared(m.fileLength) },
    };
  }
  if (content.audioMessage) {
    const m = content.audioMessage;
    return {
      type: "audio",
      file: { mimeType: m.mimetype || "audio/ogg", ...declared(m.fileLength) },
    };
  }
  if (content.documentMessage) {
    const m = content.documentMessage;
    return {
      type: "document",
      ...caption(m.caption),
      file: {
        mimeType: m.mimetype || "application/octet-stream",
        ...(m.fileName ? { fileName: m.fileName } : {}),
        ...declared(m.fileLength),
      },
    };
  }
  const location = content.locationMessage;
  if (
    typeof location?.degreesLatitude === "number" && typeof location.degreesLongitude === "number"
  ) {
    return { type: "location", text: `${location.degreesLatitude},${location.degreesLongitude}` };
  }
  return undefined;
}

function outboundContent(message: OutboundMessage): AnyMessageContent {
  if (message.type === "text") {
    if (!message.text) throw new Error("a text message needs text");
    return { text: message.text };
  }
  const media = message.media;
  if (!media) throw new Error(`a ${message.type} message needs a file`);
  const data = Buffer.from(media.data.buffer, media.data.byteOffset, media.data.byteLength);
  const caption = message.text ? { caption: message.text } : {};
  switch (message.type) {
    case "image":
      return { image: data, mimetype: media.mimeType, ...caption };
    case "video":
      return { video: data, mimetype: media.mimeType, ...caption };
    case "audio":
      return { audio: data, mimetype: media.mimeType };
    case "document":
      return {
        document: data,
        mimetype: media.mimeType,
        ...(media.fileName ? { fileName: media.fileName } : {}),
        ...caption,
      };
  }
}

/** Runs tasks one after another; a failed task is logged and does not stop the next. */
class SerialQueue {
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly log: Logger, private readonly what: string) {}

  run(task: () => Promise<void>, fields?: LogFields): void {
    this.#tail = this.#tail.then(task).catch((error) =>
      this.log.error(`could not handle ${this.what}`, { ...fields, error: messageOf(error) })
    );
  }

  /** Resolves once every task run so far has finished. */
  idle(): Promise<void> {
    return this.#tail;
  }
}

interface ReadyWaiter {
  resolve(): void;
  reject(error: Error): void;
}

class WhatsAppAdapter implements ChannelAdapter {
  readonly #ctx: AdapterContext;
  readonly #makeSocket: MakeWhatsAppSocket;
  readonly #download: DownloadWhatsAppMedia;
  readonly #inbound: SerialQueue;
  readonly #receipts: SerialQueue;
  #auth?: WhatsAppAuthState;
  #socket?: WhatsAppSocket;
  #started = false;
  /** The session is over (closed, stopped or logged out): no more status callbacks. */
  #ended = false;
  #connected = false;
  #qrShown = false;
  #status?: ChannelStatus;
  #unsubscribe: (() => void)[] = [];
  #readyWaiters = new Set<ReadyWaiter>();
  /** Received message id -> the chat JID it arrived on (the newest, at most REMEMBERED_CHATS). */
  readonly #chats = new Map<string, string>();

  constructor(ctx: AdapterContext, options: WhatsAppAdapterOptions) {
    this.#ctx = ctx;
    this.#makeSocket = options.makeSocket ?? makeWASocket;
    this.#download = options.downloadMedia ??
      (async (message, socket, maxBytes) => {
        const stream = await downloadMediaMessage(message, "stream", {}, {
          logger: baileysLogger(ctx.log),
          reuploadRequest: socket.updateMediaMessage,
        });
        try {
          return await readAtMost(stream, maxBytes);
        } finally {
          stream.destroy();
        }
      });
    this.#inbound = new SerialQueue(ctx.log, "an inbound WhatsApp message");
    this.#receipts = new SerialQueue(ctx.log, "a WhatsApp receipt");
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error("this WhatsApp session was already started");
    this.#started = true;
    const auth = await loadAuthState(this.#ctx.authStore);
    // Stopped (or logged out) while the keys were loading: no socket may be made.
    if (this.#ended) return;
    this.#auth = auth;
    this.#setStatus("connecting");
    const socket = this.#makeSocket({
      auth: auth.state,
      logger: baileysLogger(this.#ctx.log),
      // Baileys' default browser; WhatsApp rejects pairing codes for unusual labels.
      browser: Browsers.macOS("Chrome"),
      // Keeps the phone getting notifications while Kabar is connected.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      getMessage: (key) => this.#sentMessage(key),
    });
    this.#socket = socket;
    this.#listen(socket, auth);
  }

  async stop(): Promise<void> {
    this.#end();
    const socket = this.#socket;
    if (socket) {
      try {
        await socket.end(undefined);
      } catch (error) {
        this.#ctx.log.debug("error while closing the WhatsApp socket", {
          error: messageOf(error),
        });
      }
    }
    await Promise.all([this.#inbound.idle(), this.#receipts.idle(), this.#auth?.settled()]);
  }

  async logout(): Promise<void> {
    this.#end();
    const socket = this.#socket;
    if (socket) {
      try {
        await socket.logout();
      } catch (error) {
        // Offline or never paired: the local state is deleted all the same.
        this.#ctx.log.warn("could not log the device out on WhatsApp", {
          error: messageOf(error),
        });
      }
    }
    await (this.#auth ? this.#auth.clear() : this.#ctx.authStore.clear());
    await this.stop();
  }

  async send(message: OutboundMessage): Promise<{ externalId: string }> {
    const socket = this.#requireConnected();
    const jid = phoneJid(message.to);
    const content = outboundContent(message);
    const sent = await socket.sendMessage(
      jid,
      content,
      message.externalId ? { messageId: message.externalId } : undefined,
    );
    const externalId = sent?.key.id;
    if (!externalId) throw new Error("WhatsApp did not accept the message");
    return { externalId };
  }

  /**
   * Sends read receipts (blue ticks) for received messages, as the phone
   * does when the chat is opened: one receipt per chat with every id in it.
   * WhatsApp sends "read-self" instead when the account hides read receipts.
   */
  async markRead(messages: MessageToRead[]): Promise<void> {
    const socket = this.#requireConnected();
    const keys: WAMessageKey[] = [];
    for (const message of messages) {
      const remoteJid = readReceiptJid(message, this.#chats.get(message.externalId));
      if (remoteJid) keys.push({ remoteJid, id: message.externalId, fromMe: false });
    }
    if (keys.length > 0) await socket.readMessages(keys);
  }

  async checkNumbers(phones: string[]): Promise<NumberCheck[]> {
    const socket = this.#requireConnected();
    const valid = [...new Set(phones.filter((phone) => E164.test(phone)))];
    const canonical = new Map<string, string>();
    if (valid.length > 0) {
      const found = await this.#lookUp(socket, valid);
      const unmatched = valid.filter((phone) => !found.exact.has(phone));
      for (const phone of found.exact) canonical.set(phone, phone);
      // WhatsApp may answer with another form of a number (Brazil's ninth
      // digit); the answers do not say which number was asked for.
      if (unmatched.length === 1 && found.other.length === 1) {
        canonical.set(unmatched[0], found.other[0]);
      } else if (found.other.length > 0) {
        for (const phone of unmatched) {
          const single = await this.#lookUp(socket, [phone]);
          const user = single.other[0] ?? (single.exact.has(phone) ? phone : undefined);
          if (user) canonical.set(phone, user);
        }
      }
    }
    return phones.map((phone) => {
      const user = canonical.get(phone);
      return user ? { phone, exists: true, canonical: user } : { phone, exists: false };
    });
  }

  async requestPairingCode(): Promise<string> {
    const socket = this.#socket;
    if (!socket || this.#ended) throw new Error("WhatsApp is not connecting");
    if (this.#connected || this.#auth?.state.creds.registered) throw new Error("already paired");
    const phone = this.#ctx.channel.phone;
    if (!phone || !E164.test(phone)) throw new Error("the channel has no phone number to pair");
    await this.#readyToPair();
    const code = await socket.requestPairingCode(phone);
    this.#ctx.callbacks.onPairingCode(code);
    return code;
  }

  #requireConnected(): WhatsAppSocket {
    if (!this.#socket || !this.#connected || this.#ended) {
      throw new Error("WhatsApp is not connected");
    }
    return this.#socket;
  }

  /** Existing numbers among `phones`: those answered as asked, and other forms. */
  async #lookUp(
    socket: WhatsAppSocket,
    phones: string[],
  ): Promise<{ exact: Set<string>; other: string[] }> {
    const asked = new Set(phones);
    const exact = new Set<string>();
    const other: string[] = [];
    for (const result of await socket.onWhatsApp(...phones.map(phoneJid)) ?? []) {
      const parsed = parseJid(result.jid);
      if (!result.exists || parsed?.kind !== "pn") continue;
      if (asked.has(parsed.user)) exact.add(parsed.user);
      else other.push(parsed.user);
    }
    return { exact, other };
  }

  /** Resolves once a QR was shown: from then on the socket can ask for a pairing code. */
  #readyToPair(): Promise<void> {
    if (this.#qrShown) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: ReadyWaiter = {
        resolve: () => {
          cancel();
          resolve();
        },
        reject: (error) => {
          cancel();
          reject(error);
        },
      };
      const cancel = this.#ctx.clock.setTimer(PAIRING_READY_TIMEOUT_MS, () => {
        this.#readyWaiters.delete(waiter);
        reject(new Error("WhatsApp did not get ready for pairing in time"));
      });
      this.#readyWaiters.add(waiter);
    });
  }

  #settleWaiters(error?: Error): void {
    for (const waiter of this.#readyWaiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
    this.#readyWaiters.clear();
  }

  /** Ends the session on Kabar's side: no more events, no close report. */
  #end(): void {
    this.#ended = true;
    this.#connected = false;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#settleWaiters(new Error("the WhatsApp connection closed"));
  }

  #setStatus(status: ChannelStatus, reason?: StatusReason, detail?: string): void {
    if (status === this.#status && reason === undefined) return;
    this.#status = status;
    this.#ctx.callbacks.onStatus(status, reason, detail);
  }

  #on<T extends keyof BaileysEventMap>(
    socket: WhatsAppSocket,
    event: T,
    listener: (arg: BaileysEventMap[T]) => void | Promise<void>,
  ): void {
    // Baileys emits synchronously and ignores what listeners return or throw.
    const guarded = (arg: BaileysEventMap[T]) => {
      try {
        const result = listener(arg);
        if (result instanceof Promise) result.catch((error) => this.#listenerFailed(event, error));
      } catch (error) {
        this.#listenerFailed(event, error);
      }
    };
    socket.ev.on(event, guarded);
    this.#unsubscribe.push(() => socket.ev.off(event, guarded));
  }

  #listenerFailed(event: string, error: unknown): void {
    this.#ctx.log.error("WhatsApp event handling failed", { event, error: messageOf(error) });
  }

  #listen(socket: WhatsAppSocket, auth: WhatsAppAuthState): void {
    this.#on(socket, "connection.update", (update) => this.#onConnection(socket, update));
    this.#on(socket, "creds.update", () => auth.saveCreds());
    this.#on(socket, "messages.upsert", ({ messages, type }) => {
      // `append` carries what arrived while Kabar was offline (already acknowledged to
      // WhatsApp, so it must be taken now) and messages sent from the phone itself,
      // which #toInbound skips.
      if (type !== "notify" && type !== "append") return;
      for (const message of messages) {
        this.#inbound.run(() => this.#receive(message), { externalId: message.key.id });
      }
    });
    this.#on(socket, "messages.update", (updates) => {
      for (const update of updates) this.#onMessageUpdate(update);
    });
    this.#on(socket, "lid-mapping.update", (mapping) => this.#onMapping(mapping));
    this.#on(socket, "messaging-history.set", ({ lidPnMappings }) => {
      for (const mapping of lidPnMappings ?? []) this.#onMapping(mapping);
    });
  }

  async #onConnection(socket: WhatsAppSocket, update: Partial<ConnectionState>): Promise<void> {
    if (this.#ended) return;
    const { callbacks } = this.#ctx;
    if (typeof update.qr === "string") {
      this.#qrShown = true;
      callbacks.onQr(update.qr);
      this.#setStatus("qr");
      this.#settleWaiters();
    }
    if (update.connection === "open") {
      this.#connected = true;
      this.#setStatus("connected");
      const phone = ownPhone(socket.user);
      if (phone) callbacks.onIdentity({ phone });
      else this.#ctx.log.warn("WhatsApp connected without telling the paired number");
    }
    if (update.connection === "close") await this.#onClose(update.lastDisconnect?.error);
  }

  async #onClose(error: unknown): Promise<void> {
    const qrPending = this.#qrShown && !this.#connected;
    this.#end();
    const statusCode = statusCodeOf(error);
    const outcome = disconnectOutcome(statusCode, qrPending);
    this.#ctx.log.debug("WhatsApp connection closed", {
      status_code: statusCode,
      reason: outcome.reason,
    });
    if (outcome.clearAuth) {
      try {
        await this.#auth?.clear();
      } catch (clearError) {
        this.#ctx.log.error("could not delete the WhatsApp auth state", {
          error: messageOf(clearError),
        });
      }
    }
    const detail = outcome.reason === "unreachable" && error ? messageOf(error) : undefined;
    this.#setStatus(outcome.status, outcome.reason, detail);
    this.#ctx.callbacks.onClosed(outcome.policy);
  }

  async #receive(message: WAMessage): Promise<void> {
    const inbound = await this.#toInbound(message);
    // Baileys has acknowledged the message to WhatsApp, which will not deliver it again:
    // one that cannot be stored now (a full disk) is kept until it can.
    if (inbound) await this.#ctx.callbacks.onInbound(inbound, { keep: true });
  }

  async #toInbound(message: WAMessage): Promise<InboundMessage | undefined> {
    const { key } = message;
    const log = this.#ctx.log;
    if (key.fromMe || !key.id) return undefined;
    // Kabar's conversations are with one person; groups, status updates,
    // broadcasts and newsletters have no single person to answer.
    const from = senderOf(key, message.pushName);
    if (!from) {
      log.debug("skipped a WhatsApp message not from a person", { external_id: key.id });
      return undefined;
    }
    if (from.waLid && !from.phone) {
      const phone = await this.#phoneOfLid(from.waLid);
      if (phone) from.phone = phone;
    }
    const parts = contentParts(message.message);
    if (!parts) {
      log.debug("skipped a WhatsApp message of an unsupported kind", { external_id: key.id });
      return undefined;
    }
    this.#rememberChat(key.id, key.remoteJid!);
    const inbound: InboundMessage = {
      externalId: key.id,
      from,
      type: parts.type,
      at: message.messageTimestamp
        ? toNumber(message.messageTimestamp) * 1000
        : this.#ctx.clock.now(),
    };
    if (parts.text !== undefined) inbound.text = parts.text;
    if (parts.file) {
      const media = await this.#downloadMedia(message, parts.file);
      if (media) inbound.media = media;
    }
    return inbound;
  }

  #rememberChat(externalId: string, jid: string): void {
    this.#chats.delete(externalId);
    this.#chats.set(externalId, jid);
    if (this.#chats.size > REMEMBERED_CHATS) {
      this.#chats.delete(this.#chats.keys().next().value!);
    }
  }

  /** The phone number Baileys' mapping store knows for a LID, if any. */
  async #phoneOfLid(lid: string): Promise<string | undefined> {
    const socket = this.#socket;
    if (!socket) return undefined;
    try {
      const pn = parseJid(await socket.signalRepository.lidMapping.getPNForLID(`${lid}@lid`));
      return pn?.kind === "pn" ? pn.user : undefined;
    } catch (error) {
      this.#ctx.log.debug("no phone number for a LID", { error: messageOf(error) });
      return undefined;
    }
  }

  /** The file of a media message, or undefined (the message still goes in) when it cannot be had. */
  async #downloadMedia(
    message: WAMessage,
    file: NonNullable<ContentParts["file"]>,
  ): Promise<MediaFile | undefined> {
    const { declaredBytes, ...kept } = file;
    const maxBytes = this.#ctx.mediaMaxBytes;
    if (declaredBytes !== undefined && declaredBytes > maxBytes) {
      this.#ctx.log.warn("WhatsApp media larger than KABAR_MEDIA_MAX_MB not kept", {
        external_id: message.key.id,
        bytes: declaredBytes,
      });
      return undefined;
    }
    try {
      const socket = this.#socket;
      if (!socket) return undefined;
      const data = await this.#download(message, socket, maxBytes);
      // The bytes say what the file is: WhatsApp's label may be wrong or missing.
      return {
        data,
        ...kept,
        mimeType: await receivedMimeType(data, kept.mimeType, kept.fileName),
      };
    } catch (error) {
      this.#ctx.log.warn("could not download WhatsApp media", {
        external_id: message.key.id,
        error: messageOf(error),
      });
      return undefined;
    }
  }

  #onMessageUpdate({ key, update }: WAMessageUpdate): void {
    if (!key.fromMe || !key.id || update.status === undefined || update.status === null) return;
    const status = RECEIPT_STATUS[update.status];
    if (!status) return;
    const receipt = {
      externalId: key.id,
      status,
      at: this.#ctx.clock.now(),
      ...(status === "failed" ? { error: failureText(update) } : {}),
    };
    this.#receipts.run(() => this.#ctx.callbacks.onReceipt(receipt), { externalId: key.id });
  }

  #onMapping({ lid, pn }: LIDMapping): void {
    const lidJid = parseJid(lid);
    const pnJid = parseJid(pn);
    if (lidJid?.kind !== "lid" || pnJid?.kind !== "pn") return;
    this.#ctx.callbacks.onLidMapping({ lid: lidJid.user, phone: pnJid.user });
  }

  /** Baileys' `getMessage`: what to send again when a recipient could not decrypt. */
  async #sentMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (!key.id) return undefined;
    try {
      const text = await this.#ctx.findSentText(key.id);
      return text === undefined ? undefined : { conversation: text };
    } catch (error) {
      this.#ctx.log.warn("could not look up a sent WhatsApp message", {
        external_id: key.id,
        error: messageOf(error),
      });
      return undefined;
    }
  }
}

/**
 * The WhatsApp adapter factory for the registry. Each adapter runs one socket
 * lifetime; the registry starts a new adapter after `onClosed`.
 */
export function whatsappAdapter(options: WhatsAppAdapterOptions = {}): AdapterFactory {
  return (context) => new WhatsAppAdapter(context, options);
}
