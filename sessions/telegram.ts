/**
 * The Telegram channel: a bot account driven through the Bot API with grammY's
 * HTTP client and an in-process long-polling loop.
 *
 * Only private chats are taken in: messages from groups, supergroups and
 * channels are skipped (and confirmed to Telegram), since Kabar answers people
 * one to one.
 */
// The `web` build is the same grammY release; it uses the platform's fetch,
// streams and AbortController instead of node-fetch and its polyfills.
import { Api, GrammyError, HttpError, InputFile } from "grammy/web";
import type { Message, Update } from "grammy/types";
import { type Clock, sleep } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import { isDiskFull } from "../db/errors.ts";
import type { ChannelStatus, StatusReason } from "../core/channel_types.ts";
import { receivedMimeType } from "../core/media_type.ts";
import type { MessageType } from "../core/message_type.ts";
import type {
  AdapterContext,
  AdapterFactory,
  ChannelAdapter,
  ChannelCallbacks,
  InboundMessage,
  OutboundMessage,
} from "./channel.ts";
import { PermanentSendError } from "./channel.ts";

/** The public Bot API server. */
export const TELEGRAM_API_ROOT = "https://api.telegram.org";

/** What a bot token looks like: the bot's numeric id, a colon, then the secret part. */
export const TELEGRAM_TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{30,}$/;

/** Tuning for the Telegram adapter; the defaults suit production. */
export interface TelegramAdapterOptions {
  /** How long one `getUpdates` request waits for news, in seconds. Default 30. */
  pollTimeoutSeconds?: number;
}

/** The longest pause between two attempts after failures, in ms. */
const MAX_BACKOFF_MS = 30_000;
/** How often a send is retried after Telegram answers 429. */
const MAX_RATE_LIMIT_RETRIES = 3;
/** A 429 asking for a longer pause than this fails the send instead of blocking it. */
const MAX_RETRY_AFTER_SECONDS = 60;
/** Attempts at a message with a file before it is taken without the file. */
const MAX_FILE_ATTEMPTS = 3;
/** How long downloading one inbound file may take, in ms. */
const DOWNLOAD_TIMEOUT_MS = 60_000;
/** How long the add-channel token check waits for Telegram, in seconds. */
const CHECK_TIMEOUT_SECONDS = 15;

// grammY's npm typings name the abort-controller polyfill's AbortSignal; the
// web build takes the platform's own at run time.
type ApiSignal = NonNullable<Parameters<Api["getMe"]>[0]>;
const apiSignal = (signal: AbortSignal) => signal as unknown as ApiSignal;

const withoutTrailingSlash = (root: string) => root.replace(/\/+$/, "");

/** The pause before attempt `failures + 1`: 1 s, 2 s, 4 s, … up to 30 s. */
const backoffMs = (failures: number) => Math.min(1000 * 2 ** (failures - 1), MAX_BACKOFF_MS);

const isRejectedToken = (err: unknown) =>
  err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404);

/** An error in words that never contain the token (grammY keeps URLs out of its messages). */
function describe(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code}: ${err.description}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Why a token check failed: its shape, Telegram's refusal, or no answer at all. */
export type TokenProblem = "format" | "rejected" | "refused" | "unreachable";

/** The answer of `checkTelegramToken`. */
export type TokenCheck =
  | { ok: true; username: string; id: number }
  | { ok: false; problem: TokenProblem; reason: string };

/**
 * Checks a bot token for the add-channel form: its shape first, then `getMe`.
 * Never throws.
 */
export async function checkTelegramToken(
  token: string,
  apiRoot: string = TELEGRAM_API_ROOT,
): Promise<TokenCheck> {
  const root = withoutTrailingSlash(apiRoot);
  if (!TELEGRAM_TOKEN_PATTERN.test(token)) {
    return {
      ok: false,
      problem: "format",
      reason: "This does not look like a bot token. @BotFather gives it in the form " +
        "123456789:AAH… (digits, a colon, then about 35 letters, digits, - or _).",
    };
  }
  const api = new Api(token, { apiRoot: root, timeoutSeconds: CHECK_TIMEOUT_SECONDS });
  try {
    const me = await api.getMe();
    return { ok: true, username: me.username, id: me.id };
  } catch (err) {
    if (isRejectedToken(err)) {
      return {
        ok: false,
        problem: "rejected",
        reason: "Telegram does not accept this bot token. Copy it again from @BotFather, " +
          "or create a new one there if it was revoked.",
      };
    }
    if (err instanceof GrammyError) {
      return {
        ok: false,
        problem: "refused",
        reason: `Telegram refused the check: ${err.description}`,
      };
    }
    return {
      ok: false,
      problem: "unreachable",
      reason: `cannot reach the Telegram Bot API at ${root}: ${
        err instanceof Error ? err.message : String(err)
      }`,
    };
  }
}

