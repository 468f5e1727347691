/**
 * Local days and time filters in KABAR_TIMEZONE: a bare date is a whole
 * local day, exact to the millisecond, and days with a clock change (New
 * York) still start at local midnight.
 */
import assert from "node:assert/strict";
import {
  instantOfWallTime,
  isoInZone,
  localDateRange,
  localDay,
  parseTimeBound,
  zoneShortName,
} from "../../core/local_day.ts";

const HOUR = 3_600_000;

Deno.test("a bare date in Jakarta: since is local midnight, until the day's last millisecond", () => {
  // 14 March 2026 in Jakarta (UTC+7) runs from 13 March 17:00 UTC to 14 March 17:00 UTC.
  assert.equal(parseTimeBound("2026-03-14", "since", "Asia/Jakarta"), Date.UTC(2026, 2, 13, 17));
  assert.equal(
    parseTimeBound("2026-03-14", "until", "Asia/Jakarta"),
    Date.UTC(2026, 2, 14, 17) - 1,
  );
  // Makassar (UTC+8) and Jayapura (UTC+9): an hour and two earlier.
  assert.equal(parseTimeBound("2026-03-14", "since", "Asia/Makassar"), Date.UTC(2026, 2, 13, 16));
  assert.equal(
    parseTimeBound("2026-03-14", "until", "Asia/Jayapura"),
    Date.UTC(2026, 2, 14, 15) - 1,
  );
  assert.equal(parseTimeBound("2026-03-14", "since", "UTC"), Date.UTC(2026, 2, 14));
  // The last day of a year and a leap day.
  assert.equal(
    parseTimeBound("2026-12-31", "until", "Asia/Jakarta"),
    Date.UTC(2026, 11, 31, 17) - 1,
  );
  assert.equal(parseTimeBound("2028-02-29", "since", "Asia/Jakarta"), Date.UTC(2028, 1, 28, 17));
});

Deno.test("since and until of one date take in exactly that local day", () => {
  const since = parseTimeBound("2026-03-14", "since", "Asia/Jakarta")!;
  const until = parseTimeBound("2026-03-14", "until", "Asia/Jakarta")!;
  assert.equal(until - since + 1, 24 * HOUR);
  assert.deepEqual(localDay(since, "Asia/Jakarta"), { start: since, end: until + 1 });
  assert.deepEqual(localDay(until, "Asia/Jakarta"), { start: since, end: until + 1 });
});

Deno.test("other forms: milliseconds, ISO with an offset, ISO without one is local wall time", () => {
  assert.equal(parseTimeBound("1773421200000", "since", "Asia/Jakarta"), 1773421200000);
  assert.equal(
    parseTimeBound("2026-03-14T08:00:00+07:00", "until", "UTC"),
    Date.UTC(2026, 2, 14, 1),
  );
  assert.equal(
    parseTimeBound("2026-03-14T01:00:00Z", "since", "Asia/Jakarta"),
    Date.UTC(2026, 2, 14, 1),
  );
  assert.equal(
    parseTimeBound("2026-03-14T08:00", "since", "Asia/Jakarta"),
    Date.UTC(2026, 2, 14, 1),
  );
  assert.equal(
    parseTimeBound("2026-03-14 08:30:15.250", "until", "Asia/Jakarta"),
    Date.UTC(2026, 2, 14, 1, 30, 15, 250),
  );
});

Deno.test("text that is no time is refused", () => {
  for (
    const text of [
      "",
      "notadate",
      "2026-02-30",
      "2026-13-01",
      "2026-3-14",
      "14/03/2026",
      "March 14, 2026",
      "2026-03-14T25:00",
      "2026-03-14T08:61",
    ]
  ) {
    assert.equal(parseTimeBound(text, "since", "Asia/Jakarta"), undefined, text);
  }
});

