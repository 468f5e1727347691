import assert from "node:assert/strict";
import type { SheetRow } from "../../core/contact_import.ts";
import { csvRows, sniffSeparator } from "../../core/csv_stream.ts";
import { parseCsv } from "../../core/csv.ts";

/** `bytes` as a stream of pieces of `size` bytes (split anywhere, within characters too). */
function dribble(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function read(source: Uint8Array | ReadableStream<Uint8Array>): Promise<string[][]> {
  const rows: SheetRow[] = [];
  for await (const row of csvRows(source)) rows.push(row);
  rows.forEach((r, i) => assert.equal(r.number, i + 1));
  return rows.map((r) => r.cells);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test("quotes, doubled quotes, line breaks in quotes and every line ending, piece by piece", async () => {
  const text =
    '\ufeffnama;telepon;catatan\r\n"Rahma; Siti";0812-3456-7890;"kata ""ya""\nbaris dua"\r' +
    "Budi;'081234567891;\n\nAni;+62 812 3456 7892;é ü";
  const expected = [
    ["nama", "telepon", "catatan"],
    ["Rahma; Siti", "0812-3456-7890", 'kata "ya"\nbaris dua'],
    ["Budi", "081234567891", ""],
    [""],
    ["Ani", "+62 812 3456 7892", "é ü"],
  ];
  for (const size of [1, 2, 3, 7, 1 << 16]) {
    assert.deepEqual(await read(dribble(utf8(text), size)), expected, `pieces of ${size}`);
  }
  assert.deepEqual(await read(utf8(text)), expected);
});

Deno.test("the separator is found on the first lines; a one-column header looks further", () => {
  assert.equal(sniffSeparator("a,b;c;d\n1;2;3;4"), ";");
  assert.equal(sniffSeparator("a\tb\n"), "\t");
  assert.equal(sniffSeparator('"x;y",b\n'), ",");
  assert.equal(sniffSeparator("telepon\n0812;Budi\n0813;Ani"), ";");
  assert.equal(sniffSeparator("telepon\n0812\n"), ",");
});

Deno.test("Windows-1252 is read when the bytes are not UTF-8, even when the first accent comes late", async () => {
  const lines = ["nama,telepon"];
  for (let i = 0; i < 5_000; i++) lines.push(`Pasien ${i},08123456${String(i).padStart(4, "0")}`);
  lines.push("Jos\xe9 \x80,081299990000");
  const bytes = new Uint8Array([...lines.join("\r\n")].map((c) => c.charCodeAt(0)));
  const rows = await read(dribble(bytes, 4096));
  assert.equal(rows.length, 5_002);
  assert.deepEqual(rows.at(-1), ["José €", "081299990000"]);
  const early = new Uint8Array([0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x31]);
  assert.deepEqual(await read(early), [["José", "1"]]);
});

Deno.test("the same rows as the whole-text parser, but for Excel's leading apostrophe", async () => {
  const text = 'a,b,c\n1,"2,3",4\n"",,\n\'0812,"\'x",y\n';
  const parsed = parseCsv(text).map((r) => r.map((c) => c.replace(/^'/, "")));
  assert.deepEqual(await read(utf8(text)), parsed);
  assert.deepEqual(await read(utf8("")), []);
  assert.deepEqual(await read(utf8("x")), [["x"]]);
});

Deno.test("a file of 100,000 rows is read as a stream", async () => {
  let text = "telepon,nama\n";
  for (let i = 0; i < 100_000; i++) text += `0812${String(10_000_000 + i)},Pasien ${i}\n`;
  let count = 0;
  let last: SheetRow | undefined;
  for await (const row of csvRows(dribble(utf8(text), 65_536))) {
    count++;
    last = row;
  }
  assert.equal(count, 100_001);
  assert.deepEqual(last, { number: 100_001, cells: ["081210099999", "Pasien 99999"] });
});
