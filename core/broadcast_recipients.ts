/**
 * A broadcast's recipient list, read from pasted text or from a sheet's rows:
 * which column holds the number, the name and each template variable (by
 * header or by letter), and each row's verdict: `invalid` (with the reason),
 * `duplicate` (naming the earlier row), `opted_out`, or `pending`. Rows are
 * judged one at a time as they are read, so a list of 100,000 rows is never
 * held whole to be checked.
 */
import { columnLetter } from "./column_letter.ts";
import type { RecipientStatus } from "./broadcast_status.ts";
import { isBlankRow, type SheetRow } from "./contact_import.ts";
import { MAX_ATTRIBUTE_VALUE, MAX_CONTACT_NAME } from "./contact_input.ts";
import type { CsvSeparator } from "./csv.ts";
import { describePhoneProblem, normalisePhone, PHONE_PROBLEMS } from "./phone.ts";

/**
 * Why a row is left out; each is a message key `broadcasts.reason.<code>`:
 * the phone problems of `PHONE_PROBLEMS` (`empty`, `not_digits`, `too_short`,
 * `too_long`, `invalid_country`, `invalid`), `scientific` (a number typed as
 * `6.28123E+12`, its digits lost), `variable_missing`, `duplicate`, `opted_out`.
 */
export const RECIPIENT_REASONS = [
  ...PHONE_PROBLEMS,
  "scientific",
  "variable_missing",
  "duplicate",
  "opted_out",
] as const;
export type RecipientReason = typeof RECIPIENT_REASONS[number];

/** A number Excel turned into scientific notation as text (`6.28123E+12`): its digits are lost. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

// --- pasted text -------------------------------------------------------------------

/**
 * The recipients typed or pasted as text, one a line: `number`, `number, name`,
 * or more columns separated by commas, semicolons or tabs (each line's own
 * separator: the one found most often outside quotes, a tab before `;` before
 * `,` when as often); a quoted cell may hold the separator (`"Rahma, Siti"`).
 * `number name` with only spaces between is a number and a name. Cells are
 * trimmed; blank lines are passed over; each row is numbered by its line.
 */
export function parseRecipientText(text: string): SheetRow[] {
  const rows: SheetRow[] = [];
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let cells = splitLine(line, lineSeparator(line));
    if (cells.length === 1) {
      const spaced = /^(\+?[\d(][\d\s().\-\/]*\d)\s+([^\d\s+].*)$/.exec(cells[0]);
      if (spaced) cells = [spaced[1], spaced[2].trim()];
    }
    if (!isBlankRow(cells)) rows.push({ number: i + 1, cells });
  });
  return rows;
}

/**
 * The cells of one line, trimmed: a cell may be quoted after spaces (`, "Rahma, Siti"`), with
 * `""` for a quote in it; Excel's leading apostrophe (`'0812…`) is dropped.
 */
function splitLine(line: string, separator: CsvSeparator): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  let wasQuoted = false;
  const end = () => {
    const trimmed = wasQuoted ? cell : cell.trim();
    cells.push(trimmed.startsWith("'") ? trimmed.slice(1).trim() : trimmed);
    cell = "";
    wasQuoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char !== '"') cell += char;
      else if (line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (char === '"' && !wasQuoted && cell.trim() === "") {
      quoted = wasQuoted = true;
      cell = "";
    } else if (char === separator) end();
    else if (!(wasQuoted && /\s/.test(char))) cell += char;
  }
  end();
  return cells;
}

/** The separator of a line: the one found most often outside quotes, the first to come when as often. */
function lineSeparator(line: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { "\t": 0, ";": 0, ",": 0 };
  const first: Record<CsvSeparator, number> = { "\t": Infinity, ";": Infinity, ",": Infinity };
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\t" || char === ";" || char === ",")) {
      counts[char]++;
      first[char] = Math.min(first[char], i);
    }
  }
  let best: CsvSeparator = ",";
  for (const s of ["\t", ";", ","] as const) {
    if (
      counts[s] > counts[best] ||
      (counts[s] === counts[best] && counts[s] > 0 && first[s] < first[best])
    ) best = s;
  }
  return best;
}

// --- columns -----------------------------------------------------------------------

/** A column, by its header text (case and spaces around ignored), its letter (`A`, `AA`) or 0-based index. */
export type ColumnRef = string | number;

/** The 0-based column of letters `A`…`XFD` (any case); undefined when they are not a column. */
export function columnOfLetters(letters: string): number | undefined {
  const text = letters.trim().toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(text)) return undefined;
  let n = 0;
  for (const c of text) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * The 0-based column `ref` names in a sheet of `width` columns whose header is
 * `header` (none when the first row is data): a header text first, then a
 * letter, then a number (0-based). A column that does not exist is an error
 * naming it and the columns there are.
 */
