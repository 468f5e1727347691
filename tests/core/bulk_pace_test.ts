import assert from "node:assert/strict";
import { BulkPace } from "../../core/bulk_pace.ts";

// 10,000 rows a second: a batch of 300 is worth 30 ms.
const pace = () => new BulkPace(10_000, 1_000);

Deno.test("while others write, bulk work ahead of its rate waits for the rest of its time", () => {
  const p = pace();
  assert.equal(p.after(300, 1_012, true), 18, "300 rows in 12 ms: wait until 30 ms have passed");
  assert.equal(p.after(300, 1_030, true), 30, "the next batch at once: a whole batch's time");
  assert.equal(p.after(300, 1_090, true), 0, "on time: no wait");
});

Deno.test("behind its rate it never waits, and catches up", () => {
  const p = pace();
  assert.equal(p.after(300, 1_100, true), 0, "300 rows took 100 ms: 70 ms behind");
  assert.equal(p.after(300, 1_110, true), 0, "50 ms behind: goes on");
  assert.equal(p.after(300, 1_120, true), 0, "30 ms behind");
  assert.equal(p.after(300, 1_125, true), 0, "5 ms behind");
  assert.equal(p.after(300, 1_130, true), 20, "caught up: 20 ms ahead of its rate");
});

Deno.test("with no one else writing it goes as fast as it can, and earns no credit", () => {
  const p = pace();
  for (let at = 1_001; at <= 1_005; at++) assert.equal(p.after(300, at, false), 0);
  assert.equal(p.after(300, 1_006, true), 29, "others start: paced from the last batch on");
});
