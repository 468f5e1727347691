/**
 * Days as people in one time zone count them: a daily cap resets at local
 * midnight, not at midnight UTC.
 */

const DAY_MS = 86_400_000;

/** How far `timeZone`'s clocks are ahead of UTC at `ms`. */
function utcOffsetMs(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The local day around `ms` in `timeZone`: its first and its next day's first millisecond. */
export function localDay(ms: number, timeZone: string): { start: number; end: number } {
  const local = ms + utcOffsetMs(ms, timeZone);
  const startLocal = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  // Offsets are taken at each boundary, so a day with a clock change still starts at midnight.
  const start = startLocal - utcOffsetMs(startLocal - utcOffsetMs(ms, timeZone), timeZone);
  const endLocal = startLocal + DAY_MS;
  const end = endLocal - utcOffsetMs(endLocal - utcOffsetMs(ms, timeZone), timeZone);
  return { start, end };
}
