/**
 * CSV as spreadsheets write it and read it: reading a file people saved from
 * Excel or LibreOffice (comma, semicolon or tab between cells, quoted cells
 * with line breaks, UTF-8 with or without a BOM, or Windows' own encoding),
 * and writing cells that a spreadsheet opens as text, never as a formula.
 */

/** The separators a file may use between cells. */
const CSV_SEPARATORS = [",", ";", "\t"] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

/**
 * The text of a CSV file: UTF-8 (its BOM dropped), or, when the bytes are not
 * UTF-8, Windows-1252 (what Excel's "CSV" writes on Windows in Indonesia).
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  return text.startsWith("\ufeff") ? text.slice(1) : text;
}

/**
 * The separator of the file: the one of `,` `;` and tab found most often
 * outside quotes on its first line (a comma when none is).
 */
export function detectSeparator(text: string): CsvSeparator {
  const counts = new Map<CsvSeparator, number>(CSV_SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char as CsvSeparator)) {
      counts.set(char as CsvSeparator, counts.get(char as CsvSeparator)! + 1);
    }
  }
  let best: CsvSeparator = ",";
  for (const [separator, count] of counts) if (count > counts.get(best)!) best = separator;
  return best;
}

/**
 * The rows of a CSV text (RFC 4180: `"` quotes a cell, `""` is a quote in
 * it, a quoted cell may hold separators and line breaks; CRLF, LF or CR end a
 * row). A final empty line is no row.
 */
export function parseCsv(
  text: string,
  separator: CsvSeparator = detectSeparator(text),
): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += char;
      i++;
      continue;
    }
    if (char === '"' && cell === "") quoted = true;
    else if (char === separator) endCell();
    else if (char === "\r") {
      endRow();
      if (text[i + 1] === "\n") i++;
    } else if (char === "\n") endRow();
    else cell += char;
    i++;
  }
  if (cell !== "" || row.length > 0) endRow();
  return rows;
}

/**
 * Text a spreadsheet shows as written: when it starts with `=`, `+`, `-`,
 * `@` (or a tab or carriage return) it gets a `'` first, never run as a formula.
 */
export function spreadsheetText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * A cell for a CSV file opened in a spreadsheet: text starting with `=`,
 * `+`, `-`, `@` (or a tab or carriage return) gets a `'` first so that it is
 * never run as a formula; quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: string | number | null | undefined): string {
  const text = spreadsheetText(value === null || value === undefined ? "" : String(value));
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line of a CSV file (comma-separated, CRLF-terminated, as Excel writes). */
export function csvLine(cells: Array<string | number | null | undefined>): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** The byte-order mark that tells Excel a CSV file is UTF-8 (accents then read right). */
export const UTF8_BOM = "\ufeff";