Deno.test("New York across its clock changes: 23- and 25-hour days start at local midnight", () => {
  const spring = localDateRange("2026-03-08", "America/New_York")!;
  assert.equal(spring.start, Date.UTC(2026, 2, 8, 5)); // midnight EST
  assert.equal(spring.end, Date.UTC(2026, 2, 9, 4)); // midnight EDT
  assert.equal(spring.end - spring.start, 23 * HOUR);
  const autumn = localDateRange("2026-11-01", "America/New_York")!;
  assert.equal(autumn.start, Date.UTC(2026, 10, 1, 4));
  assert.equal(autumn.end, Date.UTC(2026, 10, 2, 5));
  assert.equal(autumn.end - autumn.start, 25 * HOUR);
  assert.equal(
    parseTimeBound("2026-11-01", "until", "America/New_York"),
    Date.UTC(2026, 10, 2, 5) - 1,
  );
  // 02:30 on the spring day does not exist: it is read as 03:30 EDT. 01:30 on the
  // autumn day happens twice: the first one (EDT).
  assert.equal(
    instantOfWallTime(Date.UTC(2026, 2, 8, 2, 30), "America/New_York"),
    Date.UTC(2026, 2, 8, 7, 30),
  );
  assert.equal(
    instantOfWallTime(Date.UTC(2026, 10, 1, 1, 30), "America/New_York"),
    Date.UTC(2026, 10, 1, 5, 30),
  );
});

Deno.test("a day whose midnight is skipped starts when the clocks move (Santiago)", () => {
  const day = localDateRange("2026-09-06", "America/Santiago")!;
  assert.equal(isoInZone(day.start, "America/Santiago"), "2026-09-06T01:00:00-03:00");
  assert.equal(isoInZone(day.start - 1, "America/Santiago"), "2026-09-05T23:59:59.999-04:00");
});

Deno.test("zone names: WIB, WITA, WIT in either language; Intl's name elsewhere", () => {
  const at = Date.UTC(2026, 6, 1);
  for (const locale of ["id-ID", "en-GB", "en-US"]) {
    assert.equal(zoneShortName(at, "Asia/Jakarta", locale), "WIB");
    assert.equal(zoneShortName(at, "Asia/Pontianak", locale), "WIB");
    assert.equal(zoneShortName(at, "Asia/Makassar", locale), "WITA");
    assert.equal(zoneShortName(at, "Asia/Jayapura", locale), "WIT");
    assert.equal(zoneShortName(at, "UTC", locale), "UTC");
    assert.equal(zoneShortName(Date.UTC(2026, 0, 15), "America/New_York", locale), "EST");
    assert.equal(zoneShortName(at, "America/New_York", locale), "EDT");
  }
});

Deno.test("ISO 8601 with the zone's offset", () => {
  const at = Date.UTC(2026, 2, 14, 23, 43);
  assert.equal(isoInZone(at, "Asia/Jakarta"), "2026-03-15T06:43:00+07:00");
  assert.equal(isoInZone(at, "Asia/Makassar"), "2026-03-15T07:43:00+08:00");
  assert.equal(isoInZone(at, "Asia/Jayapura"), "2026-03-15T08:43:00+09:00");
  assert.equal(isoInZone(at, "UTC"), "2026-03-14T23:43:00+00:00");
  assert.equal(isoInZone(at + 5, "America/New_York"), "2026-03-14T19:43:00.005-04:00");
  for (const zone of ["Asia/Jakarta", "America/New_York", "UTC"]) {
    assert.equal(Date.parse(isoInZone(at, zone)), at, zone);
  }
});

Deno.test("a year before 1970 and a day a month does not have are not dates, with or without a time", () => {
  for (const text of ["0050-06-01", "1969-12-31", "2026-02-30T00:00Z", "2026-02-30T08:00+07:00"]) {
    assert.equal(parseTimeBound(text, "since", "Asia/Jakarta"), undefined, text);
  }
  assert.equal(localDateRange("0050-06-01", "Asia/Jakarta"), undefined);
  assert.equal(parseTimeBound("2026-02-28T00:00Z", "since", "Asia/Jakarta"), Date.UTC(2026, 1, 28));
});
