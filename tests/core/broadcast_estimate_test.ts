/** How long a broadcast will take: at the broadcast pace, within the window, under the daily cap. */
import assert from "node:assert/strict";
import { estimateSeconds } from "../../core/broadcast_estimate.ts";
import type { Pacing } from "../../core/pacing.ts";

const pace = (overrides: Partial<Pacing> = {}): Pacing => ({
  gapMs: 1_000,
  jitterMs: 0,
  // 5–10 s a message: 7.5 s on average.
  broadcastGapMs: 5_000,
  broadcastJitterMs: 5_000,
  warmupDays: 0,
  dailyCap: 0,
  maxAttempts: 5,
  retryBaseMs: 30_000,
  ...overrides,
});
const HOURS_8_TO_20 = { start: 8 * 60, end: 20 * 60 };
const DAY_S = 86_400;

Deno.test("nothing to send takes no time", () => {
  assert.equal(estimateSeconds(0, pace(), HOURS_8_TO_20), 0);
  assert.equal(estimateSeconds(-3, pace(), null), 0);
});

Deno.test("within one day: the count at the average gap, jitter counted half", () => {
  assert.equal(estimateSeconds(100, pace(), HOURS_8_TO_20), 750);
  assert.equal(estimateSeconds(3, pace({ broadcastJitterMs: 0 }), null), 15);
});

Deno.test("5,000 reminders in 08:00–20:00 at 5–10 s: a whole day, then the rest", () => {
  // 12 hours hold 5,760 at 7.5 s; 5,000 fit in one day.
  assert.equal(estimateSeconds(5_000, pace(), HOURS_8_TO_20), 37_500);
  // 6,000: the first 5,760 on day one, the last 240 on the next day's morning.
  assert.equal(estimateSeconds(6_000, pace(), HOURS_8_TO_20), DAY_S + 1_800);
});

Deno.test("a daily cap spreads the list over days", () => {
  const capped = pace({ dailyCap: 1_000 });
  assert.equal(estimateSeconds(1_000, capped, HOURS_8_TO_20), 7_500, "exactly a day's worth");
  assert.equal(estimateSeconds(2_500, capped, HOURS_8_TO_20), 2 * DAY_S + 3_750);
  assert.equal(estimateSeconds(2_500, capped, null), 2 * DAY_S + 3_750, "any time of day alike");
});

Deno.test("a window across midnight counts its hours, and no gap means no wait", () => {
  // 22:00–02:00 is four hours: 1,920 messages at 7.5 s.
  const night = { start: 22 * 60, end: 2 * 60 };
  assert.equal(estimateSeconds(1_920, pace(), night), 14_400);
  assert.equal(estimateSeconds(1_921, pace(), night), DAY_S + 8);
  const instant = pace({ broadcastGapMs: 0, broadcastJitterMs: 0 });
  assert.equal(estimateSeconds(100_000, instant, HOURS_8_TO_20), 0);
  assert.equal(
    estimateSeconds(100, pace({ broadcastGapMs: 0, broadcastJitterMs: 0, dailyCap: 40 }), null),
    2 * DAY_S,
  );
});
