/**
 * The channel side of the JSON API: adding and deleting channels, scripted
 * pairing (QR as JSON, SVG, PNG or raw), number checks, sandbox inbound and
 * media uploads.
 */
import assert from "node:assert/strict";
import type { AdapterFactory } from "../../sessions/channel.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";

const qrOnly: AdapterFactory = (context) => ({
  start() {
    context.callbacks.onQr("2@scripted-qr,AAA,BBB,CCC");
    return Promise.resolve();
  },
  stop: () => Promise.resolve(),
  logout: () => Promise.resolve(),
  send: () => Promise.reject(new Error("not connected")),
  requestPairingCode: () => Promise.resolve("KBR4PA1R"),
});

const keyFor = (t: TestApp, scopes = ["*"]) => apiKey(t, scopes);

Deno.test("channels: add, list, pair by script, delete (asking when messages wait)", async () => {
  await using t = await startTestApp({}, { factories: { whatsapp: qrOnly } });
  const { api, key } = await keyFor(t);
  const sandbox = await api.post("/api/v1/channels", { kind: "sandbox", name: "Uji" });
  assert.equal(sandbox.status, 201);
  assert.equal(sandbox.body.status, "connected");
  const wa = await api.post("/api/v1/channels", {
    kind: "whatsapp",
    name: "Pendaftaran",
    number: "0812-3456-7890",
  });
  assert.equal(wa.status, 201);
  assert.equal(wa.body.number, "6281234567890");
  const taken = await api.post("/api/v1/channels", {
    kind: "whatsapp",
    name: "x",
    number: "+62 812 3456 7890",
  });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.details.phone, "Another channel already uses this number.");
  const bad = await api.post("/api/v1/channels", {
    kind: "whatsapp",
    name: "x",
    number: "08-ABC",
  });
  assert.equal(bad.status, 422);
  assert.equal(
    bad.body.error.details.number,
    '"08-ABC" has characters other than digits (only spaces, dashes, dots, slashes, ' +
      "parentheses and a leading + may go with them)",
  );
  assert.match(bad.body.error.message, /^number: "08-ABC" has characters other than digits/);
  const unknownKind = await api.post("/api/v1/channels", { kind: "fax", name: "x" });
  assert.equal(unknownKind.status, 422);

  const listed = await api.get("/api/v1/channels");
  assert.deepEqual(
    listed.body.data.map((ch: { kind: string; status: string }) => [ch.kind, ch.status]),
    [
      ["sandbox", "connected"],
      ["whatsapp", "qr"],
    ],
  );
  const qr = await api.get(`/api/v1/channels/${wa.body.id}/qr`);
  assert.equal(qr.body.qr, "2@scripted-qr,AAA,BBB,CCC");
  assert.ok(Date.parse(qr.body.expires_at) > t.clock.now());
  const svg = await api.get(`/api/v1/channels/${wa.body.id}/qr?format=svg`);
  assert.match(svg.headers.get("content-type")!, /image\/svg\+xml/);
  assert.match(svg.body, /<svg/);
  const png = await t.app.request(`/api/v1/channels/${wa.body.id}/qr?format=png`, {
    headers: { "x-api-key": key },
  });
  assert.equal(png.headers.get("content-type"), "image/png");
  assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal(
    (await api.get(`/api/v1/channels/${wa.body.id}/qr?format=raw`)).body,
    "2@scripted-qr,AAA,BBB,CCC",
  );
  const code = await api.get(`/api/v1/channels/${wa.body.id}/qr?pairing_code=true`);
  assert.deepEqual(code.body, { pairing_code: "KBR4PA1R", number: "6281234567890" });
  const notWa = await api.get(`/api/v1/channels/${sandbox.body.id}/qr`);
  assert.equal(notWa.status, 409);

  // Messages wait on the WhatsApp channel (it is not connected): deleting asks first.
  await api.post("/api/v1/messages", { channel: wa.body.id, to: "0811111111", text: "Halo" });
  const asked = await api.delete(`/api/v1/channels/${wa.body.id}`);
  assert.equal(asked.status, 409);
  assert.equal(asked.body.error.details.queued, 1);
  const deleted = await api.delete(`/api/v1/channels/${wa.body.id}?force=true`);
  assert.deepEqual(deleted.body, {
    deleted: true,
    failed_messages: 1,
    logged_out_on_phone: false,
  });
  assert.equal((await api.get(`/api/v1/channels/${wa.body.id}`)).status, 404);
});

