import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import type { SheetRow } from "../../core/contact_import.ts";
import {
  columnOfReference,
  openXlsx,
  plainNumber,
  XlsxError,
  type XlsxWorkbook,
} from "../../core/xlsx_reader.ts";
import { sheetXml, workbookParts, zipOf } from "../support/xlsx_parts.ts";

async function all(workbook: XlsxWorkbook, sheet = 0): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of workbook.rows(sheet)) rows.push(row);
  return rows;
}

Deno.test("numbers stored in scientific notation are written out exactly, digit for digit", () => {
  assert.equal(plainNumber("6.28123456789E+12"), "6281234567890");
  assert.equal(plainNumber("6.2812345678901E+12"), "6281234567890.1");
  assert.equal(plainNumber("6.28123E+12"), "6281230000000");
  assert.equal(plainNumber("9.9999999999999999E+22"), "99999999999999999000000");
  assert.equal(plainNumber("1.5E-3"), "0.0015");
  assert.equal(plainNumber("-2.5e1"), "-25");
  assert.equal(plainNumber("6281234567890"), "6281234567890");
  assert.equal(plainNumber("0.1"), "0.1");
  assert.equal(plainNumber("E+12"), "E+12");
  assert.equal(columnOfReference("A1"), 0);
  assert.equal(columnOfReference("Z9"), 25);
  assert.equal(columnOfReference("AA10"), 26);
  assert.equal(columnOfReference("xfd1"), 16383);
  assert.equal(columnOfReference("12"), -1);
});

Deno.test("cells as a sheet stores them: shared strings, rich text, inline, numbers, booleans, formulas, errors, gaps", async () => {
  const sharedStrings = `<si><t>Nama</t></si><si><t xml:space="preserve">Telepon </t></si>` +
    `<si><r><rPr><b/></rPr><t>Siti</t></r><r><t xml:space="preserve"> Rahma</t></r>` +
    `<rPh sb="0" eb="1"><t>しち</t></rPh></si>` +
    `<si><t>A &amp; B &lt;3 &#233;_x000D_</t></si><si><t/></si>`;
  const sheet = sheetXml(
    `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
      `<row r="2"><c r="A2" t="s" s="0"><v>2</v></c><c r="B2"><v>6281234567890</v></c>` +
      `<c r="D2" t="b"><v>1</v></c></row>` +
      `<row r="3" spans="1:4"><c r="A3" t="inlineStr"><is><t>Budi</t></is></c>` +
      `<c r="B3"><v>6.28123456789E+12</v></c><c r="C3" t="b"><v>0</v></c></row>` +
      `<row r="4"><c r="A4" s="0"/><c r="B4" s="0"/></row>` +
      `<row r="6"><c r="A6" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>` +
      `<c r="B6"><f>1+1</f><v>2</v></c><c r="C6" t="e"><f>1/0</f><v>#DIV/0!</v></c>` +
      `<c r="E6" t="s"><v>3</v></c></row>` +
      `<row r="7"><c r="C7"><f>A1</f></c><c r="B7" t="s"><v>4</v></c></row>` +
      `<row><c t="inlineStr"><is><r><t>x</t></r><r><t>y</t></r></is></c><c><v>7</v></c></row>`,
  );
  const zip = await zipOf(workbookParts({ "Data & more": sheet }, { sharedStrings }));
  const workbook = await openXlsx(zip);
  assert.deepEqual(workbook.sheets, ["Data & more"]);
  assert.deepEqual(await all(workbook), [
    { number: 1, cells: ["Nama", "Telepon "] },
    { number: 2, cells: ["Siti Rahma", "6281234567890", "", "TRUE"] },
    { number: 3, cells: ["Budi", "6281234567890", "FALSE"] },
    { number: 6, cells: ["ab", "2", "", "", "A & B <3 é\r"] },
    { number: 8, cells: ["xy", "7"] },
  ]);
});

