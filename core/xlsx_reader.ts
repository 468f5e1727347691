/**
 * Reads an .xlsx workbook a row at a time, without a spreadsheet library:
 * the sheets' names and order from `xl/workbook.xml` and its relationships,
 * the shared strings read once, then the chosen sheet unpacked as a stream
 * and scanned as it comes, each row given as soon as it ends. Only the
 * packed file, the shared strings and the row being read are held.
 *
 * A cell is text as the sheet holds it: a number with every digit it stores
 * (`6281234567890`, and `6.28123456789E+12` written out exactly, never
 * through a floating-point number), a date-formatted number as its date
 * (`1990-01-02`), shared and inline strings (rich text runs joined),
 * booleans as `TRUE` / `FALSE`, a formula by its cached result, an error as
 * "". Cells are placed by their reference: a gap is "".
 */
import type { SheetRow } from "./contact_import.ts";
import {
  decodeXmlText,
  xmlAttribute,
  XmlError,
  type XmlHandler,
  XmlScanner,
} from "./xml_scanner.ts";
import {
  entryChunks,
  findEntry,
  UnpackBudget,
  zipEntries,
  type ZipEntry,
  ZipError,
} from "./zip_entries.ts";

/**
 * The most a workbook's parts read may unpack to, together: ample for the most rows an import
 * takes (100,000 rows of ten columns are some 80 MB of XML), and far from what a zip bomb of an
 * upload's size unpacks to (gigabytes).
 */
export const MAX_XLSX_UNPACKED_BYTES = 128 * 1024 * 1024;

/** The most columns a row is read with (Excel's own limit, column XFD). */
export const MAX_XLSX_COLUMNS = 16_384;

/** A workbook that cannot be read, saying why in English words. */
export class XlsxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XlsxError";
  }
}

export interface XlsxOptions {
  /** The most the parts read may unpack to, together (default `MAX_XLSX_UNPACKED_BYTES`). */
  maxUnpackedBytes?: number;
}

const REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

interface SheetRef {
  name: string;
  path: string | undefined;
}

/** An opened workbook: its sheets, and each sheet's rows as a stream. */
export class XlsxWorkbook {
  #sharedStrings: string[] | undefined;
  #dateStyles: Set<number> | undefined;

  private constructor(
    readonly zip: Uint8Array,
    readonly entries: ZipEntry[],
    readonly budget: UnpackBudget,
    readonly refs: SheetRef[],
    readonly parts: { sharedStrings?: string; styles?: string },
    readonly date1904: boolean,
  ) {}

  /** The sheets' names, in the workbook's order (`Sheet N` for a sheet without one). */
  get sheets(): string[] {
    return this.refs.map((s, i) => s.name || `Sheet ${i + 1}`);
  }

  /**
   * Opens the workbook in `source` (its bytes, or a stream of them, read whole: a ZIP's
   * directory is at its end). Throws `XlsxError` saying why when it is not a workbook Kabar reads.
   */
  static async open(
    source: Uint8Array | ReadableStream<Uint8Array>,
    options: XlsxOptions = {},
  ): Promise<XlsxWorkbook> {
    return await guard(async () => {
      const zip = source instanceof Uint8Array
        ? source
        : new Uint8Array(await new Response(source).arrayBuffer());
      const entries = zipEntries(zip);
      const budget = new UnpackBudget(options.maxUnpackedBytes ?? MAX_XLSX_UNPACKED_BYTES);
      const part = (path: string) => readPart(zip, entries, budget, path);
      const root = await part("_rels/.rels");
      const workbookPath = (root && relationships(root, "").find((r) =>
        r.type.endsWith("/officeDocument")
      )?.target) ?? "xl/workbook.xml";
      const workbook = await part(workbookPath);
      if (workbook === undefined) {
        throw new XlsxError("it is a ZIP archive but not an Excel workbook (no xl/workbook.xml)");
      }
      const folder = workbookPath.includes("/")
        ? workbookPath.slice(0, workbookPath.lastIndexOf("/") + 1)
        : "";
      const relsText = await part(`${folder}_rels/${workbookPath.slice(folder.length)}.rels`);
      const rels = relsText ? relationships(relsText, folder) : [];
      const byId = new Map(rels.map((r) => [r.id, r]));
      const refs: SheetRef[] = [];
      let date1904 = false;
      scanAll(workbook, {
        open(name, raw) {
          if (name === "sheet") {
            const id = xmlAttribute(raw, "id");
            const rel = id === undefined ? undefined : byId.get(id);
            refs.push({
              name: xmlAttribute(raw, "name") ?? "",
              path: rel && rel.type.endsWith("/worksheet") ? rel.target : undefined,
            });
          } else if (name === "workbookPr") {
            const v = xmlAttribute(raw, "date1904");
            date1904 = v === "1" || v === "true";
          }
        },
        close() {},
        text() {},
      });
      const typed = (suffix: string) => rels.find((r) => r.type === REL_TYPE + suffix)?.target;
      return new XlsxWorkbook(zip, entries, budget, refs, {
        sharedStrings: typed("sharedStrings") ?? `${folder}sharedStrings.xml`,
        styles: typed("styles") ?? `${folder}styles.xml`,
      }, date1904);
    });
  }

