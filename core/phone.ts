/**
 * Phone numbers as people type them, turned into E.164 digits without `+`
 * (`0812-3456-7890` -> `6281234567890` with the default country 62).
 */

/** Indonesia, the default country calling code. */
export const DEFAULT_COUNTRY_CODE = "62";

/** Why a number could not be read; each is a message key `phone.<reason>`. */
export type PhoneProblem = "empty" | "not_digits" | "too_short" | "too_long";

export type PhoneResult =
  | { ok: true; phone: string }
  | { ok: false; problem: PhoneProblem };

/** E.164 allows at most 15 digits; real subscriber numbers have at least 8. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/**
 * Normalises a phone number. Accepts `+62 812…`, `0062 812…`, `62812…`,
 * `0812…` and `812…` (the last two get `defaultCountry`), with spaces,
 * dashes, dots and parentheses anywhere.
 */
export function normalisePhone(
  input: string,
  defaultCountry: string = DEFAULT_COUNTRY_CODE,
): PhoneResult {
  const compact = input.trim().replace(/[\s\-.()\u00a0]/g, "");
  if (compact === "") return { ok: false, problem: "empty" };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, problem: "not_digits" };
  let digits: string;
  if (compact.startsWith("+")) digits = compact.slice(1);
  else if (compact.startsWith("00")) digits = compact.slice(2);
  else if (compact.startsWith("0")) digits = defaultCountry + compact.slice(1);
  else if (compact.startsWith(defaultCountry)) digits = compact;
  else digits = defaultCountry + compact;
  if (digits.length < MIN_DIGITS) return { ok: false, problem: "too_short" };
  if (digits.length > MAX_DIGITS) return { ok: false, problem: "too_long" };
  return { ok: true, phone: digits };
}
