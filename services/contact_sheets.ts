/**
 * Reads an uploaded spreadsheet into rows of text cells: CSV (any of the
 * separators, UTF-8 with or without BOM, or Windows-1252), or an .xlsx
 * workbook through exceljs, one sheet chosen by its position. A number cell is read from its stored value, all its digits
 * (`6281234567890`, never `6.28123E+12`).
 */
import ExcelJS from "exceljs";
import { invalidInput } from "../core/app_error.ts";
import { MAX_IMPORT_ROWS, type SheetRow } from "../core/contact_import.ts";
import { decodeCsvBytes, parseCsv } from "../core/csv.ts";
import type { ImportFile } from "../db/import_files.ts";
import { unpackedSize } from "../core/zip_size.ts";

/** What a file holds: its sheets' names (one, `CSV`, for a CSV file) and the chosen sheet's rows. */
export interface SheetContent {
  sheets: string[];
  /** The position of the sheet read (0 for CSV). */
  sheet: number;
  rows: SheetRow[];
}

const tooMany = () =>
  invalidInput(`The file has more than ${MAX_IMPORT_ROWS} rows; split it into smaller files`, {
    file: "err.import_too_many",
  });

/**
 * Reads sheet `sheet` (0 is the first; past the last, the first) of `file`;
 * without `sheet`, the first one with rows under its header.
 */
export async function readSheet(file: ImportFile, sheet?: number): Promise<SheetContent> {
  if (file.kind === "csv") {
    const rows = parseCsv(decodeCsvBytes(await Deno.readFile(file.path)));
    if (rows.length > MAX_IMPORT_ROWS + 1) throw tooMany();
    return { sheets: ["CSV"], sheet: 0, rows: rows.map((cells, i) => ({ number: i + 1, cells })) };
  }
  try {
    return await readWorkbook(file.path, sheet);
  } catch (e) {
    if (e instanceof Error && e.name === "AppError") throw e;
    throw invalidInput(
      `The file could not be read as an .xlsx workbook (${
        e instanceof Error ? e.message.slice(0, 200) : String(e)
      })`,
      { file: "err.import_unreadable" },
    );
  }
}

/**
 * The most a workbook may unpack to: ample for the most rows an import takes (100,000 rows of
 * ten columns are some 80 MB of XML), and far from what a zip bomb of an upload's size unpacks
 * to (gigabytes), which exceljs would hold in memory whole.
 */
export const MAX_UNPACKED_BYTES = 128 * 1024 * 1024;

async function readWorkbook(path: string, wanted: number | undefined): Promise<SheetContent> {
  // exceljs's streaming WorkbookReader loses sheets and rows at random under Deno (its zip
  // entries start flowing before they are read; seen in 14 of 30 reads of one file), so the
  // workbook is read whole: at most KABAR_MEDIA_MAX_MB of it, as an upload is, and unpacked
  // only when its parts, counted as a stream first, come to at most MAX_UNPACKED_BYTES.
  const bytes = await Deno.readFile(path);
  const size = await unpackedSize(bytes, MAX_UNPACKED_BYTES);
  if (!size.ok) {
    throw new Error(
      size.problem === "too_large"
        ? `it unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`
        : "it is not a ZIP archive Kabar reads",
    );
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const found = workbook.worksheets.map((ws) => {
    const rows: SheetRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      if (rows.length > MAX_IMPORT_ROWS) throw tooMany();
      const values: unknown[] = Array.isArray(row.values) ? row.values : [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      rows.push({ number, cells });
    });
    return { name: ws.name, rows };
  });
  const sheets = found.map((f, i) => f.name || `Sheet ${i + 1}`);
  const filled = (rows: SheetRow[]) => rows.filter((r) => r.cells.some((c) => c.trim())).length > 1;
  const sheet = wanted === undefined
    ? Math.max(0, found.findIndex((f) => filled(f.rows)))
    : wanted >= 0 && wanted < sheets.length
    ? wanted
    : 0;
  return { sheets, sheet, rows: found[sheet]?.rows ?? [] };
}

/** A cell's value as text: numbers with all their digits, formulas by their result. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return Number.isInteger(value) && Math.abs(value) < 1e21
      ? BigInt(value).toString()
      : String(value);
  }
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return v.richText.map((p: { text?: unknown }) => String(p.text ?? "")).join("");
    }
    if ("result" in v) return cellText(v.result);
    if ("text" in v) return cellText(v.text);
    if ("error" in v) return "";
  }
  return String(value);
}
