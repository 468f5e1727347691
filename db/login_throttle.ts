import type { InStatement } from "@libsql/client";
import type { Clock } from "../core/clock.ts";
import type { Db } from "./client.ts";

/**
 * How many attempts a key may have counted within `windowMs`; reaching the
 * limit with a failure locks the key for `lockMs`.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  /** Whether a full sign-in forgets the key's finished failures (an account's, not an address's). */
  clearedBySuccess: boolean;
}

const MINUTE = 60_000;

/** Per account: 5 wrong passwords or codes in 15 minutes lock it for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  clearedBySuccess: true,
};

/** Per address: 20 failures in 15 minutes lock the address for 15 minutes. */
export const IP_THROTTLE: ThrottlePolicy = {
  maxFailures: 20,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  clearedBySuccess: false,
};

/** Throttle key of an account. */
export const accountKey = (username: string) =>
  `user:${username.trim().toLowerCase().slice(0, 64)}`;
/** Throttle key of a client address. */
export const ipKey = (ip: string) => `ip:${ip}`;
/** The row counting the finished failures of `key` (those a success may forget). */
const finishedKey = (key: string) => `finished:${key}`;

/** One key an attempt is counted on. */
export interface ThrottleSubject {
  key: string;
  policy: ThrottlePolicy;
}

/** The keys a password or code check by `username` from `ip` counts on: address first. */
export function signInSubjects(username: string, ip: string): ThrottleSubject[] {
  return [
    { key: ipKey(ip), policy: IP_THROTTLE },
    { key: accountKey(username), policy: ACCOUNT_THROTTLE },
  ];
}

/** An attempt counted on a key, in the window that started at `windowStartedAt`. */
interface Held extends ThrottleSubject {
  windowStartedAt: number;
}

/** An attempt counted on every key, or the time its keys are free again. */
export type Reservation =
  | { ok: true; held: Held[] }
  | { ok: false; held: Held[]; retryAt: number };

/**
 * Counts one attempt on each of `subjects`, before anything is checked. A
 * key's count is its attempts in flight plus its failures in the window; the
 * count and the test against the limit are one statement, so parallel
 * requests cannot pass the limit together. A key that is locked, or whose
 * count is at the limit, refuses: the attempt must not be checked.
 */
export async function reserveAttempt(
  db: Db,
  clock: Clock,
  subjects: ThrottleSubject[],
): Promise<Reservation> {
  const now = clock.now();
  const held: Held[] = [];
  for (const subject of subjects) {
    const { key, policy } = subject;
    const args = { key, now, windowStart: now - policy.windowMs, max: policy.maxFailures };
    // A window starts afresh when the old one has passed or a lock has ended.
    const fresh = `(coalesce(locked_until, 0) <= :now
      AND (window_started_at <= :windowStart OR locked_until IS NOT NULL))`;
    const { rows } = await db.$client.execute({
      sql: `INSERT INTO login_throttle (key, failures, window_started_at, locked_until)
        VALUES (:key, 1, :now, NULL)
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN ${fresh} THEN 1 ELSE failures + 1 END,
          window_started_at = CASE WHEN ${fresh} THEN :now ELSE window_started_at END,
          locked_until = CASE WHEN ${fresh} THEN NULL ELSE locked_until END
        WHERE ${fresh} OR (coalesce(locked_until, 0) <= :now AND failures < :max)
        RETURNING window_started_at`,
      args,
    });
    if (rows.length === 0) {
      return { ok: false, held, retryAt: await freeAt(db, subject, now) };
    }
    held.push({ ...subject, windowStartedAt: Number(rows[0].window_started_at) });
  }
  return { ok: true, held };
}

/** When a refusing key takes attempts again: the end of its lock, else of its window. */
async function freeAt(db: Db, { key, policy }: ThrottleSubject, now: number): Promise<number> {
  const { rows } = await db.$client.execute({
    sql: "SELECT window_started_at, locked_until FROM login_throttle WHERE key = ?",
    args: [key],
  });
  const lockedUntil = Number(rows[0]?.locked_until ?? 0);
  if (lockedUntil > now) return lockedUntil;
  return Math.max(now + 1, Number(rows[0]?.window_started_at ?? now) + policy.windowMs);
}

