/**
 * POST/GET /api/v1/messages with real keys on a real database and a sandbox
 * channel: keys and scopes, sending and following the status to read,
 * idempotency, templates, files, and the errors a developer gets.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { revokeApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, deleteChannel } from "../../db/channels.ts";
import { loadMedia } from "../../db/media.ts";
import { messages, templates } from "../../db/schema.ts";
import { apiClient } from "../support/api_client.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

async function setup(t: TestApp, scopes = ["*"], extra: { ipAllowlist?: string[] } = {}) {
  const channel = await sandbox(t, { name: "Latihan" });
  const made = await apiKey(t, scopes, { ipAllowlist: extra.ipAllowlist });
  return { channel, key: made.key, apiKey: made.apiKey, api: made.api };
}

Deno.test("a text message is queued, sent and read; its history says when", async () => {
  await using t = await startTestApp();
  const { api, channel } = await setup(t);
  const sent = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "sent",
  );
  const answer = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    text: "Jadwal kontrol Anda: Senin 09.00, Poli Anak.",
    metadata: { order: "RJ-77" },
  });
  assert.equal(answer.status, 202);
  assert.equal(answer.body.status, "queued");
  assert.equal(answer.body.to, "6281234567890");
  assert.equal(answer.body.channel, channel.id);
  assert.deepEqual(answer.body.metadata, { order: "RJ-77" });
  await sent;
  const read = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "read",
  );
  t.clock.advance(3000);
  await read;
  const got = await api.get(`/api/v1/messages/${answer.body.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.status, "read");
  assert.deepEqual(got.body.history.map((h: { status: string }) => h.status), [
    "queued",
    "sent",
    "delivered",
    "read",
  ]);
  assert.ok(got.body.read_at > got.body.delivered_at);
  const list = await api.get("/api/v1/messages?to=%2B62%20812%203456%207890&limit=10");
  assert.deepEqual(list.body.data.map((m: { id: number }) => m.id), [answer.body.id]);

  const metrics = await (await t.app.request("/metrics")).text();
  assert.match(metrics, new RegExp(`kabar_messages_sent_total\\{channel="${channel.id}"\\} 1`));
  assert.match(metrics, new RegExp(`kabar_send_seconds_count\\{channel="${channel.id}"\\} 1`));
  assert.match(metrics, /# TYPE kabar_send_seconds histogram/);
  assert.match(metrics, /kabar_channels\{status="connected"\} 1/);
  assert.match(
    metrics,
    new RegExp(
      `kabar_channel_state\\{channel="${channel.id}",kind="sandbox",status="connected"\\} 1`,
    ),
  );
});

Deno.test("keys: missing, wrong, revoked, lacking a scope, or from another address", async () => {
  await using t = await startTestApp();
  const { key, apiKey } = await setup(t, ["messages:read"], { ipAllowlist: ["192.0.2.0/24"] });
  const body = { to: "08123456789", text: "x" };
  const cases: Array<[ReturnType<typeof apiClient>, number, string]> = [
    [apiClient(t.app), 401, "missing_api_key"],
    [apiClient(t.app, "kbr_not-a-real-key"), 401, "invalid_api_key"],
    [apiClient(t.app, key), 403, "missing_scope"],
    [apiClient(t.app, key, "198.51.100.7"), 403, "ip_not_allowed"],
  ];
  for (const [client, status, code] of cases) {
    const answer = await client.post("/api/v1/messages", body);
    assert.equal(answer.status, status, code);
    assert.equal(answer.body.error.code, code);
    assert.equal(typeof answer.body.error.message, "string");
  }
  const viaHeader = await apiClient(t.app).get("/api/v1/messages", { "x-api-key": key });
  assert.equal(viaHeader.status, 200);
  // Revoked by another process (the CLI): it stops working within five seconds.
  await revokeApiKey(t.deps.db, t.clock, CLI_ACTOR, apiKey.id);
  t.clock.advance(5001);
  const revoked = await apiClient(t.app, key).get("/api/v1/messages");
  assert.equal(revoked.status, 401);
  assert.equal(revoked.body.error.code, "invalid_api_key");
});

Deno.test("idempotency: the same request gives the same message; another body is a conflict", async () => {
  await using t = await startTestApp();
  const { api, key } = await setup(t);
  const body = {
    to: "08123456789",
    text: "Hasil lab siap",
    idempotency_key: "lab-991",
    metadata: { order: "LAB-991", ward: "Melati" },
  };
  // Twenty at once through a real socket, as a retrying client would send them.
  const base = t.serve();
  const answers = await Promise.all(Array.from({ length: 20 }, async () => {
    const res = await fetch(`${base}/api/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }));
  const ids = new Set(answers.map((a) => a.body.id));
  assert.equal(ids.size, 1, "one message");
  assert.deepEqual(answers.map((a) => a.status).sort(), [...Array(19).fill(200), 202]);
  const rows = await t.deps.db.select().from(messages);
  assert.equal(rows.length, 1);
  // The same request written with its keys in another order is the same request.
  const reordered = await api.post("/api/v1/messages", {
    metadata: { ward: "Melati", order: "LAB-991" },
    idempotency_key: "lab-991",
    text: "Hasil lab siap",
    to: "08123456789",
  });
  assert.equal(reordered.status, 200, JSON.stringify(reordered.body));
  assert.equal(reordered.body.id, [...ids][0]);
  const other = await api.post("/api/v1/messages", { ...body, text: "Hasil lab berbeda" });
  assert.equal(other.status, 409);
  assert.equal(other.body.error.details.message_id, [...ids][0]);
});

Deno.test("forty sends at once, some to the same number: each is answered with its own message", async () => {
  await using t = await startTestApp();
  const { key } = await setup(t);
  const base = t.serve();
  // Queued together, one statement per table for all of them: every answer must still be its own.
  const asked = Array.from({ length: 40 }, (_, i) => ({
    to: `0812000000${String(i % 7).padStart(2, "0")}`,
    text: `Pesan ${i}`,
    ...(i % 5 === 0 ? { idempotency_key: `key-${i}` } : {}),
  }));
  const answers = await Promise.all(asked.map(async (body) => {
    const res = await fetch(`${base}/api/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }));
  assert.deepEqual(answers.map((a) => a.status), Array(40).fill(202));
  assert.deepEqual(
    answers.map((a) => [a.body.to, a.body.text]),
    asked.map((b) => [`62${b.to.slice(1)}`, b.text]),
  );
  assert.equal(new Set(answers.map((a) => a.body.id)).size, 40, "forty messages");
  for (const answer of answers) {
    const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, answer.body.id));
    assert.equal(row.body, answer.body.text, "the answer's id is the row of its own text");
  }
});

Deno.test("templates fill their variables; missing and unknown ones are named", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  await t.deps.db.insert(templates).values({
    name: "kontrol",
    body: "Halo {{nama}}, jadwal kontrol Anda {{tanggal}}.",
    createdAt: 0,
    updatedAt: 0,
  });
  const ok = await api.post("/api/v1/messages", {
    to: "08123456789",
    template: { name: "kontrol", variables: { nama: "Bu Siti", tanggal: "Senin 09.00" } },
  });
  assert.equal(ok.status, 202);
  assert.equal(ok.body.text, "Halo Bu Siti, jadwal kontrol Anda Senin 09.00.");
  const wrong = await api.post("/api/v1/messages", {
    to: "08123456789",
    template: { name: "kontrol", variables: { nama: "Bu Siti", jam: "9" } },
  });
  assert.equal(wrong.status, 422);
  assert.deepEqual(wrong.body.error.details, {
    "template.variables.tanggal": "missing",
    "template.variables.jam": "not a variable of this template",
  });
  const unknown = await api.post("/api/v1/messages", {
    to: "08123456789",
    template: { name: "tidak-ada" },
  });
  assert.equal(unknown.status, 422);
  assert.match(unknown.body.error.message, /No active template tidak-ada/);
});

Deno.test("a PDF in base64 is stored by content and sent as a document", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
  const sent = nextEvent(
    t.deps.events,
    (e) => e.type === "message.status" && e.status === "sent",
  );
  const answer = await api.post("/api/v1/messages", {
    to: "08123456789",
    type: "document",
    caption: "Hasil laboratorium",
    media: {
      base64: btoa(String.fromCharCode(...pdf)),
      filename: "hasil.pdf",
      mimetype: "text/plain",
    },
  });
  assert.equal(answer.status, 202);
  assert.equal(answer.body.media.mimetype, "application/pdf", "the bytes decide, not the label");
  assert.equal(answer.body.media.filename, "hasil.pdf");
  await sent;
  const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, answer.body.id));
  assert.deepEqual((await loadMedia(t.deps.db, t.dir, row.mediaId!))?.data, pdf);

  const notImage = await api.post("/api/v1/messages", {
    to: "08123456789",
    type: "image",
    media: {
      base64: btoa(String.fromCharCode(...pdf)),
      filename: "x.jpg",
      mimetype: "image/jpeg",
    },
  });
  assert.equal(notImage.status, 422);
  assert.match(
    notImage.body.error.message,
    /the file is a PDF document \(application\/pdf\), though labelled image\/jpeg, not a picture/,
  );
});

Deno.test("wrong input gets a 4xx naming the field, never a 5xx", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  const cases: Array<[unknown, number, string]> = [
    [{ text: "hi" }, 422, "to"],
    [{ to: "08abc", text: "hi" }, 422, "to"],
    [{ to: "0812345678", text: "" }, 422, "text"],
    [{ to: "0812345678" }, 422, "text"],
    [{ to: "0812345678", text: "hi", channel: 99 }, 422, "channel"],
    [{ to: "0812345678", text: "hi", colour: "red" }, 422, "colour"],
    [{ to: "0812345678", type: "image" }, 422, "media"],
    [
      {
        to: "0812345678",
        type: "video",
        media: { base64: "@@@", filename: "a", mimetype: "video/mp4" },
      },
      422,
      "media.base64",
    ],
    [{ to: "0812345678", type: "fax", text: "hi" }, 422, "type"],
    [{ to: "0812345678", text: "x".repeat(5000) }, 422, "text"],
    [{ to: "contact:999", text: "hi" }, 404, "to"],
    [[1, 2], 422, "(body)"],
  ];
  for (const [body, status, field] of cases) {
    const answer = await api.post("/api/v1/messages", body);
    assert.equal(answer.status, status, JSON.stringify(body).slice(0, 80));
    assert.ok(
      field in answer.body.error.details,
      `${field} in ${JSON.stringify(answer.body.error)}`,
    );
  }
  const badJson = await api.post("/api/v1/messages", "{not json", {
    "content-type": "application/json",
  });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.error.code, "bad_json");
  const notJson = await api.post("/api/v1/messages", "to=1", {
    "content-type": "application/x-www-form-urlencoded",
  });
  assert.equal(notJson.status, 415);
});

Deno.test("a deleted channel takes no message, even one this server looked up before", async () => {
  await using t = await startTestApp();
  const { api, channel: first } = await setup(t);
  // Both lookups are remembered from here on.
  assert.equal(
    (await api.post("/api/v1/messages", { to: "081234567890", text: "a" })).status,
    202,
  );
  const named = { channel: first.id, to: "081234567890", text: "b" };
  assert.equal((await api.post("/api/v1/messages", named)).status, 202);

  const second = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Cadangan",
  });
  // Deleted directly in the database, as another Kabar process sharing it would.
  await deleteChannel(t.deps.db, t.clock, CLI_ACTOR, first.id);

  const refused = await api.post("/api/v1/messages", named);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.message, `No channel with id ${first.id}`);
  assert.deepEqual(refused.body.error.details, { channel: `no channel ${first.id}` });

  const rerouted = await api.post("/api/v1/messages", { to: "081234567890", text: "c" });
  assert.equal(rerouted.status, 202, JSON.stringify(rerouted.body));
  assert.equal(rerouted.body.channel, second.id);

  const onDeleted = await t.deps.db.select({ status: messages.status }).from(messages)
    .where(eq(messages.channelId, first.id));
  assert.equal(onDeleted.length, 2);
  assert.ok(onDeleted.every((m) => m.status !== "queued" && m.status !== "sending"));
});

Deno.test("a key limited to a channel reaches by contact id only the people who wrote to it", async () => {
  await using t = await startTestApp();
  const { api: admin, channel: mine } = await setup(t);
  const other = await sandbox(t, { name: "Farmasi" });
  const wrote = async (channelId: number, from: string) => {
    const inbound = await admin.post(`/api/v1/sandbox/${channelId}/inbound`, {
      from,
      text: "halo",
    });
    assert.equal(inbound.status, 201, JSON.stringify(inbound.body));
    const [row] = await t.deps.db.select().from(messages).where(
      eq(messages.id, inbound.body.id),
    );
    return row.contactId!;
  };
  const ownPatient = await wrote(mine.id, "081111111111");
  const otherPatient = await wrote(other.id, "082222222222");
  const { api: limited } = await apiKey(t, ["messages:send"], { channelId: mine.id });
  const send = (to: string) => limited.post("/api/v1/messages", { to, text: "Jadwal Anda" });

  const elsewhere = await send(`contact:${otherPatient}`);
  const missing = await send("contact:987654");
  assert.equal(elsewhere.status, 404, JSON.stringify(elsewhere.body));
  assert.equal(missing.status, 404);
  assert.equal(elsewhere.body.error.code, missing.body.error.code);
  assert.equal(
    elsewhere.body.error.message.replace(String(otherPatient), "N"),
    missing.body.error.message.replace("987654", "N"),
    "the same words whether the contact exists elsewhere or not at all",
  );
  assert.doesNotMatch(JSON.stringify(elsewhere.body), /082222222222|6282222222222/);

  const own = await send(`contact:${ownPatient}`);
  assert.equal(own.status, 202, JSON.stringify(own.body));
  assert.equal(own.body.to, "6281111111111");
  const unlimited = await admin.post("/api/v1/messages", {
    to: `contact:${otherPatient}`,
    channel: other.id,
    text: "Resep siap",
  });
  assert.equal(unlimited.status, 202, "a key for every channel reaches any contact");
});

Deno.test("a message is found by its id as written, never by 0x1, 1e0 or 01", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  const sent = await api.post("/api/v1/messages", { to: "08123456789", text: "halo" });
  assert.equal(sent.body.id, 1);
  assert.equal((await api.get("/api/v1/messages/1")).status, 200);
  for (const id of ["0x1", "1e0", "01", "1.0", "+1"]) {
    const answer = await api.get(`/api/v1/messages/${id}`);
    assert.equal(answer.status, 404, id);
    assert.equal(answer.body.error.code, "not_found");
  }
});

Deno.test("a number that is none is refused naming the field, the value and why", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  const cases: Array<[string, RegExp]> = [
    ["0812345", /^"0812345" is too short for a phone number of its country$/],
    ["O812 3456 7890", /^"O812 3456 7890" has characters other than digits/],
    ["+999 1234 5678", /^"\+999 1234 5678" does not start with a country calling code/],
    ["0000000000", /^"0000000000" is not a phone number of its country/],
    ["+62 812 3456 7890 1234", /^"\+62 812 3456 7890 1234" is too long/],
  ];
  for (const [to, why] of cases) {
    const answer = await api.post("/api/v1/messages", { to, text: "hi" });
    assert.equal(answer.status, 422, to);
    assert.equal(answer.body.error.code, "invalid_input", to);
    assert.match(answer.body.error.details.to, why, to);
    assert.match(answer.body.error.message, /^to: the number "/, to);
  }
  const listed = await api.get(`/api/v1/messages?to=${encodeURIComponent("08-ABC")}`);
  assert.equal(listed.status, 422);
  assert.match(
    listed.body.error.details.to,
    /^"08-ABC" has characters other than digits.*chat id/,
  );
});

Deno.test("numbers without a country code are read in KABAR_PHONE_REGION", async () => {
  await using t = await startTestApp({ KABAR_PHONE_REGION: "MY" });
  const { api } = await setup(t);
  const local = await api.post("/api/v1/messages", { to: "012-345 6789", text: "hi" });
  assert.equal(local.status, 202, JSON.stringify(local.body));
  assert.equal(local.body.to, "60123456789");
  const indonesian = await api.post("/api/v1/messages", { to: "+62 812 3456 7890", text: "hi" });
  assert.equal(indonesian.body.to, "6281234567890");
});
