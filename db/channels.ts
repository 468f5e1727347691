/**
 * Channels as stored: adding, renaming, enabling, deleting, and the status the
 * registry reports. Deleting keeps the channel's conversations and messages.
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { conflict, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { ChannelKind, ChannelStatus, StatusReason } from "../core/channel_types.ts";
import { type Actor, auditIfChanged, auditInsert } from "./audit_log.ts";
import { type Db, readRows } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { channelAuthKeys, channels, messages } from "./schema.ts";

export type Channel = typeof channels.$inferSelect;

/** A channel with what the channels page shows next to it. */
export interface ChannelWithQueue extends Channel {
  /** Outbound messages waiting to be sent (queued or sending). */
  queued: number;
}

/** What an admin gives to add a channel. */
export interface NewChannel {
  kind: ChannelKind;
  name: string;
  /** WhatsApp: E.164 digits. */
  phone?: string;
  /** Telegram: the sealed bot token. */
  sealedSecret?: string;
  botUsername?: string;
}

const QUEUED = ["queued", "sending"] as const;

/** Every channel not deleted, oldest first, with its queue length. */
export async function listChannels(db: Db): Promise<ChannelWithQueue[]> {
  const rows = await db.select().from(channels).where(isNull(channels.deletedAt))
    .orderBy(asc(channels.id));
  const counts = await db.select({ channelId: messages.channelId, n: sql<number>`count(*)` })
    .from(messages)
    .where(and(inArray(messages.status, [...QUEUED]), eq(messages.direction, "out")))
    .groupBy(messages.channelId);
  const byChannel = new Map(counts.map((c) => [c.channelId, Number(c.n)]));
  return rows.map((row) => ({ ...row, queued: byChannel.get(row.id) ?? 0 }));
}

/** The channel with `id` (not deleted), or undefined. */
export async function getChannel(db: Db, id: number): Promise<Channel | undefined> {
  return (await db.select().from(channels).where(
    and(eq(channels.id, id), isNull(channels.deletedAt)),
  ))[0];
}

/** The channel with `id`, or a 404 naming it. */
export async function requireChannel(db: Db, id: number): Promise<Channel> {
  const channel = await getChannel(db, id);
  if (!channel) throw notFound(`No channel with id ${id}`);
  return channel;
}

/** Enabled channels, for the registry to start at boot. */
export async function listEnabledChannels(db: Db): Promise<Channel[]> {
  return await db.select().from(channels).where(
    and(eq(channels.enabled, true), isNull(channels.deletedAt)),
  ).orderBy(asc(channels.id));
}

