/**
 * Reads an uploaded spreadsheet into rows of text cells: CSV (any of the
 * separators, UTF-8 with or without BOM, or Windows-1252), or an .xlsx
 * workbook, one sheet chosen by its position, both read as a stream. A number
 * cell is read from its stored value, all its digits (`6281234567890`, never
 * `6.28123E+12`).
 */
import { AppError, invalidInput } from "../core/app_error.ts";
import { MAX_IMPORT_ROWS, type SheetRow } from "../core/contact_import.ts";
import { csvRows } from "../core/csv_stream.ts";
import { MAX_XLSX_UNPACKED_BYTES, openXlsx } from "../core/xlsx_reader.ts";
import type { ImportFile } from "../db/import_files.ts";

/** What a file holds: its sheets' names (one, `CSV`, for a CSV file) and the chosen sheet's rows. */
export interface SheetContent {
  sheets: string[];
  /** The position of the sheet read (0 for CSV). */
  sheet: number;
  rows: SheetRow[];
}

/** A file's sheets and the chosen sheet's rows as they are read, never held whole. */
export interface SheetStream {
  sheets: string[];
  sheet: number;
  rows: AsyncIterable<SheetRow>;
}

const tooMany = () =>
  invalidInput(`The file has more than ${MAX_IMPORT_ROWS} rows; split it into smaller files`, {
    file: "err.import_too_many",
  });

const unreadable = (e: unknown) =>
  e instanceof AppError ? e : invalidInput(
    `The file could not be read as an .xlsx workbook (${
      e instanceof Error ? e.message.slice(0, 200) : String(e)
    })`,
    { file: "err.import_unreadable" },
  );

/**
 * Reads sheet `sheet` (0 is the first; past the last, the first) of `file`;
 * without `sheet`, the first one with rows under its header.
 */
export async function readSheet(file: ImportFile, sheet?: number): Promise<SheetContent> {
  if (file.kind === "csv") {
    return {
      sheets: ["CSV"],
      sheet: 0,
      rows: await collect(csvRows((await Deno.open(file.path)).readable)),
    };
  }
  try {
    return await readWorkbook(file.path, sheet);
  } catch (e) {
    throw unreadable(e);
  }
}

/**
 * The rows of sheet `sheet` of `file` (past the last, the first) as they are
 * read: what a list of any length is read through. A workbook that cannot be
 * read is a 422 saying why, also when found out in the middle of its rows.
 */
export async function streamSheet(file: ImportFile, sheet = 0): Promise<SheetStream> {
  if (file.kind === "csv") {
    return { sheets: ["CSV"], sheet: 0, rows: csvRows((await Deno.open(file.path)).readable) };
  }
  try {
    const workbook = await openXlsx(await Deno.readFile(file.path), {
      maxUnpackedBytes: MAX_UNPACKED_BYTES,
    });
    const chosen = sheet >= 0 && sheet < workbook.sheets.length ? sheet : 0;
    const rows = async function* () {
      try {
        yield* workbook.rows(chosen);
      } catch (e) {
        throw unreadable(e);
      }
    };
    return { sheets: workbook.sheets, sheet: chosen, rows: rows() };
  } catch (e) {
    throw unreadable(e);
  }
}

/** The rows of `rows`, at most `MAX_IMPORT_ROWS` under a header. */
async function collect(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const found: SheetRow[] = [];
  for await (const row of rows) {
    if (found.length > MAX_IMPORT_ROWS) throw tooMany();
    found.push(row);
  }
  return found;
}

/**
 * The most a workbook may unpack to: ample for the most rows an import takes (100,000 rows of
 * ten columns are some 80 MB of XML), and far from what a zip bomb of an upload's size unpacks
 * to (gigabytes). It is counted as the parts are unpacked, and reading stops once past it.
 */
export const MAX_UNPACKED_BYTES = MAX_XLSX_UNPACKED_BYTES;

async function readWorkbook(path: string, wanted: number | undefined): Promise<SheetContent> {
  // The workbook is read at most KABAR_MEDIA_MAX_MB of it, as an upload is; its sheets are
  // unpacked as streams and scanned row by row.
  const workbook = await openXlsx(await Deno.readFile(path), {
    maxUnpackedBytes: MAX_UNPACKED_BYTES,
  });
  const sheets = workbook.sheets;
  const filled = (rows: SheetRow[]) => rows.filter((r) => r.cells.some((c) => c.trim())).length > 1;
  if (wanted !== undefined) {
    const sheet = wanted >= 0 && wanted < sheets.length ? wanted : 0;
    return { sheets, sheet, rows: sheets.length ? await collect(workbook.rows(sheet)) : [] };
  }
  let first: SheetRow[] = [];
  for (let sheet = 0; sheet < sheets.length; sheet++) {
    const rows = await collect(workbook.rows(sheet));
    if (filled(rows)) return { sheets, sheet, rows };
    if (sheet === 0) first = rows;
  }
  return { sheets, sheet: 0, rows: first };
}
