/**
 * Phone numbers as people type them, turned into E.164 digits without `+`
 * (`0812-3456-7890` -> `6281234567890` in the default region `ID`), checked
 * against the numbering plans of libphonenumber (its full metadata, which
 * tells mobile from fixed-line numbers).
 */
import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberWithError,
  type PhoneNumber,
  type PhoneNumberType,
  validatePhoneNumberLength,
} from "libphonenumber-js/max";

/** Indonesia, the default region of numbers typed without a country code. */
export const DEFAULT_PHONE_REGION = "ID";

/**
 * Why a number could not be read; each is a message key `err.phone_<reason>`.
 * - `empty`: no digits at all;
 * - `not_digits`: letters or other characters than digits, spaces, dashes, dots,
 *   slashes, parentheses and a leading `+`;
 * - `too_short` / `too_long`: fewer or more digits than a number of its country has;
 * - `invalid_country`: after `+` or `00` comes no country calling code;
 * - `invalid`: the right length, but no number of its country looks like this.
 */
export const PHONE_PROBLEMS = [
  "empty",
  "not_digits",
  "too_short",
  "too_long",
  "invalid_country",
  "invalid",
] as const;
export type PhoneProblem = typeof PHONE_PROBLEMS[number];

/** What kind of line a number is, as the numbering plan of its country says. */
export const PHONE_TYPES = [
  "mobile",
  "fixed_line",
  "fixed_line_or_mobile",
  "toll_free",
  "premium_rate",
  "shared_cost",
  "voip",
  "personal_number",
  "pager",
  "uan",
  "voicemail",
  "unknown",
] as const;
export type PhoneType = typeof PHONE_TYPES[number];

export type PhoneResult =
  | {
    ok: true;
    /** E.164 digits without `+`, e.g. `6281234567890`: what Kabar stores. */
    phone: string;
    /** The region (ISO 3166 alpha-2) the number belongs to; undefined for global numbers (+800). */
    country: string | undefined;
    type: PhoneType;
    /** A landline: accepted (WhatsApp Business runs on some), but worth a second look. */
    warning?: "fixed_line";
  }
  | { ok: false; problem: PhoneProblem };

/** Why a number was refused, in English words for API answers: `"0812" ${text}`. */
export const PHONE_PROBLEM_TEXT: Record<PhoneProblem, string> = {
  empty: "is empty",
  not_digits:
    "has characters other than digits (only spaces, dashes, dots, slashes, parentheses and a leading + may go with them)",
  too_short: "is too short for a phone number of its country",
  too_long: "is too long for a phone number of its country",
  invalid_country: "does not start with a country calling code after + or 00",
  invalid: "is not a phone number of its country (no number there starts like this)",
};

/** `"<value>" <why>`, the reason a number was refused, naming the value. */
export function describePhoneProblem(input: string, problem: PhoneProblem): string {
  const shown = [...input].length > 40 ? `${[...input].slice(0, 40).join("")}…` : input;
  return `${JSON.stringify(shown)} ${PHONE_PROBLEM_TEXT[problem]}`;
}

/** Whether `region` is a region (ISO 3166 alpha-2, upper case) whose numbers Kabar can read. */
export function isPhoneRegion(region: string): boolean {
  return /^[A-Z]{2}$/.test(region) && isSupportedCountry(region);
}

/**
 * Spaces (also non-breaking and thin), invisible marks phones add when
 * copying, punctuation. Not a line break or a tab inside a number: that is two
 * things run together, not one number.
 */
const SEPARATOR =
  /[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u200b-\u200f\u202a-\u202e\u2060\ufeff\-\u2010-\u2015\u2212\uff0d.\uff0e\/\uff0f()\uff08\uff09[\]\uff3b\uff3d]/gu;

/** Decimal digits of other scripts that phones and keyboards produce, by their zero. */
const DIGIT_ZEROS = [0xff10, 0x0660, 0x06f0];

/** ASCII digits for full-width and Arabic-Indic ones; other characters stay. */
function asciiDigits(text: string): string {
  return text.replace(/[\uff10-\uff19\u0660-\u0669\u06f0-\u06f9]/gu, (c) => {
    const code = c.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9)!;
    return String(code - zero);
  });
}

/**
 * Normalises a phone number typed any common way: `+62 812-3456-7890`,
 * `0062 812…`, `62 812…`, `62 0812…`, `+62 (0) 812…`, `0812…` and `812…` (the last
 * two in `region`, ISO 3166 alpha-2), with spaces, dashes, dots, slashes and
 * parentheses anywhere, full-width digits too. `00` is always the international
 * prefix. Letters are refused, never read as digits. The number must be valid
 * for its country; landlines are accepted with `warning: "fixed_line"`.
 */