/** A file of an inbound message, before it is downloaded. */
interface InboundFileRef {
  fileId: string;
  mimeType: string;
  fileName?: string;
}

/** What Kabar keeps of a Telegram message, or `undefined` for kinds it skips. */
function readMessage(
  message: Message,
): { type: MessageType; text?: string; file?: InboundFileRef } | undefined {
  const text = message.caption;
  if (message.text !== undefined) return { type: "text", text: message.text };
  if (message.photo && message.photo.length > 0) {
    const largest = message.photo.reduce((a, b) =>
      b.width * b.height >= a.width * a.height ? b : a
    );
    // The Bot API re-encodes every photo as JPEG.
    return { type: "image", text, file: { fileId: largest.file_id, mimeType: "image/jpeg" } };
  }
  if (message.voice) {
    const { file_id, mime_type } = message.voice;
    return { type: "audio", text, file: { fileId: file_id, mimeType: mime_type ?? "audio/ogg" } };
  }
  if (message.audio) {
    const { file_id, mime_type, file_name } = message.audio;
    return {
      type: "audio",
      text,
      file: { fileId: file_id, mimeType: mime_type ?? "audio/mpeg", fileName: file_name },
    };
  }
  if (message.video) {
    const { file_id, mime_type, file_name } = message.video;
    return {
      type: "video",
      text,
      file: { fileId: file_id, mimeType: mime_type ?? "video/mp4", fileName: file_name },
    };
  }
  // An animation (GIF) also carries a `document` field, so it is matched first.
  if (message.animation) {
    const { file_id, mime_type, file_name } = message.animation;
    return {
      type: "video",
      text,
      file: { fileId: file_id, mimeType: mime_type ?? "video/mp4", fileName: file_name },
    };
  }
  if (message.video_note) {
    return { type: "video", file: { fileId: message.video_note.file_id, mimeType: "video/mp4" } };
  }
  if (message.document) {
    const { file_id, mime_type, file_name } = message.document;
    return {
      type: "document",
      text,
      file: {
        fileId: file_id,
        mimeType: mime_type ?? "application/octet-stream",
        fileName: file_name,
      },
    };
  }
  if (message.location) {
    return {
      type: "location",
      text: `${message.location.latitude},${message.location.longitude}`,
    };
  }
  return undefined;
}

function senderName(message: Message): string | undefined {
  const who = message.from;
  if (!who) return undefined;
  return [who.first_name, who.last_name].filter((part) => part).join(" ") || who.username;
}

class TelegramAdapter implements ChannelAdapter {
  readonly #token: string;
  readonly #apiRoot: string;
  readonly #pollTimeoutSeconds: number;
  readonly #api: Api;
  readonly #pollApi: Api;
  readonly #callbacks: ChannelCallbacks;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  #starting: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  #lastStatus = "";
  #offset = 0;

