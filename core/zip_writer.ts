/**
 * A ZIP archive written as it goes: each entry's content is deflated while
 * it is read from its source, and its checksum and sizes follow the data
 * (ZIP's data descriptor), so nothing has to be held whole. The archive is
 * made only as fast as it is read: a slow reader holds the sources back.
 */
import { crc32 } from "./crc32.ts";

/** One file of the archive: its name and its content, made as it is asked for. */
export interface ZipSource {
  name: string;
  content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
/** Bit 3: sizes and checksum follow the data; bit 11: names are UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION = 20;
/** ZIP without its 64-bit extension counts up to 4 GiB. */
const LIMIT = 0xffffffff;

interface Written {
  name: Uint8Array;
  crc: number;
  packed: number;
  size: number;
  offset: number;
}

/**
 * The archive of `entries`, in order, as chunks; `at` dates them (in local
 * time, as MS-DOS keeps it).
 */
export async function* zipStream(
  entries: Iterable<ZipSource> | AsyncIterable<ZipSource>,
  at: Date = new Date(),
): AsyncGenerator<Uint8Array> {
  const [time, date] = dosTime(at);
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, LOCAL, true);
    local.setUint16(4, VERSION, true);
    local.setUint16(6, FLAGS, true);
    local.setUint16(8, DEFLATE, true);
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint16(26, name.length, true);
    yield new Uint8Array(local.buffer);
    yield name;
    const record: Written = { name, crc: 0, packed: 0, size: 0, offset };
    for await (const chunk of deflated(entry.content, record)) {
      record.packed += chunk.length;
      yield chunk;
    }
    if (record.packed > LIMIT || record.size > LIMIT || offset > LIMIT) {
      throw new RangeError("the archive grew past 4 GiB");
    }
    const descriptor = new DataView(new ArrayBuffer(16));
    descriptor.setUint32(0, DESCRIPTOR, true);
    descriptor.setUint32(4, record.crc, true);
    descriptor.setUint32(8, record.packed, true);
    descriptor.setUint32(12, record.size, true);
    yield new Uint8Array(descriptor.buffer);
    offset += 30 + name.length + record.packed + 16;
    written.push(record);
  }
  let centralSize = 0;
  for (const w of written) {
    const head = new DataView(new ArrayBuffer(46));
    head.setUint32(0, CENTRAL, true);
    head.setUint16(4, VERSION, true);
    head.setUint16(6, VERSION, true);
    head.setUint16(8, FLAGS, true);
    head.setUint16(10, DEFLATE, true);
    head.setUint16(12, time, true);
    head.setUint16(14, date, true);
    head.setUint32(16, w.crc, true);
    head.setUint32(20, w.packed, true);
    head.setUint32(24, w.size, true);
    head.setUint16(28, w.name.length, true);
    head.setUint32(42, w.offset, true);
    yield new Uint8Array(head.buffer);
    yield w.name;
    centralSize += 46 + w.name.length;
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, END, true);
  end.setUint16(8, written.length, true);
  end.setUint16(10, written.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  yield new Uint8Array(end.buffer);
}

/**
 * `content` deflated, counting its size and checksum into `record` as it
 * passes. The compressor takes a piece only once what it made of the pieces
 * before has been read, so a reader that stops stops the source too.
 */
async function* deflated(
  content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  record: { crc: number; size: number },
): AsyncGenerator<Uint8Array> {
  const compressor = new CompressionStream("deflate-raw");
  const input = compressor.writable.getWriter();
  const output = compressor.readable.getReader();
  const feeding = (async () => {
    for await (const chunk of content) {
      record.crc = crc32(chunk, record.crc);
      record.size += chunk.length;
      await input.ready;
      await input.write(chunk as Uint8Array<ArrayBuffer>);
    }
    await input.close();
  })();
  // A source that fails ends the output with its error instead of leaving it waiting.
  const failed = feeding.then(() => undefined, (error) => {
    output.cancel(error).catch(() => {});
    throw error;
  });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await output.read();
      if (done) break;
      yield value;
    }
    finished = true;
    await failed;
  } finally {
    if (!finished) {
      // The reader went away: the source is closed rather than left waiting.
      await output.cancel().catch(() => {});
      await input.abort().catch(() => {});
    }
    await failed.catch(() => {});
  }
}

/** `at` as MS-DOS time and date (local time; 2-second steps; years from 1980). */
function dosTime(at: Date): [number, number] {
  const year = Math.max(at.getFullYear(), 1980);
  return [
    (at.getHours() << 11) | (at.getMinutes() << 5) | (at.getSeconds() >> 1),
    ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  ];
}
