import assert from "node:assert/strict";
import { columnLetter } from "../../core/column_letter.ts";
import {
  buildRecipients,
  findColumn,
  looksLikeHeader,
  parseRecipientText,
  RecipientLimitError,
  RecipientListBuilder,
  resolveRecipientColumns,
} from "../../core/broadcast_recipients.ts";

const options = { region: "ID" };

Deno.test("free text: one recipient a line, messy as people paste it", () => {
  const text = "  0812-3456-7890  \n\n\t\n+62 812 3456 7891, Budi Santoso\r\n" +
    "0812 3456 7892;Ani;Poli Gigi\n0812 3456 7893\tSiti\t08:00\n" +
    '0812 3456 7894, "Rahma, Siti", "kata ""ya"""\n' +
    "'0812 3456 7895 , Dewi ; Jr\n0812 3456 7896 Joko Widodo\n";
  assert.deepEqual(parseRecipientText(text), [
    { number: 1, cells: ["0812-3456-7890"] },
    { number: 4, cells: ["+62 812 3456 7891", "Budi Santoso"] },
    { number: 5, cells: ["0812 3456 7892", "Ani", "Poli Gigi"] },
    { number: 6, cells: ["0812 3456 7893", "Siti", "08:00"] },
    { number: 7, cells: ["0812 3456 7894", "Rahma, Siti", 'kata "ya"'] },
    { number: 8, cells: ["0812 3456 7895", "Dewi ; Jr"] },
    { number: 9, cells: ["0812 3456 7896", "Joko Widodo"] },
  ]);
});

Deno.test("columns by header text or letter; a missing one is named", () => {
  const header = ["Nama", " No HP ", "Poli"];
  assert.deepEqual(findColumn("no hp", header, 3), { ok: true, column: 1 });
  assert.deepEqual(findColumn("c", header, 3), { ok: true, column: 2 });
  assert.deepEqual(findColumn(0, header, 3), { ok: true, column: 0 });
  const missing = findColumn("Tanggal", header, 3);
  assert.equal(missing.ok, false);
  assert.match(
    !missing.ok ? missing.message : "",
    /no column "Tanggal".*A–C.*"Nama", "No HP", "Poli"/,
  );
  const letter = findColumn("D", undefined, 3);
  assert.match(!letter.ok ? letter.message : "", /no column "D": the list has columns A–C$/);
  assert.equal(columnLetter(0), "A");
  assert.equal(columnLetter(25), "Z");
  assert.equal(columnLetter(26), "AA");
  assert.equal(columnLetter(16383), "XFD");
  assert.deepEqual(findColumn("AA", undefined, 30), { ok: true, column: 26 });
  const mapping = resolveRecipientColumns(
    { phone: "No HP", name: "a", variables: { poli: "Poli", jam: "E" } },
    header,
    3,
  );
  assert.equal(mapping.ok, false);
  assert.deepEqual(Object.keys(!mapping.ok ? mapping.errors : {}), ["variables.jam"]);
});

Deno.test("a first row is a header when its phone cell is no number", () => {
  assert.equal(looksLikeHeader(["Nama", "Telepon"], 1), true);
  assert.equal(looksLikeHeader(["Budi", "0812-3456-7890"], 1), false);
  assert.equal(looksLikeHeader(["Budi", "6.28123E+12"], 1), false);
  assert.equal(looksLikeHeader(["nama", "nomor wa"]), true);
  assert.equal(looksLikeHeader(["Budi", "6281234567890"]), false);
});

