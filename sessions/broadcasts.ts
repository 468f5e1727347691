/**
 * The broadcast runner: starts scheduled broadcasts when their time comes,
 * queues a running broadcast's rows into the outbox a little ahead of its
 * sending (where its pace, warm-up and daily cap apply, behind replies and
 * API messages), holds its messages outside its sending window, stops it at
 * its stop-after time, and finishes it when every message has left the
 * outbox. Everything it decides is read
 * again from the database on each pass, so after a crash or restart it goes
 * on where it stopped.
 */
import { SYSTEM_ACTOR } from "../db/audit_log.ts";
import {
  type Broadcast,
  broadcastEventStatement,
  broadcastsIn,
  hasPending,
  holdQueued,
  isDrained,
  queueRows,
  readRowsToQueue,
  stepBroadcast,
  waitingInOutbox,
  windowOf,
} from "../db/broadcasts.ts";
import { getChannel, parseChannelOptions } from "../db/channels.ts";
import { localDay } from "../core/local_day.ts";
import { pacingFor, warmupEnd } from "../core/pacing.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import { mediaMessageTypeOf } from "../core/media_type.ts";
import { windowAt } from "../core/send_window.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { getMedia } from "../db/media.ts";
import type { EventBus } from "./events.ts";
import { RETRY_AFTER_FAILURE_MS, WakeLoop } from "./wake_loop.ts";
import { isDiskFull } from "../db/errors.ts";

/**
 * Rows queued per transaction. Each is written when the writer is idle
 * (`writeWhenIdle`), so a reply or an API message waits at most for one.
 */
export const QUEUE_BATCH = 300;

/**
 * A running broadcast keeps this many of its messages waiting in the outbox,
 * and queues its next rows a batch at a time as they leave: its list is its
 * queue (each row committed, in order), and its messages, contacts and
 * conversations are written as their turn nears. So starting 100,000 costs
 * the writer no more than starting 600.
 */
export const QUEUE_AHEAD = 600;

/** A broadcast's `broadcast.progress` webhook event comes at most this often. */
export const PROGRESS_EVERY_MS = 5_000;

export interface BroadcastRunnerDeps {
  db: Db;
  writer: GroupCommit;
  clock: Clock;
  log: Logger;
  events: EventBus;
  timeZone: string;
  /** Tells the outbox a channel has messages to look at now. */
  wakeOutbox: (channelId: number) => void;
  idleCheckMs?: number;
  /** Messages a running broadcast keeps waiting in the outbox (`QUEUE_AHEAD`). */
  queueAhead?: number;
}

export class BroadcastRunner {
  readonly #loop: WakeLoop;
  #unsubscribe?: () => void;
  /** The running broadcasts of each channel: a message status there may move or finish one. */
  #running = new Map<number, number[]>();
  /** Broadcasts whose messages moved since their last progress event. */
  #moved = new Set<number>();
  /** When each broadcast's last progress event was written. */
  #progressAt = new Map<number, number>();
  /**
   * Each broadcast's last hold: until its window's next opening, as the
   * broadcast stood then (a step since, such as a resume, calls for another).
   */
  #held = new Map<number, string>();
  /**
   * What time alone changes about what holds each running broadcast, as it
   * stood at its last pass: its window open or not, a warm-up on or not, the
   * day (for a daily limit).
   */
  #holds = new Map<number, string>();

