/**
 * Kept writes on the injected clock: a write refused for lack of space is
 * tried again 1 s, 2 s, 4 s … up to 30 s apart until it succeeds, writes of
 * one key keep their order, the outage is logged once, and a shutdown says
 * how many were lost.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { createLogger, type Logger } from "../../core/log.ts";
import { DiskWatch } from "../../db/disk_watch.ts";
import { DiskFullError } from "../../db/errors.ts";
import { KeptWriteLost, KeptWrites } from "../../db/kept_writes.ts";
import { waitUntil } from "../support/wait_until.ts";

const full = () => new DiskFullError("SQLITE_FULL", "/var/lib/kabar", 0);

function capture(clock: ManualClock): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger("info", clock, (l) => lines.push(JSON.parse(l))), lines };
}

/** A write refused `refusals` times, then stored; records when it was tried. */
function refused(clock: ManualClock, refusals: number) {
  const tries: number[] = [];
  return {
    tries,
    work: () => {
      tries.push(clock.now());
      return tries.length <= refusals ? Promise.reject(full()) : Promise.resolve(tries.length);
    },
  };
}

Deno.test("a write refused for lack of space is tried again 1, 2, 4 … 30 s apart until stored, logged once", async () => {
  const clock = new ManualClock();
  const { log, lines } = capture(clock);
  const kept = new KeptWrites(clock, undefined, log);
  const start = clock.now();
  const write = refused(clock, 7);
  const stored = kept.write("a receipt", write.work);
  await waitUntil(() => kept.size === 1, "kept");
  for (const gap of [1000, 2000, 4000, 8000, 16000, 30000, 30000]) {
    const before = write.tries.length;
    clock.advance(gap - 1);
    assert.equal(write.tries.length, before, `not tried before ${gap} ms`);
    clock.advance(1);
    await waitUntil(() => write.tries.length === before + 1, `tried after ${gap} ms`);
  }
  assert.equal(await stored, 8);
  assert.deepEqual(
    write.tries.map((at) => at - start),
    [0, 1000, 3000, 7000, 15000, 31000, 61000, 91000],
  );
  assert.equal(kept.size, 0);
  assert.deepEqual(lines.map((l) => [l.level, l.msg]), [
    ["warn", "writes are kept until the disk has room, then stored in order"],
    ["info", "writes kept while the disk was full are stored"],
  ]);
});

Deno.test("writes of one key never overtake each other, kept or not; others go ahead", async () => {
  const clock = new ManualClock();
  const kept = new KeptWrites(clock, undefined, undefined);
  const done: string[] = [];
  let refuseFirst!: () => void;
  let firstTry = true;
  // The delivered receipt's first try is still running when the read receipt comes.
  const delivered = () => {
    if (!firstTry) {
      done.push("delivered");
      return Promise.resolve();
    }
    firstTry = false;
    return new Promise<void>((_, reject) => (refuseFirst = () => reject(full())));
  };
  const stored = (name: string) => () => {
    done.push(name);
    return Promise.resolve();
  };
  const first = kept.hand("delivered", delivered, "receipt:1:M1");
  const second = kept.hand("read", stored("read"), "receipt:1:M1");
  await kept.hand("another message's receipt", stored("M2"), "receipt:1:M2");
  assert.deepEqual(done, ["M2"], "another key is not held up");
  refuseFirst();
  await first;
  await second;
  assert.equal(kept.size, 2, "read waits behind the kept delivered");
  assert.deepEqual(done, ["M2"]);
  clock.advance(1000);
  await waitUntil(() => done.length === 3);
  assert.deepEqual(done, ["M2", "delivered", "read"]);
});

Deno.test("a write succeeding elsewhere ends the wait at once", async () => {
  const clock = new ManualClock();
  const disk = new DiskWatch(undefined);
  const kept = new KeptWrites(clock, disk, undefined);
  const write = refused(clock, 1);
  const stored = kept.write("a status", write.work);
  await waitUntil(() => kept.size === 1);
  disk.failed(full());
  disk.succeeded(disk.outages);
  assert.equal(await stored, 2);
  assert.equal(clock.now(), write.tries[1], "without waiting for the timer");
});

Deno.test("a write under way when the disk filled does not end the outage; one begun after it does", () => {
  const disk = new DiskWatch(undefined);
  const seen: boolean[] = [];
  disk.listen((isFull) => seen.push(isFull));
  const before = disk.outages;
  disk.failed(full());
  disk.succeeded(before);
  assert.ok(disk.failure, "still full: that write found its room before the disk filled");
  disk.succeeded(disk.outages);
  assert.equal(disk.failure, undefined);
  assert.deepEqual(seen, [true, false]);
});

Deno.test("any other failure is not retried: the caller hears it", async () => {
  const clock = new ManualClock();
  const kept = new KeptWrites(clock, undefined, undefined);
  let tries = 0;
  await assert.rejects(
    kept.write("a status", () => {
      tries++;
      return Promise.reject(new Error("UNIQUE constraint failed: channels.phone"));
    }),
    /UNIQUE constraint failed/,
  );
  assert.equal(tries, 1);
  assert.equal(kept.size, 0);
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("stop stores what it can, gives up on the rest and says how many, once", async () => {
  const clock = new ManualClock();
  const { log, lines } = capture(clock);
  const kept = new KeptWrites(clock, undefined, log);
  const outcome = kept.write("an outbox status", () => Promise.reject(full()));
  const handed = kept.hand("a receipt", () => Promise.reject(full()));
  await handed;
  assert.equal(kept.size, 2);
  await kept.stop();
  await assert.rejects(outcome, (e) => e instanceof KeptWriteLost);
  assert.equal(kept.size, 0);
  assert.equal(clock.pendingTimers, 0);
  const lost = lines.filter((l) => l.level === "error");
  assert.equal(lost.length, 1);
  assert.equal(lost[0].lost, 2);
  assert.deepEqual(lost[0].what, ["an outbox status", "a receipt"]);
});