Deno.test("date-formatted numbers are dates; other formats keep the number", async () => {
  const sheet = sheetXml(
    `<row r="1"><c r="A1" s="1"><v>32875</v></c><c r="B1" s="2"><v>32875.5</v></c>` +
      `<c r="C1" s="3"><v>6281234567890</v></c><c r="D1" s="0"><v>32875</v></c></row>`,
  );
  const zip = await zipOf(
    workbookParts({ S: sheet }, {
      numFmts: [[164, "dd/mm/yyyy"], [165, "000000000000"]],
      xfs: [0, 14, 164, 165],
    }),
  );
  assert.deepEqual(await all(await openXlsx(zip)), [
    { number: 1, cells: ["1990-01-02", "1990-01-02", "6281234567890", "32875"] },
  ]);
});

Deno.test("a workbook written by exceljs: sheets in order, numbers stored as numbers, formulas' results", async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("Catatan").addRow(["nothing here"]);
  const sheet = workbook.addWorksheet("Pasien");
  sheet.addRow(["Nama", "Telepon", "Tanggal lahir"]);
  sheet.addRow(["Siti Rahma", 6281234567890, new Date(Date.UTC(1990, 0, 2))]);
  sheet.addRow(["Budi", 85700001111, ""]);
  sheet.addRow([]);
  sheet.addRow(["Ilmiah", "6.28123E+12", { formula: "1+1", result: 2 }]);
  sheet.getCell("E6").value = {
    richText: [{ text: "Kaya " }, { text: "teks", font: { bold: true } }],
  };
  const data = new Uint8Array(await workbook.xlsx.writeBuffer() as ArrayBuffer);
  const read = await openXlsx(new Blob([data]).stream());
  assert.deepEqual(read.sheets, ["Catatan", "Pasien"]);
  assert.deepEqual(await all(read, 0), [{ number: 1, cells: ["nothing here"] }]);
  assert.deepEqual(await all(read, 1), [
    { number: 1, cells: ["Nama", "Telepon", "Tanggal lahir"] },
    { number: 2, cells: ["Siti Rahma", "6281234567890", "1990-01-02"] },
    { number: 3, cells: ["Budi", "85700001111"] },
    { number: 5, cells: ["Ilmiah", "6.28123E+12", "2"] },
    { number: 6, cells: ["", "", "", "", "Kaya teks"] },
  ]);
});

Deno.test("what is not a workbook Kabar reads is refused saying why", async () => {
  const refused = async (data: Uint8Array, pattern: RegExp) => {
    await assert.rejects(
      async () => await all(await openXlsx(data)),
      (e: unknown) => e instanceof XlsxError && pattern.test(e.message),
    );
  };
  await refused(new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]), /not a ZIP archive/);
  await refused(await zipOf({ "a.txt": "hello" }), /not an Excel workbook/);
  const parts = workbookParts({ S: sheetXml("") });
  await refused(await zipOf(parts, { method: 12 }), /method 12/);
  const zip64 = await zipOf(parts);
  new DataView(zip64.buffer).setUint32(zip64.byteLength - 6, 0xffffffff, true);
  await refused(zip64, /ZIP64/);
  const cut = sheetXml(`<row r="1"><c r="A1"><v>1</v></c></row>`).slice(0, -30);
  await refused(await zipOf(workbookParts({ S: cut })), /cut short/);
});

Deno.test("a sheet that unpacks past the limit stops there, whatever the archive declares", async () => {
  const rows = Array.from(
    { length: 5_000 },
    (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
  ).join("");
  const zip = await zipOf(workbookParts({ S: sheetXml(rows) }));
  const small = await openXlsx(zip, { maxUnpackedBytes: 64 * 1024 });
  let seen = 0;
  await assert.rejects(async () => {
    for await (const _ of small.rows(0)) seen++;
  }, /unpacks to more than/);
  assert.ok(seen < 5_000, `stopped after ${seen} rows`);
  const stored = await openXlsx(
    await zipOf(workbookParts({ S: sheetXml(rows) }), { stored: true }),
  );
  assert.equal((await all(stored)).length, 5_000);
});
