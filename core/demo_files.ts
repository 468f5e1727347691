/**
 * The two files of the demo conversations, built byte by byte: a small PNG
 * (a red cross on white, what a patient's photo shows as) and a one-page PDF
 * (a lab report), both valid for any viewer.
 */

const encoder = new TextEncoder();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([encoder.encode(type), data]);
  return concat([u32(data.byteLength), typed, u32(crc32(typed))]);
}

/** `data` as a zlib stream of stored (uncompressed) blocks. */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [Uint8Array.of(0x78, 0x01)];
  for (let at = 0; at < data.byteLength || at === 0; at += 65535) {
    const part = data.subarray(at, at + 65535);
    const last = at + 65535 >= data.byteLength ? 1 : 0;
    const len = part.byteLength;
    blocks.push(Uint8Array.of(last, len & 255, len >>> 8, ~len & 255, (~len >>> 8) & 255), part);
  }
  blocks.push(u32(adler32(data)));
  return concat(blocks);
}

/** A `size`×`size` RGB PNG: a red cross on white. */
export function demoPng(size = 32): Uint8Array<ArrayBuffer> {
  const header = concat([u32(size), u32(size), Uint8Array.of(8, 2, 0, 0, 0)]);
  const raw = new Uint8Array(size * (1 + size * 3));
  const arm = size / 6;
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const inCross = Math.abs(x - size / 2 + 0.5) < arm || Math.abs(y - size / 2 + 0.5) < arm;
      const at = row + 1 + x * 3;
      raw[at] = inCross ? 0xdc : 0xff;
      raw[at + 1] = inCross ? 0x26 : 0xff;
      raw[at + 2] = inCross ? 0x26 : 0xff;
    }
  }
  return concat([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", header),
    chunk("IDAT", zlibStored(raw)),
    chunk("IEND", new Uint8Array()),
  ]);
}

/** A one-page PDF with `lines` of text (ASCII), with a correct cross-reference table. */
export function demoPdf(
  lines: string[] = [
    "RS Sehat - Hasil Laboratorium (contoh)",
    "Pemeriksaan: darah lengkap",
    "Hemoglobin 13.5 g/dL (normal 12-16)",
    "Leukosit 7.200 /uL (normal 4.000-10.000)",
    "Data ini dibuat oleh kabar demo seed.",
  ],
): Uint8Array<ArrayBuffer> {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");
  const text = lines.map((l, i) => `BT /F1 12 Tf 56 ${760 - i * 20} Td (${escape(l)}) Tj ET`)
    .join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " +
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) out += `${String(at).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return encoder.encode(out);
}
