/**
 * A table of wrong requests against the JSON API: each gets a 4xx with the
 * documented error shape, none a 5xx, and Kabar still answers afterwards.
 */
import assert from "node:assert/strict";
import { labels, templates } from "../../db/schema.ts";
import { startTestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

type Case = [
  label: string,
  method: string,
  path: string,
  body: string | FormData | undefined,
  contentType?: string,
];

const json = (v: unknown) => JSON.stringify(v);
const ten_mb = "x".repeat(10 * 1024 * 1024);

const CASES: Case[] = [
  ["empty body", "POST", "/api/v1/messages", ""],
  ["bad JSON", "POST", "/api/v1/messages", "{to:"],
  ["JSON null", "POST", "/api/v1/messages", "null"],
  ["JSON array", "POST", "/api/v1/messages", "[]"],
  ["JSON string", "POST", "/api/v1/messages", '"hello"'],
  ["JSON number", "POST", "/api/v1/messages", "42"],
  ["no content type", "POST", "/api/v1/messages", json({ to: "0812345678", text: "x" }), ""],
  [
    "form instead of JSON",
    "POST",
    "/api/v1/messages",
    "to=0812&text=x",
    "application/x-www-form-urlencoded",
  ],
  ["missing to", "POST", "/api/v1/messages", json({ text: "hi" })],
  ["to is an object", "POST", "/api/v1/messages", json({ to: { phone: 1 }, text: "hi" })],
  ["to is a boolean", "POST", "/api/v1/messages", json({ to: true, text: "hi" })],
  ["to with letters", "POST", "/api/v1/messages", json({ to: "0812-ABCD-99", text: "hi" })],
  ["to too short", "POST", "/api/v1/messages", json({ to: "0812", text: "hi" })],
  ["to too long", "POST", "/api/v1/messages", json({ to: "+62 8123 4567 8901 2345", text: "hi" })],
  ["to empty", "POST", "/api/v1/messages", json({ to: "", text: "hi" })],
  ["unknown contact", "POST", "/api/v1/messages", json({ to: "contact:424242", text: "hi" })],
  ["text is a number", "POST", "/api/v1/messages", json({ to: "0812345678", text: 5 })],
  ["text empty", "POST", "/api/v1/messages", json({ to: "0812345678", text: "" })],
  ["text 10 MB", "POST", "/api/v1/messages", json({ to: "0812345678", text: ten_mb })],
  [
    "text and template",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", template: { name: "kontrol" } }),
  ],
  ["unknown field", "POST", "/api/v1/messages", json({ to: "0812345678", text: "a", priority: 1 })],
  [
    "wrong type",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", type: "sticker", text: "a" }),
  ],
  [
    "channel is a string",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", channel: "1" }),
  ],
  [
    "channel negative",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", channel: -1 }),
  ],
  [
    "channel unknown",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", channel: 999 }),
  ],
  ["image without media", "POST", "/api/v1/messages", json({ to: "0812345678", type: "image" })],
  [
    "media on text",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", media: { id: "x" } }),
  ],
  [
    "media id malformed",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", type: "image", media: { id: "abc" } }),
  ],
  [
    "media id unknown",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", type: "image", media: { id: "a".repeat(64) } }),
  ],
  [
    "bad base64",
    "POST",
    "/api/v1/messages",
    json({
      to: "0812345678",
      type: "document",
      media: { base64: "%%%%", filename: "a.pdf", mimetype: "application/pdf" },
    }),
  ],
  [
    "base64 without filename",
    "POST",
    "/api/v1/messages",
    json({
      to: "0812345678",
      type: "document",
      media: { base64: "JVBERi0=", mimetype: "application/pdf" },
    }),
  ],
  [
    "base64 bad mimetype",
    "POST",
    "/api/v1/messages",
    json({
      to: "0812345678",
      type: "document",
      media: { base64: "JVBERi0=", filename: "a", mimetype: "pdf" },
    }),
  ],
  [
    "base64 empty file",
    "POST",
    "/api/v1/messages",
    json({
      to: "0812345678",
      type: "document",
      media: { base64: "====", filename: "a", mimetype: "text/plain" },
    }),
  ],
  [
    "image that is a PDF",
    "POST",
    "/api/v1/messages",
    json({
      to: "0812345678",
      type: "image",
      media: { base64: btoa("%PDF-1.4 x"), filename: "a.jpg", mimetype: "image/jpeg" },
    }),
  ],
  [
    "media url ftp",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", type: "image", media: { url: "ftp://x/a.jpg" } }),
  ],
  [
    "media url not a URL",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", type: "image", media: { url: "nope" } }),
  ],
  [
    "unknown template",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", template: { name: "tidak_ada" } }),
  ],
  [
    "template without name or id",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", template: { variables: {} } }),
  ],
  [
    "template variables missing and unknown",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", template: { name: "kontrol", variables: { jam: "9" } } }),
  ],
  [
    "template variable is an object",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", template: { name: "kontrol", variables: { nama: { a: 1 } } } }),
  ],
  [
    "metadata is an array",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", metadata: [1] }),
  ],
  [
    "metadata too big",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", metadata: { big: "x".repeat(5000) } }),
  ],
  [
    "idempotency key empty",
    "POST",
    "/api/v1/messages",
    json({ to: "0812345678", text: "a", idempotency_key: "" }),
  ],
  ["list: bad status", "GET", "/api/v1/messages?status=lost", undefined],
  ["list: bad since", "GET", "/api/v1/messages?since=yesterday", undefined],
  ["list: limit 0", "GET", "/api/v1/messages?limit=0", undefined],
  ["list: unknown parameter", "GET", "/api/v1/messages?colour=red", undefined],
  ["message id not a number", "GET", "/api/v1/messages/abc", undefined],
  ["message id unknown", "GET", "/api/v1/messages/99999", undefined],
  ["numbers: none", "POST", "/api/v1/numbers/check", json({ numbers: [] })],
  ["numbers: not a list", "POST", "/api/v1/numbers/check", json({ numbers: "0812" })],
  ["media: not multipart", "POST", "/api/v1/media", json({ file: "x" })],
  ["channels: unknown kind", "POST", "/api/v1/channels", json({ kind: "sms", name: "x" })],
  [
    "channels: whatsapp without number",
    "POST",
    "/api/v1/channels",
    json({ kind: "whatsapp", name: "x" }),
  ],
  [
    "channels: telegram bad token",
    "POST",
    "/api/v1/channels",
    json({ kind: "telegram", name: "x", bot_token: "123" }),
  ],
  ["templates: 10 MB body", "POST", "/api/v1/templates", json({ name: "t", body: ten_mb })],
  ["templates: name with spaces", "POST", "/api/v1/templates", json({ name: "a b", body: "x" })],
  ["templates: patch nothing", "PATCH", "/api/v1/templates/1", json({})],
  ["webhooks: bad url", "POST", "/api/v1/webhooks", json({ url: "not a url" })],
  [
    "webhooks: unknown event",
    "POST",
    "/api/v1/webhooks",
    json({ url: "https://example.org/h", events: ["message.sent"] }),
  ],
  ["webhooks: id unknown", "GET", "/api/v1/webhooks/77", undefined],
  ["sandbox: no text", "POST", "/api/v1/sandbox/1/inbound", json({ from: "0812345678" })],
  [
    "sandbox: from with letters",
    "POST",
    "/api/v1/sandbox/1/inbound",
    json({ from: "abc", text: "hi" }),
  ],
  ["unknown path", "GET", "/api/v1/nothing-here", undefined],
];

Deno.test(`${CASES.length} wrong requests: each a 4xx with the error shape, never a 5xx`, async () => {
  assert.ok(CASES.length >= 50);
  await using t = await startTestApp();
  await sandbox(t, { name: "S" });
  await t.deps.db.insert(templates).values({
    name: "kontrol",
    body: "Halo {{nama}}, jadwal {{tanggal}}",
    createdAt: 0,
    updatedAt: 0,
  });
  const { key } = await apiKey(t);
  const base = t.serve();
  const expectRefused = async (label: string, res: Response) => {
    const text = await res.text();
    assert.ok(
      res.status >= 400 && res.status < 500,
      `${label}: ${res.status} ${text.slice(0, 200)}`,
    );
    const parsed = JSON.parse(text);
    assert.equal(typeof parsed.error.code, "string", label);
    assert.equal(typeof parsed.error.message, "string", label);
    assert.equal(typeof parsed.error.details, "object", label);
  };
  for (const [label, method, path, body, contentType] of CASES) {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    const type = contentType ?? "application/json";
    if (body !== undefined && type !== "") headers["content-type"] = type;
    await expectRefused(label, await fetch(base + path, { method, headers, body }));
  }
  // Sent in chunks, without a Content-Length to judge it by.
  const chunk = new TextEncoder().encode(ten_mb.slice(0, 1024 * 1024));
  let chunks = 0;
  const chunked = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (chunks++ < 11) controller.enqueue(chunk);
      else controller.close();
    },
  });
  await expectRefused(
    "11 MB body in chunks",
    await fetch(base + "/api/v1/messages", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: chunked,
    }),
  );
  const still = await fetch(base + "/api/v1/messages", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: json({ to: "0812345678", text: "masih bisa" }),
  });
  assert.equal(still.status, 202, `Kabar still answers: ${await still.text()}`);
});