export function findColumn(
  ref: ColumnRef,
  header: string[] | undefined,
  width: number,
): { ok: true; column: number } | { ok: false; message: string } {
  const there = width === 0
    ? "the list has no columns"
    : `the list has ${width === 1 ? "column A" : `columns A–${columnLetter(width - 1)}`}${
      header?.some((h) => h.trim())
        ? ` (${
          header.filter((h) => h.trim()).slice(0, 20).map((h) => JSON.stringify(h.trim())).join(
            ", ",
          )
        })`
        : ""
    }`;
  if (typeof ref === "number") {
    return Number.isInteger(ref) && ref >= 0 && ref < width
      ? { ok: true, column: ref }
      : { ok: false, message: `There is no column ${ref + 1}: ${there}` };
  }
  const wanted = ref.trim().toLowerCase();
  if (wanted === "") return { ok: false, message: `A column must be named: ${there}` };
  const byHeader = header?.findIndex((h) => h.trim().toLowerCase() === wanted) ?? -1;
  if (byHeader >= 0) return { ok: true, column: byHeader };
  const byLetter = columnOfLetters(wanted);
  if (byLetter !== undefined && byLetter < width) return { ok: true, column: byLetter };
  return { ok: false, message: `There is no column ${JSON.stringify(ref.trim())}: ${there}` };
}

/** Which column holds what, as asked: the number, the name, and each template variable. */
export interface RecipientColumns {
  phone: ColumnRef;
  name?: ColumnRef;
  variables?: Record<string, ColumnRef>;
}

/** Which column holds what, as 0-based columns. */
export interface RecipientMapping {
  phone: number;
  name?: number;
  variables: Record<string, number>;
}

/**
 * The mapping `columns` asks for in a sheet of `width` columns under `header`;
 * else an error per field (`phone`, `name`, `variables.<name>`) naming the column.
 */
export function resolveRecipientColumns(
  columns: RecipientColumns,
  header: string[] | undefined,
  width: number,
): { ok: true; mapping: RecipientMapping } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const find = (field: string, ref: ColumnRef | undefined) => {
    if (ref === undefined || ref === "") return undefined;
    const found = findColumn(ref, header, width);
    if (found.ok) return found.column;
    errors[field] = found.message;
    return undefined;
  };
  const phone = find("phone", columns.phone);
  if (phone === undefined && !errors.phone) {
    errors.phone = "Choose the column that holds the number";
  }
  const name = find("name", columns.name);
  const variables: Record<string, number> = {};
  for (const [key, ref] of Object.entries(columns.variables ?? {})) {
    const column = find(`variables.${key}`, ref);
    if (column !== undefined) variables[key] = column;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, mapping: { phone: phone!, name, variables } };
}

/**
 * Whether `cells`, a list's first row, is a header rather than a recipient:
 * its phone cell (when known) holds letters and is no number in scientific
 * notation; without a phone column, no cell holds six digits and one has letters.
 */
export function looksLikeHeader(cells: string[], phone?: number): boolean {
  const wordy = (cell: string) => /\p{L}/u.test(cell) && !SCIENTIFIC.test(cell.trim());
  if (phone !== undefined) return wordy(cells[phone] ?? "");
  return !cells.some((c) => /(?:\d\D?){6}/.test(c)) && cells.some(wordy);
}

// --- the list ----------------------------------------------------------------------

export interface RecipientOptions {
  /** The region of numbers written without a country code (ISO 3166 alpha-2). */
  region: string;
  /** The template's variables: a row without a value for one (its own or shared) is invalid. */
  required?: readonly string[];
  /** The broadcast's own variables, for every recipient; a recipient's own value wins. */
  shared?: Record<string, string>;
  /** Whether a number (E.164 digits) asked to receive no broadcasts. */
  isOptedOut?: (phone: string) => boolean;
  /** The most rows (not blank) a list may have; past it `add` throws `RecipientLimitError`. */
  maxRows?: number;
}

/** One row of a list and its verdict. */
export interface Recipient {
  /** The row's number in the sheet (its line in pasted text). */
  row: number;
  /** The number as written (Excel's leading apostrophe, `'0812…`, dropped). */
  input: string;
  /** E.164 digits, when the number could be read. */
  phone: string | null;
  name: string | null;
  /** The row's own values of the mapped variables (the broadcast's shared ones are not copied). */
  variables: Record<string, string>;
  status: RecipientStatus;
  /** Why the row is left out, in English words naming the value (what the API shows). */
  error: string | null;
  errorCode: RecipientReason | null;
  /** What the reason's message key `broadcasts.reason.<code>` takes: value, variable, row. */
  errorParams: Record<string, string | number> | null;
}

export interface RecipientCounts {
  /** Rows read (blank ones aside). */
  rows: number;
  /** Rows to send to (`pending`). */
  valid: number;
  invalid: number;
  duplicates: number;
  opted_out: number;
}