  constructor(private readonly deps: BroadcastRunnerDeps) {
    this.#loop = new WakeLoop({
      clock: deps.clock,
      log: deps.log,
      failure: "broadcast runner failed",
      pass: () => this.#pass(),
      idleCheckMs: deps.idleCheckMs,
    });
  }

  start(): void {
    this.#unsubscribe = this.deps.events.subscribe((event) => {
      if (
        event.type === "message.status" && this.#running.has(event.channelId) &&
        event.status !== "sending"
      ) {
        for (const id of this.#running.get(event.channelId)!) this.#moved.add(id);
        this.wake();
      }
      // A channel deleted under a running broadcast cancels it.
      if (event.type === "channel.changed" && this.#running.has(event.channelId)) this.wake();
    });
    this.wake();
  }

  /** Looks at every broadcast now (after a step, or a message of one left the outbox). */
  wake(): void {
    this.#loop.wake();
  }

  /** Answers once what the last wake asked for is done (its timers set). */
  settled(): Promise<void> {
    return this.#loop.settled();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#stopping = true;
    await this.#loop.stop();
  }

  /** Set by `stop`: a pass queueing rows ends after the transaction it is in. */
  #stopping = false;

  /** One look at every scheduled and running broadcast; answers when to look again. */
  async #pass(): Promise<number | undefined> {
    const { db, clock } = this.deps;
    let next = Infinity;
    for (const broadcast of await broadcastsIn(db, ["scheduled"])) {
      if (broadcast.scheduledAt !== null && broadcast.scheduledAt > clock.now()) {
        next = Math.min(next, broadcast.scheduledAt);
        continue;
      }
      await this.#step(broadcast, "start");
    }
    const running = await broadcastsIn(db, ["running"]);
    const runningIds = new Set(running.map((b) => b.id));
    for (const known of [this.#holds, this.#held]) {
      for (const id of known.keys()) if (!runningIds.has(id)) known.delete(id);
    }
    this.#running = new Map();
    for (const b of running) {
      this.#running.set(b.channelId, [...this.#running.get(b.channelId) ?? [], b.id]);
    }
    for (const broadcast of running) {
      try {
        next = Math.min(next, await this.#run(broadcast));
      } catch (e) {
        // One broadcast that cannot go on holds up no other: it is looked at again later.
        if (isDiskFull(e)) throw e;
        this.deps.log.error("broadcast could not go on", { broadcast_id: broadcast.id, error: e });
        next = Math.min(next, clock.now() + RETRY_AFTER_FAILURE_MS);
      }
    }
    return next === Infinity ? undefined : next;
  }

  /** Takes a running broadcast as far as it can go now; answers when it next needs a look. */
  async #run(broadcast: Broadcast): Promise<number> {
    const { db, writer, clock, timeZone } = this.deps;
    const now = clock.now();
    if (broadcast.stopAfter !== null && now >= broadcast.stopAfter) {
      // Finishing withdraws what still waits.
      this.deps.log.info("broadcast stopped at its stop-after time", {
        broadcast_id: broadcast.id,
      });
      await this.#step(broadcast, "finish");
      return Infinity;
    }
    const channel = await getChannel(db, broadcast.channelId);
    if (!channel) {
      await this.#step(broadcast, "cancel");
      return Infinity;
    }
    const window = windowAt(windowOf(broadcast), now, timeZone);
    // Its page says what holds it: tell the page when that changes, by time alone.
    const pacing = pacingFor(channel.kind, parseChannelOptions(channel.options));
    const warmupEnds = warmupEnd(pacing, channel.pairedAt);
    const dayEnds = pacing.dailyCap > 0 ? localDay(now, timeZone).end : Infinity;
    const holds = `${window.open}|${now < warmupEnds}|${dayEnds}`;
    const held = this.#holds.get(broadcast.id);
    this.#holds.set(broadcast.id, holds);
    if (held !== undefined && held !== holds) this.#changed(broadcast);
    const notBefore = window.open ? undefined : window.changesAt;
    const queued = await this.#queueNext(broadcast, channel.kind, notBefore);
    // Once per closing of its window (and after a restart): what was queued while it was open
    // waits for the next opening; rows queued since are held as they are queued.
    const hold = `${notBefore}@${broadcast.updatedAt}`;
    if (notBefore !== undefined && this.#held.get(broadcast.id) !== hold) {
      await holdQueued(writer, broadcast.id, notBefore);
      this.#held.set(broadcast.id, hold);
    }
    if (queued > 0) {
      this.deps.wakeOutbox(broadcast.channelId);
      this.#changed(broadcast);
    }
    if (await isDrained(db, broadcast)) {
      await this.#step(broadcast, "finish");
      this.#progressAt.delete(broadcast.id);
      this.#moved.delete(broadcast.id);
      return Infinity;
    }
    const nextProgress = await this.#progress(broadcast, queued > 0);
    return Math.min(
      window.changesAt ?? Infinity,
      broadcast.stopAfter ?? Infinity,
      nextProgress,
      warmupEnds > now ? warmupEnds : Infinity,
      dayEnds,
    );
  }

  /**
   * Queues the broadcast's next waiting rows, a batch at a time, until
   * `queueAhead` of its messages wait in the outbox (the rows whose number
   * opted out meanwhile left out); answers how many were queued. A broadcast
   * with no row waiting (once all are queued) costs one read.
   */
  async #queueNext(
    broadcast: Broadcast,
    kind: ChannelKind,
    notBefore: number | undefined,
  ): Promise<number> {
    const { db, writer, clock } = this.deps;
    if (!await hasPending(db, broadcast.id)) return 0;
    const ahead = this.deps.queueAhead ?? QUEUE_AHEAD;
    // Topped up in batches, each once half of what it keeps ahead has left.
    const batch = Math.min(QUEUE_BATCH, Math.ceil(ahead / 2));
    const room = async () => ahead - await waitingInOutbox(db, broadcast);
    // At most one top-up a pass, even while the channel sends as fast as rows are queued: the
    // next broadcast on the channel gets its turn in the same pass.
    let left = await room();
    if (left < batch) return 0;
    const mediaType = broadcast.mediaId
      ? mediaMessageTypeOf((await getMedia(db, broadcast.mediaId))?.mimeType ?? "")
      : undefined;
    let queued = 0;
    for (let after = 0; !this.#stopping;) {
      // None read: all queued, or the broadcast is no longer running.
      const rows = await readRowsToQueue(db, broadcast, kind, { after, limit: batch });
      if (rows.length === 0) break;
      const done = await queueRows(db, writer, clock, broadcast, kind, rows, {
        notBefore,
        mediaType,
      });
      // None taken: another Kabar process on this database took them first, and goes on.
      if (done.queued + done.optedOut === 0) break;
      after = rows[rows.length - 1].id;
      queued += done.queued;
      left = Math.min(left - done.queued, await room());
      if (left < batch) break;
    }
    return queued;
  }

  /**
   * Writes a `broadcast.progress` event when something moved, at most every
   * PROGRESS_EVERY_MS; answers when to look again for one held back.
   */
  async #progress(broadcast: Broadcast, queued: boolean): Promise<number> {
    const { writer, clock } = this.deps;
    if (!queued && !this.#moved.has(broadcast.id)) return Infinity;
    const now = clock.now();
    const due = (this.#progressAt.get(broadcast.id) ?? -Infinity) + PROGRESS_EVERY_MS;
    if (now < due) return due;
    this.#moved.delete(broadcast.id);
    await writer.write([broadcastEventStatement("broadcast.progress", broadcast.id, now)]);
    this.#progressAt.set(broadcast.id, now);
    this.#changed(broadcast);
    return Infinity;
  }

  async #step(broadcast: Broadcast, action: "start" | "finish" | "cancel"): Promise<void> {
    const { db, writer, clock } = this.deps;
    try {
      await stepBroadcast(db, writer, clock, SYSTEM_ACTOR, broadcast.id, action);
    } catch (e) {
      // Someone else took it a step at the same moment (paused, cancelled): theirs stands.
      if (e instanceof Error && (e as { status?: number }).status === 409) return;
      throw e;
    }
    this.deps.log.info(`broadcast ${action === "start" ? "started" : `${action}ed`}`, {
      broadcast_id: broadcast.id,
    });
    this.#changed(broadcast);
    if (action === "start") this.wake();
  }

  #changed(broadcast: Broadcast): void {
    this.deps.events.publish({
      type: "broadcast.changed",
      channelId: broadcast.channelId,
      broadcastId: broadcast.id,
    });
  }
}
