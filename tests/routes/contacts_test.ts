/**
 * `/contacts`: staff find people by any part of a name or number, narrow
 * the list by a label of their conversations, page through it, edit a
 * contact (every error named beside its field), and supervisors import a
 * spreadsheet, export CSV and merge two rows that are one person.
 */
import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import type { BrowserClient } from "../support/browser_client.ts";
import { visibleText } from "../support/browser_client.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

async function addContact(
  t: TestApp,
  fields: { phone?: string; name?: string; pushName?: string; telegram?: string },
): Promise<number> {
  const { rows } = await t.deps.db.$client.execute({
    sql: `INSERT INTO contacts (phone, name, push_name, telegram_chat_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, 0, 0) RETURNING id`,
    args: [
      fields.phone ?? null,
      fields.name ?? null,
      fields.pushName ?? null,
      fields.telegram ?? null,
    ],
  });
  return Number(rows[0].id);
}

/** A patient writes in on a channel: their contact and conversation. */
async function patientWrites(t: TestApp, channelId: number, phone: string, name: string) {
  await t.deps.registry.simulateInbound(channelId, { phone, name, text: `Halo dari ${name}` });
  const { rows } = await t.deps.db.$client.execute({
    sql: `SELECT c.id, c.contact_id FROM conversations c JOIN contacts k ON k.id = c.contact_id
      WHERE k.phone = ? AND c.channel_id = ?`,
    args: [phone, channelId],
  });
  return { conversationId: Number(rows[0].id), contactId: Number(rows[0].contact_id) };
}

function upload(
  b: BrowserClient,
  name: string,
  data: Uint8Array | string,
  path = "/contacts/import",
) {
  const form = new FormData();
  form.append("_csrf", b.csrfToken);
  form.append("file", new File([data as Uint8Array<ArrayBuffer> | string], name));
  return b.request(path, { method: "POST", body: form });
}

/** Uploads `name` and answers the mapping page's address. */
async function uploaded(b: BrowserClient, name: string, data: Uint8Array | string) {
  const page = await upload(b, name, data);
  assert.equal(page.status, 303, visibleText(page.text).slice(0, 400));
  return page.location!;
}

const names = (html: string) => [...html.matchAll(/href="\/contacts\/(\d+)"/g)].map((m) => m[1]);

Deno.test("the list finds a contact by name, part of a number in any form, accents folded", async () => {
  await using t = await startTestApp();
  await addContact(t, { phone: "6281234567890", name: "Siti Pérawati" });
  await addContact(t, { phone: "6285700001111", name: "Budi Santoso" });
  await addContact(t, { phone: "6591234567", pushName: "Ah Kow" });
  const agent = await signedIn(t, "agent");
  const find = async (q: string) =>
    visibleText((await agent.get(`/contacts?q=${encodeURIComponent(q)}`)).text);
  assert.match(await find("perawati"), /Siti Pérawati/);
  assert.doesNotMatch(await find("perawati"), /Budi/);
  assert.match(await find("4567"), /Siti/);
  assert.match(await find("0812-3456-7890"), /Siti/);
  assert.match(await find("+62 812 3456 7890"), /Siti/);
  assert.match(await find("0812 345"), /Siti/);
  assert.doesNotMatch(await find("0812 345"), /Budi/);
  assert.match(await find("Si"), /Siti/, "two letters: a plain LIKE");
  assert.match(await find("kow"), /Ah Kow/, "the WhatsApp name");
  const all = visibleText((await agent.get("/contacts")).text);
  assert.match(all, /\+6281234567890/);
});

