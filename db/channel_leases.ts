/**
 * Channel leases: when several Kabar processes share one database, each
 * channel is run by exactly one of them. A process claims a channel with a
 * conditional UPDATE, renews the claim while it runs it, and another process
 * takes over once the claim has expired.
 */
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { Db } from "./client.ts";
import { channels } from "./schema.ts";

const runnable = and(eq(channels.enabled, true), isNull(channels.deletedAt));

const freeFor = (owner: string, now: number) =>
  or(
    isNull(channels.leaseOwner),
    eq(channels.leaseOwner, owner),
    lt(channels.leaseExpiresAt, now),
  );

/** Claims channel `id` for `owner` until `now + ttlMs`; false when another process holds it. */
export async function claimChannel(
  db: Db,
  clock: Clock,
  id: number,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const now = clock.now();
  const rows = await db.update(channels)
    .set({ leaseOwner: owner, leaseExpiresAt: now + ttlMs })
    .where(and(eq(channels.id, id), runnable, freeFor(owner, now)))
    .returning({ id: channels.id });
  return rows.length > 0;
}

/**
 * Extends `owner`'s claims on `ids` that are still runnable; answers the ids
 * it still holds (a channel turned off or deleted elsewhere drops out).
 */
export async function renewLeases(
  db: Db,
  clock: Clock,
  owner: string,
  ids: number[],
  ttlMs: number,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.update(channels)
    .set({ leaseExpiresAt: clock.now() + ttlMs })
    .where(and(inArray(channels.id, ids), eq(channels.leaseOwner, owner), runnable))
    .returning({ id: channels.id });
  return rows.map((r) => r.id);
}

/** Gives up `owner`'s claim on channel `id`, so another process may run it at once. */
export async function releaseChannel(db: Db, id: number, owner: string): Promise<void> {
  await db.update(channels).set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(channels.id, id), eq(channels.leaseOwner, owner)));
}

/** Enabled channels that nobody runs (never claimed, released, or expired). */
export async function listUnclaimedChannels(db: Db, clock: Clock): Promise<number[]> {
  const now = clock.now();
  const rows = await db.select({ id: channels.id }).from(channels).where(and(
    runnable,
    or(isNull(channels.leaseOwner), lt(channels.leaseExpiresAt, sql`${now}`)),
  ));
  return rows.map((r) => r.id);
}
