/**
 * The one formatter of times on pages: Kabar's zone (KABAR_TIMEZONE), never
 * the server's, in the page's language, with the zone's short name.
 */
import assert from "node:assert/strict";
import {
  formatTime,
  formatTimeLong,
  formatTimeWithZone,
  machineTime,
  zoneLabel,
} from "../../views/format_time.ts";
import { LocalTime } from "../../views/kit/local_time.tsx";

// 14 March 2026, 23:43 UTC: already the 15th in Indonesia.
const AT = Date.UTC(2026, 2, 14, 23, 43, 9);

Deno.test("Indonesia's three zones, in Indonesian and English", () => {
  const cases: Array<[string, string, string]> = [
    ["Asia/Jakarta", "06.43", "WIB"],
    ["Asia/Makassar", "07.43", "WITA"],
    ["Asia/Jayapura", "08.43", "WIT"],
  ];
  for (const [timeZone, time, zone] of cases) {
    assert.equal(formatTimeWithZone(AT, { lang: "id", timeZone }), `15 Mar 2026, ${time} ${zone}`);
    assert.equal(
      formatTimeWithZone(AT, { lang: "en", timeZone }),
      `15 Mar 2026, ${time.replace(".", ":")} ${zone}`,
    );
    assert.equal(zoneLabel(AT, { lang: "en", timeZone }), zone, "not GMT+7 in English");
  }
  assert.equal(
    formatTime(AT, { lang: "id", timeZone: "Asia/Jakarta" }, { seconds: true }),
    "15 Mar 2026, 06.43.09",
  );
});

Deno.test("UTC shows the UTC day and time", () => {
  assert.equal(formatTimeWithZone(AT, { lang: "en", timeZone: "UTC" }), "14 Mar 2026, 23:43 UTC");
  assert.equal(formatTimeWithZone(AT, { lang: "id", timeZone: "UTC" }), "14 Mar 2026, 23.43 UTC");
});

Deno.test("New York across its clock change: EST before, EDT after", () => {
  const ny = { lang: "en", timeZone: "America/New_York" };
  // 8 March 2026: at 07:00 UTC clocks go from 02:00 EST to 03:00 EDT.
  assert.equal(formatTimeWithZone(Date.UTC(2026, 2, 8, 6, 59), ny), "8 Mar 2026, 01:59 EST");
  assert.equal(formatTimeWithZone(Date.UTC(2026, 2, 8, 7, 0), ny), "8 Mar 2026, 03:00 EDT");
  assert.equal(formatTimeWithZone(AT, { ...ny, lang: "id" }), "14 Mar 2026, 19.43 EDT");
  assert.equal(machineTime(Date.UTC(2026, 2, 8, 6, 59), ny), "2026-03-08T01:59:00-05:00");
  assert.equal(machineTime(Date.UTC(2026, 2, 8, 7, 0), ny), "2026-03-08T03:00:00-04:00");
});

Deno.test("the long form names the weekday, for a tooltip", () => {
  assert.equal(
    formatTimeLong(AT, { lang: "id", timeZone: "Asia/Jakarta" }),
    "Minggu, 15 Maret 2026 pukul 06.43.09 WIB",
  );
});

Deno.test("<LocalTime>: a <time> with the exact instant, the time and the zone", async () => {
  const html = String(await LocalTime({ ms: AT, ctx: { lang: "id", timeZone: "Asia/Jakarta" } }));
  assert.match(html, /^<time datetime="2026-03-15T06:43:09\+07:00" title="[^"]+">/);
  assert.match(html, />15 Mar 2026, 06\.43<span class="zone"> WIB<\/span><\/time>$/);
  const bare = String(
    await LocalTime({ ms: AT, ctx: { lang: "en", timeZone: "Asia/Jakarta" }, zone: false }),
  );
  assert.doesNotMatch(bare, /WIB</);
});
