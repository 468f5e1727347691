/**
 * A broadcast's report as a file: one row per row of its list, in list
 * order, the same cells as CSV (UTF-8 with a BOM, for Excel) or as an .xlsx
 * workbook written as it goes. Text is never taken for a formula: a cell
 * that starts with `=`, `+`, `-` or `@` begins with `'`.
 */
import { csvLine, spreadsheetText, UTF8_BOM } from "../core/csv.ts";
import { isoInZone } from "../core/local_day.ts";
import { type XlsxCell, xlsxStream } from "../core/xlsx_writer.ts";

/** The file formats of a report. */
export const REPORT_FORMATS = ["csv", "xlsx"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One row of the report. */
export interface ReportRow {
  row: number;
  /** The number as the list wrote it. */
  input: string;
  /** The phone number (or Telegram chat) it became, if it could be read. */
  phone: string | null;
  name: string | null;
  status: string;
  /** When its message last changed. */
  at: number | null;
  /** Why it was left out or failed, in words. */
  reason: string | null;
  reasonCode: string | null;
  messageId: number | null;
  variables: Record<string, string>;
}

/** The report's own columns, named as a program reads them. */
export const REPORT_COLUMNS = [
  "row",
  "number_as_written",
  "phone",
  "name",
  "status",
  "time",
  "local_time",
  "error",
  "error_code",
  "message_id",
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** A report in a reader's words: its columns' heads and its statuses. */
export interface ReportWords {
  column: (column: ReportColumn) => string;
  status: (status: string) => string;
}

/** What a report is made of: its variables' names and its rows, read as they are written. */
export interface ReportSource {
  variables: string[];
  rows: AsyncIterable<ReportRow>;
  /** Adds the time in this zone beside the ISO time. */
  timeZone?: string;
  /** By default the columns' program names and the statuses' codes. */
  words?: ReportWords;
}

/** A report ready to be sent. */
export interface ReportFile {
  fileName: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The first line of the report. */
export function reportHeader(
  variables: string[],
  local: boolean,
  column: (column: ReportColumn) => string = (c) => c,
): string[] {
  return [
    ...REPORT_COLUMNS.filter((c) => local || c !== "local_time").map(column),
    ...variables,
  ];
}

/** The cells of one row, under `reportHeader`'s columns. */
export function reportCells(
  r: ReportRow,
  variables: string[],
  timeZone?: string,
  status: (status: string) => string = (s) => s,
): Array<string | number | null> {
  const local = timeZone === undefined
    ? []
    : [r.at === null ? null : isoInZone(r.at, timeZone).slice(0, 19).replace("T", " ")];
  return [
    r.row,
    r.input,
    r.phone,
    r.name,
    status(r.status),
    r.at === null ? null : new Date(r.at).toISOString(),
    ...local,
    r.reason,
    r.reasonCode,
    r.messageId,
    ...variables.map((v) => r.variables[v] ?? null),
  ];
}

/** The report of `source` as a file named after broadcast `id`. */
export function writeReport(id: number, format: ReportFormat, source: ReportSource): ReportFile {
  return {
    fileName: `broadcast-${id}.${format}`,
    contentType: CONTENT_TYPES[format],
    body: format === "csv" ? csvReport(source) : xlsxReport(source),
  };
}

async function* lines(source: ReportSource): AsyncGenerator<Array<string | number | null>> {
  const { variables, timeZone, words } = source;
  yield reportHeader(variables, timeZone !== undefined, words?.column);
  for await (const r of source.rows) yield reportCells(r, variables, timeZone, words?.status);
}

function csvReport(source: ReportSource): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = lines(source);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = started ? "" : UTF8_BOM;
      started = true;
      for (let n = 0; n < 500; n++) {
        const next = await rows.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += csvLine(next.value);
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

/** A cell of the workbook: numbers as numbers, text as text (never a formula). */
function xlsxCell(value: string | number | null): string | number | null {
  return typeof value === "string" ? spreadsheetText(value) : value;
}

async function* xlsxRows(source: ReportSource): AsyncGenerator<XlsxCell[]> {
  for await (const cells of lines(source)) yield cells.map(xlsxCell);
}

function xlsxReport(source: ReportSource): ReadableStream<Uint8Array> {
  const chunks = xlsxStream("Report", xlsxRows(source));
  // One piece of the workbook per read: a slow download holds the rows back.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  }, { highWaterMark: 0 });
}
