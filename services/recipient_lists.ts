/**
 * A broadcast's recipient list read from an uploaded .xlsx or .csv file, or
 * from pasted text, as a stream: the first rows tell the header and the
 * columns, then every row is judged as it is read and handed on, so that a
 * file of 100,000 rows becomes a reviewed list without being held whole.
 */
import { invalidInput } from "../core/app_error.ts";
import {
  looksLikeHeader,
  parseRecipientText,
  type Recipient,
  type RecipientColumns,
  type RecipientCounts,
  RecipientLimitError,
  RecipientListBuilder,
  type RecipientOptions,
  resolveRecipientColumns,
} from "../core/broadcast_recipients.ts";
import { isBlankRow, type SheetRow } from "../core/contact_import.ts";
import { FILE_PROBLEM_KEYS, type ImportKind, importKindOf } from "../core/import_file.ts";
import type { ImportFile } from "../db/import_files.ts";
import { mediaPath } from "../db/media.ts";
import { streamSheet } from "./contact_sheets.ts";

/** How many first rows are read before the columns are chosen (their widest gives the width). */
const LOOKAHEAD_ROWS = 100;

/**
 * The kind of an uploaded list, or a 422 saying why it is not one: empty, an
 * old .xls (save it as .xlsx), or neither CSV nor .xlsx.
 */
export function recipientFileKind(data: Uint8Array, fileName: string): ImportKind {
  const kind = importKindOf(data, fileName);
  if (kind.ok) return kind.kind;
  const name = JSON.stringify(fileName);
  throw invalidInput(
    {
      empty: "The file is empty",
      xls: `${name} is an old Excel .xls workbook; save it as .xlsx or .csv`,
      type: `${name} is not a .csv or .xlsx file`,
    }[kind.problem],
    { file: FILE_PROBLEM_KEYS[kind.problem] },
  );
}

export interface RecipientListRequest {
  columns: RecipientColumns;
  /** Whether the first row is a header; by default, when it looks like one. */
  header?: boolean;
}

export interface RecipientListResult {
  /** The header row's cells, when the first row is one. */
  header: string[] | undefined;
  counts: RecipientCounts;
}

/**
 * Judges each row of `rows` with `options` and hands it to `each` (awaited, so
 * it may write a batch), in order. The first non-blank row is the header when
 * `request.header` says so or it looks like one. A column that does not
 * exist, or a list longer than `options.maxRows`, is a 422 naming it.
 */
export async function readRecipientList(
  rows: AsyncIterable<SheetRow> | Iterable<SheetRow>,
  request: RecipientListRequest,
  options: RecipientOptions,
  each: (recipient: Recipient) => void | Promise<void>,
): Promise<RecipientListResult> {
  const iterator =
    (Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : (async function* () {
      yield* rows as Iterable<SheetRow>;
    })()) as AsyncIterator<SheetRow>;
  const ahead: SheetRow[] = [];
  let ended = false;
  while (ahead.length < LOOKAHEAD_ROWS) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    if (!isBlankRow(next.value.cells)) ahead.push(next.value);
  }
  const width = Math.max(0, ...ahead.map((r) => r.cells.length));
  const first = ahead[0]?.cells ?? [];
  const byPosition = resolveRecipientColumns(request.columns, undefined, width);
  const header = request.header ??
    looksLikeHeader(first, byPosition.ok ? byPosition.mapping.phone : undefined);
  const resolved = header ? resolveRecipientColumns(request.columns, first, width) : byPosition;
  if (!resolved.ok) {
    await iterator.return?.();
    throw invalidInput(Object.values(resolved.errors)[0], resolved.errors);
  }
  const builder = new RecipientListBuilder(resolved.mapping, options);
  const judge = async (row: SheetRow) => {
    let recipient: Recipient | undefined;
    try {
      recipient = builder.add(row);
    } catch (e) {
      if (e instanceof RecipientLimitError) {
        throw invalidInput(e.message, { file: "err.import_too_many" });
      }
      throw e;
    }
    if (recipient) await each(recipient);
  };
  try {
    for (const row of header ? ahead.slice(1) : ahead) await judge(row);
    if (!ended) {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        await judge(next.value);
      }
    }
  } catch (e) {
    await iterator.return?.();
    throw e;
  }
  return { header: header ? first : undefined, counts: builder.counts() };
}

/** `readRecipientList` over sheet `sheet` of an uploaded file, read as a stream. */
export async function readRecipientFile(
  file: ImportFile,
  sheet: number,
  request: RecipientListRequest,
  options: RecipientOptions,
  each: (recipient: Recipient) => void | Promise<void>,
): Promise<RecipientListResult & { sheets: string[]; sheet: number }> {
  const content = await streamSheet(file, sheet);
  const result = await readRecipientList(content.rows, request, options, each);
  return { ...result, sheets: content.sheets, sheet: content.sheet };
}

/** `readRecipientList` over pasted text (see `parseRecipientText`). */
export function readRecipientText(
  text: string,
  request: RecipientListRequest,
  options: RecipientOptions,
  each: (recipient: Recipient) => void | Promise<void>,
): Promise<RecipientListResult> {
  return readRecipientList(parseRecipientText(text), request, options, each);
}

/**
 * An uploaded file (kept in the media store) as a list to read, and the
 * sheet named by its name (any case) or number (1 is the first); anything
 * missing is a 422 on the field named in `fields`.
 */
export async function uploadedList(
  dataDir: string,
  media: { id: string; fileName: string | null; size: number },
  sheet: string | number | undefined,
  fields: { media: string; sheet: string },
): Promise<{ file: ImportFile; sheet: number }> {
  const path = mediaPath(dataDir, media.id);
  const head = new Uint8Array(4096);
  let read: number | null;
  try {
    const handle = await Deno.open(path);
    read = await handle.read(head).finally(() => handle.close());
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    const why = `the file ${media.id} is no longer kept: upload it again`;
    throw invalidInput(`${fields.media}: ${why}`, { [fields.media]: why });
  }
  const kind = recipientFileKind(head.subarray(0, read ?? 0), media.fileName ?? "");
  const file = { id: media.id, kind, path, size: media.size };
  if (sheet === undefined) return { file, sheet: 0 };
  const sheets = kind === "csv" ? ["CSV"] : (await streamSheet(file, 0)).sheets;
  const wanted = String(sheet).toLowerCase();
  const index = typeof sheet === "number"
    ? sheet - 1
    : sheets.findIndex((name) => name.toLowerCase() === wanted);
  if (index < 0 || index >= sheets.length) {
    const why = `no sheet ${JSON.stringify(sheet)} (it has ${sheets.join(", ")})`;
    throw invalidInput(`${fields.sheet}: ${why}`, { [fields.sheet]: why });
  }
  return { file, sheet: index };
}
