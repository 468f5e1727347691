/**
 * Reads an uploaded spreadsheet into rows of text cells: CSV (any of the
 * separators, UTF-8 with or without BOM, or Windows-1252), or an .xlsx
 * workbook through exceljs's streaming reader, one sheet chosen by its
 * position. A number cell is read from its stored value, all its digits
 * (`6281234567890`, never `6.28123E+12`).
 */
import ExcelJS from "exceljs";
import { invalidInput } from "../core/app_error.ts";
import { MAX_IMPORT_ROWS, type SheetRow } from "../core/contact_import.ts";
import { decodeCsvBytes, parseCsv } from "../core/csv.ts";
import type { ImportFile } from "../db/import_files.ts";

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

async function readWorkbook(path: string, wanted: number | undefined): Promise<SheetContent> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: "cache",
    worksheets: "emit",
    hyperlinks: "ignore",
    styles: "cache",
    entries: "ignore",
  });
  // deno-lint-ignore no-explicit-any
  const internals = reader as any;
  // exceljs names a sheet from xl/workbook.xml, which workbooks written by exceljs itself
  // store after their sheets: without this it fails on them; the names are found at the end.
  internals.model = { sheets: [] };
  const found: Array<{ id: string; name?: string; rows: SheetRow[] }> = [];
  for await (const worksheet of reader) {
    const index = found.length;
    // deno-lint-ignore no-explicit-any
    const ws = worksheet as any;
    const rows: SheetRow[] = [];
    found.push({ id: String(ws.id), name: ws.name, rows });
    const keep = wanted === undefined || index === wanted || index === 0;
    for await (const row of ws as AsyncIterable<{ number: number; values: unknown }>) {
      if (!keep) continue;
      if (rows.length > MAX_IMPORT_ROWS) throw tooMany();
      const values: unknown[] = Array.isArray(row.values) ? row.values : [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      rows.push({ number: Number(row.number), cells });
    }
  }
  const rels: Array<{ Id: string; Target: string }> = internals.workbookRels ?? [];
  const named: Array<{ rId: string; name: string }> = internals.model?.sheets ?? [];
  const sheets = found.map((f, i) => {
    if (f.name) return f.name;
    const rel = rels.find((r) =>
      r.Target.replace(/^\/?xl\//, "") === `worksheets/sheet${f.id}.xml`
    );
    return named.find((s) => s.rId === rel?.Id)?.name ?? `Sheet ${i + 1}`;
  });
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