Deno.test("a field or query parameter that is not one is named; a parameter given twice is refused", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "S" });
  const { api } = await apiKey(t);
  const unknownField = await api.post("/api/v1/messages", {
    to: "0812345678",
    text: "x",
    priority: "high",
  });
  assert.equal(unknownField.status, 422);
  assert.deepEqual(unknownField.body.error.details, { priority: "not a field here" });
  const nested = await api.post("/api/v1/broadcasts", {
    name: "Pengingat",
    channel: channel.id,
    text: "Halo",
    recipients: [{ phone: "0812345678" }],
    send_window: { start: "08:00", end: "20:00", zone: "WIB" },
    sort: 1,
  });
  assert.equal(nested.status, 422);
  assert.deepEqual(nested.body.error.details, {
    "send_window.zone": "not a field here",
    sort: "not a field here",
  });
  assert.match(nested.body.error.message, /: not a field here \(and 1 more\)$/);

  const unknownParameter = await api.get("/api/v1/broadcasts?limit=5&sort=name");
  assert.equal(unknownParameter.status, 422);
  assert.deepEqual(unknownParameter.body.error.details, {
    sort: "not a query parameter of this request",
  });

  const twice = await api.get("/api/v1/broadcasts?limit=5&limit=50");
  assert.equal(twice.status, 422);
  assert.deepEqual(twice.body.error.details, { limit: "given 2 times; give it once" });

  // Names an object already has are named like any other.
  const inherited = await api.get("/api/v1/conversations?constructor=1&__proto__=2");
  assert.equal(inherited.status, 422);
  assert.deepEqual({ ...inherited.body.error.details }, {
    constructor: "not a query parameter of this request",
    ["__proto__"]: "not a query parameter of this request",
  });
  const inheritedField = await api.post("/api/v1/messages", {
    to: "0812345678",
    text: "x",
    toString: 1,
    hasOwnProperty: 2,
  });
  assert.equal(inheritedField.status, 422);
  assert.deepEqual(inheritedField.body.error.details, {
    toString: "not a field here",
    hasOwnProperty: "not a field here",
  });

  // A parameter meant as a list takes every value: the second label is looked up too.
  await t.deps.db.insert(labels).values({ name: "BPJS", createdAt: 0 });
  const labelled = await api.get("/api/v1/conversations?label=BPJS&label=Umum");
  assert.equal(labelled.status, 422);
  assert.deepEqual(labelled.body.error.details, { label: "no label named Umum" });
});
