/**
 * Time as people in one time zone read it: a daily cap resets at local
 * midnight, not at midnight UTC.
 */

const DAY_MS = 86_400_000;

/** Making a formatter costs far more than using one: one per zone, kept. */
const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let found = partsFormats.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    partsFormats.set(timeZone, found);
  }
  return found;
}

/** The calendar date and wall-clock time in `timeZone` at `ms`. */
export function localParts(
  ms: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(
    partsFormat(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]),
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

/**
 * The instant a wall-clock time in `timeZone` names. `wallMs` is that wall
 * time written as if it were UTC (`Date.UTC(y, m - 1, d, h, min)`). A time
 * that happens twice (clocks set back) is its first one; a time skipped by a
 * clock set forward is read with the offset before the change, so it lands
 * just after the change (as Temporal's "compatible" does).
 */
export function instantOfWallTime(wallMs: number, timeZone: string): number {
  const before = utcOffsetMs(wallMs - DAY_MS, timeZone);
  const after = utcOffsetMs(wallMs + DAY_MS, timeZone);
  if (before === after) return wallMs - before;
  const early = wallMs - before;
  if (utcOffsetMs(early, timeZone) === before) return early;
  const late = wallMs - after;
  if (utcOffsetMs(late, timeZone) === after) return late;
  return early;
}

/** Kabar keeps nothing from before 1970: an earlier year is a typing mistake. */
const FIRST_YEAR = 1970;

/** `YYYY-MM-DD` as numbers when it is a real calendar date from 1970 on, else undefined. */
function calendarDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < FIRST_YEAR) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/**
 * The first and the next day's first millisecond of the calendar date
 * `YYYY-MM-DD` in `timeZone` (23 or 25 hours apart on a day the clocks
 * change); undefined for text that is not a date.
 */
export function localDateRange(
  date: string,
  timeZone: string,
): { start: number; end: number } | undefined {
  const d = calendarDate(date);
  if (!d) return undefined;
  return {
    start: instantOfWallTime(Date.UTC(d.year, d.month - 1, d.day), timeZone),
    end: instantOfWallTime(Date.UTC(d.year, d.month - 1, d.day + 1), timeZone),
  };
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/**
 * One end of a time filter (`since`, `until`) as milliseconds since 1970,
 * inclusive; undefined when `text` is none of the accepted forms:
 * - milliseconds since 1970: `1773532800000`;
 * - an ISO 8601 time with its offset: `2026-03-14T08:00:00+07:00`, `…Z`;
 * - an ISO 8601 time without one, a wall-clock time in `timeZone`: `2026-03-14T08:00`;
 * - a date, a whole day in `timeZone`: `since` is its first millisecond,
 *   `until` its last, so `since=2026-03-14&until=2026-03-14` is that one day.
 */
export function parseTimeBound(
  text: string,
  edge: "since" | "until",
  timeZone: string,
): number | undefined {
  const value = text.trim();
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (ISO_WITH_ZONE.test(value)) {
    // Date.parse moves 30 February to 2 March: the date must be a real one.
    if (!calendarDate(value.slice(0, 10))) return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const day = localDateRange(value, timeZone);
  if (day) return edge === "since" ? day.start : day.end - 1;
  const local = ISO_LOCAL.exec(value);
  if (!local) return undefined;
  const d = calendarDate(local[1]);
  const [hour, minute, second] = [Number(local[2]), Number(local[3]), Number(local[4] ?? 0)];
  if (!d || hour > 23 || minute > 59 || second > 59) return undefined;
  const milli = Number((local[5] ?? "0").padEnd(3, "0"));
  return instantOfWallTime(
    Date.UTC(d.year, d.month - 1, d.day, hour, minute, second, milli),
    timeZone,
  );
}

/** The short names Indonesians use for their three zones, whatever the language. */
const INDONESIAN_ZONES: Record<string, string> = {
  "Asia/Jakarta": "WIB",
  "Asia/Pontianak": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Ujung_Pandang": "WITA",
  "Asia/Jayapura": "WIT",
};

/**
 * The short name of `timeZone` at `ms`, to print beside a time: WIB, WITA or
 * WIT for Indonesia's zones (Intl says "GMT+7" in English), otherwise the
 * name Intl gives in `locale`, or in US English when that one is only an
 * offset (EST/EDT rather than GMT-5/GMT-4).
 */
export function zoneShortName(ms: number, timeZone: string, locale: string): string {
  const known = INDONESIAN_ZONES[timeZone];
  if (known) return known;
  const nameIn = (loc: string) =>
    new Intl.DateTimeFormat(loc, { timeZone, timeZoneName: "short" })
      .formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  const own = nameIn(locale);
  if (!/^GMT[+-]/.test(own)) return own;
  const american = nameIn("en-US");
  return /^GMT[+-]/.test(american) ? own : american;
}

/** `ms` as ISO 8601 with `timeZone`'s offset then, e.g. `2026-03-15T06:43:00+07:00`. */
export function isoInZone(ms: number, timeZone: string): string {
  const offsetMs = offsetAt(ms, timeZone);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMs);
  const offsetMin = Math.round(offsetMs / 60_000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const two = (n: number) => String(n).padStart(2, "0");
  const milli = ((ms % 1000) + 1000) % 1000;
  return `${String(local.getUTCFullYear()).padStart(4, "0")}-${two(local.getUTCMonth() + 1)}-` +
    `${two(local.getUTCDate())}T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:` +
    `${two(local.getUTCSeconds())}${milli ? `.${String(milli).padStart(3, "0")}` : ""}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * `utcOffsetMs`, remembered by quarter hour: clocks change only on a quarter hour (UTC), and a
 * page shows many times close together.
 */
const offsets = new Map<string, number>();
const QUARTER_HOUR_MS = 15 * 60_000;

function offsetAt(ms: number, timeZone: string): number {
  const key = `${timeZone} ${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = utcOffsetMs(ms, timeZone);
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}