Deno.test("number checks, sandbox inbound and media uploads", async () => {
  await using t = await startTestApp();
  const { api } = await keyFor(t);
  const sandbox = (await api.post("/api/v1/channels", { kind: "sandbox", name: "Uji" })).body;
  const checked = await api.post("/api/v1/numbers/check", {
    numbers: ["0812-3456-7890", "081200000000", "021-555-1234", "bukan nomor", "0812345"],
  });
  assert.equal(checked.status, 200);
  assert.deepEqual(checked.body.data, [
    {
      input: "0812-3456-7890",
      valid: true,
      number: "6281234567890",
      type: "mobile",
      on_whatsapp: true,
      canonical: "6281234567890",
    },
    {
      input: "081200000000",
      valid: true,
      number: "6281200000000",
      type: "mobile",
      on_whatsapp: false,
      canonical: null,
    },
    {
      input: "021-555-1234",
      valid: true,
      number: "62215551234",
      type: "fixed_line",
      warning: "fixed_line",
      on_whatsapp: true,
      canonical: "62215551234",
    },
    {
      input: "bukan nomor",
      valid: false,
      problem: "not_digits",
      error: "not a phone number: has characters other than digits (only spaces, dashes, " +
        "dots, slashes, parentheses and a leading + may go with them)",
    },
    {
      input: "0812345",
      valid: false,
      problem: "too_short",
      error: "not a phone number: is too short for a phone number of its country",
    },
  ]);
  const tooMany = await api.post("/api/v1/numbers/check", {
    numbers: Array.from({ length: 101 }, (_, i) => `0812000${i}`),
  });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.body.error.details.numbers, "at most 100 numbers per request");

  const inbound = await api.post(`/api/v1/sandbox/${sandbox.id}/inbound`, {
    from: "0813-1111-2222",
    name: "Pak Budi",
    text: "Saya mau batalkan janji",
  });
  assert.equal(inbound.status, 201);
  assert.equal(inbound.body.direction, "in");
  assert.equal(inbound.body.from, "6281311112222");
  assert.equal(inbound.body.status, "received");

  const form = new FormData();
  const pdf = new TextEncoder().encode("%PDF-1.7\n%%EOF\n");
  form.append("file", new File([pdf], "rujukan.pdf", { type: "application/octet-stream" }));
  const uploaded = await api.post("/api/v1/media", form);
  assert.equal(uploaded.status, 201);
  assert.equal(uploaded.body.mimetype, "application/pdf");
  const sent = await api.post("/api/v1/messages", {
    to: "08131111222",
    type: "document",
    media: { id: uploaded.body.id },
    caption: "Surat rujukan",
  });
  assert.equal(sent.status, 202);
  assert.equal(sent.body.media.filename, "rujukan.pdf");
  const exe = new FormData();
  exe.append("file", new File([new TextEncoder().encode("MZ\x90\x00rest")], "setup.exe"));
  const refused = await api.post("/api/v1/media", exe);
  assert.equal(refused.status, 422);
  assert.match(refused.body.error.message, /programs cannot be sent/);
});

Deno.test("a channel name that shows nothing is refused; invisible edges are dropped", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["channels:*"]);
  const blank = await api.post("/api/v1/channels", { kind: "sandbox", name: "\u200b\ufeff" });
  assert.equal(blank.status, 422);
  assert.equal(blank.body.error.details.name, "must not be empty");
  const edged = await api.post("/api/v1/channels", { kind: "sandbox", name: "\u200bUji\u200e" });
  assert.equal(edged.status, 201);
  assert.equal(edged.body.name, "Uji");
  const twin = await api.post("/api/v1/channels", { kind: "sandbox", name: "Uji\u200b" });
  assert.equal(twin.status, 409, "the same name as it shows");
});

