/**
 * How large a ZIP archive (an .xlsx workbook) becomes once unpacked, counted
 * by inflating its entries as a stream and stopping at a limit, so that a
 * small upload that unpacks to gigabytes (a zip bomb) is refused before a
 * library unpacks it whole in memory. The sizes the archive declares are not
 * trusted: each entry is inflated and counted.
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Why an archive is refused: it unpacks to more than the limit, or it is not a ZIP Kabar reads. */
export type ZipSizeProblem = "too_large" | "unreadable";

/**
 * The total size of the entries of `zip` unpacked, if at most `limit` bytes; else why not.
 * Stored and deflated entries are read (the only kinds Excel and LibreOffice write); ZIP64 and
 * any other method are unreadable.
 */
export async function unpackedSize(
  zip: Uint8Array,
  limit: number,
): Promise<{ ok: true; bytes: number } | { ok: false; problem: ZipSizeProblem }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const unreadable = { ok: false, problem: "unreadable" } as const;
  let end = -1;
  for (let at = zip.byteLength - 22; at >= 0 && at >= zip.byteLength - 22 - 0xffff; at--) {
    if (u32(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) return unreadable;
  const count = u16(end + 10);
  let at = u32(end + 16);
  if (count === 0xffff || at === 0xffffffff) return unreadable;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.byteLength || u32(at) !== CENTRAL) return unreadable;
    const method = u16(at + 10);
    const compressed = u32(at + 20);
    const local = u32(at + 42);
    const next = at + 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
    if (local + 30 > zip.byteLength || u32(local) !== LOCAL) return unreadable;
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (compressed === 0xffffffff || start + compressed > zip.byteLength) return unreadable;
    const data = zip.subarray(start, start + compressed);
    if (method === 0) total += data.byteLength;
    else if (method === 8) {
      const inflated = await inflatedSize(data, limit - total);
      if (inflated === "unreadable") return unreadable;
      if (inflated === "too_large") return { ok: false, problem: "too_large" };
      total += inflated;
    } else return unreadable;
    if (total > limit) return { ok: false, problem: "too_large" };
    at = next;
  }
  return { ok: true, bytes: total };
}

/** The size of raw-deflated `data` unpacked, counted up to `limit`. */
async function inflatedSize(
  data: Uint8Array,
  limit: number,
): Promise<number | "too_large" | "unreadable"> {
  const reader = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return size;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return "too_large";
      }
    }
  } catch {
    return "unreadable";
  }
}
