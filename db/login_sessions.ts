import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { LoginStage } from "../core/login_stage.ts";
import { randomToken, sha256Hex } from "../core/tokens.ts";
import type { Db } from "./client.ts";
import type { Role } from "../core/permissions.ts";
import { isDiskFull } from "./errors.ts";
import { loginSessions, users } from "./schema.ts";
import type { User } from "./users.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A signed-in session ends after this long without a request... */
export const SESSION_IDLE_MS = 12 * HOUR;
/** ...and after this long in any case. */
export const SESSION_MAX_MS = 7 * 24 * HOUR;
/** Time allowed between the password and the second factor. */
export const MFA_STAGE_MS = 10 * MINUTE;
/** How often a busy session's expiry is pushed forward (not on every request). */
const TOUCH_EVERY_MS = 5 * MINUTE;

export type LoginSession = typeof loginSessions.$inferSelect;

/**
 * Starts a session for `userId`; returns the cookie token (only its hash is
 * stored).
 */
export async function createLoginSession(
  db: Db,
  clock: Clock,
  input: {
    userId: number;
    stage: LoginStage;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<{ token: string; session: LoginSession }> {
  const token = randomToken(32);
  const now = clock.now();
  const [session] = await db.insert(loginSessions).values({
    id: await sha256Hex(token),
    userId: input.userId,
    stage: input.stage,
    csrfToken: randomToken(24),
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + (input.stage === "mfa" ? MFA_STAGE_MS : SESSION_IDLE_MS),
  }).returning();
  return { token, session };
}

/**
 * The live session for a cookie token and its (enabled) user, or undefined.
 * Pushes the idle expiry forward now and then.
 */
export async function findLoginSession(
  db: Db,
  clock: Clock,
  token: string,
): Promise<{ session: LoginSession; user: User } | undefined> {
  const now = clock.now();
  const id = await sha256Hex(token);
  const [row] = await db.select({ session: loginSessions, user: users }).from(
    loginSessions,
  )
    .innerJoin(users, eq(users.id, loginSessions.userId))
    .where(
      and(
        eq(loginSessions.id, id),
        gt(loginSessions.expiresAt, now),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return undefined;
  if (
    row.session.stage === "full" &&
    now - row.session.lastSeenAt > TOUCH_EVERY_MS
  ) {
    const expiresAt = Math.min(
      now + SESSION_IDLE_MS,
      row.session.createdAt + SESSION_MAX_MS,
    );
    try {
      await db.update(loginSessions).set({ lastSeenAt: now, expiresAt }).where(
        eq(loginSessions.id, id),
      );
      row.session = { ...row.session, lastSeenAt: now, expiresAt };
    } catch (e) {
      // On a full disk the session goes on unextended: pages that only read still open.
      if (!isDiskFull(e)) throw e;
    }
  }
  return row;
}

/**
 * The role of the session's user while the session is signed in fully, unexpired and the
 * account enabled; else undefined. Plain SQL: every open page's stream asks before each update.
 */
export async function liveSessionRole(
  db: Db,
  clock: Clock,
  sessionId: string,
): Promise<Role | undefined> {
  const { rows } = await db.$client.execute({
    sql: `SELECT u.role FROM login_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ? AND s.stage = 'full' AND s.expires_at > ? AND u.disabled_at IS NULL`,
    args: [sessionId, clock.now()],
  });
  return rows[0] ? rows[0].role as Role : undefined;
}

/** Ends one session. */
export async function deleteLoginSession(db: Db, id: string): Promise<void> {
  await db.delete(loginSessions).where(eq(loginSessions.id, id));
}

/** Removes sessions past their expiry; returns how many. */
export async function purgeExpiredSessions(
  db: Db,
  clock: Clock,
): Promise<number> {
  const result = await db.delete(loginSessions).where(
    lt(loginSessions.expiresAt, clock.now()),
  );
  return result.rowsAffected;
}

/** How many sessions are live; for metrics. */
export async function countLiveSessions(db: Db, clock: Clock): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(
    loginSessions,
  )
    .where(gt(loginSessions.expiresAt, clock.now()));
  return Number(row.n);
}
