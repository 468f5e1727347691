/**
 * A broadcast's report as CSV and .xlsx, from the API and from its page: the
 * same rows in list order with each row's variables as columns, text never a
 * formula, agents refused, and one audit line per download with its format.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import ExcelJS from "exceljs";
import { auditLog } from "../../db/schema.ts";
import { apiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { setUserLanguage } from "../../db/users.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function draft(t: TestApp) {
  const channel = await sandbox(t);
  const made = await apiKey(t, ["broadcasts:*"]);
  const { body } = await made.api.post("/api/v1/broadcasts", {
    name: "Pengingat kontrol",
    channel: channel.id,
    text: "Halo {{nama}}, kontrol Anda {{tanggal}} di {{poli}}.",
    recipients: [
      { phone: "0812-3456-7001", name: "Ani", variables: { tanggal: "Senin", poli: "Anak" } },
      { phone: "=HYPERLINK(1)", name: "@jahat", variables: { tanggal: "+1", poli: "-2" } },
      { phone: "6281234567002", name: "Budi", variables: { tanggal: "Selasa", poli: "Gigi" } },
    ],
  });
  return { ...made, id: body.id as number };
}

async function sheetOf(bytes: ArrayBuffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheet = book.worksheets[0];
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
  const formulas: string[] = [];
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula) formulas.push(cell.address);
    })
  );
  return { rows, formulas };
}

async function reportAudits(t: TestApp) {
  return (await t.deps.db.select().from(auditLog))
    .filter((a) => a.action === "broadcast.report")
    .map((a) => JSON.parse(a.details ?? "{}").format);
}

Deno.test("the API's .xlsx report has the CSV's rows and columns, text never a formula", async () => {
  await using t = await startTestApp();
  const { id, key } = await draft(t);
  const auth = { headers: { authorization: `Bearer ${key}` } };
  const xlsx = await t.app.request(`/api/v1/broadcasts/${id}/report.xlsx`, auth);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get("content-type"), XLSX);
  assert.match(xlsx.headers.get("content-disposition") ?? "", /broadcast-\d+\.xlsx/);
  const { rows, formulas } = await sheetOf(await xlsx.arrayBuffer());
  assert.deepEqual(formulas, []);
  assert.deepEqual(rows[0], [
    "row",
    "number_as_written",
    "phone",
    "name",
    "status",
    "time",
    "error",
    "error_code",
    "message_id",
    "tanggal",
    "poli",
    "nama",
  ]);
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => r[0]), ["row", 1, 2, 3], "list order, rows as numbers");
  assert.deepEqual(rows[1].slice(1, 5), ["0812-3456-7001", "6281234567001", "Ani", "pending"]);
  const hostile = [1, 2, 3, 4].map((i) => rows[2][i] ?? null);
  assert.deepEqual(hostile, ["'=HYPERLINK(1)", null, "'@jahat", "invalid"]);
  assert.deepEqual(rows[2].slice(9), ["'+1", "'-2", "'@jahat"]);
  assert.deepEqual(rows[3].slice(9), ["Selasa", "Gigi", "Budi"]);

  const csv = await t.app.request(`/api/v1/broadcasts/${id}/report.csv`, auth);
  const lines = (await csv.text()).replace(/^\ufeff/, "").trim().split("\r\n");
  assert.equal(lines[0], rows[0].join(","));
  assert.match(lines[2], /^2,'=HYPERLINK\(1\),,'@jahat,invalid,.*,'\+1,'-2,'@jahat$/);
  assert.deepEqual(await reportAudits(t), ["xlsx", "csv"], "each download audited once");
});

Deno.test("the broadcast page links both reports for supervisors; agents are refused them", async () => {
  await using t = await startTestApp();
  const { id } = await draft(t);
  const sari = await signedIn(t, "supervisor");
  const review = await sari.get(`/broadcasts/${id}`);
  assert.match(review.text, new RegExp(`href="/broadcasts/${id}/report.xlsx"`));
  assert.match(review.text, new RegExp(`href="/broadcasts/${id}/report.csv"`));
  const xlsx = await sari.open(`/broadcasts/${id}/report.xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get("content-type"), XLSX);
  const { rows, formulas } = await sheetOf(await xlsx.arrayBuffer());
  assert.deepEqual(formulas, []);
  assert.deepEqual(rows[0].slice(0, 7), [
    "Row",
    "Number as written",
    "Phone",
    "Name",
    "Status",
    "Time (UTC)",
    "Local time",
  ], "column heads in the reader's words");
  assert.equal(rows.length, 4);
  const csv = await sari.get(`/broadcasts/${id}/report.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
  assert.ok(
    csv.text.startsWith("Row,Number as written,Phone,Name,Status,Time (UTC),Local time"),
  );
  // The reason and the status in the reader's language.
  assert.match(csv.text, /Cannot be used,,,“=HYPERLINK\(1\)” is not a number/);
  await setUserLanguage(t.deps.db, sari.user.id, "id");
  const indonesian = await sari.get(`/broadcasts/${id}/report.csv`);
  assert.ok(indonesian.text.startsWith("Baris,Nomor seperti ditulis,Nomor telepon,Nama"));
  assert.match(indonesian.text, /Tidak bisa dipakai,,,“=HYPERLINK\(1\)” bukan nomor/);
  const admin = await signedIn(t, "admin");
  assert.equal((await admin.open(`/broadcasts/${id}/report.csv`)).status, 200);
  const agus = await signedIn(t, "agent");
  for (const format of ["csv", "xlsx"]) {
    const refused = await agus.open(`/broadcasts/${id}/report.${format}`);
    await refused.body?.cancel();
    assert.equal(refused.status, 403, format);
  }
  const audits = (await t.deps.db.select().from(auditLog))
    .filter((a) => a.action === "broadcast.report");
  assert.deepEqual(audits.map((a) => JSON.parse(a.details ?? "{}").format), [
    "xlsx",
    "csv",
    "csv",
    "csv",
  ]);
  assert.equal(audits[0].actorUserId, sari.user.id);
});
