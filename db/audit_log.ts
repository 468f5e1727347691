import type { InStatement } from "@libsql/client";
import { and, desc, gte, lt, lte, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { Db } from "./client.ts";
import { auditLog } from "./schema.ts";

/** Who did something: a staff member, or `cli` / `system` with no user id. */
export interface Actor {
  userId: number | null;
  name: string;
  ip: string | null;
}

/** The command line, as an actor. */
export const CLI_ACTOR: Actor = { userId: null, name: "cli", ip: null };

/** Kabar itself (a broadcast started on schedule, a number opted out by its reply). */
export const SYSTEM_ACTOR: Actor = { userId: null, name: "system", ip: null };

export interface AuditEntry {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

export type AuditRow = typeof auditLog.$inferSelect;

/** The insert of an audit entry, to put in the same batch as the change it records. */
export function auditInsert(
  db: Db,
  clock: Clock,
  actor: Actor,
  entry: AuditEntry,
) {
  return db.insert(auditLog).values({
    at: clock.now(),
    actorUserId: actor.userId,
    actor: actor.name,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
    ip: actor.ip,
  });
}

/**
 * The insert of an audit entry that is written only when the statement just
 * before it in the batch changed a row: a change two requests make at once is
 * recorded once, by the one that made it.
 */
export function auditIfChanged(clock: Clock, actor: Actor, entry: AuditEntry) {
  return sql`INSERT INTO audit_log (at, actor_user_id, actor, action, target, details, ip)
    SELECT ${clock.now()}, ${actor.userId}, ${actor.name}, ${entry.action}, ${
    entry.target ?? null
  }, ${entry.details ? JSON.stringify(entry.details) : null}, ${actor.ip}
    WHERE changes() > 0`;
}

/** Records an entry on its own. */
export async function recordAudit(
  db: Db,
  clock: Clock,
  actor: Actor,
  entry: AuditEntry,
): Promise<void> {
  await auditInsert(db, clock, actor, entry);
}

/**
 * Newest first; `before` is the id to continue after (the last row of the
 * previous page); `since` / `until` keep the entries made between those
 * times (milliseconds, both inclusive).
 */
export async function listAudit(
  db: Db,
  options: { before?: number; since?: number; until?: number; limit: number },
): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const rows = await db.select().from(auditLog)
    .where(and(
      options.before ? lt(auditLog.id, options.before) : undefined,
      options.since !== undefined ? gte(auditLog.at, options.since) : undefined,
      options.until !== undefined ? lte(auditLog.at, options.until) : undefined,
    ))
    .orderBy(desc(auditLog.id))
    .limit(options.limit + 1);
  const more = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  return { rows: page, nextBefore: more ? page[page.length - 1].id : null };
}

/**
 * An audit entry as a raw statement, for a write that goes through the group
 * commit; with `onlyIfChanged`, written only when the statement before it
 * changed a row (the change it records may have lost a race).
 */
export function auditStatement(
  clock: Clock,
  actor: Actor,
  entry: AuditEntry,
  onlyIfChanged = false,
): InStatement {
  return {
    sql: `INSERT INTO audit_log (at, actor_user_id, actor, action, target, details, ip)
      SELECT ?, ?, ?, ?, ?, ?, ?${onlyIfChanged ? " WHERE changes() > 0" : ""}`,
    args: [
      clock.now(),
      actor.userId,
      actor.name,
      entry.action,
      entry.target ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
      actor.ip,
    ],
  };
}
