/**
 * Time as people in one time zone read it: a daily cap resets at local
 * midnight, not at midnight UTC.
 */

const DAY_MS = 86_400_000;

/** The calendar date and wall-clock time in `timeZone` at `ms`. */
export function localParts(
  ms: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
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
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second };
}

/** How far `timeZone`'s clocks are ahead of UTC at `ms`. */
function utcOffsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
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
