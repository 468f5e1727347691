/**
 * Importing contacts from a spreadsheet: which column holds what (the
 * mapping staff choose), and the rows read into contacts to create or
 * update, each row left out with its number and the reason.
 */
import type { FieldErrors } from "./form.ts";
import { describePhoneProblem, normalisePhone, type PhoneProblem } from "./phone.ts";
import { EMAIL_PATTERN, MAX_ATTRIBUTE_VALUE, MAX_CONTACT_NAME } from "./contact_input.ts";

/** One row of a sheet: its number as the spreadsheet shows it (1 is the first), its cells. */
export interface SheetRow {
  number: number;
  cells: string[];
}

/** The columns (0-based) that hold the phone, name and email, and those kept as attributes. */
export interface ImportMapping {
  phone: number;
  name?: number;
  email?: number;
  attributes: number[];
}

/** A contact read from a row: its phone as stored, and what the row says about them. */
export interface ImportRecord {
  row: number;
  phone: string;
  name: string | null;
  email: string | null;
  attributes: Record<string, string>;
}

/** Why a row was left out. */
export const SKIP_REASONS = ["no_phone", "phone", "scientific", "duplicate", "email"] as const;
export type SkipReason = typeof SKIP_REASONS[number];

export interface ImportSkip {
  row: number;
  reason: SkipReason;
  /** The cell at fault, as read. */
  value: string;
  /** For `phone`: why the number could not be read. */
  problem?: PhoneProblem;
  /** For `duplicate`: the earlier row with the same number. */
  duplicateOf?: number;
  /** The reason in English words, naming the value (what the API says). */
  message: string;
}

/** How many rows an import reads at most. */
export const MAX_IMPORT_ROWS = 100_000;

/** A number Excel turned into scientific notation as text (`6.28123E+12`): its digits are lost. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

/** The name of each column: its header, or `Column N` when the header is blank. */
export function columnNames(header: string[], width: number): string[] {
  return Array.from({ length: width }, (_, i) => header[i]?.trim() || `Column ${i + 1}`);
}

/** Whether every cell of a row is blank: such rows are not read at all. */
export function isBlankRow(cells: string[]): boolean {
  return cells.every((c) => c.trim() === "");
}

/**
 * The mapping a header suggests: `telepon`, `phone`, `hp`, `wa`, `nomor` for
 * the phone, `nama` / `name` for the name, `email` for the email.
 */
export function guessMapping(header: string[]): Partial<ImportMapping> {
  const find = (pattern: RegExp) => {
    const i = header.findIndex((h) => pattern.test(h.trim()));
    return i < 0 ? undefined : i;
  };
  return {
    phone: find(
      /^(no\.?\s*)?(telepon|telp|tel|phone|hp|handphone|wa|whatsapp|nomor|number|mobile|ponsel)\b/i,
    ) ??
      find(/telepon|phone|hp|whatsapp|nomor|ponsel/i),
    name: find(/^(nama|name)\b/i) ?? find(/nama|name/i),
    email: find(/e-?mail/i),
  };
}

/**
 * Reads a mapping from a form (`phone`, `name`, `email`: a column number or
 * empty; `attr`: column numbers), naming each value that is not a column of
 * `width`.
 */
export function readMapping(
  values: Record<string, string | string[] | undefined>,
  width: number,
): { ok: true; mapping: ImportMapping } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const column = (name: string, text: string | undefined): number | undefined => {
    const v = (text ?? "").trim();
    if (v === "") return undefined;
    const n = /^\d{1,4}$/.test(v) ? Number(v) : NaN;
    if (!(n >= 0 && n < width)) {
      errors[name] = { key: "err.choice", params: { value: v.slice(0, 40) } };
      return undefined;
    }
    return n;
  };
  const one = (name: string) => {
    const v = values[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const phone = column("phone", one("phone"));
  if (phone === undefined && !errors.phone) errors.phone = "err.import_phone_column";
  const name = column("name", one("name"));
  const email = column("email", one("email"));
  const attributes = [
    ...new Set([values.attr ?? []].flat().flatMap((a) => column("attr", a) ?? [])),
  ]
    .filter((c) => c !== phone && c !== name && c !== email);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, mapping: { phone: phone!, name, email, attributes } };
}

/**
 * The contacts in `rows` (after the header) as `mapping` reads them, with
 * `region` for numbers typed without a country code. Blank rows are passed
 * over; a row without a readable number, with an email that is not one, or
 * with a number an earlier row had is left out with its reason.
 */
export function planImport(
  header: string[],
  rows: Iterable<SheetRow>,
  mapping: ImportMapping,
  region: string,
): { records: ImportRecord[]; skipped: ImportSkip[] } {
  const names = columnNames(
    header,
    Math.max(header.length, ...mapping.attributes.map((a) => a + 1)),
  );
  const records: ImportRecord[] = [];
  const skipped: ImportSkip[] = [];
  const seen = new Map<string, number>();
  const cell = (cells: string[], i: number | undefined) =>
    i === undefined ? "" : (cells[i] ?? "").trim();
  for (const { number, cells } of rows) {
    if (isBlankRow(cells)) continue;
    const raw = cell(cells, mapping.phone);
    if (raw === "") {
      skipped.push({ row: number, reason: "no_phone", value: "", message: "has no phone number" });
      continue;
    }
    if (SCIENTIFIC.test(raw)) {
      skipped.push({
        row: number,
        reason: "scientific",
        value: raw,
        message: `${
          JSON.stringify(raw)
        } is a number in scientific notation: the spreadsheet rounded it and its digits are lost; format the column as text and type the number again`,
      });
      continue;
    }
    const read = normalisePhone(raw, region);
    if (!read.ok) {
      skipped.push({
        row: number,
        reason: "phone",
        value: raw,
        problem: read.problem,
        message: describePhoneProblem(raw, read.problem),
      });
      continue;
    }
    const first = seen.get(read.phone);
    if (first !== undefined) {
      skipped.push({
        row: number,
        reason: "duplicate",
        value: raw,
        duplicateOf: first,
        message: `${JSON.stringify(raw)} is the number of row ${first} too`,
      });
      continue;
    }
    const email = cell(cells, mapping.email);
    if (email !== "" && !EMAIL_PATTERN.test(email)) {
      skipped.push({
        row: number,
        reason: "email",
        value: email,
        message: `${JSON.stringify(email)} is not an email address`,
      });
      continue;
    }
    seen.set(read.phone, number);
    const attributes: Record<string, string> = {};
    for (const a of mapping.attributes) {
      const value = cell(cells, a);
      if (value !== "") attributes[names[a]] = [...value].slice(0, MAX_ATTRIBUTE_VALUE).join("");
    }
    const name = cell(cells, mapping.name);
    records.push({
      row: number,
      phone: read.phone,
      name: name === "" ? null : [...name].slice(0, MAX_CONTACT_NAME).join(""),
      email: email === "" ? null : email,
      attributes,
    });
  }
  return { records, skipped };
}