Deno.test("hostile search text never breaks the list", async () => {
  await using t = await startTestApp();
  await addContact(t, { phone: "6281234567890", name: 'Dr. "Quote" O\'Brien' });
  const agent = await signedIn(t, "agent");
  for (
    const q of [
      '"',
      '""',
      '"""',
      "*",
      "-",
      "(",
      ")",
      "NEAR",
      "a NEAR b",
      "NOT x",
      "x OR y",
      "'; DROP TABLE contacts; --",
      "%",
      "_",
      "\\",
      "^abc",
      "{name}: x",
      "\u0000abc",
      "é".repeat(500),
      'Quote"',
    ]
  ) {
    const page = await agent.get(`/contacts?q=${encodeURIComponent(q)}`);
    assert.equal(page.status, 200, `q=${JSON.stringify(q)} answered ${page.status}`);
  }
  for (const raw of ["%ED%A0%80xyz", "%FF%FE", "%", "%%22", "q%00"]) {
    const page = await agent.get(`/contacts?q=${raw}`);
    assert.ok(page.status < 500, `q=${raw} answered ${page.status}`);
  }
  assert.match(
    visibleText((await agent.get(`/contacts?q=${encodeURIComponent('"Quote"')}`)).text),
    /O'Brien/,
  );
  assert.doesNotMatch(
    visibleText((await agent.get("/contacts?q=%25")).text),
    /O'Brien/,
    "% is a character",
  );
  const bad = await agent.get("/contacts?label=abc&cursor=%22%3E%3Cscript%3E");
  assert.equal(bad.status, 400);
  assert.doesNotMatch(bad.text, /"><script>/);
});

Deno.test("a name with markup is shown as text on the list and the contact page", async () => {
  await using t = await startTestApp();
  const hostile = "<script>alert(1)</script><img src=x onerror=alert(1)>";
  const id = await addContact(t, { phone: "6281234567890", name: hostile, pushName: hostile });
  await t.deps.db.$client.execute({
    sql: "UPDATE contacts SET notes = ?, attributes = ? WHERE id = ?",
    args: [hostile, JSON.stringify({ [hostile]: hostile }), id],
  });
  const agent = await signedIn(t, "agent");
  for (const path of ["/contacts", `/contacts/${id}`]) {
    const page = await agent.get(path);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /<script>alert|<img src=x/);
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  }
});

Deno.test("the label filter lists contacts with a conversation carrying the label", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const siti = await patientWrites(t, channel.id, "6281234567890", "Siti");
  await patientWrites(t, channel.id, "6285700001111", "Budi");
  const { rows } = await t.deps.db.$client.execute(
    "INSERT INTO labels (name, color, created_at) VALUES ('BPJS', '#ff0000', 0) RETURNING id",
  );
  const label = Number(rows[0].id);
  await t.deps.db.$client.execute({
    sql: "INSERT INTO conversation_labels (conversation_id, label_id) VALUES (?, ?)",
    args: [siti.conversationId, label],
  });
  const agent = await signedIn(t, "agent");
  const page = visibleText((await agent.get(`/contacts?label=${label}`)).text);
  assert.match(page, /Siti/);
  assert.match(page, /BPJS/);
  assert.doesNotMatch(page, /Budi/);
  const none = await agent.get("/contacts?label=999");
  assert.equal(none.status, 200);
  assert.match(visibleText(none.text), /No contact matches/);
});

