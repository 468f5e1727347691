/**
 * CSV read as it arrives: bytes decoded piece by piece (UTF-8 with or without
 * a BOM; Windows-1252 from the first bytes that are not UTF-8, which is
 * what Excel's "CSV" writes on Windows), the separator (`,` `;` or tab)
 * found on the first lines, and each row given as soon as it ends. Quoted
 * cells may hold separators, doubled quotes and line breaks. A leading
 * apostrophe, Excel's mark for "this is text" (`'0812…`), is dropped.
 */
import type { SheetRow } from "./contact_import.ts";
import type { CsvSeparator } from "./csv.ts";

const SEPARATORS: CsvSeparator[] = [",", ";", "\t"];
/** How many lines the separator is looked for on. */
const SNIFF_LINES = 10;
const SNIFF_CHARS = 64 * 1024;
const CHUNK = 64 * 1024;

/**
 * The separator of a CSV text's first lines: the one of `,` `;` and tab found
 * most often outside quotes on the first line; when the first line has none
 * (one column, or a header of one word), the one found most often on the next
 * lines; a comma when none is.
 */
export function sniffSeparator(text: string): CsvSeparator {
  const lines: Map<CsvSeparator, number>[] = [];
  let counts = new Map<CsvSeparator, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (let i = 0; i < text.length && lines.length < SNIFF_LINES; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) {
      if (char === "\r" && text[i + 1] === "\n") i++;
      lines.push(counts);
      counts = new Map(SEPARATORS.map((s) => [s, 0]));
    } else if (!quoted && counts.has(char as CsvSeparator)) {
      counts.set(char as CsvSeparator, counts.get(char as CsvSeparator)! + 1);
    }
  }
  if (lines.length < SNIFF_LINES) lines.push(counts);
  const best = (tally: Map<CsvSeparator, number>): CsvSeparator | undefined => {
    let found: CsvSeparator | undefined;
    for (const s of SEPARATORS) {
      if (tally.get(s)! > (found ? tally.get(found)! : 0)) found = s;
    }
    return found;
  };
  const first = best(lines[0]);
  if (first) return first;
  const rest = new Map<CsvSeparator, number>(SEPARATORS.map((s) => [s, 0]));
  for (const line of lines.slice(1)) {
    for (const s of SEPARATORS) rest.set(s, rest.get(s)! + line.get(s)!);
  }
  return best(rest) ?? ",";
}

/**
 * Parses CSV text given in pieces into rows (RFC 4180 as spreadsheets write
 * it): a row is given once its line break is read, the last one at `end`.
 */
export class CsvRowParser {
  #row: string[] = [];
  #cell = "";
  #quoted = false;
  /** The cell started with a quote (so a quote after the closing one is text). */
  #wasQuoted = false;
  /** A quote was read in a quoted cell: the end of the quotes, or the first of `""`. */
  #quote = false;
  /** A CR ended the last row: a LF right after it is part of that line break. */
  #cr = false;

  constructor(readonly separator: CsvSeparator, readonly emit: (cells: string[]) => void) {}