/**
 * The counted attempt failed: it stays counted for the rest of the window,
 * and a key whose count has reached its limit is locked.
 */
export async function attemptFailed(db: Db, clock: Clock, held: Held[]): Promise<void> {
  const now = clock.now();
  const statements: InStatement[] = [];
  for (const { key, policy, windowStartedAt } of held) {
    statements.push({
      sql: `UPDATE login_throttle SET locked_until = :lockedUntil
        WHERE key = :key AND window_started_at = :window AND failures >= :max
          AND coalesce(locked_until, 0) <= :now`,
      args: {
        key,
        window: windowStartedAt,
        max: policy.maxFailures,
        now,
        lockedUntil: now + policy.lockMs,
      },
    });
    if (policy.clearedBySuccess) {
      statements.push({
        sql: `INSERT INTO login_throttle (key, failures, window_started_at, locked_until)
          VALUES (:key, 1, :window, NULL)
          ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN window_started_at = excluded.window_started_at
              THEN failures + 1 ELSE 1 END,
            window_started_at = excluded.window_started_at`,
        args: { key: finishedKey(key), window: windowStartedAt },
      });
    }
  }
  if (statements.length) await db.$client.batch(statements, "write");
}

/**
 * The counted attempt succeeded (or was never checked): it is no longer
 * counted. When `complete`
 * (the person is now fully signed in or has proved the password again), keys
 * whose policy allows it also forget their failures that had finished by now;
 * attempts still in flight stay counted, and a lock is never lifted.
 */
export async function attemptSucceeded(
  db: Db,
  held: Held[],
  complete: boolean,
): Promise<void> {
  const statements: InStatement[] = [];
  for (const { key, policy, windowStartedAt } of held) {
    if (complete && policy.clearedBySuccess) {
      statements.push({
        sql: `UPDATE login_throttle SET failures = max(0, failures - 1 - coalesce(
            (SELECT f.failures FROM login_throttle f
              WHERE f.key = :finished AND f.window_started_at = :window), 0))
          WHERE key = :key AND window_started_at = :window`,
        args: { key, finished: finishedKey(key), window: windowStartedAt },
      }, {
        sql: "DELETE FROM login_throttle WHERE key = ?",
        args: [finishedKey(key)],
      });
    } else {
      statements.push({
        sql: `UPDATE login_throttle SET failures = max(0, failures - 1)
          WHERE key = :key AND window_started_at = :window`,
        args: { key, window: windowStartedAt },
      });
    }
  }
  if (statements.length) await db.$client.batch(statements, "write");
}

/** What a throttled check came to. */
type ThrottledOutcome =
  | { outcome: "passed" }
  | { outcome: "failed" }
  /** Neither right nor a guess (a right code already used): counted nowhere. */
  | { outcome: "uncounted" }
  | { outcome: "locked"; retryAt: number };

/**
 * Runs `check` (a password or code verification) only when an attempt could
 * be counted on every subject first, then records how it ended. A refused
 * attempt is not checked, so it is counted nowhere: someone still trying while
 * their account is locked does not lock their ward's shared address too.
 * `complete` says whether passing means a full proof of identity (see
 * `attemptSucceeded`).
 */
export async function throttledCheck(
  db: Db,
  clock: Clock,
  subjects: ThrottleSubject[],
  check: () => Promise<boolean | "uncounted">,
  { complete }: { complete: boolean },
): Promise<ThrottledOutcome> {
  const reservation = await reserveAttempt(db, clock, subjects);
  if (!reservation.ok) {
    await attemptSucceeded(db, reservation.held, false);
    return { outcome: "locked", retryAt: reservation.retryAt };
  }
  let result: boolean | "uncounted" = false;
  try {
    result = await check();
  } finally {
    if (result === true) await attemptSucceeded(db, reservation.held, complete);
    else if (result === "uncounted") await attemptSucceeded(db, reservation.held, false);
    else await attemptFailed(db, clock, reservation.held);
  }
  return { outcome: result === true ? "passed" : result === "uncounted" ? "uncounted" : "failed" };
}
