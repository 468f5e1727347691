/** The shared log of live events, read by every Kabar process on the database. */
import { gt, lt, max } from "drizzle-orm";
import type { Db } from "./client.ts";
import type { GroupCommit } from "./group_commit.ts";
import { eventLog } from "./schema.ts";

/** An event as it travels between processes: its JSON, and where it came from. */
export interface LoggedEvent {
  id: number;
  event: string;
}

/**
 * Appends events published by `origin` at `at`, in one statement committed
 * with whatever else the writer commits at that moment (no commit of its own).
 */
export async function appendEvents(
  writer: GroupCommit,
  origin: string,
  at: number,
  events: string[],
): Promise<void> {
  if (events.length === 0) return;
  await writer.write([{
    sql: `INSERT INTO event_log (origin, at, event) VALUES ${
      events.map(() => "(?, ?, ?)").join(", ")
    }`,
    args: events.flatMap((event) => [origin, at, event]),
  }]);
}

/** The newest id in the log (0 when empty): where a process starts listening. */
export async function lastEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: max(eventLog.id) }).from(eventLog);
  return row?.id ?? 0;
}

/** Events after `afterId` published by other processes than `origin`, oldest first. */
export async function eventsAfter(
  db: Db,
  afterId: number,
  origin: string,
  limit: number,
): Promise<{ events: LoggedEvent[]; lastId: number; more: boolean }> {
  const rows = await db.select({ id: eventLog.id, origin: eventLog.origin, event: eventLog.event })
    .from(eventLog).where(gt(eventLog.id, afterId)).orderBy(eventLog.id).limit(limit);
  return {
    events: rows.filter((r) => r.origin !== origin).map(({ id, event }) => ({ id, event })),
    lastId: rows.length ? rows[rows.length - 1].id : afterId,
    more: rows.length === limit,
  };
}

/** Drops events older than `before`: they have been heard by every running process. */
export async function pruneEvents(db: Db, before: number): Promise<void> {
  await db.delete(eventLog).where(lt(eventLog.at, before));
}