  write(text: string): void {
    const sep = this.separator;
    let cell = this.#cell;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (this.#cr) {
        this.#cr = false;
        if (char === "\n") continue;
      }
      if (this.#quote) {
        this.#quote = false;
        if (char === '"') {
          cell += '"';
          continue;
        }
        this.#quoted = false;
      }
      if (this.#quoted) {
        if (char === '"') this.#quote = true;
        else {
          const end = text.indexOf('"', i);
          const stop = end < 0 ? text.length : end;
          cell += text.slice(i, stop);
          i = stop - 1;
        }
        continue;
      }
      if (char === '"' && cell === "" && !this.#wasQuoted) {
        this.#quoted = true;
        this.#wasQuoted = true;
      } else if (char === sep) {
        this.#row.push(unmark(cell));
        cell = "";
        this.#wasQuoted = false;
      } else if (char === "\r" || char === "\n") {
        this.#row.push(unmark(cell));
        cell = "";
        this.#wasQuoted = false;
        this.#cr = char === "\r";
        const row = this.#row;
        this.#row = [];
        this.emit(row);
      } else cell += char;
    }
    this.#cell = cell;
  }

  /** The end of the text: a last row without a line break is given (a final empty line is none). */
  end(): void {
    if (this.#quote) this.#quoted = false;
    if (this.#cell !== "" || this.#row.length > 0 || this.#wasQuoted) {
      this.#row.push(unmark(this.#cell));
      this.emit(this.#row);
    }
    this.#row = [];
    this.#cell = "";
    this.#quoted =
      this.#wasQuoted =
      this.#quote =
      this.#cr =
        false;
  }
}

/** A cell without Excel's leading apostrophe. */
function unmark(cell: string): string {
  return cell.charCodeAt(0) === 0x27 ? cell.slice(1) : cell;
}

/**
 * Decodes bytes given in pieces: UTF-8 while they are UTF-8, Windows-1252 from
 * the first piece that is not (an ASCII start reads the same either way).
 * A leading BOM is dropped.
 */
export class CsvDecoder {
  #tail = new Uint8Array(0);
  #legacy = false;
  #started = false;
  readonly #utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  readonly #cp1252 = new TextDecoder("windows-1252");

  /** Whether the text is read as Windows-1252. */
  get legacy(): boolean {
    return this.#legacy;
  }

  write(bytes: Uint8Array): string {
    let piece = bytes;
    if (this.#tail.byteLength) {
      piece = new Uint8Array(this.#tail.byteLength + bytes.byteLength);
      piece.set(this.#tail);
      piece.set(bytes, this.#tail.byteLength);
    }
    let text: string;
    if (this.#legacy) {
      text = this.#cp1252.decode(piece);
      this.#tail = new Uint8Array(0);
    } else {
      const cut = incompleteTail(piece);
      try {
        text = this.#utf8.decode(piece.subarray(0, cut));
        this.#tail = piece.slice(cut);
      } catch {
        this.#legacy = true;
        text = this.#cp1252.decode(piece);
        this.#tail = new Uint8Array(0);
      }
    }
    return this.#start(text);
  }

  end(): string {
    const tail = this.#tail;
    this.#tail = new Uint8Array(0);
    if (!tail.byteLength) return "";
    this.#legacy = true;
    return this.#start(this.#cp1252.decode(tail));
  }

  #start(text: string): string {
    if (this.#started || text === "") return text;
    this.#started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** Where an unfinished UTF-8 sequence at the end of `bytes` starts (its length if none). */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.byteLength;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need > n ? i : n;
  }
  return n;
}

export interface CsvReadOptions {
  /** The separator; found on the first lines when not given. */
  separator?: CsvSeparator;
}

/**
 * The rows of a CSV file, as they are read from `source` (its bytes, or a
 * stream of them), numbered from 1 as a spreadsheet shows them (an empty line
 * is a row of one empty cell).
 */
export async function* csvRows(
  source: Uint8Array | AsyncIterable<Uint8Array>,
  options: CsvReadOptions = {},
): AsyncGenerator<SheetRow> {
  const decoder = new CsvDecoder();
  const queue: string[][] = [];
  let parser: CsvRowParser | undefined = options.separator
    ? new CsvRowParser(options.separator, (cells) => queue.push(cells))
    : undefined;
  let head = "";
  let number = 0;
  const feed = (text: string, last: boolean) => {
    if (!parser) {
      head += text;
      if (!last && !hasLines(head, SNIFF_LINES) && head.length < SNIFF_CHARS) return;
      parser = new CsvRowParser(sniffSeparator(head), (cells) => queue.push(cells));
      text = head;
      head = "";
    }
    parser.write(text);
    if (last) parser.end();
  };
  for await (const bytes of pieces(source)) {
    feed(decoder.write(bytes), false);
    while (queue.length) yield { number: ++number, cells: queue.shift()! };
  }
  feed(decoder.end(), true);
  while (queue.length) yield { number: ++number, cells: queue.shift()! };
}

function hasLines(text: string, count: number): boolean {
  let at = -1;
  for (let i = 0; i < count; i++) {
    at = text.indexOf("\n", at + 1);
    if (at < 0) return false;
  }
  return true;
}

async function* pieces(source: Uint8Array | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let at = 0; at < source.byteLength; at += CHUNK) yield source.subarray(at, at + CHUNK);
  } else yield* source;
}
