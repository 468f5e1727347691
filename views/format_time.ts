import { isoInZone, zoneShortName } from "../core/local_day.ts";
import { formatTimeOfDay } from "../core/send_window.ts";

/** What a time on a page is shown in: the page's language and Kabar's zone (`KABAR_TIMEZONE`). */
export interface TimeSettings {
  lang: string;
  timeZone: string;
}

/** The locale a page's language formats dates in. */
export function localeOf(lang: string): string {
  return lang === "id" ? "id-ID" : "en-GB";
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, timeZone: string, style: "short" | "medium" | "full") {
  const key = `${locale}|${timeZone}|${style}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, {
      timeZone,
      dateStyle: style === "full" ? "full" : "medium",
      timeStyle: style === "full" ? "medium" : style,
    });
    formats.set(key, found);
  }
  return found;
}

/**
 * A date and time in the page's language and in Kabar's zone, without the
 * zone's name: `15 Mar 2026, 06.43` (`06.43.00` with seconds).
 */
export function formatTime(
  ms: number,
  settings: TimeSettings,
  options: { seconds?: boolean } = {},
): string {
  return format(localeOf(settings.lang), settings.timeZone, options.seconds ? "medium" : "short")
    .format(new Date(ms));
}

/** The zone's short name at `ms`: WIB, WITA, WIT, or e.g. UTC, EST. */
export function zoneLabel(ms: number, settings: TimeSettings): string {
  return zoneShortName(ms, settings.timeZone, localeOf(settings.lang));
}

/** A date and time with the zone's name: `15 Mar 2026, 06.43 WIB`. */
export function formatTimeWithZone(
  ms: number,
  settings: TimeSettings,
  options: { seconds?: boolean } = {},
): string {
  return `${formatTime(ms, settings, options)} ${zoneLabel(ms, settings)}`;
}

/** The long form, for a tooltip: `Minggu, 15 Maret 2026 06.43.00 WIB`. */
export function formatTimeLong(ms: number, settings: TimeSettings): string {
  return `${format(localeOf(settings.lang), settings.timeZone, "full").format(new Date(ms))} ${
    zoneLabel(ms, settings)
  }`;
}

/** The `datetime` attribute of a `<time>`: ISO 8601 with the zone's offset. */
export function machineTime(ms: number, settings: TimeSettings): string {
  return isoInZone(ms, settings.timeZone);
}

/** Minutes after midnight as the page's language writes a time of day: `08.00`, `08:00`. */
export function formatTimeOfDayIn(minutes: number, lang: string): string {
  // As `formatTime` writes the time of a date: Indonesian separates hours and minutes with a dot.
  const time = formatTimeOfDay(minutes);
  return lang === "id" ? time.replace(":", ".") : time;
}
