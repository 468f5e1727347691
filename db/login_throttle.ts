import { inArray, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { Db } from "./client.ts";
import { loginThrottle } from "./schema.ts";

/** How many failures within `windowMs` lock a key for `lockMs`. */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

const MINUTE = 60_000;

/** Per account: 5 wrong passwords or codes in 15 minutes lock it for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
};

/** Per address: 20 failures in 15 minutes lock the address for 15 minutes. */
export const IP_THROTTLE: ThrottlePolicy = {
  maxFailures: 20,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
};

/** Throttle key of an account. */
export const accountKey = (username: string) => `user:${username.trim().toLowerCase()}`;
/** Throttle key of a client address. */
export const ipKey = (ip: string) => `ip:${ip}`;

/** Until when any of `keys` is locked (ms), or null when none is. */
export async function lockedUntil(
  db: Db,
  clock: Clock,
  keys: string[],
): Promise<number | null> {
  const rows = await db.select({ lockedUntil: loginThrottle.lockedUntil }).from(
    loginThrottle,
  )
    .where(inArray(loginThrottle.key, keys));
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil ?? 0));
  return until > clock.now() ? until : null;
}

/** Counts one failure for `key`, locking it when the policy's limit is reached. */
export async function recordFailure(
  db: Db,
  clock: Clock,
  key: string,
  policy: ThrottlePolicy,
): Promise<void> {
  const now = clock.now();
  const windowStart = now - policy.windowMs;
  await db.run(sql`
    INSERT INTO login_throttle (key, failures, window_started_at, locked_until)
    VALUES (${key}, 1, ${now}, ${policy.maxFailures <= 1 ? now + policy.lockMs : null})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN window_started_at < ${windowStart} THEN 1 ELSE failures + 1 END,
      window_started_at = CASE WHEN window_started_at < ${windowStart} THEN ${now} ELSE window_started_at END,
      locked_until = CASE
        WHEN window_started_at >= ${windowStart} AND failures + 1 >= ${policy.maxFailures}
        THEN ${now + policy.lockMs} ELSE locked_until END`);
}

/** Forgets the failures of `key` (after a successful sign-in). */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, [key]));
}
