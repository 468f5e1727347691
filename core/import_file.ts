/**
 * What kind of spreadsheet an uploaded file is, from its bytes and its name:
 * a `.xlsx` workbook, or CSV text. An old `.xls` workbook, an empty file and
 * anything else are refused, each with its reason.
 */

/** A spreadsheet Kabar reads: CSV text or an .xlsx workbook. */
export type ImportKind = "csv" | "xlsx";

/** Why a file cannot be imported; each is a message key `err.import_<problem>`. */
export type ImportFileProblem = "empty" | "xls" | "type";

/** The message key of each problem, said beside the file field. */
export const FILE_PROBLEM_KEYS = {
  empty: "err.import_empty",
  xls: "err.import_xls",
  type: "err.import_type",
} as const satisfies Record<ImportFileProblem, string>;

/** A ZIP archive's first bytes: every .xlsx is one. */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE2 compound file's first bytes: an .xls workbook from Excel 97–2003. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The kind of `bytes` named `fileName`, or why it is not a file Kabar imports. */
export function importKindOf(
  bytes: Uint8Array,
  fileName: string,
): { ok: true; kind: ImportKind } | { ok: false; problem: ImportFileProblem } {
  const name = fileName.toLowerCase().trim();
  if (bytes.byteLength === 0) return { ok: false, problem: "empty" };
  if (startsWith(bytes, OLE) || /\.xls$/.test(name)) return { ok: false, problem: "xls" };
  if (startsWith(bytes, ZIP)) {
    return /\.(xlsx|xlsm)$/.test(name) || !/\.[a-z0-9]+$/.test(name)
      ? { ok: true, kind: "xlsx" }
      : { ok: false, problem: "type" };
  }
  if (!/(\.(csv|txt|tsv)|^[^.]*)$/.test(name)) return { ok: false, problem: "type" };
  // Text has no NUL byte; a picture, a PDF or a program has many.
  const head = bytes.subarray(0, 4096);
  return head.includes(0) ? { ok: false, problem: "type" } : { ok: true, kind: "csv" };
}
