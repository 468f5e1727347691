import assert from "node:assert/strict";
import { formatTimeOfDay, parseTimeOfDay, windowAt } from "../../core/send_window.ts";

const JAKARTA = "Asia/Jakarta"; // UTC+7, no clock changes
const wib = (day: number, hour: number, minute = 0) => Date.UTC(2026, 11, day, hour - 7, minute);

Deno.test("a day window is open from its start to its end, local time, and says when it changes", () => {
  const day = { start: 8 * 60, end: 20 * 60 };
  assert.deepEqual(windowAt(day, wib(7, 7, 59), JAKARTA), { open: false, changesAt: wib(7, 8) });
  assert.deepEqual(windowAt(day, wib(7, 8), JAKARTA), { open: true, changesAt: wib(7, 20) });
  assert.deepEqual(windowAt(day, wib(7, 19, 59), JAKARTA), { open: true, changesAt: wib(7, 20) });
  assert.deepEqual(windowAt(day, wib(7, 20), JAKARTA), { open: false, changesAt: wib(8, 8) });
  assert.deepEqual(windowAt(day, wib(7, 23, 30), JAKARTA), { open: false, changesAt: wib(8, 8) });
});

Deno.test("a night window crosses midnight; no window is always open", () => {
  const night = { start: 20 * 60, end: 6 * 60 };
  assert.deepEqual(windowAt(night, wib(7, 21), JAKARTA), { open: true, changesAt: wib(8, 6) });
  assert.deepEqual(windowAt(night, wib(8, 2), JAKARTA), { open: true, changesAt: wib(8, 6) });
  assert.deepEqual(windowAt(night, wib(8, 12), JAKARTA), { open: false, changesAt: wib(8, 20) });
  assert.deepEqual(windowAt(null, wib(8, 3), JAKARTA), { open: true, changesAt: undefined });
});

Deno.test("times of day are read as HH:MM or HH.MM, and nothing else", () => {
  assert.equal(parseTimeOfDay("08:00"), 480);
  assert.equal(parseTimeOfDay(" 8.30 "), 510);
  assert.equal(parseTimeOfDay("23:59"), 1439);
  for (const bad of ["24:00", "8", "08:60", "", "pagi"]) {
    assert.equal(parseTimeOfDay(bad), undefined);
  }
  assert.equal(formatTimeOfDay(480), "08:00");
  assert.equal(formatTimeOfDay(1439), "23:59");
});
