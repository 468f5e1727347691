/** Why a running broadcast stands still, and when it goes on by itself. */
import assert from "node:assert/strict";
import { broadcastWait, type BroadcastWaitInput } from "../../core/broadcast_wait.ts";

/** Wall time in Jakarta (UTC+7) on 2026-01-`day` as milliseconds. */
const wib = (day: number, hour: number, minute = 0) => Date.UTC(2026, 0, day, hour - 7, minute);

const at = (now: number, over: Partial<BroadcastWaitInput> = {}): BroadcastWaitInput => ({
  now,
  timeZone: "Asia/Jakarta",
  window: { start: 8 * 60, end: 20 * 60 },
  channelConnected: true,
  warmupEndsAt: -Infinity,
  dailyCap: 0,
  sentToday: 0,
  stopAfter: null,
  ...over,
});

Deno.test("inside its hours, on a connected channel with sends left, nothing holds a broadcast", () => {
  assert.equal(broadcastWait(at(wib(5, 10))), null);
  assert.equal(broadcastWait(at(wib(5, 23), { window: null })), null, "any time of day");
  assert.equal(broadcastWait(at(wib(5, 10), { dailyCap: 100, sentToday: 99 })), null);
});

Deno.test("at night it waits for the morning's opening", () => {
  assert.deepEqual(broadcastWait(at(wib(5, 21))), {
    reason: "window",
    until: wib(6, 8),
    stopsAt: null,
  });
  assert.deepEqual(broadcastWait(at(wib(5, 7, 59))), {
    reason: "window",
    until: wib(5, 8),
    stopsAt: null,
  });
  assert.deepEqual(
    broadcastWait(at(wib(5, 12), { window: { start: 20 * 60, end: 6 * 60 } })),
    { reason: "window", until: wib(5, 20), stopsAt: null },
    "a window across midnight opens in the evening",
  );
});

Deno.test("a channel that is not connected is named first, with no time it goes on by itself", () => {
  assert.deepEqual(broadcastWait(at(wib(5, 21), { channelConnected: false })), {
    reason: "channel_offline",
    until: null,
    stopsAt: null,
  });
});

Deno.test("the daily cap holds until the first open hour of the next day", () => {
  assert.deepEqual(broadcastWait(at(wib(5, 15), { dailyCap: 100, sentToday: 100 })), {
    reason: "daily_cap",
    until: wib(6, 8),
    stopsAt: null,
  });
  assert.deepEqual(
    broadcastWait(at(wib(5, 15), { dailyCap: 100, sentToday: 100, window: null })),
    { reason: "daily_cap", until: wib(6, 0), stopsAt: null },
    "at midnight when it may send at any hour",
  );
});

Deno.test("a warm-up holds until it ends, or until the hours open after it", () => {
  assert.deepEqual(broadcastWait(at(wib(5, 10), { warmupEndsAt: wib(5, 14) })), {
    reason: "warmup",
    until: wib(5, 14),
    stopsAt: null,
  });
  assert.deepEqual(broadcastWait(at(wib(5, 10), { warmupEndsAt: wib(5, 22) })), {
    reason: "warmup",
    until: wib(6, 8),
    stopsAt: null,
  });
});

Deno.test("a warm-up and a used-up day together: the warm-up is named, and the later of the two counts", () => {
  assert.deepEqual(
    broadcastWait(at(wib(5, 10), { warmupEndsAt: wib(5, 14), dailyCap: 10, sentToday: 10 })),
    { reason: "warmup", until: wib(6, 8), stopsAt: null },
  );
});

Deno.test("a stop-after time before sending could go on is said instead of a time it never reaches", () => {
  assert.deepEqual(broadcastWait(at(wib(5, 21), { stopAfter: wib(5, 23) })), {
    reason: "window",
    until: null,
    stopsAt: wib(5, 23),
  });
  assert.deepEqual(
    broadcastWait(at(wib(5, 21), { stopAfter: wib(6, 12) })),
    { reason: "window", until: wib(6, 8), stopsAt: null },
    "one after the opening leaves the opening as it is",
  );
});
