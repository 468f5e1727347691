/**
 * Broadcasts, as the pages and the API drive them: a draft from a list of
 * rows, its review (counts, progress, how long it will take), and each step
 * with what goes with it — a pause holds the messages waiting in the outbox,
 * a resume lets them go, a cancel withdraws them — told to the runner, the
 * outbox and the live pages.
 */
import type { BroadcastAction } from "../core/broadcast_status.ts";
import { estimateSeconds } from "../core/broadcast_estimate.ts";
import type { Clock } from "../core/clock.ts";
import { pacingFor } from "../core/pacing.ts";
import type { Actor } from "../db/audit_log.ts";
import {
  type Broadcast,
  type BroadcastDraft,
  type BroadcastProgress,
  broadcastProgress,
  createBroadcast,
  deleteBroadcast,
  HELD_FOR_GOOD,
  holdQueued,
  listRecipients,
  type NewRecipient,
  type RecipientCounts,
  recipientCounts,
  releaseQueued,
  requireBroadcast,
  stepBroadcast,
  updateDraft,
  windowOf,
  withdrawQueued,
} from "../db/broadcasts.ts";
import { getChannel, parseChannelOptions } from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import type { BroadcastRunner } from "../sessions/broadcasts.ts";
import type { EventBus } from "../sessions/events.ts";
import type { Outbox } from "../sessions/outbox.ts";

export interface BroadcastServiceDeps {
  db: Db;
  writer: GroupCommit;
  clock: Clock;
  events: EventBus;
  outbox: Outbox;
  runner: BroadcastRunner;
}

/** A broadcast with what the review and progress show of it. */
export interface BroadcastOverview {
  broadcast: Broadcast;
  counts: RecipientCounts;
  progress: BroadcastProgress;
  /** Seconds the messages not yet sent will take at the channel's pace (0 when none wait). */
  estimatedSeconds: number;
}

/** The steps pages and the API may take (finishing is the runner's). */
export type BroadcastStep = Exclude<BroadcastAction, "edit" | "delete" | "finish">;

export class BroadcastService {
  constructor(private readonly deps: BroadcastServiceDeps) {}

  async create(actor: Actor, draft: BroadcastDraft, rows: NewRecipient[]): Promise<Broadcast> {
    const { db, writer, clock } = this.deps;
    const broadcast = await createBroadcast(db, writer, clock, actor, draft, rows);
    this.#changed(broadcast);
    return broadcast;
  }

  /** Changes a draft (a confirmed or scheduled one goes back to draft); rows too when given. */
  async update(
    actor: Actor,
    id: number,
    draft: BroadcastDraft,
    rows?: NewRecipient[],
  ): Promise<Broadcast> {
    const { db, writer, clock } = this.deps;
    const broadcast = await updateDraft(db, writer, clock, actor, id, draft, rows);
    this.#changed(broadcast);
    this.deps.runner.wake();
    return broadcast;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    const { db, writer, clock } = this.deps;
    const broadcast = await requireBroadcast(db, id);
    await deleteBroadcast(db, writer, clock, actor, id);
    this.#changed(broadcast);
  }

  /** Takes one step, with what goes with it; a step the status does not allow is a 409. */
  async step(actor: Actor, id: number, action: BroadcastStep): Promise<Broadcast> {
    const { db, writer, clock } = this.deps;
    const broadcast = await stepBroadcast(db, writer, clock, actor, id, action);
    if (action === "pause") await holdQueued(writer, id, HELD_FOR_GOOD);
    if (action === "resume") {
      // The runner holds them again at once when the window is shut.
      await releaseQueued(writer, id, clock.now());
      this.deps.outbox.wake(broadcast.channelId);
    }
    if (action === "cancel") await withdrawQueued(writer, clock, id);
    this.#changed(broadcast);
    this.deps.runner.wake();
    return broadcast;
  }

  /** A new draft of the rows whose message failed (not those withdrawn by a cancel). */
  async retryFailed(actor: Actor, id: number): Promise<Broadcast> {
    const { db } = this.deps;
    const original = await requireBroadcast(db, id);
    const rows: NewRecipient[] = [];
    for (let cursor: number | null = 0; cursor !== null;) {
      const page = await listRecipients(db, id, { status: "failed", cursor, limit: 1000 });
      for (const r of page.recipients) {
        rows.push({
          row: rows.length + 1,
          input: r.input,
          phone: r.phone,
          telegramChatId: r.telegramChatId,
          name: r.name,
          contactId: r.contactId,
          variables: JSON.parse(r.variables),
          status: "pending",
          error: null,
          errorCode: null,
        });
      }
      cursor = page.nextCursor;
    }
    return await this.create(actor, {
      name: `${original.name} (retry)`,
      channelId: original.channelId,
      templateId: original.templateId,
      body: original.body,
      variables: JSON.parse(original.variables),
      mediaId: original.mediaId,
      window: windowOf(original),
      stopAfter: null,
      scheduledAt: null,
      source: original.source,
      labelId: original.labelId,
    }, rows);
  }

  /** Each broadcast with its counts, progress and the time what is left will take. */
  async overviews(broadcasts: Broadcast[]): Promise<BroadcastOverview[]> {
    const { db } = this.deps;
    const ids = broadcasts.map((b) => b.id);
    const [counts, progress] = await Promise.all([
      recipientCounts(db, ids),
      broadcastProgress(db, ids),
    ]);
    return await Promise.all(broadcasts.map(async (broadcast) => {
      const p = progress.get(broadcast.id)!;
      const channel = await getChannel(db, broadcast.channelId);
      const waiting = ["draft", "confirmed", "scheduled", "running", "paused"]
          .includes(broadcast.status)
        ? p.queued + p.sending
        : 0;
      return {
        broadcast,
        counts: counts.get(broadcast.id)!,
        progress: p,
        estimatedSeconds: channel
          ? estimateSeconds(
            waiting,
            pacingFor(channel.kind, parseChannelOptions(channel.options)),
            windowOf(broadcast),
          )
          : 0,
      };
    }));
  }

  async overview(id: number): Promise<BroadcastOverview> {
    return (await this.overviews([await requireBroadcast(this.deps.db, id)]))[0];
  }

  #changed(broadcast: Broadcast): void {
    this.deps.events.publish({
      type: "broadcast.changed",
      channelId: broadcast.channelId,
      broadcastId: broadcast.id,
    });
  }
}