  /**
   * The rows of sheet `sheet` (0 is the first) that hold a value, as they are
   * unpacked. Each row's cells run to its last value.
   */
  async *rows(sheet: number): AsyncGenerator<SheetRow> {
    const ref = this.refs[sheet];
    if (!ref) throw new XlsxError(`the workbook has no sheet ${sheet + 1}`);
    if (!ref.path) return;
    const entry = findEntry(this.entries, ref.path);
    if (!entry) {
      throw new XlsxError(`the sheet ${JSON.stringify(ref.name)} is missing from the file`);
    }
    const strings = await this.#strings();
    const dates = await this.#dates();
    const queue: SheetRow[] = [];
    const reader = new SheetReader(strings, dates, this.date1904, (row) => queue.push(row));
    const scanner = new XmlScanner(reader);
    const decoder = new TextDecoder();
    const chunks = entryChunks(this.zip, entry, this.budget);
    for (;;) {
      const next = await guard(() => chunks.next());
      if (next.done) break;
      guardSync(() => scanner.write(decoder.decode(next.value, { stream: true })));
      while (queue.length) yield queue.shift()!;
    }
    guardSync(() => {
      scanner.write(decoder.decode());
      scanner.end();
    });
    while (queue.length) yield queue.shift()!;
  }

  async #strings(): Promise<string[]> {
    if (this.#sharedStrings) return this.#sharedStrings;
    const strings: string[] = [];
    const path = this.parts.sharedStrings;
    const entry = path ? findEntry(this.entries, path) : undefined;
    if (entry) {
      let parts: string[] | undefined;
      let inText = false;
      let phonetic = 0;
      await guard(() =>
        scanEntry(this.zip, entry, this.budget, {
          open(name, _raw, selfClosing) {
            if (name === "si") parts = [];
            else if (name === "rPh") phonetic++;
            else if (name === "t" && !selfClosing && phonetic === 0) inText = true;
          },
          close(name) {
            if (name === "t") inText = false;
            else if (name === "rPh") phonetic--;
            else if (name === "si") {
              strings.push(unescapeOoxml((parts ?? []).join("")));
              parts = undefined;
            }
          },
          text(raw, cdata) {
            if (inText && parts) parts.push(cdata ? raw : decodeXmlText(raw));
          },
        })
      );
    }
    this.#sharedStrings = strings;
    return strings;
  }

  /** The cell styles (positions in `cellXfs`) whose number format shows a date. */
  async #dates(): Promise<Set<number>> {
    if (this.#dateStyles) return this.#dateStyles;
    const dates = new Set<number>();
    const path = this.parts.styles;
    const entry = path ? findEntry(this.entries, path) : undefined;
    if (entry) {
      const custom = new Map<number, string>();
      let inCellXfs = false;
      let xf = 0;
      await guard(() =>
        scanEntry(this.zip, entry, this.budget, {
          open(name, raw) {
            if (name === "numFmt") {
              custom.set(
                Number(xmlAttribute(raw, "numFmtId")),
                xmlAttribute(raw, "formatCode") ?? "",
              );
            } else if (name === "cellXfs") inCellXfs = true;
            else if (name === "xf" && inCellXfs) {
              const id = Number(xmlAttribute(raw, "numFmtId") ?? 0);
              if (isDateFormat(id, custom.get(id))) dates.add(xf);
              xf++;
            }
          },
          close(name) {
            if (name === "cellXfs") inCellXfs = false;
          },
          text() {},
        })
      );
    }
    this.#dateStyles = dates;
    return dates;
  }
}