Deno.test("paging by keyset lists every contact once, even when one moves up in between", async () => {
  await using t = await startTestApp();
  for (let i = 0; i < 120; i++) {
    await addContact(t, { phone: `62812000${String(10000 + i)}`, name: `Pasien ${i}` });
  }
  const agent = await signedIn(t, "agent");
  const seen: string[] = [];
  let path: string | undefined = "/contacts";
  let pages = 0;
  while (path) {
    const page = await agent.get(path);
    assert.equal(page.status, 200);
    const ids = names(page.text);
    assert.ok(ids.length <= 50);
    seen.push(...ids);
    path = page.text.match(/href="(\/contacts\?[^"]*cursor=[^"]*)"/)?.[1]?.replaceAll("&amp;", "&");
    if (pages === 0) {
      // A contact on the last page writes in meanwhile: it moves to the top, already passed.
      const channel = await sandbox(t);
      await patientWrites(t, channel.id, "6281200010000", "Pasien 0");
    }
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(new Set(seen).size, seen.length, "none twice");
  assert.equal(seen.length, 119, "every other contact once; the one that moved was passed");
});

Deno.test("an agent sees on a contact's page only the conversations they may see", async () => {
  await using t = await startTestApp();
  const open = await sandbox(t, { name: "Umum" });
  const pharmacy = await sandbox(t, { name: "Farmasi" });
  const a = await patientWrites(t, open.id, "6281234567890", "Ani");
  const b = await patientWrites(t, pharmacy.id, "6281234567890", "Ani");
  assert.equal(a.contactId, b.contactId);
  await t.deps.db.$client.execute(
    "INSERT INTO departments (id, name, created_at) VALUES (5, 'Farmasi', 0)",
  );
  await t.deps.db.$client.execute({
    sql: "INSERT INTO channel_departments (channel_id, department_id) VALUES (?, 5)",
    args: [pharmacy.id],
  });
  const agent = await signedIn(t, "agent");
  const page = await agent.get(`/contacts/${a.contactId}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`href="/inbox/${a.conversationId}"`));
  assert.doesNotMatch(page.text, new RegExp(`href="/inbox/${b.conversationId}"`));
  const supervisor = await signedIn(t, "supervisor");
  const all = await supervisor.get(`/contacts/${a.contactId}`);
  assert.match(all.text, new RegExp(`href="/inbox/${b.conversationId}"`));
  assert.equal((await agent.get("/contacts/999999")).status, 404);
});

Deno.test("editing a contact: errors beside their fields with the values kept, then saved", async () => {
  await using t = await startTestApp();
  const id = await addContact(t, { phone: "6281234567890", name: "Siti" });
  await addContact(t, { phone: "6285700001111", name: "Budi" });
  const agent = await signedIn(t, "agent");
  await agent.get(`/contacts/${id}`);
  const bad = await agent.post(`/contacts/${id}`, {
    name: "Siti Rahma",
    phone: "0812abc",
    email: "siti@",
    notes: "Alergi penisilin",
    attr_key: ["No. RM", "No. RM"],
    attr_value: ["00123", "00124"],
  });
  assert.equal(bad.status, 422);
  const text = visibleText(bad.text);
  assert.match(text, /only digits/);
  assert.match(text, /“siti@” is not an email address/);
  assert.match(text, /“No. RM” is written twice/);
  assert.match(bad.text, /value="Siti Rahma"/);
  assert.match(bad.text, /value="0812abc"/);
  assert.match(bad.text, /Alergi penisilin/);
  const taken = await agent.post(`/contacts/${id}`, { name: "Siti", phone: "0857 0000 1111" });
  assert.equal(taken.status, 409);
  assert.match(visibleText(taken.text), /Another contact has this number/);
  const ok = await agent.post(`/contacts/${id}`, {
    name: "Siti Rahma",
    phone: "+62 812-3456-7890",
    email: "siti@example.com",
    notes: "Alergi penisilin",
    attr_key: ["No. RM", "Poli", ""],
    attr_value: ["00123", "Gigi", ""],
  });
  assert.equal(ok.status, 303);
  const page = await agent.get(`/contacts/${id}`);
  assert.match(page.text, /value="No. RM"/);
  assert.match(page.text, /value="00123"/);
  const removed = await agent.post(`/contacts/${id}`, {
    name: "Siti Rahma",
    phone: "081234567890",
    attr_key: ["No. RM", "Poli"],
    attr_value: ["00123", "Gigi"],
    attr_remove: "1",
  });
  assert.equal(removed.status, 303);
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT attributes, phone FROM contacts WHERE id = ?",
    args: [id],
  });
  assert.deepEqual(JSON.parse(String(rows[0].attributes)), { "No. RM": "00123" });
  assert.equal(rows[0].phone, "6281234567890");
  const audit = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM audit_log WHERE action = 'contact.update'",
  );
  assert.equal(Number(audit.rows[0].n), 2);
});

Deno.test("agents may not import, export, merge or delete; supervisors may", async () => {
  await using t = await startTestApp();
  const a = await addContact(t, { phone: "6281234567890", name: "Siti" });
  const b = await addContact(t, { phone: "6285700001111", name: "Budi" });
  const agent = await signedIn(t, "agent");
  await agent.get("/contacts");
  assert.equal((await agent.get("/contacts/import")).status, 403);
  assert.equal((await upload(agent, "a.csv", "phone\n081234567890\n")).status, 403);
  assert.equal((await agent.get("/contacts/export.csv")).status, 403);
  assert.equal((await agent.post(`/contacts/${a}/merge`, { other: String(b) })).status, 403);
  assert.equal((await agent.post(`/contacts/${b}/delete`)).status, 403);
  const page = await agent.get(`/contacts/${a}`);
  assert.doesNotMatch(page.text, /\/merge"|\/delete"|export\.csv|\/contacts\/import/);
  const supervisor = await signedIn(t, "supervisor");
  await supervisor.get("/contacts");
  assert.equal((await supervisor.post(`/contacts/${b}/delete`)).status, 303);
  assert.equal((await supervisor.get(`/contacts/${b}`)).status, 404);
  const noCsrf = await supervisor.post(`/contacts/${a}/delete`, { _csrf: "" });
  assert.equal(noCsrf.status, 403);
});

Deno.test("a contact with conversations is not deleted: merge it instead", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { contactId } = await patientWrites(t, channel.id, "6281234567890", "Siti");
  const admin = await signedIn(t, "admin");
  await admin.get(`/contacts/${contactId}`);
  const page = await admin.post(`/contacts/${contactId}/delete`);
  assert.equal(page.status, 409);
  assert.match(visibleText(page.text), /has conversations, so it cannot be deleted/);
});

Deno.test("import a ;-separated CSV with a BOM: new contacts, updates, and rows left out with why", async () => {
  await using t = await startTestApp();
  const existing = await addContact(t, { phone: "6281234567890", name: "Siti" });
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  const csv = "\ufeffNama;No HP;Email;No RM;Poli\r\n" +
    "Siti Rahma;0812-3456-7890;siti@example.com;00123;Gigi\r\n" +
    "Budi Santoso;+62 857 0000 1111;;00124;Anak\r\n" +
    ";;;;\r\n" +
    "Tanpa Nomor;;;00125;\r\n" +
    "Salah;0812abc;;;\r\n" +
    "Ilmiah;6.28123E+12;;;\r\n" +
    "Budi Lagi;085700001111;;;\r\n" +
    "Emailnya;081311112222;bukan-email;;\r\n" +
    '"Dewi ""Ayu""; Putri";0813 2222 3333;;;Mata\r\n';
  const mapping = await uploaded(admin, "kontak.csv", csv);
  const preview = await admin.get(mapping);
  assert.equal(preview.status, 200);
  const shown = visibleText(preview.text);
  assert.match(shown, /Siti Rahma/);
  assert.match(shown, /Dewi "Ayu"; Putri/);
  assert.match(
    preview.text,
    /<option value="1" selected>No HP<\/option>/,
    "the phone column guessed",
  );
  const done = await admin.post(mapping, {
    sheet: "0",
    phone: "1",
    name: "0",
    email: "2",
    attr: ["3", "4"],
  });
  assert.equal(done.status, 200, visibleText(done.text).slice(0, 300));
  const report = visibleText(done.text);
  assert.match(report, /New contacts 2/);
  assert.match(report, /Updated contacts 1/);
  assert.match(report, /Rows left out 5/);
  assert.match(report, /5 — No phone number\./);
  assert.match(report, /6 0812abc A phone number has only digits/);
  assert.match(report, /7 6\.28123E\+12 The number is in scientific notation/);
  assert.match(report, /8 085700001111 The same number as row 3\./);
  assert.match(report, /9 bukan-email Not an email address\./);
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT name, email, attributes FROM contacts WHERE id = ?",
    args: [existing],
  });
  assert.equal(rows[0].name, "Siti Rahma");
  assert.equal(rows[0].email, "siti@example.com");
  assert.deepEqual(JSON.parse(String(rows[0].attributes)), { "No RM": "00123", Poli: "Gigi" });
  const dewi = await t.deps.db.$client.execute(
    "SELECT name FROM contacts WHERE phone = '6281322223333'",
  );
  assert.equal(dewi.rows[0].name, 'Dewi "Ayu"; Putri');
  const audit = await t.deps.db.$client.execute(
    "SELECT details FROM audit_log WHERE action = 'contact.import'",
  );
  assert.equal(JSON.parse(String(audit.rows[0].details)).created, 2);
  assert.equal((await admin.get(mapping)).status, 422, "the upload is gone once imported");
});

Deno.test("import an .xlsx whose numbers are stored as numbers, from the sheet chosen", async () => {
  await using t = await startTestApp();
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("Catatan").addRow(["nothing here"]);
  const sheet = workbook.addWorksheet("Pasien");
  sheet.addRow(["Nama", "Telepon", "Tanggal lahir"]);
  sheet.addRow(["Siti Rahma", 6281234567890, "1990-01-02"]);
  sheet.addRow(["Budi", 85700001111, ""]);
  sheet.addRow([]);
  sheet.addRow(["Ilmiah", "6.28123E+12", ""]);
  const data = new Uint8Array(await workbook.xlsx.writeBuffer() as ArrayBuffer);
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  const mapping = await uploaded(admin, "pasien.xlsx", data);
  const first = visibleText((await admin.get(mapping)).text);
  assert.match(first, /Catatan/);
  const preview = await admin.get(`${mapping}?sheet=1`);
  const text = visibleText(preview.text);
  assert.match(text, /6281234567890/);
  assert.doesNotMatch(text, /E\+12 .*Siti|6\.28123E\+12 Siti/);
  const done = await admin.post(mapping, { sheet: "1", phone: "1", name: "0", attr: "2" });
  assert.equal(done.status, 200);
  const report = visibleText(done.text);
  assert.match(report, /New contacts 2/);
  assert.match(report, /Rows left out 1/);
  assert.match(report, /scientific notation/);
  const { rows } = await t.deps.db.$client.execute("SELECT phone FROM contacts ORDER BY phone");
  assert.deepEqual(rows.map((r) => r.phone), ["6281234567890", "6285700001111"]);
});

Deno.test("a wrong file is refused saying why; an empty one too", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  const xls = await upload(admin, "lama.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]));
  assert.equal(xls.status, 422);
  assert.match(visibleText(xls.text), /old Excel \.xls file/);
  const png = await upload(admin, "foto.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
  assert.equal(png.status, 422);
  assert.match(visibleText(png.text), /Only \.csv and \.xlsx files/);
  const empty = await upload(admin, "kosong.csv", "");
  assert.equal(empty.status, 422);
  assert.match(visibleText(empty.text), /The file is empty/);
  const headerOnly = await upload(admin, "judul.csv", "nama,telepon\n\n");
  assert.equal(headerOnly.status, 422);
  assert.match(visibleText(headerOnly.text), /no row to import/);
  const fakeXlsx = await upload(admin, "rusak.xlsx", new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]));
  assert.equal(fakeXlsx.status, 422);
  assert.match(visibleText(fakeXlsx.text), /could not be read as an \.xlsx workbook/);
  const none = await admin.request("/contacts/import", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `_csrf=${admin.csrfToken}`,
  });
  assert.equal(none.status, 422);
  assert.match(visibleText(none.text), /Choose a file/);
  const files = [...Deno.readDirSync(`${t.dir}/imports`)];
  assert.deepEqual(files, [], "refused files are not kept");
});

Deno.test("an upload over the media size limit is refused", async () => {
  await using t = await startTestApp({ KABAR_MEDIA_MAX_MB: "1" });
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  const big = "telepon\n" + "081234567890\n".repeat(90_000);
  const page = await upload(admin, "besar.csv", big);
  assert.ok([413, 422].includes(page.status), `answered ${page.status}`);
  const small = await admin.post("/contacts", { name: "x".repeat(2 * 1024 * 1024) });
  assert.equal(small.status, 413, "the other pages keep their 1 MiB limit");
});

Deno.test("a 20,000-row file imports in a few seconds", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  let csv = "nama,telepon,kota\n";
  for (let i = 0; i < 20_000; i++) csv += `Pasien ${i},0812${String(10_000_000 + i)},Bandung\n`;
  const mapping = await uploaded(admin, "besar.csv", csv);
  const started = performance.now();
  const done = await admin.post(mapping, { sheet: "0", phone: "1", name: "0", attr: "2" });
  const ms = performance.now() - started;
  assert.equal(done.status, 200);
  assert.match(visibleText(done.text), /New contacts 20000/);
  assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);
  const { rows } = await t.deps.db.$client.execute("SELECT count(*) AS n FROM contacts");
  assert.equal(Number(rows[0].n), 20_000);
  const found = visibleText((await admin.get("/contacts?q=Pasien%2019999")).text);
  assert.match(found, /Pasien 19999/);
  const stat = Deno.statSync(`${t.dir}/imports`);
  assert.equal(stat.mode! & 0o777, 0o700);
});

Deno.test("export: the filtered contacts as CSV with BOM, no formulas, and an audit line", async () => {
  await using t = await startTestApp();
  const id = await addContact(t, { phone: "6281234567890", name: '=HYPERLINK("http://x")' });
  await t.deps.db.$client.execute({
    sql: "UPDATE contacts SET notes = ?, attributes = ? WHERE id = ?",
    args: ["@SUM(1)", JSON.stringify({ "No RM": "-00123", Kota: "Bandung, Jawa Barat" }), id],
  });
  await addContact(t, { phone: "6285700001111", name: "José Budi" });
  await addContact(t, { phone: "6285700002222", name: "+cmd" });
  const supervisor = await signedIn(t, "supervisor");
  await supervisor.get("/contacts");
  const res = await supervisor.open("/contacts/export.csv?q=6281234567890");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
  assert.match(res.headers.get("content-disposition") ?? "", /attachment/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "BOM first");
  const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
  assert.equal(lines.length, 2, "the header and the one contact found");
  assert.match(
    lines[0],
    /^id,name,push_name,phone,telegram_chat_id,email,notes,labels,last_activity,Kota,No RM$/,
  );
  assert.match(lines[1], /"'=HYPERLINK\(""http:\/\/x""\)"/);
  assert.match(lines[1], /,'@SUM\(1\),/);
  assert.match(lines[1], /"Bandung, Jawa Barat",'-00123$/);
  const all = await supervisor.get("/contacts/export.csv");
  assert.match(all.text, /José Budi/);
  assert.match(all.text, /'\+cmd/);
  const { rows } = await t.deps.db.$client.execute(
    "SELECT actor, details FROM audit_log WHERE action = 'contact.export' ORDER BY id",
  );
  assert.equal(rows.length, 2);
  assert.equal(rows[0].actor, "supervisor");
  assert.equal(JSON.parse(String(rows[0].details)).q, "6281234567890");
});

Deno.test("merge moves conversations and messages and joins those on one channel", async () => {
  await using t = await startTestApp();
  const umum = await sandbox(t, { name: "Umum" });
  const lab = await sandbox(t, { name: "Lab" });
  const keep = await patientWrites(t, umum.id, "6281234567890", "Siti");
  await t.deps.db.$client.execute({
    sql: "UPDATE contacts SET name = 'Siti Rahma' WHERE id = ?",
    args: [keep.contactId],
  });
  const drop = await addContact(t, { telegram: "77001", name: "Siti (Telegram)" });
  await t.deps.db.$client.execute({
    sql:
      "UPDATE contacts SET email = 'siti@example.com', attributes = '{\"No RM\":\"00123\"}' WHERE id = ?",
    args: [drop],
  });
  // The duplicate has a conversation on the same channel and one on another.
  await t.deps.db.$client.batch([
    {
      sql:
        `INSERT INTO conversations (id, channel_id, contact_id, status, unread_count, last_activity_at, created_at, updated_at)
        VALUES (900, ?, ?, 'open', 2, 5, 0, 0), (901, ?, ?, 'open', 1, 6, 0, 0)`,
      args: [umum.id, drop, lab.id, drop],
    },
    {
      sql:
        `INSERT INTO messages (channel_id, conversation_id, contact_id, direction, type, body, status, created_at, updated_at)
        VALUES (?, 900, ?, 'in', 'text', 'pesan satu', 'received', 1, 1),
               (?, 901, ?, 'in', 'text', 'pesan dua', 'received', 2, 2)`,
      args: [umum.id, drop, lab.id, drop],
    },
  ], "write");
  const supervisor = await signedIn(t, "supervisor");
  const search = await supervisor.get(`/contacts/${keep.contactId}?merge_q=Telegram`);
  assert.doesNotMatch(search.text, new RegExp(`name="other" value="${keep.contactId}"`));
  assert.match(search.text, new RegExp(`name="other" value="${drop}"`));
  const merged = await supervisor.post(`/contacts/${keep.contactId}/merge`, {
    other: String(drop),
  });
  assert.equal(merged.status, 303);
  const db = t.deps.db.$client;
  assert.equal((await db.execute(`SELECT 1 FROM contacts WHERE id = ${drop}`)).rows.length, 0);
  const conversations = await db.execute({
    sql: "SELECT id, channel_id, unread_count FROM conversations WHERE contact_id = ? ORDER BY id",
    args: [keep.contactId],
  });
  assert.deepEqual(conversations.rows.map((r) => Number(r.id)), [keep.conversationId, 901]);
  const messages = await db.execute({
    sql: "SELECT conversation_id FROM messages WHERE body = 'pesan satu'",
    args: [],
  });
  assert.equal(Number(messages.rows[0].conversation_id), keep.conversationId);
  const left = await db.execute(`SELECT count(*) AS n FROM messages WHERE contact_id = ${drop}`);
  assert.equal(Number(left.rows[0].n), 0);
  const kept = await db.execute({
    sql: "SELECT name, phone, telegram_chat_id, email, attributes FROM contacts WHERE id = ?",
    args: [keep.contactId],
  });
  assert.equal(kept.rows[0].name, "Siti Rahma");
  assert.equal(kept.rows[0].telegram_chat_id, "77001");
  assert.equal(kept.rows[0].email, "siti@example.com");
  assert.deepEqual(JSON.parse(String(kept.rows[0].attributes)), { "No RM": "00123" });
  const audit = await db.execute(
    "SELECT target, details FROM audit_log WHERE action = 'contact.merge'",
  );
  assert.equal(audit.rows[0].target, String(keep.contactId));
});

Deno.test("merge is refused when the two have different numbers", async () => {
  await using t = await startTestApp();
  const a = await addContact(t, { phone: "6281234567890", name: "Siti" });
  const b = await addContact(t, { phone: "6285700001111", name: "Siti juga" });
  const admin = await signedIn(t, "admin");
  await admin.get(`/contacts/${a}`);
  const page = await admin.post(`/contacts/${a}/merge`, { other: String(b) });
  assert.equal(page.status, 409);
  assert.match(
    visibleText(page.text),
    /two people: they have different phone \(6281234567890 and 6285700001111\)/,
  );
  const self = await admin.post(`/contacts/${a}/merge`, { other: String(a) });
  assert.equal(self.status, 409);
  const gone = await admin.post(`/contacts/${a}/merge`, { other: "424242" });
  assert.equal(gone.status, 409);
  assert.match(visibleText(gone.text), /no longer exists/);
  const { rows } = await t.deps.db.$client.execute("SELECT count(*) AS n FROM contacts");
  assert.equal(Number(rows[0].n), 2);
});

Deno.test("adding a contact: the number is needed and read in any form", async () => {
  await using t = await startTestApp();
  const agent = await signedIn(t, "agent");
  await agent.get("/contacts");
  const missing = await agent.post("/contacts", { name: "Tanpa nomor", phone: "" });
  assert.equal(missing.status, 422);
  assert.match(visibleText(missing.text), /Enter a phone number/);
  assert.match(missing.text, /value="Tanpa nomor"/);
  const ok = await agent.post("/contacts", { name: "Ani", phone: "0812 3456 7890" });
  assert.equal(ok.status, 303);
  assert.match(ok.location ?? "", /^\/contacts\/\d+$/);
  const again = await agent.post("/contacts", { name: "Ani lagi", phone: "+6281234567890" });
  assert.equal(again.status, 409);
  assert.match(visibleText(again.text), /Another contact has this number/);
});
