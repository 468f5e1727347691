import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { crc32 } from "../../core/crc32.ts";
import { columnLetter } from "../../core/column_letter.ts";
import { xlsxStream, xmlText } from "../../core/xlsx_writer.ts";
import { openXlsx } from "../../core/xlsx_reader.ts";
import { zipStream } from "../../core/zip_writer.ts";
import { entryChunks, findEntry, UnpackBudget, zipEntries } from "../../core/zip_entries.ts";

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

async function* rowsOf(rows: Array<Array<string | number | null>>) {
  for (const r of rows) yield r;
}

Deno.test("CRC-32 is the one ZIP uses, also computed in pieces", () => {
  const text = new TextEncoder().encode("123456789");
  assert.equal(crc32(text), 0xcbf43926);
  assert.equal(crc32(text.subarray(4), crc32(text.subarray(0, 4))), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

Deno.test("a ZIP written as it goes opens with its entries, checksums and sizes", async () => {
  const big = "Halo Siti, jadwal kontrol Anda Senin.\n".repeat(20_000);
  const zip = await bytesOf(zipStream([
    { name: "kecil.txt", content: [new TextEncoder().encode("satu")] },
    {
      name: "besar/daftar pasien é.txt",
      content: (async function* () {
        for (let i = 0; i < 20; i++) yield new TextEncoder().encode(big.slice(0, big.length / 20));
      })(),
    },
    { name: "kosong.txt", content: [] },
  ], new Date(2026, 11, 7, 9, 30, 12)));
  const entries = zipEntries(zip);
  assert.deepEqual(entries.map((e) => e.name), [
    "kecil.txt",
    "besar/daftar pasien é.txt",
    "kosong.txt",
  ]);
  const read = async (name: string) => {
    const parts: Uint8Array[] = [];
    const entry = findEntry(entries, name)!;
    for await (const c of entryChunks(zip, entry, new UnpackBudget(10_000_000))) parts.push(c);
    return new TextDecoder().decode(await new Blob(parts as Uint8Array<ArrayBuffer>[]).bytes());
  };
  assert.equal(await read("kecil.txt"), "satu");
  assert.equal(await read("besar/daftar pasien é.txt"), big.slice(0, big.length / 20).repeat(20));
  assert.equal(await read("kosong.txt"), "");
  assert.ok(zip.length < big.length / 20, "deflated");
});

Deno.test("a source that fails ends the archive with its error", async () => {
  const failing = (async function* () {
    yield new TextEncoder().encode("awal");
    throw new Error("the database went away");
  })();
  await assert.rejects(
    () => bytesOf(zipStream([{ name: "a.txt", content: failing }])),
    /the database went away/,
  );
});

Deno.test("a reader that stops early closes the source", async () => {
  let closed = false;
  const endless = (async function* () {
    try {
      for (let i = 0;; i++) yield new TextEncoder().encode(`baris ${i} ${Math.random()}\n`);
    } finally {
      closed = true;
    }
  })();
  const archive = zipStream([{ name: "a.txt", content: endless }]);
  let read = 0;
  for await (const chunk of archive) {
    read += chunk.length;
    if (read > 50_000) break;
  }
  assert.ok(closed, "the source's finally ran");
});

Deno.test("a workbook written as it goes reads back, in Kabar and in ExcelJS, cell for cell", async () => {
  const rows: Array<Array<string | number | null>> = [
    ["row", "phone", "name", "note"],
    [1, "6281234567890", 'Siti & <Budi> "kecil"', '\'=HYPERLINK("x")'],
    [2, "6281298765432", "Dewi\u0001\u0000 Lestari", null],
    [3, "", "😀 Ahmad", "a\nb"],
  ];
  const workbook = await bytesOf(xlsxStream("Report", rowsOf(rows)));
  const ours = await openXlsx(workbook);
  assert.deepEqual(ours.sheets, ["Report"]);
  const read: string[][] = [];
  for await (const row of ours.rows(0)) read.push(row.cells);
  assert.deepEqual(read, [
    ["row", "phone", "name", "note"],
    ["1", "6281234567890", 'Siti & <Budi> "kecil"', '\'=HYPERLINK("x")'],
    ["2", "6281298765432", "Dewi Lestari"],
    ["3", "", "😀 Ahmad", "a\nb"],
  ]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(workbook.buffer as ArrayBuffer);
  const sheet = book.getWorksheet("Report")!;
  assert.equal(sheet.getCell("A2").value, 1, "a number stays a number");
  assert.equal(sheet.getCell("B2").value, "6281234567890", "digits as text stay text");
  assert.equal(sheet.getCell("D2").value, '\'=HYPERLINK("x")', "never a formula");
  assert.equal(sheet.getCell("C4").value, "😀 Ahmad");
});

Deno.test("column letters and XML text", () => {
  assert.deepEqual([0, 25, 26, 51, 52, 701, 702].map(columnLetter), [
    "A",
    "Z",
    "AA",
    "AZ",
    "BA",
    "ZZ",
    "AAA",
  ]);
  assert.equal(xmlText('a<b>&"c"\u0007\ud800'), "a&lt;b&gt;&amp;&quot;c&quot;");
});
