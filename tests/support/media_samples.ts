/**
 * Small files built byte by byte, with the headers real ones start with, for
 * the tests of what Kabar takes a file to be.
 */

const encoder = new TextEncoder();

/** Joins strings (as UTF-8), byte lists and byte arrays. */
export function bytesOf(...parts: Array<string | number[] | Uint8Array>): Uint8Array<ArrayBuffer> {
  const arrays = parts.map((p) =>
    typeof p === "string" ? encoder.encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)
  );
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.byteLength;
  }
  return out;
}

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const zeros = (n: number) => new Array<number>(n).fill(0);

/** An ISO media file: an `ftyp` box with `brand` and its compatible brands, then `mdat`. */
export function ftyp(brand: string, compatible: string[]): Uint8Array<ArrayBuffer> {
  return bytesOf(u32(16 + 4 * compatible.length), "ftyp", brand, zeros(4), ...compatible, [
    ...u32(8),
  ], "mdat");
}

/** An OGG page whose first packet starts with `packet`. */
function ogg(packet: Uint8Array | string): Uint8Array<ArrayBuffer> {
  const body = typeof packet === "string" ? encoder.encode(packet) : packet;
  return bytesOf("OggS", [0, 2], zeros(20), [1, body.byteLength], body);
}

/** A 1×1 PNG. */
export const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

/** Files by name: what they are, as bytes. */
export const SAMPLES = {
  png: PNG,
  jpeg: bytesOf([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF", [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
  gif: bytesOf("GIF89a", [1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]),
  webp: bytesOf("RIFF", [26, 0, 0, 0], "WEBPVP8 ", zeros(14)),
  svg: encoder.encode(
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>',
  ),
  svgWithXmlDeclaration: encoder.encode(
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- logo -->\n' +
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
  ),
  html: encoder.encode("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
  threeBytes: bytesOf([0x9c, 0x00, 0xfe]),
  pdf: encoder.encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
  csv: encoder.encode("no_rm;nama;tanggal\n0012;Siti Rahma;2026-01-02\n0013;Budi;2026-01-03\n"),
  text: encoder.encode("Jadwal poli gigi: Senin–Jumat 08.00–14.00\n"),
  junk: bytesOf([0x00, 0x01, 0x02, 0x9f, 0xff, 0xfe, 0x10, 0x80, 0x81, 0x00, 0x7f, 0x03]),
  mp4: ftyp("isom", ["isom", "iso2", "avc1", "mp41"]),
  mov: ftyp("qt  ", ["qt  "]),
  threeGp: ftyp("3gp4", ["isom", "3gp4"]),
  heic: ftyp("heic", ["mif1", "heic"]),
  avif: ftyp("avif", ["mif1", "avif", "miaf"]),
  m4a: ftyp("M4A ", ["M4A ", "mp42", "isom"]),
  webm: bytesOf(
    [0x1a, 0x45, 0xdf, 0xa3, 0x9f],
    [0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04],
    [0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84],
    "webm",
    [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02],
  ),
  aac: bytesOf([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc], zeros(64)),
  mp3: bytesOf("ID3", [4, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64], zeros(413), [
    0xff,
    0xfb,
    0x90,
    0x64,
  ], zeros(413)),
  oggOpus: ogg(bytesOf("OpusHead", [1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0])),
  oggVorbis: ogg(bytesOf([1], "vorbis", zeros(23))),
  exe: encoder.encode("MZ\x90\x00 a program"),
};

/** A sample's name. */
export type SampleName = keyof typeof SAMPLES;
