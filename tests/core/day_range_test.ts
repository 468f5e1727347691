/** Days typed in a filter form are whole days in KABAR_TIMEZONE, both included. */
import assert from "node:assert/strict";
import { readDayRange } from "../../core/day_range.ts";

Deno.test("from 14 to 15 March in Jakarta: 13 March 17:00 UTC to the last ms before 15 March 17:00 UTC", () => {
  assert.deepEqual(readDayRange({ since: "2026-03-14", until: "2026-03-15" }, "Asia/Jakarta"), {
    ok: true,
    range: { since: Date.UTC(2026, 2, 13, 17), until: Date.UTC(2026, 2, 15, 17) - 1 },
  });
  assert.deepEqual(readDayRange({ since: "", until: "2026-03-14" }, "Asia/Jayapura"), {
    ok: true,
    range: { until: Date.UTC(2026, 2, 14, 15) - 1 },
  });
  assert.deepEqual(readDayRange({}, "Asia/Jakarta"), { ok: true, range: {} });
});

Deno.test("a value that is no date is named; an end before the start is refused", () => {
  assert.deepEqual(readDayRange({ since: "kemarin", until: "2026-02-30" }, "Asia/Jakarta"), {
    ok: false,
    errors: {
      since: { key: "err.date", params: { value: "kemarin" } },
      until: { key: "err.date", params: { value: "2026-02-30" } },
    },
  });
  assert.deepEqual(readDayRange({ since: "2026-03-15", until: "2026-03-14" }, "Asia/Jakarta"), {
    ok: false,
    errors: { until: "err.date_order" },
  });
});