Deno.test("PATCH a channel: name, on or off, pace and a sandbox's delays, read back under the same names", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["channels:*"]);
  const made = await api.post("/api/v1/channels", { kind: "sandbox", name: "Uji" });
  const id = made.body.id;
  assert.equal(made.body.pace.broadcast_gap_ms, 0);
  assert.deepEqual(made.body.sandbox, {
    accept_after_ms: 0,
    deliver_after_ms: 1000,
    read_after_ms: 2000,
  });
  const changed = await api.patch(`/api/v1/channels/${id}`, {
    name: "Uji Siaran",
    pace: { broadcast_gap_ms: 5000, daily_cap: 200 },
    sandbox: { read_after_ms: 60_000 },
  });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.name, "Uji Siaran");
  assert.equal(changed.body.pace.broadcast_gap_ms, 5000);
  assert.equal(changed.body.pace.daily_cap, 200);
  assert.equal(changed.body.pace.gap_ms, 0, "the fields not given stay");
  assert.equal(changed.body.sandbox.read_after_ms, 60_000);
  assert.equal(changed.body.sandbox.deliver_after_ms, 1000);
  assert.deepEqual((await api.get(`/api/v1/channels/${id}`)).body.pace, changed.body.pace);

  const off = await api.patch(`/api/v1/channels/${id}`, { enabled: false });
  assert.equal(off.body.enabled, false);
  assert.equal(off.body.status, "disconnected");

  const wrong = await api.patch(`/api/v1/channels/${id}`, { pace: { attempts: 0, gap: 1 } });
  assert.equal(wrong.status, 422);
  assert.ok(wrong.body.error.details["pace.attempts"] || wrong.body.error.details.pace);
  assert.equal((await api.patch(`/api/v1/channels/${id}`, {})).status, 422);
  await api.post("/api/v1/channels", { kind: "sandbox", name: "Lain" });
  assert.equal((await api.patch(`/api/v1/channels/${id}`, { name: "lain" })).status, 409);
});

Deno.test("PATCH a channel needs channels:write, and a key limited to another channel finds none", async () => {
  await using t = await startTestApp();
  const { api: admin } = await apiKey(t, ["channels:*"]);
  const one = (await admin.post("/api/v1/channels", { kind: "sandbox", name: "Satu" })).body;
  const two = (await admin.post("/api/v1/channels", { kind: "sandbox", name: "Dua" })).body;
  const { api: reader } = await apiKey(t, ["channels:read"]);
  const read = await reader.patch(`/api/v1/channels/${one.id}`, { name: "Diubah" });
  assert.equal(read.status, 403);
  assert.match(read.body.error.message, /channels:write/);
  const { api: writer } = await apiKey(t, ["channels:write"]);
  assert.equal((await writer.patch(`/api/v1/channels/${one.id}`, { name: "Ditulis" })).status, 200);
  const { api: other } = await apiKey(t, ["channels:write"], { channelId: two.id });
  const elsewhere = await other.patch(`/api/v1/channels/${one.id}`, { enabled: false });
  assert.equal(elsewhere.status, 404);
  assert.equal((await other.patch(`/api/v1/channels/${two.id}`, { name: "Dua lagi" })).status, 200);
  const after = (await admin.get(`/api/v1/channels/${one.id}`)).body;
  assert.deepEqual(
    [after.name, after.enabled],
    ["Ditulis", true],
    "only the allowed change stayed",
  );
});

Deno.test("two PATCHes of a channel's pace at once both stay", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["channels:*"]);
  const { body } = await api.post("/api/v1/channels", { kind: "sandbox", name: "Uji" });
  const answers = await Promise.all([
    api.patch(`/api/v1/channels/${body.id}`, { pace: { gap_ms: 4321 } }),
    api.patch(`/api/v1/channels/${body.id}`, { pace: { daily_cap: 777 } }),
    api.patch(`/api/v1/channels/${body.id}`, { sandbox: { read_after_ms: 1234 } }),
  ]);
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
  const after = (await api.get(`/api/v1/channels/${body.id}`)).body;
  assert.equal(after.pace.gap_ms, 4321);
  assert.equal(after.pace.daily_cap, 777);
  assert.equal(after.sandbox.read_after_ms, 1234);
});

Deno.test("a channel deleted by many requests at once is deleted once: one 200, the others 404, one audit line", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["channels:*"]);
  const { body } = await api.post("/api/v1/channels", { kind: "sandbox", name: "Uji" });
  await api.post("/api/v1/messages", { channel: body.id, to: "0811111111", text: "Halo" });
  const answers = await Promise.all(
    Array.from({ length: 64 }, () => api.delete(`/api/v1/channels/${body.id}?force=true`)),
  );
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses));
  assert.equal(statuses.filter((s) => s === 404).length, 63);
  const audit = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM audit_log WHERE action = 'channel.delete'",
  );
  assert.equal(Number(audit.rows[0].n), 1);
});