/** Opens an .xlsx workbook; see `XlsxWorkbook.open`. */
export function openXlsx(
  source: Uint8Array | ReadableStream<Uint8Array>,
  options?: XlsxOptions,
): Promise<XlsxWorkbook> {
  return XlsxWorkbook.open(source, options);
}

/** Reads a sheet's `<row>` and `<c>` elements into rows of text. */
class SheetReader implements XmlHandler {
  #row: string[] | undefined;
  #number = 0;
  #filled = false;
  #column = -1;
  #type = "";
  #style = 0;
  #value: string[] | undefined;
  #inline: string[] | undefined;
  #collect: string[] | undefined;
  #phonetic = 0;

  constructor(
    readonly strings: string[],
    readonly dates: Set<number>,
    readonly date1904: boolean,
    readonly emit: (row: SheetRow) => void,
  ) {}

  open(name: string, raw: string, selfClosing: boolean): void {
    switch (name) {
      case "row": {
        const r = Number(xmlAttribute(raw, "r"));
        this.#number = Number.isInteger(r) && r > 0 ? r : this.#number + 1;
        this.#row = [];
        this.#filled = false;
        this.#column = -1;
        return;
      }
      case "c": {
        const ref = xmlAttribute(raw, "r");
        const column = ref === undefined ? -1 : columnOfReference(ref);
        this.#column = column >= 0 ? column : this.#column + 1;
        this.#type = xmlAttribute(raw, "t") ?? "n";
        this.#style = Number(xmlAttribute(raw, "s") ?? 0);
        this.#value = undefined;
        this.#inline = undefined;
        if (selfClosing) this.#collect = undefined;
        return;
      }
      case "v":
        if (!selfClosing) this.#collect = this.#value = [];
        return;
      case "is":
        this.#inline = [];
        return;
      case "rPh":
        this.#phonetic++;
        return;
      case "t":
        if (this.#inline && this.#phonetic === 0 && !selfClosing) this.#collect = this.#inline;
        return;
    }
  }

  close(name: string): void {
    switch (name) {
      case "v":
      case "t":
        this.#collect = undefined;
        return;
      case "rPh":
        this.#phonetic--;
        return;
      case "c":
        this.#cell();
        return;
      case "row": {
        const row = this.#row;
        this.#row = undefined;
        if (row && this.#filled) {
          let end = row.length;
          while (end > 0 && row[end - 1] === "") end--;
          row.length = end;
          this.emit({ number: this.#number, cells: row });
        }
        return;
      }
    }
  }

  text(raw: string, cdata: boolean): void {
    if (this.#collect) this.#collect.push(cdata ? raw : decodeXmlText(raw));
  }

  #cell(): void {
    const row = this.#row;
    const column = this.#column;
    if (!row || column >= MAX_XLSX_COLUMNS) return;
    const text = this.#text();
    this.#value = undefined;
    this.#inline = undefined;
    if (text === "") return;
    while (row.length < column) row.push("");
    row[column] = text;
    this.#filled = true;
  }

  #text(): string {
    const value = this.#value?.join("");
    switch (this.#type) {
      case "s":
        return value === undefined ? "" : this.strings[Number(value.trim())] ?? "";
      case "inlineStr":
        return unescapeOoxml(this.#inline?.join("") ?? value ?? "");
      case "str":
        return unescapeOoxml(value ?? "");
      case "b":
        return value === undefined ? "" : value.trim() === "1" ? "TRUE" : "FALSE";
      case "e":
        return "";
      case "d":
        return (value ?? "").trim().slice(0, 10);
      default: {
        if (value === undefined) return "";
        const number = plainNumber(value.trim());
        return this.dates.has(this.#style) ? serialDate(number, this.date1904) ?? number : number;
      }
    }
  }
}

/** The 0-based column of a cell reference (`A1` → 0, `AA7` → 26); -1 when it is none. */
export function columnOfReference(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    column = column * 26 + (c - 0x60);
  }
  return i === 0 ? -1 : column - 1;
}

const SCIENTIFIC = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d{1,4})$/;

/**
 * A number as stored in a sheet, written out in plain digits: `6.28123456789E+12` is
 * `6281234567890` and `1.5E-3` is `0.0015`, worked on the digits as text so that none is lost.
 * Anything else is given as it is.
 */
export function plainNumber(stored: string): string {
  const m = SCIENTIFIC.exec(stored);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return stored;
  const [, sign, whole, fraction = "", exponent] = m;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = "0";
    frac = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + "0".repeat(point - digits.length);
    frac = "";
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  int = int.replace(/^0+(?=\d)/, "");
  frac = frac.replace(/0+$/, "");
  const text = frac === "" ? int : `${int}.${frac}`;
  return sign === "-" && /[1-9]/.test(text) ? `-${text}` : text;
}

/** `_x000D_` and the like, how OOXML writes characters XML cannot hold, as those characters. */
function unescapeOoxml(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Excel's built-in number formats that show a date. */
const DATE_FORMATS = new Set([
  14,
  15,
  16,
  17,
  22,
  27,
  28,
  29,
  30,
  31,
  34,
  35,
  36,
  50,
  51,
  52,
  53,
  54,
  57,
  58,
]);

/** Whether number format `id` (with its `code` when custom) shows a date. */
function isDateFormat(id: number, code: string | undefined): boolean {
  if (DATE_FORMATS.has(id)) return true;
  if (code === undefined) return false;
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, "");
  return /[dy]/i.test(bare) || /m/i.test(bare) && !/[#0?]/.test(bare);
}

/** The date (YYYY-MM-DD) of a day number of the workbook's calendar; undefined when it is none. */
function serialDate(number: string, date1904: boolean): string | undefined {
  const serial = Number(number);
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return undefined;
  const days = Math.floor(serial) + (date1904 ? 1462 : 0);
  const epoch = Date.UTC(1899, 11, 30);
  return new Date(epoch + days * 86_400_000).toISOString().slice(0, 10);
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

/** The relationships of a `.rels` part, targets resolved against `folder`. */
function relationships(xml: string, folder: string): Relationship[] {
  const found: Relationship[] = [];
  scanAll(xml, {
    open(name, raw) {
      if (name !== "Relationship") return;
      const target = xmlAttribute(raw, "Target") ?? "";
      if (xmlAttribute(raw, "TargetMode") === "External") return;
      found.push({
        id: xmlAttribute(raw, "Id") ?? "",
        type: xmlAttribute(raw, "Type") ?? "",
        target: resolvePath(folder, target),
      });
    },
    close() {},
    text() {},
  });
  return found;
}

function resolvePath(folder: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : folder + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

function scanAll(xml: string, handler: XmlHandler): void {
  guardSync(() => {
    const scanner = new XmlScanner(handler);
    scanner.write(xml);
    scanner.end();
  });
}

/** Scans a part as it is unpacked. */
async function scanEntry(
  zip: Uint8Array,
  entry: ZipEntry,
  budget: UnpackBudget,
  handler: XmlHandler,
): Promise<void> {
  const scanner = new XmlScanner(handler);
  const decoder = new TextDecoder();
  for await (const chunk of entryChunks(zip, entry, budget)) {
    scanner.write(decoder.decode(chunk, { stream: true }));
  }
  scanner.write(decoder.decode());
  scanner.end();
}

/** A small part (a relationship list, the workbook) as text; undefined when absent. */
async function readPart(
  zip: Uint8Array,
  entries: ZipEntry[],
  budget: UnpackBudget,
  path: string,
): Promise<string | undefined> {
  const entry = findEntry(entries, path);
  if (!entry) return undefined;
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of entryChunks(zip, entry, budget)) {
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

function asXlsxError(e: unknown): unknown {
  if (e instanceof ZipError || e instanceof XmlError) return new XlsxError(e.message);
  return e;
}

async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw asXlsxError(e);
  }
}

function guardSync<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw asXlsxError(e);
  }
}
