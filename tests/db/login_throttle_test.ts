/** The sign-in throttle's counting: attempts are counted before they are checked. */
import assert from "node:assert/strict";
import {
  attemptFailed,
  attemptSucceeded,
  type Reservation,
  reserveAttempt,
  type ThrottlePolicy,
  type ThrottleSubject,
} from "../../db/login_throttle.ts";
import { withTempDb } from "../support/temp_db.ts";

const MINUTE = 60_000;
const POLICY: ThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  clearedBySuccess: true,
};
const ACCOUNT: ThrottleSubject[] = [{ key: "user:siti", policy: POLICY }];

function held(reservation: Reservation) {
  assert.ok(reservation.ok, "the attempt may be checked");
  return reservation.held;
}

Deno.test("attempts in flight count: a sixth is refused before any has finished", async () => {
  await withTempDb(async ({ db, clock }) => {
    const granted = await Promise.all(
      Array.from({ length: 64 }, () => reserveAttempt(db, clock, ACCOUNT)),
    );
    assert.equal(granted.filter((r) => r.ok).length, 5);
    const refused = granted.find((r) => !r.ok)!;
    assert.ok(!refused.ok && refused.retryAt === clock.now() + 15 * MINUTE);
  });
});

Deno.test("a success forgets finished failures and itself, never attempts still in flight", async () => {
  await withTempDb(async ({ db, clock }) => {
    const [a, b, c] = await Promise.all(
      Array.from({ length: 3 }, async () => held(await reserveAttempt(db, clock, ACCOUNT))),
    );
    await attemptFailed(db, clock, b);
    await attemptSucceeded(db, a, true);
    // c is still being checked: four more may start, not five.
    const more = [];
    for (let i = 0; i < 4; i++) more.push(held(await reserveAttempt(db, clock, ACCOUNT)));
    assert.equal((await reserveAttempt(db, clock, ACCOUNT)).ok, false);
    for (const attempt of [c, ...more]) await attemptFailed(db, clock, attempt);
  });
});

Deno.test("when the count is full, a failure locks the account even with checks still under way", async () => {
  await withTempDb(async ({ db, clock }) => {
    const attempts = await Promise.all(
      Array.from({ length: 5 }, async () => held(await reserveAttempt(db, clock, ACCOUNT))),
    );
    await attemptFailed(db, clock, attempts[0]);
    for (const attempt of attempts.slice(1)) await attemptSucceeded(db, attempt, true);
    const after = await reserveAttempt(db, clock, ACCOUNT);
    assert.ok(!after.ok && after.retryAt === clock.now() + 15 * MINUTE);
  });
});

Deno.test("a success that comes after the lock does not lift it", async () => {
  await withTempDb(async ({ db, clock }) => {
    const right = held(await reserveAttempt(db, clock, ACCOUNT));
    for (let i = 0; i < 4; i++) {
      await attemptFailed(db, clock, held(await reserveAttempt(db, clock, ACCOUNT)));
    }
    await attemptSucceeded(db, right, true);
    const after = await reserveAttempt(db, clock, ACCOUNT);
    assert.ok(!after.ok, "still locked");
    assert.equal(after.retryAt, clock.now() + 15 * MINUTE);
    clock.advance(15 * MINUTE);
    assert.ok((await reserveAttempt(db, clock, ACCOUNT)).ok, "the lock ends after 15 minutes");
  });
});

Deno.test("a partial success (a password before its code) forgets only itself", async () => {
  await withTempDb(async ({ db, clock }) => {
    for (let i = 0; i < 4; i++) {
      await attemptFailed(db, clock, held(await reserveAttempt(db, clock, ACCOUNT)));
    }
    await attemptSucceeded(db, held(await reserveAttempt(db, clock, ACCOUNT)), false);
    await attemptFailed(db, clock, held(await reserveAttempt(db, clock, ACCOUNT)));
    assert.equal((await reserveAttempt(db, clock, ACCOUNT)).ok, false);
  });
});

Deno.test("an address's failures are not forgotten by a success", async () => {
  await withTempDb(async ({ db, clock }) => {
    const address: ThrottleSubject[] = [{
      key: "ip:203.0.113.9",
      policy: { ...POLICY, maxFailures: 3, clearedBySuccess: false },
    }];
    for (let i = 0; i < 2; i++) {
      await attemptFailed(db, clock, held(await reserveAttempt(db, clock, address)));
    }
    await attemptSucceeded(db, held(await reserveAttempt(db, clock, address)), true);
    await attemptFailed(db, clock, held(await reserveAttempt(db, clock, address)));
    assert.equal((await reserveAttempt(db, clock, address)).ok, false);
  });
});

Deno.test("failures of an earlier window are not carried over, nor forgotten from a later one", async () => {
  await withTempDb(async ({ db, clock }) => {
    for (let i = 0; i < 4; i++) {
      await attemptFailed(db, clock, held(await reserveAttempt(db, clock, ACCOUNT)));
    }
    const late = held(await reserveAttempt(db, clock, ACCOUNT));
    clock.advance(15 * MINUTE);
    // A new window: its attempts are counted from one again.
    const fresh = await Promise.all(
      Array.from({ length: 4 }, async () => held(await reserveAttempt(db, clock, ACCOUNT))),
    );
    // The attempt of the old window ends: it does not free a place in the new one.
    await attemptSucceeded(db, late, true);
    held(await reserveAttempt(db, clock, ACCOUNT));
    assert.equal((await reserveAttempt(db, clock, ACCOUNT)).ok, false);
    for (const attempt of fresh) await attemptFailed(db, clock, attempt);
  });
});