/** A stored list's counts: as read, and the numbers a check found not on WhatsApp. */
export type BroadcastCounts = RecipientCounts & { not_on_whatsapp: number };

/** A list with more rows than allowed. */
export class RecipientLimitError extends Error {
  constructor(readonly maxRows: number) {
    super(`The list has more than ${maxRows} rows; split it into smaller lists`);
    this.name = "RecipientLimitError";
  }
}

/** Judges a list's rows one at a time, as they are read. */
export class RecipientListBuilder {
  readonly #seen = new Map<string, number>();
  readonly #counts: RecipientCounts = {
    rows: 0,
    valid: 0,
    invalid: 0,
    duplicates: 0,
    opted_out: 0,
  };

  constructor(readonly mapping: RecipientMapping, readonly options: RecipientOptions) {}

  /** The verdict on `row`; undefined for a blank row, which is passed over. */
  add({ number, cells }: SheetRow): Recipient | undefined {
    if (isBlankRow(cells)) return undefined;
    const { mapping, options } = this;
    const counts = this.#counts;
    if (options.maxRows !== undefined && counts.rows >= options.maxRows) {
      throw new RecipientLimitError(options.maxRows);
    }
    counts.rows++;
    const cell = (i: number | undefined) => i === undefined ? "" : (cells[i] ?? "").trim();
    const input = cell(mapping.phone).replace(/^'\s*/, "");
    const nameText = cell(mapping.name);
    const variables: Record<string, string> = {};
    for (const [key, column] of Object.entries(mapping.variables)) {
      const value = cell(column);
      if (value !== "") variables[key] = cut(value, MAX_ATTRIBUTE_VALUE);
    }
    const base = {
      row: number,
      input,
      phone: null as string | null,
      name: nameText === "" ? null : cut(nameText, MAX_CONTACT_NAME),
      variables,
    };
    const leftOut = (
      status: RecipientStatus,
      code: RecipientReason,
      error: string,
      params: Record<string, string | number>,
      phone: string | null = null,
    ): Recipient => {
      if (status === "invalid") counts.invalid++;
      else if (status === "duplicate") counts.duplicates++;
      else if (status === "opted_out") counts.opted_out++;
      return { ...base, phone, status, error, errorCode: code, errorParams: params };
    };
    if (input === "") return leftOut("invalid", "empty", "has no phone number", { value: "" });
    if (SCIENTIFIC.test(input)) {
      return leftOut(
        "invalid",
        "scientific",
        `${
          JSON.stringify(input)
        } is a number in scientific notation: the spreadsheet rounded it and its digits are lost; format the column as text and type the number again`,
        { value: input },
      );
    }
    const read = normalisePhone(input, options.region);
    if (!read.ok) {
      return leftOut("invalid", read.problem, describePhoneProblem(input, read.problem), {
        value: input,
      });
    }
    const phone = read.phone;
    const first = this.#seen.get(phone);
    if (first !== undefined) {
      return leftOut(
        "duplicate",
        "duplicate",
        `${JSON.stringify(input)} is the number of row ${first} too`,
        { value: input, row: first },
        phone,
      );
    }
    if (options.isOptedOut?.(phone)) {
      this.#seen.set(phone, number);
      return leftOut(
        "opted_out",
        "opted_out",
        `${phone} asked to receive no broadcasts`,
        { value: phone },
        phone,
      );
    }
    for (const key of options.required ?? []) {
      if (variables[key] === undefined && !(options.shared?.[key] ?? "").trim()) {
        return leftOut(
          "invalid",
          "variable_missing",
          `has no value for {{${key}}}`,
          { value: input, variable: key },
          phone,
        );
      }
    }
    this.#seen.set(phone, number);
    counts.valid++;
    return { ...base, phone, status: "pending", error: null, errorCode: null, errorParams: null };
  }

  /** The counts so far. */
  counts(): RecipientCounts {
    return { ...this.#counts };
  }
}

/**
 * The verdict on each row of `rows` (after any header) as `mapping` reads them,
 * blank rows passed over, and the counts. For rows read as a stream, use a
 * `RecipientListBuilder` row by row instead.
 */
export function buildRecipients(
  rows: Iterable<SheetRow>,
  mapping: RecipientMapping,
  options: RecipientOptions,
): { recipients: Recipient[]; counts: RecipientCounts } {
  const builder = new RecipientListBuilder(mapping, options);
  const recipients: Recipient[] = [];
  for (const row of rows) {
    const r = builder.add(row);
    if (r) recipients.push(r);
  }
  return { recipients, counts: builder.counts() };
}

/** The variables a recipient's message is written with: the broadcast's, then the row's own. */
export function recipientVariables(
  recipient: Pick<Recipient, "variables">,
  shared: Record<string, string> = {},
): Record<string, string> {
  return { ...shared, ...recipient.variables };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : [...text].slice(0, max).join("");
}
