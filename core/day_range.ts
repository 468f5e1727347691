/**
 * A range of whole days typed in a filter form (`<input type="date">` sends
 * `YYYY-MM-DD`): from the first moment of `since` to the last of `until`,
 * both days in KABAR_TIMEZONE.
 */
import type { FieldErrors } from "./form.ts";
import { localDateRange } from "./local_day.ts";

/** Milliseconds bounds, both inclusive; a blank day leaves its side open. */
export interface DayRange {
  since?: number;
  until?: number;
}

/**
 * Reads `since` and `until` (blank or `YYYY-MM-DD`) as days in `timeZone`;
 * a value that is no date, or an `until` before `since`, is a field error
 * naming it.
 */
export function readDayRange(
  input: { since?: string; until?: string },
  timeZone: string,
): { ok: true; range: DayRange } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const range: DayRange = {};
  for (const edge of ["since", "until"] as const) {
    const text = input[edge]?.trim() ?? "";
    if (text === "") continue;
    const day = localDateRange(text, timeZone);
    if (!day) {
      errors[edge] = { key: "err.date", params: { value: text.slice(0, 40) } };
      continue;
    }
    range[edge] = edge === "since" ? day.start : day.end - 1;
  }
  if (range.since !== undefined && range.until !== undefined && range.until < range.since) {
    errors.until = "err.date_order";
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, range };
}
