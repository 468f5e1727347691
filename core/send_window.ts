/**
 * The hours of the day a broadcast may send in, local to the hospital
 * (`KABAR_TIMEZONE`): at the default pace 5,000 reminders take ten hours,
 * and they must not arrive at night. A window may cross midnight
 * (20:00–06:00); outside it the broadcast waits and goes on by itself.
 */
import { instantOfWallTime, localParts } from "./local_day.ts";

/** Minutes after local midnight: sending may begin at `start` and stops at `end`. */
export interface SendWindow {
  start: number;
  end: number;
}

/** The window a new broadcast gets unless told otherwise: 08:00–20:00. */
export const DEFAULT_SEND_WINDOW: SendWindow = { start: 8 * 60, end: 20 * 60 };

const HH_MM = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/** `"08:00"` (or `8.00`) as minutes after midnight, or undefined when it is no time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = HH_MM.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Minutes after midnight as `"08:00"`. */
export function formatTimeOfDay(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return `${String(h).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * Whether sending is allowed at `now`, and when that next changes (undefined:
 * never, without a window). A window whose start equals its end is empty
 * in no sense but "always": it is refused when typed, so it never gets here.
 */
export function windowAt(
  window: SendWindow | null,
  now: number,
  timeZone: string,
): { open: boolean; changesAt: number | undefined } {
  if (!window) return { open: true, changesAt: undefined };
  const p = localParts(now, timeZone);
  const minute = p.hour * 60 + p.minute;
  const open = window.start < window.end
    ? minute >= window.start && minute < window.end
    : minute >= window.start || minute < window.end;
  const boundary = open ? window.end : window.start;
  let changesAt = instantOfWallTime(Date.UTC(p.year, p.month - 1, p.day, 0, boundary), timeZone);
  if (changesAt <= now) {
    changesAt = instantOfWallTime(Date.UTC(p.year, p.month - 1, p.day + 1, 0, boundary), timeZone);
  }
  return { open, changesAt };
}
