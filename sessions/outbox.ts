/**
 * The dispatcher: one loop per channel this process runs, taking queued
 * messages in priority order, pacing them, sending them through the
 * channel's adapter and recording the outcome. A channel that is not
 * connected holds its queue; nothing is dropped.
 */
import { BROADCAST_PRIORITY } from "../core/priority.ts";
import { type Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { Metrics } from "../core/metrics.ts";
import { localDay } from "../core/local_day.ts";
import { gapAfter, type Pacing, pacingFor, retryDelay, warmupEnd } from "../core/pacing.ts";
import { getChannel, parseChannelOptions } from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import { contactAddresses } from "../db/contacts.ts";
import { OPTED_OUT } from "../db/broadcasts.ts";
import { optedOutAmong } from "../db/opt_outs.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { loadMedia } from "../db/media.ts";
import {
  claimMessages,
  countSentSince,
  failedStatements,
  hasQueuedFrom,
  type Message,
  nextDueAt,
  recoverSending,
  retryStatements,
  sentStatements,
} from "../db/outbox.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import { type OutboundMessage, PermanentSendError } from "./channel.ts";
import type { EventBus } from "./events.ts";
import type { ChannelRegistry } from "./registry.ts";
import { WakeLoop } from "./wake_loop.ts";

export interface OutboxDeps {
  db: Db;
  writer: GroupCommit;
  clock: Clock;
  log: Logger;
  events: EventBus;
  registry: ChannelRegistry;
  dataDir: string;
  metrics?: Metrics;
  /** The time zone whose midnight starts a new day for daily caps. */
  timeZone: string;
  /** Random numbers in [0, 1) for jitter; replaceable in tests. */
  random?: () => number;
  /**
   * Each channel's loop looks at its queue at least this often while idle,
   * for messages another process queued without being heard (`kabar serve`: 30 s).
   */
  idleCheckMs?: number;
}

/** How many messages one claim takes when a channel sends without pauses. */
const UNPACED_BATCH = 128;
/** Buckets (seconds) of `kabar_send_seconds`. */
export const SEND_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Runs the dispatch loops. One per process. */
export class Outbox {
  #loops = new Map<number, ChannelLoop>();
  #unsubscribe?: () => void;
  #stopped = false;

  constructor(private readonly deps: OutboxDeps) {}

  /**
   * Starts listening: a newly queued message, or any change of a channel's
   * status, wakes its loop (a channel that has just started, connected or
   * not, first settles what a restart left in `sending`).
   */
  start(): void {
    this.#unsubscribe = this.deps.events.subscribe((event) => {
      if (event.type === "channel.status" || event.type === "message.queued") {
        this.wake(event.channelId);
      }
    });
  }

  /** Makes the channel's loop look at its queue now. */
  wake(channelId: number): void {
    if (this.#stopped) return;
    let loop = this.#loops.get(channelId);
    if (!loop) {
      loop = new ChannelLoop(channelId, this.deps);
      this.#loops.set(channelId, loop);
    }
    loop.kick();
  }

  /** Stops every loop; sends in flight finish and are recorded first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    await Promise.all([...this.#loops.values()].map((loop) => loop.stop()));
  }
}

class ChannelLoop {
  readonly #loop: WakeLoop;
  #stopped = false;
  #recovered = false;
  /** No send before this time (pacing). */
  #nextSendAt = 0;
  readonly #random: () => number;

  constructor(private readonly channelId: number, private readonly deps: OutboxDeps) {
    this.#random = deps.random ?? Math.random;
    this.#loop = new WakeLoop({
      clock: deps.clock,
      log: deps.log,
      failure: "outbox loop failed",
      fields: { channelId },
      pass: () => this.#drain(),
      idleCheckMs: deps.idleCheckMs,
    });
  }

  kick(): void {
    this.#loop.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop.stop();
  }

  /** Sends what is due; answers when to look again by itself. */
  async #drain(): Promise<number | undefined> {
    const { db, clock, registry, writer } = this.deps;
    while (!this.#stopped) {
      // Only the process running the channel has its adapter, and only it may touch `sending`.
      const adapter = registry.adapter(this.channelId);
      if (!adapter) return;
      const channel = await getChannel(db, this.channelId);
      if (!channel) return;
      if (!this.#recovered) {
        const { requeued, failed } = await recoverSending(db, clock, channel.id, channel.kind);
        if (requeued || failed) {
          this.deps.log.info("messages left sending by a restart", {
            channel_id: channel.id,
            requeued,
            failed,
          });
        }
        this.#recovered = true;
      }
      if (registry.live(this.channelId)?.status !== "connected") return;
      const now = clock.now();
      if (now < this.#nextSendAt) return this.#nextSendAt;
      const pacing = pacingFor(channel.kind, parseChannelOptions(channel.options));
      let limit = pacing.gapMs === 0 && pacing.broadcastGapMs === 0 ? UNPACED_BATCH : 1;
      if (pacing.dailyCap > 0) {
        const day = localDay(now, this.deps.timeZone);
        const left = pacing.dailyCap - await countSentSince(db, channel.id, day.start);
        if (left <= 0) return day.end;
        limit = Math.min(limit, left);
      }
      const warmupEnds = warmupEnd(pacing, channel.pairedAt);
      const maxPriority = now < warmupEnds ? BROADCAST_PRIORITY - 1 : undefined;
      const batch = await claimMessages(writer, clock, channel.id, limit, maxPriority);
      if (batch.length === 0) {
        // Nothing due now: wake for the next retry that may go, or for the end of the warm-up.
        const due = await nextDueAt(db, channel.id, maxPriority);
        const held = maxPriority !== undefined &&
          await hasQueuedFrom(db, channel.id, BROADCAST_PRIORITY);
        const at = Math.min(due ?? Infinity, held ? warmupEnds : Infinity);
        return at === Infinity ? undefined : at;
      }
      await this.#send(batch, channel.kind, pacing, adapter);
      const last = batch[batch.length - 1];
      this.#nextSendAt = clock.now() +
        gapAfter(pacing, last.priority >= BROADCAST_PRIORITY, this.#random());
    }
  }

  async #send(
    batch: Message[],
    kind: ChannelKind,
    pacing: Pacing,
    adapter: NonNullable<ReturnType<ChannelRegistry["adapter"]>>,
  ): Promise<void> {
    const { db, clock, writer, events } = this.deps;
    const addresses = await contactAddresses(db, batch.map((m) => m.contactId));
    // A broadcast message is not sent to a number that opted out since it was queued.
    const optedOut = await optedOutAmong(
      db,
      batch.flatMap((m) => {
        const phone = addresses.get(m.contactId)?.phone;
        return m.broadcastId !== null && phone ? [phone] : [];
      }),
    );
    await Promise.all(batch.map(async (message) => {
      let statements;
      let status: "sent" | "failed" | "retry";
      try {
        const address = addresses.get(message.contactId);
        if (message.broadcastId !== null && optedOut.has(address?.phone ?? "")) {
          throw new UnsendableError(OPTED_OUT);
        }
        const outbound = await this.#outbound(message, kind, address);
        const started = performance.now();
        const { externalId } = await adapter.send(outbound);
        this.deps.metrics?.observe(
          "kabar_send_seconds",
          "Time the channel took to accept a message.",
          { channel: String(message.channelId) },
          (performance.now() - started) / 1000,
          SEND_BUCKETS,
        );
        statements = sentStatements(message.id, externalId, clock.now());
        status = "sent";
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        const final = e instanceof PermanentSendError || e instanceof UnsendableError ||
          message.attempts >= pacing.maxAttempts;
        statements = final ? failedStatements(message.id, reason, clock.now()) : retryStatements(
          message.id,
          reason,
          clock.now() + retryDelay(pacing, message.attempts),
          clock.now(),
        );
        status = final ? "failed" : "retry";
        this.deps.log.warn("send failed", {
          channel_id: message.channelId,
          message_id: message.id,
          attempt: message.attempts,
          final,
          error: reason,
        });
      }
      // The send has happened: its record is kept until stored, however long the disk is full.
      await writer.writeKept("an outbox status", statements, `message:${message.id}`);
      const labels = { channel: String(message.channelId) };
      if (status === "sent") {
        this.deps.metrics?.inc("kabar_messages_sent_total", "Messages a channel accepted.", labels);
      } else {
        this.deps.metrics?.inc("kabar_send_failures_total", "Failed send attempts.", {
          ...labels,
          final: String(status === "failed"),
        });
      }
      if (status !== "retry") {
        events.publish({
          type: "message.status",
          channelId: message.channelId,
          messageId: message.id,
          status,
        });
      }
    }));
  }

  async #outbound(
    message: Message,
    kind: ChannelKind,
    address: { phone: string | null; telegramChatId: string | null } | undefined,
  ): Promise<OutboundMessage> {
    const to = kind === "telegram" ? address?.telegramChatId : address?.phone;
    if (!to) {
      throw new UnsendableError(
        kind === "telegram"
          ? "The contact has no Telegram chat with this bot"
          : "The contact has no phone number",
      );
    }
    const outbound: OutboundMessage = {
      to,
      type: message.type === "location" ? "text" : message.type,
      text: message.body ?? undefined,
      externalId: message.externalId ?? undefined,
    };
    if (message.mediaId) {
      const file = await loadMedia(this.deps.db, this.deps.dataDir, message.mediaId);
      if (!file) {
        throw new UnsendableError(`The file ${message.mediaId} is missing from the media store`);
      }
      outbound.media = {
        data: file.data,
        mimeType: file.mimeType,
        fileName: file.fileName ?? undefined,
      };
    }
    return outbound;
  }
}

/** A message that can never be sent as it is (no address, missing file). */
class UnsendableError extends Error {}