Deno.test("spreadsheet numbers: as numbers, as text with spaces and dashes, scientific text, apostrophe", () => {
  const rows = [
    { number: 2, cells: ["6281234567890", "Siti"] },
    { number: 3, cells: ["0812 3456 7891", "Budi"] },
    { number: 4, cells: ["0812-3456-7892", ""] },
    { number: 5, cells: ["6.28123E+12", "Ilmiah"] },
    { number: 6, cells: ["081234567893", "Dewi"] },
    { number: 7, cells: ["", "Tanpa nomor"] },
    { number: 8, cells: ["0812abc", "Huruf"] },
    { number: 9, cells: ["0812", "Pendek"] },
    { number: 10, cells: ["", ""] },
  ];
  const { recipients, counts } = buildRecipients(
    rows,
    { phone: 0, name: 1, variables: {} },
    options,
  );
  assert.deepEqual(
    recipients.map((r) => [r.row, r.status, r.phone, r.errorCode]),
    [
      [2, "pending", "6281234567890", null],
      [3, "pending", "6281234567891", null],
      [4, "pending", "6281234567892", null],
      [5, "invalid", null, "scientific"],
      [6, "pending", "6281234567893", null],
      [7, "invalid", null, "empty"],
      [8, "invalid", null, "not_digits"],
      [9, "invalid", null, "too_short"],
    ],
  );
  assert.match(recipients[3].error!, /"6\.28123E\+12" is a number in scientific notation/);
  assert.equal(recipients[2].name, null);
  assert.equal(recipients[0].name, "Siti");
  assert.deepEqual(counts, { rows: 8, valid: 4, invalid: 4, duplicates: 0, opted_out: 0 });
});

Deno.test("duplicates in any form name the earlier row; opted-out numbers are left out", () => {
  const rows = parseRecipientText(
    "0812-3456-7890, Siti\n+62 812 3456 7890, Siti lagi\n6281234567890\n0812 9999 0000, Keluar\n" +
      "0812-9999-0000\n",
  );
  const { recipients, counts } = buildRecipients(rows, { phone: 0, name: 1, variables: {} }, {
    ...options,
    isOptedOut: (phone) => phone === "6281299990000",
  });
  assert.deepEqual(recipients.map((r) => r.status), [
    "pending",
    "duplicate",
    "duplicate",
    "opted_out",
    "duplicate",
  ]);
  assert.equal(recipients[1].error, '"+62 812 3456 7890" is the number of row 1 too');
  assert.deepEqual(recipients[2].errorParams, { value: "6281234567890", row: 1 });
  assert.equal(recipients[3].errorCode, "opted_out");
  assert.deepEqual(counts, { rows: 5, valid: 1, invalid: 0, duplicates: 3, opted_out: 1 });
});

Deno.test("a row without a value for a template variable is invalid, naming it; shared values fill in", () => {
  const rows = [
    { number: 2, cells: ["081234567890", "Siti", "Poli Gigi", "08:00"] },
    { number: 3, cells: ["081234567891", "Budi", "", "09:00"] },
    { number: 4, cells: ["081234567892", "Ani", "Poli Anak"] },
    { number: 5, cells: ["081234567891", "Budi", "Poli Mata", "10:00"] },
  ];
  const mapping = { phone: 0, name: 1, variables: { poli: 2, jam: 3 } };
  const { recipients, counts } = buildRecipients(rows, mapping, {
    ...options,
    required: ["poli", "jam", "rs"],
    shared: { rs: "RS Sehat", jam: "07:00" },
  });
  assert.deepEqual(recipients.map((r) => [r.status, r.errorCode]), [
    ["pending", null],
    ["invalid", "variable_missing"],
    ["pending", null],
    ["pending", null],
  ]);
  assert.equal(recipients[1].error, "has no value for {{poli}}");
  assert.deepEqual(recipients[1].errorParams, { value: "081234567891", variable: "poli" });
  assert.deepEqual(recipients[2].variables, { poli: "Poli Anak" });
  assert.deepEqual(recipients[3].variables, { poli: "Poli Mata", jam: "10:00" });
  assert.deepEqual(counts, { rows: 4, valid: 3, invalid: 1, duplicates: 0, opted_out: 0 });
});

Deno.test("a list past its most rows stops there", () => {
  const builder = new RecipientListBuilder({ phone: 0, variables: {} }, { ...options, maxRows: 2 });
  builder.add({ number: 1, cells: ["081234567890"] });
  builder.add({ number: 2, cells: [""] });
  builder.add({ number: 3, cells: ["081234567891"] });
  assert.throws(() => builder.add({ number: 4, cells: ["081234567892"] }), RecipientLimitError);
  assert.equal(builder.counts().rows, 2);
});
