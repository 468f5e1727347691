/**
 * The event bus: channel states, QR codes and messages, published by the
 * workers and services and fed to the pages over SSE and to the workers.
 * Shared (`share`), it also hears what other Kabar processes on the same
 * database publish, through the event log, within about half a second.
 */
import { type Clock, systemClock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { appendEvents, eventsAfter, lastEventId, pruneEvents } from "../db/event_log.ts";
import type { ChannelStatus, StatusReason } from "../core/channel_types.ts";

/** Everything published on the bus. */
export type KabarEvent =
  | {
    type: "channel.status";
    channelId: number;
    status: ChannelStatus;
    reason: StatusReason | null;
  }
  | { type: "channel.qr"; channelId: number; qr: string; expiresAt: number }
  | { type: "channel.pairing_code"; channelId: number; code: string }
  | { type: "channel.changed"; channelId: number }
  | { type: "conversation.changed"; channelId: number; conversationId: number }
  /** A label was renamed, recoloured or deleted: every conversation carrying it looks different. */
  | { type: "conversation.labels"; labelId: number }
  | {
    type: "message.inbound";
    channelId: number;
    conversationId: number;
    messageId: number;
    /** A new conversation, or a resolved one reopened. */
    opened?: boolean;
  }
  | { type: "message.status"; channelId: number; messageId: number; status: string }
  | { type: "message.queued"; channelId: number; conversationId: number; messageId: number }
  /** A broadcast changed status or made progress. */
  | { type: "broadcast.changed"; channelId: number; broadcastId: number }
  /** Staff named in a note (`by`: who wrote it), told on the pages they have open. */
  | {
    type: "staff.mentioned";
    channelId: number;
    conversationId: number;
    userIds: number[];
    by: string;
  }
  /** A conversation given to a staff member by someone else. */
  | {
    type: "staff.assigned";
    channelId: number;
    conversationId: number;
    userId: number;
    by: string;
  }
  /** Who has a conversation open, and who is typing in it; a page says so every few seconds. */
  | {
    type: "conversation.presence";
    conversationId: number;
    userId: number;
    name: string;
    typing: boolean;
    /** Gone: the page was closed. */
    left?: boolean;
  };

export type KabarEventListener = (event: KabarEvent) => void;

/** How the bus shares events with the other processes on the database. */
export interface SharedBusOptions {
  db: Db;
  /** Writes the log in the same commits as the other writes. */
  writer: GroupCommit;
  log: Logger;
  /** This process, distinct from every other one sharing the database. */
  origin: string;
  /** Real time by default: how often the log is read is not a matter of the domain's clock. */
  clock?: Clock;
  /** How often the log is read for other processes' events. */
  pollMs?: number;
}

/**
 * Shown only by the process that runs the channel, and pairing codes are not
 * written to the database: these stay in the process.
 */
const PROCESS_ONLY = new Set<KabarEvent["type"]>(["channel.qr", "channel.pairing_code"]);
/** Events published close together are written to the log in one statement, this soon. */
const FLUSH_MS = 50;
const POLL_MS = 500;
/** Rows per statement when writing, and per read. */
const LOG_BATCH = 500;
/** An event stays in the log this long: any running process reads it within a second. */
const KEEP_MS = 2 * 60_000;
const PRUNE_EVERY_MS = 30_000;

/** Publish/subscribe for KabarEvents. A failing listener never stops the others. */
export class EventBus {
  #listeners = new Set<KabarEventListener>();
  #closing = new AbortController();
  #shared?: SharedLog;

  /** Aborts when Kabar shuts down, so open streams (SSE) end and let the server stop. */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  /** Ends every open stream; called once at shutdown. */
  close(): void {
    this.#closing.abort();
  }

  /**
   * From now on, writes what is published here to the event log and
   * publishes what other processes write there. Answers once listening.
   */
  async share(options: SharedBusOptions): Promise<void> {
    if (this.#shared || this.#closing.signal.aborted) return;
    this.#shared = new SharedLog(options, (event) => this.#deliver(event));
    await this.#shared.start();
  }

  /** Stops reading the log and writes what is left to it: at shutdown, after the workers. */
  async finish(): Promise<void> {
    await this.#shared?.stop();
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: KabarEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: KabarEvent): void {
    this.#deliver(event);
    if (!PROCESS_ONLY.has(event.type)) this.#shared?.append(event);
  }

  #deliver(event: KabarEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener (an SSE stream that closed) must not break publishing.
      }
    }
  }

  /** Listeners now attached (open pages). */
  get size(): number {
    return this.#listeners.size;
  }
}

/** The bus's side of the event log: what it writes, and what it reads from the others. */
class SharedLog {
  readonly #clock: Clock;
  readonly #pollMs: number;
  #pending: string[] = [];
  #flushing?: Promise<void | undefined>;
  #cancelFlush?: () => void;
  #cancelPoll?: () => void;
  #polling?: Promise<void>;
  #lastId = 0;
  #prunedAt = 0;
  #stopped = false;

  constructor(
    private readonly options: SharedBusOptions,
    private readonly deliver: (event: KabarEvent) => void,
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#pollMs = options.pollMs ?? POLL_MS;
  }

  async start(): Promise<void> {
    this.#lastId = await lastEventId(this.options.db);
    this.#schedulePoll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelPoll?.();
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    await this.#polling;
    await this.flush();
  }

  append(event: KabarEvent): void {
    this.#pending.push(JSON.stringify(event));
    if (this.#stopped) return;
    this.#cancelFlush ??= this.#clock.setTimer(FLUSH_MS, () => {
      this.#cancelFlush = undefined;
      void this.flush();
    });
  }

  /** Writes what is pending, after any write still running, so the log keeps publishing order. */
  flush(): Promise<void> {
    const events = this.#pending;
    this.#pending = [];
    const previous = this.#flushing ?? Promise.resolve();
    this.#flushing = previous.then(() => events.length ? this.#write(events) : undefined);
    return this.#flushing;
  }

  async #write(events: string[]): Promise<void> {
    const { writer, origin, log } = this.options;
    try {
      for (let i = 0; i < events.length; i += LOG_BATCH) {
        await appendEvents(writer, origin, this.#clock.now(), events.slice(i, i + LOG_BATCH));
      }
    } catch (e) {
      // Live updates only: the other processes' pages miss these, their workers look again later.
      log.debug("live events not shared", { events: events.length, error: String(e) });
    }
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#cancelPoll = this.#clock.setTimer(this.#pollMs, () => {
      this.#cancelPoll = undefined;
      this.#polling = this.#poll().finally(() => this.#schedulePoll());
    });
  }

  async #poll(): Promise<void> {
    const { db, origin, log } = this.options;
    try {
      for (;;) {
        const { events, lastId, more } = await eventsAfter(db, this.#lastId, origin, LOG_BATCH);
        this.#lastId = lastId;
        for (const { id, event } of events) {
          let parsed: KabarEvent;
          try {
            parsed = JSON.parse(event);
          } catch {
            log.warn("an unreadable event in the event log was skipped", { id });
            continue;
          }
          this.deliver(parsed);
        }
        if (!more) break;
      }
      const now = this.#clock.now();
      if (now - this.#prunedAt >= PRUNE_EVERY_MS) {
        this.#prunedAt = now;
        await pruneEvents(db, now - KEEP_MS);
      }
    } catch (e) {
      log.debug("other processes' events not read", { error: String(e) });
    }
  }
}