export function normalisePhone(
  input: string,
  region: string = DEFAULT_PHONE_REGION,
): PhoneResult {
  const compact = asciiDigits(input.trim()).replace(SEPARATOR, "").replace(/^\uff0b/, "+");
  if (!/\d/.test(compact)) {
    return { ok: false, problem: /^\+?$/.test(compact) ? "empty" : "not_digits" };
  }
  if (!/^\+?\d+$/.test(compact)) return { ok: false, problem: "not_digits" };
  const international = compact.startsWith("+")
    ? compact
    : /^00[1-9]/.test(compact)
    ? `+${compact.slice(2)}`
    : undefined;
  const defaultCountry = isPhoneRegion(region) ? region as CountryCode : "ID";
  const text = international ?? withCountryCode(compact, defaultCountry) ?? compact;
  const parsed = parse(text, defaultCountry);
  if (!parsed.ok) return parsed;
  const number = parsed.number;
  if (!number.isValid()) return { ok: false, problem: whyInvalid(text, defaultCountry) };
  const type = typeOf(number.getType());
  return {
    ok: true,
    phone: number.number.slice(1),
    country: number.country,
    type,
    ...(type === "fixed_line" ? { warning: "fixed_line" as const } : {}),
  };
}

type Parsed = { ok: true; number: PhoneNumber } | { ok: false; problem: PhoneProblem };

function parse(text: string, defaultCountry: CountryCode): Parsed {
  try {
    return {
      ok: true,
      number: parsePhoneNumberWithError(text, { defaultCountry, extract: false }),
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message === "INVALID_COUNTRY") return { ok: false, problem: "invalid_country" };
    if (message === "TOO_LONG") return { ok: false, problem: "too_long" };
    if (message === "TOO_SHORT" || message === "NOT_A_NUMBER") {
      return { ok: false, problem: "too_short" };
    }
    return { ok: false, problem: "invalid" };
  }
}

/**
 * `+digits` when the digits start with the region's country calling code and
 * read so are a valid number: `62 21 555 1234` is Jakarta, not a number in
 * the area 0622 (written with its 0 when meant so).
 */
function withCountryCode(digits: string, region: CountryCode): string | undefined {
  if (!digits.startsWith(getCountryCallingCode(region))) return undefined;
  return isValid(`+${digits}`, region) ? `+${digits}` : undefined;
}

function isValid(text: string, defaultCountry: CountryCode): boolean {
  const parsed = parse(text, defaultCountry);
  return parsed.ok && parsed.number.isValid();
}

/** E.164 has at most 15 digits, the country code included. */
const MAX_DIGITS = 15;

/**
 * Why a number the library read is not valid: too short when more digits would
 * make it one (`0812345`), too long when fewer would, otherwise invalid
 * (`0000000000`, `+62 1234 5678`).
 */
function whyInvalid(text: string, defaultCountry: CountryCode): PhoneProblem {
  const length = validatePhoneNumberLength(text, defaultCountry);
  if (length === "TOO_SHORT") return "too_short";
  if (length === "TOO_LONG") return "too_long";
  if (length === "INVALID_COUNTRY") return "invalid_country";
  const digits = text.replace(/^\+/, "").length;
  for (let more = 1; digits + more <= MAX_DIGITS + 2; more++) {
    if (isValid(text + "0".repeat(more), defaultCountry)) return "too_short";
  }
  for (let fewer = 1; digits - fewer >= 6; fewer++) {
    if (isValid(text.slice(0, -fewer), defaultCountry)) return "too_long";
  }
  return "invalid";
}

function typeOf(type: PhoneNumberType | undefined): PhoneType {
  return type === undefined ? "unknown" : type.toLowerCase() as PhoneType;
}

/**
 * The digits to look for when someone searches by a number or a part of one:
 * a whole number in any form as Kabar stores it (`0812-3456-7890` ->
 * `6281234567890`), else its digits with a leading `+`, `00` or trunk `0`
 * dropped (`0812 345` finds `…812345…`).
 */
export function phoneSearchDigits(text: string, region: string = DEFAULT_PHONE_REGION): string {
  const read = normalisePhone(text, region);
  if (read.ok) return read.phone;
  const digits = text.replace(/\D/g, "");
  const part = text.trim().startsWith("+")
    ? digits
    : digits.startsWith("00")
    ? digits.slice(2)
    : digits.startsWith("0")
    ? digits.slice(1)
    : digits;
  return part === "" ? digits : part;
}
