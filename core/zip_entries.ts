/**
 * The entries of a ZIP archive (an .xlsx workbook) read from its central
 * directory, and one entry's content unpacked as a stream, counted against a
 * budget of unpacked bytes shared by every entry read, so that a small
 * archive that unpacks to gigabytes (a zip bomb) is refused as soon as it
 * passes the budget, never unpacked whole. Stored and deflated entries are
 * read (the only kinds Excel and LibreOffice write); ZIP64, encrypted entries
 * and any other method are refused, saying so.
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Why an archive or an entry cannot be read. */
export type ZipProblem = "not_zip" | "zip64" | "method" | "encrypted" | "too_large" | "corrupt";

/** An archive Kabar does not read, with the reason in English words. */
export class ZipError extends Error {
  constructor(readonly problem: ZipProblem, message: string) {
    super(message);
    this.name = "ZipError";
  }
}

/** One file in an archive: its name, how it is packed, and where its data is. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** The offset of its packed data in the archive. */
  dataStart: number;
}

/** How many unpacked bytes the entries read from one archive may come to, together. */
export class UnpackBudget {
  #used = 0;
  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  /** Counts `bytes` more; throws once the total passes the limit. */
  take(bytes: number): void {
    this.#used += bytes;
    if (this.#used > this.limit) {
      throw new ZipError(
        "too_large",
        `it unpacks to more than ${Math.round(this.limit / 1024 / 1024)} MB`,
      );
    }
  }
}

/** The entries of `zip`, by their central directory (the sizes declared there are not trusted). */
export function zipEntries(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const corrupt = (why: string) => new ZipError("corrupt", `the ZIP archive is damaged (${why})`);
  let end = -1;
  for (let at = zip.byteLength - 22; at >= 0 && at >= zip.byteLength - 22 - 0xffff; at--) {
    if (u32(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipError("not_zip", "it is not a ZIP archive");
  const count = u16(end + 10);
  let at = u32(end + 16);
  if (count === 0xffff || at === 0xffffffff || u32(end + 12) === 0xffffffff) {
    throw new ZipError("zip64", "it is a ZIP64 archive, which Kabar does not read");
  }
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.byteLength || u32(at) !== CENTRAL) throw corrupt("central directory");
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressed = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const local = u32(at + 42);
    const name = names.decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (compressed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) {
      throw new ZipError("zip64", `${name} is a ZIP64 entry, which Kabar does not read`);
    }
    if (local + 30 > zip.byteLength || u32(local) !== LOCAL) throw corrupt(name);
    const dataStart = local + 30 + u16(local + 26) + u16(local + 28);
    if (dataStart + compressed > zip.byteLength) throw corrupt(`${name} is cut short`);
    if (flags & 1) throw new ZipError("encrypted", `${name} is encrypted (a password is set)`);
    entries.push({ name, method, compressedSize: compressed, dataStart });
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }
  return entries;
}

/** The entry named `name` (compared without case when no exact name matches). */
export function findEntry(entries: ZipEntry[], name: string): ZipEntry | undefined {
  const wanted = name.replace(/^\/+/, "");
  return entries.find((e) => e.name === wanted) ??
    entries.find((e) => e.name.toLowerCase() === wanted.toLowerCase());
}

const CHUNK = 64 * 1024;

/**
 * The unpacked content of `entry`, chunk by chunk, each counted against
 * `budget` before it is given (a `ZipError` "too_large" past it).
 */
export async function* entryChunks(
  zip: Uint8Array,
  entry: ZipEntry,
  budget: UnpackBudget,
): AsyncGenerator<Uint8Array> {
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) {
    for (let at = 0; at < data.byteLength; at += CHUNK) {
      const chunk = data.subarray(at, at + CHUNK);
      budget.take(chunk.byteLength);
      yield chunk;
    }
    return;
  }
  if (entry.method !== 8) {
    throw new ZipError(
      "method",
      `${entry.name} is packed with method ${entry.method}; only stored and deflated entries are read`,
    );
  }
  let offset = 0;
  const packed = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.byteLength) return controller.close();
      controller.enqueue(data.slice(offset, offset + CHUNK));
      offset += CHUNK;
    },
  }, { highWaterMark: 0 });
  const reader = packed
    .pipeThrough(
      new DecompressionStream("deflate-raw") as unknown as TransformStream<Uint8Array, Uint8Array>,
    )
    .getReader();
  let finished = false;
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (e) {
        throw new ZipError(
          "corrupt",
          `the ZIP archive is damaged (${entry.name}: ${e instanceof Error ? e.message : e})`,
        );
      }
      if (read.done) {
        finished = true;
        return;
      }
      budget.take(read.value.byteLength);
      yield read.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}