/** Channels (not deleted) per status, for the metrics. */
export async function countChannelsByStatus(
  db: Db,
): Promise<{ status: string; n: number }[]> {
  const rows = await db.select({ status: channels.status, n: sql<number>`count(*)` })
    .from(channels).where(isNull(channels.deletedAt)).groupBy(channels.status);
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/** Each channel (not deleted) with its kind and status, for the metrics. */
export async function listChannelStates(
  db: Db,
): Promise<{ id: number; kind: string; status: string }[]> {
  return await db.select({ id: channels.id, kind: channels.kind, status: channels.status })
    .from(channels).where(isNull(channels.deletedAt)).orderBy(asc(channels.id));
}

/**
 * How many messages wait to be sent on the channel: in the outbox, and the
 * recipients of its running or paused broadcasts whose message is not
 * written yet (a broadcast writes them as their turn nears).
 */
export async function countQueued(db: Db, channelId: number): Promise<number> {
  const [row] = await readRows(db, {
    sql: `SELECT
      (SELECT count(*) FROM messages WHERE channel_id = :channel AND direction = 'out'
        AND status IN ('queued', 'sending'))
      + (SELECT count(*) FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
        WHERE b.channel_id = :channel AND b.status IN ('running', 'paused')
          AND r.status = 'pending') AS n`,
    args: { channel: channelId },
  });
  return Number(row.n);
}

/**
 * Adds a channel. The first channel becomes the default one. A number that
 * another channel already uses is a 409 on the field `phone`.
 */
export async function createChannel(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: NewChannel,
): Promise<Channel> {
  const now = clock.now();
  await refuseTakenName(db, input.name);
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(channels).where(
    isNull(channels.deletedAt),
  );
  try {
    const [[channel]] = await db.batch([
      db.insert(channels).values({
        kind: input.kind,
        name: input.name,
        phone: input.phone ?? null,
        secret: input.sealedSecret ?? null,
        botUsername: input.botUsername ?? null,
        isDefault: Number(n) === 0,
        status: "disconnected",
        createdAt: now,
        updatedAt: now,
      }).returning(),
      auditInsert(db, clock, actor, {
        action: "channel.create",
        target: input.name,
        details: { kind: input.kind, phone: input.phone, botUsername: input.botUsername },
      }),
    ]);
    return channel;
  } catch (e) {
    if (isNameTaken(e)) throw nameTaken(input.name);
    if (isUniqueViolation(e, "channels.phone")) {
      throw conflict(`The number ${input.phone} is already used by another channel`, {
        phone: "err.channel_phone_taken",
      });
    }
    throw e;
  }
}

/**
 * A 409 on `name` when another channel (not deleted) has this name in any case: two channels
 * of one name cannot be told apart in the pages' choices.
 */
async function refuseTakenName(db: Db, name: string, exceptId?: number): Promise<void> {
  const { rows } = await db.$client.execute({
    sql: `SELECT id FROM channels WHERE deleted_at IS NULL AND lower(name) = lower(?)
      AND id IS NOT ?`,
    args: [name, exceptId ?? null],
  });
  if (rows.length > 0) throw nameTaken(name);
}

const nameTaken = (name: string) =>
  conflict(`Another channel is already called ${name}`, { name: "err.channel_name_taken" });

/** The index of live channel names (migration 0026) refused a name: two asked for it at once. */
function isNameTaken(e: unknown): boolean {
  return isUniqueViolation(e, "index 'channels_live_name_idx'");
}

/** Renames a channel; a name another channel has is a 409 on `name`. */
export async function renameChannel(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  name: string,
): Promise<void> {
  const channel = await requireChannel(db, id);
  await refuseTakenName(db, name, id);
  try {
    await db.batch([
      db.update(channels).set({ name, updatedAt: clock.now() }).where(eq(channels.id, id)),
      auditInsert(db, clock, actor, {
        action: "channel.rename",
        target: channel.name,
        details: { name },
      }),
    ]);
  } catch (e) {
    if (isNameTaken(e)) throw nameTaken(name);
    throw e;
  }
}

/**
 * Merges `patch` into the channel's options (pacing, sandbox delays), object
 * by object, in the statement itself: two changes at once (one to the gap,
 * one to the daily cap) both stay.
 */
export async function updateChannelOptions(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  patch: Record<string, unknown>,
): Promise<void> {
  const channel = await requireChannel(db, id);
  const options = sql`json_patch(
    CASE WHEN json_valid(${channels.options}) THEN ${channels.options} ELSE '{}' END,
    ${JSON.stringify(patch)})`;
  await db.batch([
    db.update(channels).set({ options, updatedAt: clock.now() })
      .where(eq(channels.id, id)),
    auditInsert(db, clock, actor, {
      action: "channel.options",
      target: channel.name,
      details: patch,
    }),
  ]);
}

/** The options JSON of a channel as an object; anything unreadable counts as none. */
export function parseChannelOptions(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** Turns a channel on or off; a disabled channel is not started and holds its queue. */
export async function setChannelEnabled(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  enabled: boolean,
): Promise<void> {
  const channel = await requireChannel(db, id);
  await db.batch([
    db.update(channels).set({
      enabled,
      ...(enabled ? {} : { status: "disconnected", statusReason: "disabled" }),
      updatedAt: clock.now(),
    }).where(eq(channels.id, id)),
    auditInsert(db, clock, actor, {
      action: enabled ? "channel.enable" : "channel.disable",
      target: channel.name,
    }),
  ]);
}

/** Stores the status the adapter reported. */
export async function setChannelStatus(
  db: Db,
  clock: Clock,
  id: number,
  status: ChannelStatus,
  reason: StatusReason | null,
): Promise<void> {
  const now = clock.now();
  await db.update(channels).set({
    status,
    statusReason: reason,
    ...(status === "connected" ? { lastActivityAt: now } : {}),
    updatedAt: now,
  }).where(eq(channels.id, id));
}

/** Records what a connected channel said about itself; `paired_at` is set on first pairing. */
export async function setChannelIdentity(
  db: Db,
  clock: Clock,
  id: number,
  identity: { botUsername?: string; paired: boolean },
): Promise<void> {
  const now = clock.now();
  await db.update(channels).set({
    ...(identity.botUsername ? { botUsername: identity.botUsername } : {}),
    ...(identity.paired ? { pairedAt: sql`coalesce(${channels.pairedAt}, ${now})` } : {}),
    updatedAt: now,
  }).where(eq(channels.id, id));
}

/** Forgets the WhatsApp pairing: every auth key, and the paired time. */
export async function clearChannelAuth(db: Db, clock: Clock, id: number): Promise<void> {
  await db.batch([
    db.delete(channelAuthKeys).where(eq(channelAuthKeys.channelId, id)),
    db.update(channels).set({ pairedAt: null, updatedAt: clock.now() }).where(eq(channels.id, id)),
  ]);
}

/**
 * Deletes a channel: its keys and secret go, messages still waiting fail with
 * the reason "channel deleted", conversations and messages stay. Its number
 * becomes free for a new channel.
 */
export async function deleteChannel(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<{ failedMessages: number }> {
  const channel = await requireChannel(db, id);
  const now = clock.now();
  const waiting = and(
    eq(messages.channelId, id),
    eq(messages.direction, "out"),
    inArray(messages.status, [...QUEUED]),
  );
  // The broadcasts' rows not yet written are cancelled with their broadcast by its runner.
  const [{ n: queued }] = await db.select({ n: sql<number>`count(*)` }).from(messages)
    .where(waiting);
  // Only while it is not deleted yet: of two deletions at once, one takes and is recorded.
  const [deleted] = await db.batch([
    db.update(channels).set({
      deletedAt: now,
      enabled: false,
      isDefault: false,
      phone: null,
      secret: null,
      status: "disconnected",
      statusReason: null,
      updatedAt: now,
    }).where(and(eq(channels.id, id), isNull(channels.deletedAt))),
    db.run(auditIfChanged(clock, actor, {
      action: "channel.delete",
      target: channel.name,
      details: { kind: channel.kind, phone: channel.phone, failedMessages: queued },
    })),
    db.run(sql`INSERT INTO message_events (message_id, status, at, detail)
      SELECT id, 'failed', ${now}, 'channel deleted' FROM messages
      WHERE channel_id = ${id} AND direction = 'out' AND status IN ('queued', 'sending')`),
    db.update(messages).set({
      status: "failed",
      error: "channel deleted",
      failedAt: now,
      updatedAt: now,
    }).where(waiting),
    db.delete(channelAuthKeys).where(eq(channelAuthKeys.channelId, id)),
  ]);
  if (deleted.rowsAffected === 0) throw notFound(`No channel with id ${id}`);
  return { failedMessages: queued };
}
