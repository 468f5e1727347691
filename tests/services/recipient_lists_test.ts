import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { AppError } from "../../core/app_error.ts";
import type { Recipient, RecipientOptions } from "../../core/broadcast_recipients.ts";
import type { ImportKind } from "../../core/import_file.ts";
import type { ImportFile } from "../../db/import_files.ts";
import {
  readRecipientFile,
  readRecipientText,
  recipientFileKind,
  type RecipientListRequest,
} from "../../services/recipient_lists.ts";

const options: RecipientOptions = { region: "ID" };

async function fileOf(dir: string, name: string, data: Uint8Array | string): Promise<ImportFile> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const kind: ImportKind = recipientFileKind(bytes, name);
  const path = `${dir}/${name}`;
  await Deno.writeFile(path, bytes);
  return { id: name, kind, path, size: bytes.byteLength };
}

async function read(
  file: ImportFile,
  request: RecipientListRequest,
  more: Partial<RecipientOptions> = {},
  sheet = 0,
) {
  const recipients: Recipient[] = [];
  const result = await readRecipientFile(file, sheet, request, { ...options, ...more }, (r) => {
    recipients.push(r);
  });
  return { ...result, recipients };
}

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
}

Deno.test("an .xlsx list: header found, numbers stored as numbers, formulas' results, blank rows", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await workbook((wb) => {
      wb.addWorksheet("Kosong");
      const ws = wb.addWorksheet("Pasien");
      ws.addRow(["Nama", "No. HP", "Poli", "Jam"]);
      ws.addRow(["Siti", 6281234567890, "Gigi", { formula: '"08:"&"00"', result: "08:00" }]);
      ws.addRow([]);
      ws.addRow(["Budi", "0812-3456-7891", "Anak", "09:00"]);
      ws.addRow(["Ilmiah", "6.28123E+12", "Mata", "10:00"]);
      ws.addRow(["Dua", { formula: "6281234567890+0", result: 6281234567890 }, "Gigi", "11:00"]);
      ws.addRow(["Tanpa poli", "'081234567892", "", "12:00"]);
    });
    const file = await fileOf(dir, "pasien.xlsx", data);
    const result = await read(
      file,
      { columns: { phone: "no. hp", name: "A", variables: { poli: "Poli", jam: "d" } } },
      { required: ["poli", "jam"] },
      1,
    );
    assert.deepEqual(result.sheets, ["Kosong", "Pasien"]);
    assert.deepEqual(result.header, ["Nama", "No. HP", "Poli", "Jam"]);
    assert.deepEqual(
      result.recipients.map((r) => [r.row, r.status, r.phone, r.errorCode]),
      [
        [2, "pending", "6281234567890", null],
        [4, "pending", "6281234567891", null],
        [5, "invalid", null, "scientific"],
        [6, "duplicate", "6281234567890", "duplicate"],
        [7, "invalid", "6281234567892", "variable_missing"],
      ],
    );
    assert.deepEqual(result.recipients[0].variables, { poli: "Gigi", jam: "08:00" });
    assert.equal(result.recipients[3].error, '"6281234567890" is the number of row 2 too');
    assert.deepEqual(result.counts, { rows: 5, valid: 2, invalid: 2, duplicates: 1, opted_out: 0 });

    await assert.rejects(
      () => read(file, { columns: { phone: "Telepon" } }, {}, 1),
      (e: unknown) => e instanceof AppError && /no column "Telepon"/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a .csv list with or without a header, by letter or header text", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const noHeader = await fileOf(dir, "a.csv", "081234567890;Siti\n\n'0812 3456 7891;Budi\n");
    const plain = await read(noHeader, { columns: { phone: "A", name: "B" } });
    assert.equal(plain.header, undefined);
    assert.deepEqual(plain.recipients.map((r) => [r.row, r.phone, r.name]), [
      [1, "6281234567890", "Siti"],
      [3, "6281234567891", "Budi"],
    ]);
    const withHeader = await fileOf(
      dir,
      "b.csv",
      "\ufeffNOMOR WA,Nama Pasien\r\n+62 812 3456 7890,Siti\r\n6.28123E+12,X\r\n",
    );
    const headed = await read(withHeader, {
      columns: { phone: " nomor wa ", name: "nama pasien" },
    });
    assert.deepEqual(headed.header, ["NOMOR WA", "Nama Pasien"]);
    assert.deepEqual(headed.recipients.map((r) => r.errorCode), [null, "scientific"]);
    const forced = await read(withHeader, { columns: { phone: "A" }, header: false });
    assert.deepEqual(forced.recipients.map((r) => r.errorCode), ["not_digits", null, "scientific"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a wrong file, an empty one and an old .xls are refused saying why", async () => {
  const refused = (data: Uint8Array, name: string, pattern: RegExp) =>
    assert.throws(
      () => recipientFileKind(data, name),
      (e: unknown) => e instanceof AppError && e.status === 422 && pattern.test(e.message),
    );
  refused(new Uint8Array(), "kosong.csv", /The file is empty/);
  refused(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), "lama.xls", /save it as \.xlsx/);
  refused(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]), "foto.png", /not a \.csv or \.xlsx/);
  const dir = await Deno.makeTempDir();
  try {
    const broken = await fileOf(dir, "rusak.xlsx", new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]));
    await assert.rejects(
      () => read(broken, { columns: { phone: "A" } }),
      (e: unknown) => e instanceof AppError && /could not be read as an \.xlsx/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a 20,000-row workbook and a 20,000-line text become a list in a few seconds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet("Daftar");
      ws.addRow(["telepon", "nama", "poli"]);
      for (let i = 0; i < 20_000; i++) {
        const n = 10_000_000 + i;
        ws.addRow([i % 3 === 0 ? Number(`62812${n}`) : `0812-${n}`, `Pasien ${i}`, "Umum"]);
      }
    });
    const file = await fileOf(dir, "besar.xlsx", data);
    const started = performance.now();
    let last: Recipient | undefined;
    const result = await readRecipientFile(
      file,
      0,
      { columns: { phone: "telepon", name: "nama", variables: { poli: "C" } } },
      { ...options, required: ["poli"], maxRows: 100_000 },
      (r) => {
        last = r;
      },
    );
    const ms = performance.now() - started;
    assert.deepEqual(result.counts, {
      rows: 20_000,
      valid: 20_000,
      invalid: 0,
      duplicates: 0,
      opted_out: 0,
    });
    assert.equal(last?.row, 20_001);
    assert.equal(last?.phone, "6281210019999");
    assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);

    const text = Array.from({ length: 20_000 }, (_, i) => `0812${10_000_000 + i}, Pasien ${i}`)
      .join("\n");
    let count = 0;
    const fromText = await readRecipientText(
      text,
      { columns: { phone: 0, name: 1 } },
      { ...options, maxRows: 10_000 },
      () => {
        count++;
      },
    ).catch((e) => e);
    assert.ok(fromText instanceof AppError && /more than 10000 rows/.test(fromText.message));
    assert.equal(count, 10_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