  constructor(context: AdapterContext, apiRoot: string, options: TelegramAdapterOptions) {
    this.#token = context.channel.secret ?? "";
    this.#apiRoot = apiRoot;
    this.#pollTimeoutSeconds = options.pollTimeoutSeconds ?? 30;
    this.#callbacks = context.callbacks;
    this.#clock = context.clock;
    this.#log = context.log;
    // Sends carry files of up to 50 MB; two minutes covers a slow uplink.
    this.#api = new Api(this.#token, { apiRoot, timeoutSeconds: 120 });
    // A poll that outlives its own timeout by this much is taken as a dead
    // connection, so the loop notices a silently dropped network.
    this.#pollApi = new Api(this.#token, {
      apiRoot,
      timeoutSeconds: this.#pollTimeoutSeconds + 20,
    });
  }

  start(): Promise<void> {
    if (this.#starting) {
      return Promise.reject(new Error("This Telegram adapter was already started"));
    }
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (!TELEGRAM_TOKEN_PATTERN.test(this.#token)) {
      this.#badToken();
      throw new Error("The Telegram channel has no valid bot token");
    }
    this.#report("connecting");
    let ready = false;
    try {
      await this.#setUp();
      ready = true;
    } catch (err) {
      if (isRejectedToken(err)) {
        this.#badToken();
        throw new Error(
          "Telegram rejected the bot token (getMe answered " +
            `${(err as GrammyError).error_code}); check it with @BotFather`,
        );
      }
      if (this.#abort.signal.aborted) return;
      // A network problem at start is retried by the loop like any other.
      this.#log.warn("Telegram is not reachable; retrying", { error: describe(err) });
      this.#report("error", "unreachable");
    }
    if (this.#abort.signal.aborted) return;
    this.#loop = this.#run(ready);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#starting?.catch(() => {});
    await this.#loop;
  }

  /**
   * A bot has no device session to end. The Bot API's `logOut` is not called:
   * it moves the bot off the cloud server and blocks it there for ten minutes.
   */
  logout(): Promise<void> {
    return this.stop();
  }

  async send(message: OutboundMessage): Promise<{ externalId: string }> {
    for (let attempt = 0;; attempt++) {
      try {
        const sent = await this.#sendOnce(message);
        return { externalId: `${sent.chat.id}:${sent.message_id}` };
      } catch (err) {
        if (err instanceof GrammyError) {
          const retryAfter = err.parameters.retry_after;
          if (
            err.error_code === 429 && retryAfter !== undefined &&
            retryAfter <= MAX_RETRY_AFTER_SECONDS && attempt < MAX_RATE_LIMIT_RETRIES
          ) {
            this.#log.info("Telegram asks to slow down; waiting", { retry_after: retryAfter });
            await sleep(this.#clock, retryAfter * 1000, this.#abort.signal);
            if (this.#abort.signal.aborted) {
              throw new Error("The Telegram channel stopped before the message was sent");
            }
            continue;
          }
          const refusal = `Telegram refused the message: ${err.description}`;
          // 400 (no such chat, bad content) and 403 (the person blocked the bot) will not change.
          if (err.error_code === 400 || err.error_code === 403) {
            throw new PermanentSendError(refusal);
          }
          throw new Error(refusal);
        }
        if (err instanceof HttpError) {
          throw new Error(`Could not reach the Telegram Bot API at ${this.#apiRoot}`);
        }
        throw err;
      }
    }
  }

  #sendOnce(message: OutboundMessage): Promise<Message> {
    const { to, type, text, media } = message;
    if (type === "text") return this.#api.sendMessage(to, text ?? "");
    if (!media) throw new Error(`A Telegram ${type} message needs a file`);
    // A fresh InputFile per attempt: grammY marks some sources as used once sent.
    const file = new InputFile(media.data, media.fileName);
    const other = text === undefined || text === "" ? {} : { caption: text };
    switch (type) {
      case "image":
        return this.#api.sendPhoto(to, file, other);
      case "document":
        return this.#api.sendDocument(to, file, other);
      case "audio":
        // OGG (Opus) is what Telegram shows as a voice note.
        return media.mimeType.startsWith("audio/ogg")
          ? this.#api.sendVoice(to, file, other)
          : this.#api.sendAudio(to, file, other);
      case "video":
        return this.#api.sendVideo(to, file, other);
    }
  }

  async #setUp(): Promise<void> {
    const signal = apiSignal(this.#abort.signal);
    const me = await this.#api.getMe(signal);
    this.#callbacks.onIdentity({ botUsername: me.username });
    // getUpdates answers 409 while a webhook is set.
    await this.#api.deleteWebhook({}, signal);
  }

  async #run(ready: boolean): Promise<void> {
    const signal = this.#abort.signal;
    let pollFailures = ready ? 0 : 1;
    let inboundFailures = 0;
    /** Attempts refused by a full disk: they wait for room, and never cost a message its file. */
    let storeFailures = 0;
    let waitMs = ready ? 0 : backoffMs(1);
    // A first poll that answers at once shows promptly that polling works.
    let quick = true;
    while (!signal.aborted) {
      if (waitMs > 0) {
        await sleep(this.#clock, waitMs, signal);
        if (signal.aborted) break;
        waitMs = 0;
      }
      let updates: Update[];
      try {
        if (!ready) {
          await this.#setUp();
          ready = true;
        }
        updates = await this.#pollApi.getUpdates(
          {
            offset: this.#offset,
            timeout: quick ? 0 : this.#pollTimeoutSeconds,
            allowed_updates: ["message"],
          },
          apiSignal(signal),
        );
      } catch (err) {
        if (signal.aborted) break;
        if (isRejectedToken(err)) {
          this.#log.error("Telegram rejected the bot token", { error: describe(err) });
          this.#badToken();
          return;
        }
        quick = true;
        pollFailures++;
        waitMs = backoffMs(pollFailures);
        if (err instanceof GrammyError && err.error_code === 429) {
          waitMs = (err.parameters.retry_after ?? 1) * 1000;
        } else if (err instanceof GrammyError && err.error_code === 409) {
          if (/webhook/i.test(err.description)) {
            ready = false;
          } else {
            this.#log.warn("another program is polling this bot", { error: describe(err) });
            this.#report("error", "replaced");
          }
        } else {
          // One line when polling starts failing, not one per attempt.
          const log = this.#lastStatus === "error/unreachable" ? this.#log.debug : this.#log.warn;
          log.call(this.#log, "cannot poll Telegram; retrying", {
            error: describe(err),
            retryInMs: waitMs,
          });
          this.#report("error", "unreachable");
        }
        continue;
      }
      if (signal.aborted) break;
      pollFailures = 0;
      quick = false;
      this.#report("connected");
      for (const update of updates) {
        try {
          // A file that keeps failing must not hold up every later message.
          await this.#take(update, signal, inboundFailures >= MAX_FILE_ATTEMPTS);
        } catch (err) {
          if (signal.aborted) return;
          if (isDiskFull(err)) {
            storeFailures++;
            waitMs = backoffMs(storeFailures);
            // The outage is logged once where writes fail; one line here when it starts.
            const log = storeFailures === 1 ? this.#log.warn : this.#log.debug;
            log.call(this.#log, "cannot store Telegram messages: the disk is full; waiting", {
              updateId: update.update_id,
              retryInMs: waitMs,
            });
          } else {
            inboundFailures++;
            waitMs = backoffMs(inboundFailures);
            this.#log.error("could not take in a Telegram message; retrying", {
              update_id: update.update_id,
              error: describe(err),
              retry_in_ms: waitMs,
            });
          }
          // The offset stays put, so the next poll brings this update again.
          quick = true;
          break;
        }
        inboundFailures = 0;
        storeFailures = 0;
        this.#offset = update.update_id + 1;
        if (signal.aborted) return;
      }
    }
  }

  /** Hands one update to the registry; throws when it should be tried again. */
  async #take(update: Update, signal: AbortSignal, withoutFile: boolean): Promise<void> {
    const message = update.message;
    if (!message) return;
    if (message.chat.type !== "private") {
      this.#log.debug("skipping a message from a non-private chat", {
        update_id: update.update_id,
        chat_type: message.chat.type,
      });
      return;
    }
    const content = readMessage(message);
    if (!content) {
      this.#log.debug("skipping a Telegram message of an unsupported kind", {
        update_id: update.update_id,
      });
      return;
    }
    const inbound: InboundMessage = {
      externalId: `${message.chat.id}:${message.message_id}`,
      from: { telegramChatId: String(message.chat.id), pushName: senderName(message) },
      type: content.type,
      at: message.date * 1000,
    };
    if (content.text !== undefined) inbound.text = content.text;
    if (content.file && withoutFile) {
      this.#log.warn("keeping a Telegram message without its file after repeated failures", {
        update_id: update.update_id,
      });
    } else if (content.file) {
      const data = await this.#download(content.file.fileId, signal);
      if (data) {
        // The bytes say what the file is: Telegram's label may be wrong or missing.
        const { mimeType, fileName } = content.file;
        inbound.media = { data, mimeType: await receivedMimeType(data, mimeType, fileName) };
        if (content.file.fileName) inbound.media.fileName = content.file.fileName;
      }
    }
    await this.#callbacks.onInbound(inbound);
  }

  /**
   * The bytes of an inbound file, or `undefined` when Telegram will not hand it
   * out (larger than the Bot API's 20 MB download limit): the message is then
   * kept without its file rather than retried forever.
   */
  async #download(fileId: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
    let path: string | undefined;
    try {
      path = (await this.#api.getFile(fileId, apiSignal(signal))).file_path;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400) {
        this.#log.warn("Telegram will not hand out a file; keeping the message without it", {
          error: describe(err),
        });
        return undefined;
      }
      throw err;
    }
    if (!path) return undefined;
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal.addEventListener("abort", abort, { once: true });
    const cancelTimer = this.#clock.setTimer(DOWNLOAD_TIMEOUT_MS, abort);
    try {
      let response: Response;
      try {
        response = await fetch(`${this.#apiRoot}/file/bot${this.#token}/${path}`, {
          signal: controller.signal,
        });
      } catch {
        // fetch's own message names the URL, which holds the token.
        throw new Error("could not download a file from Telegram");
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`could not download a file from Telegram (HTTP ${response.status})`);
      }
      return new Uint8Array(await response.arrayBuffer());
    } finally {
      cancelTimer();
      signal.removeEventListener("abort", abort);
    }
  }

  #badToken(): void {
    this.#report("error", "bad_token");
    this.#callbacks.onClosed("never");
  }

  /** Reports a status once, not again until it changes. */
  #report(status: ChannelStatus, reason?: StatusReason): void {
    const key = `${status}/${reason ?? ""}`;
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.#callbacks.onStatus(status, reason);
  }
}

/**
 * The Telegram adapter factory. The channel's `secret` is the bot token;
 * `apiRoot` points at another Bot API server (a local one, or a test fake).
 */
export function telegramAdapter(
  apiRoot: string = TELEGRAM_API_ROOT,
  options: TelegramAdapterOptions = {},
): AdapterFactory {
  const root = withoutTrailingSlash(apiRoot);
  return (context) => new TelegramAdapter(context, root, options);
}
