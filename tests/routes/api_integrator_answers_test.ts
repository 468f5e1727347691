/**
 * What integrators look for in the JSON API's answers: the Idempotency-Key
 * header on both send routes, a message's external id, failure code, caption
 * and template, 405 with Allow, 401 with WWW-Authenticate, has_more on lists.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, deleteChannel } from "../../db/channels.ts";
import { messages, templates } from "../../db/schema.ts";
import { apiClient } from "../support/api_client.ts";
import { apiKey } from "../support/api_key.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp } from "../support/test_app.ts";

Deno.test("the Idempotency-Key header is the idempotency_key of POST /api/v1/messages", async () => {
  await using t = await startTestApp();
  await sandbox(t, { name: "Latihan" });
  const { api, key } = await apiKey(t);
  const body = { to: "08123456789", text: "Hasil lab siap" };
  const header = { "idempotency-key": "lab-1001" };

  const first = await api.post("/api/v1/messages", body, header);
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.equal(first.headers.get("idempotent-replayed"), null);
  const again = await api.post("/api/v1/messages", body, header);
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  // The same message, as it now stands (the outbox may have taken it meanwhile).
  const { status: _s1, attempts: _a1, updated_at: _u1, ...firstRest } = first.body;
  const { status: _s2, attempts: _a2, updated_at: _u2, ...againRest } = again.body;
  assert.deepEqual(againRest, firstRest);
  // The header and the body field are one key: either way it is the same request.
  const asField = await api.post("/api/v1/messages", { ...body, idempotency_key: "lab-1001" });
  assert.equal(asField.status, 200);
  assert.equal(asField.body.id, first.body.id);
  // Spaces around a key are not part of it, in the body as in the header.
  const spaced = await api.post("/api/v1/messages", { ...body, idempotency_key: " lab-1001 " }, {
    "idempotency-key": "lab-1001",
  });
  assert.equal(spaced.status, 200, JSON.stringify(spaced.body));
  assert.equal(spaced.body.id, first.body.id);
  const blank = await api.post("/api/v1/messages", { ...body, idempotency_key: "   " });
  assert.equal(blank.status, 422);
  assert.match(blank.body.error.details.idempotency_key, /must not be empty/);
  assert.equal((await t.deps.db.select().from(messages)).length, 1);

  const other = await api.post("/api/v1/messages", { ...body, text: "Lain" }, header);
  assert.equal(other.status, 409);
  assert.equal(other.body.error.details.message_id, first.body.id);

  const both = await api.post("/api/v1/messages", { ...body, idempotency_key: "lab-2" }, header);
  assert.equal(both.status, 422);
  assert.equal(both.body.error.code, "invalid_input");
  assert.match(both.body.error.details.idempotency_key, /differs from the Idempotency-Key/);
  const long = await api.post("/api/v1/messages", body, { "idempotency-key": "x".repeat(129) });
  assert.equal(long.status, 422);
  assert.ok("Idempotency-Key" in long.body.error.details);

  // Ten at once with the header, through a real socket: one message.
  const base = t.serve();
  const answers = await Promise.all(Array.from({ length: 10 }, async () => {
    const res = await fetch(`${base}/api/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "idempotency-key": "lab-3003",
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get("idempotent-replayed"),
      body: await res.json(),
    };
  }));
  assert.equal(new Set(answers.map((a) => a.body.id)).size, 1, "one message");
  assert.deepEqual(answers.map((a) => a.status).sort(), [...Array(9).fill(200), 202]);
  assert.deepEqual(
    answers.filter((a) => a.status === 200).map((a) => a.replayed),
    Array(9).fill("true"),
  );
  assert.equal((await t.deps.db.select().from(messages)).length, 2);
});

Deno.test("a conversation's replay answers 200 with Idempotent-Replayed: true", async () => {
  await using t = await startTestApp();
  await sandbox(t, { name: "Latihan" });
  const { api } = await apiKey(t);
  const opened = await api.post("/api/v1/messages", { to: "08123456789", text: "Halo" });
  const path = `/api/v1/conversations/${opened.body.conversation}/messages`;
  const header = { "idempotency-key": "reply-7" };
  const first = await api.post(path, { text: "Jadwal Anda Senin" }, header);
  assert.equal(first.status, 202, JSON.stringify(first.body));
  const again = await api.post(path, { text: "Jadwal Anda Senin" }, header);
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  assert.equal(again.body.id, first.body.id);
  const both = await api.post(path, { text: "Jadwal Anda Senin", idempotency_key: "x" }, header);
  assert.equal(both.status, 422);
  assert.ok("idempotency_key" in both.body.error.details);
});

Deno.test("a message answers its external_id, error_code, caption and template", async () => {
  await using t = await startTestApp();
  await sandbox(t, { name: "Latihan" });
  const { api } = await apiKey(t);
  const [template] = await t.deps.db.insert(templates).values({
    name: "kontrol",
    body: "Halo {{nama}}, kontrol Senin.",
    createdAt: 0,
    updatedAt: 0,
  }).returning();

  const sent = nextEvent(t.deps.events, (e) => e.type === "message.status" && e.status === "sent");
  const text = await api.post("/api/v1/messages", {
    to: "08123456789",
    template: { name: "kontrol", variables: { nama: "Bu Siti" } },
  });
  assert.equal(text.status, 202);
  assert.deepEqual(text.body.template, { id: template.id, name: "kontrol" });
  assert.equal(text.body.caption, null);
  assert.equal(text.body.error_code, null);
  await sent;
  const got = await api.get(`/api/v1/messages/${text.body.id}`);
  assert.match(got.body.external_id, /^SBX/);
  assert.deepEqual(got.body.template, { id: template.id, name: "kontrol" });
  const listed = await api.get("/api/v1/messages?limit=1");
  assert.equal(listed.body.data[0].external_id, got.body.external_id);
  assert.deepEqual(listed.body.data[0].template, { id: template.id, name: "kontrol" });

  const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
  const doc = await api.post("/api/v1/messages", {
    to: "08123456789",
    type: "document",
    caption: "Hasil laboratorium",
    media: { base64: btoa(String.fromCharCode(...pdf)), filename: "hasil.pdf", mimetype: "x/y" },
  });
  assert.equal(doc.status, 202);
  assert.equal(doc.body.caption, "Hasil laboratorium");
  assert.equal(
    (await api.get(`/api/v1/messages/${doc.body.id}`)).body.caption,
    "Hasil laboratorium",
  );
  assert.equal(doc.body.template, null);

  // A message queued on a channel that never ran, deleted before it went: failed, with its code.
  const idle = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "B" });
  const held = await api.post("/api/v1/messages", {
    channel: idle.id,
    to: "08123456789",
    text: "x",
  });
  assert.equal(held.status, 202, JSON.stringify(held.body));
  await deleteChannel(t.deps.db, t.clock, CLI_ACTOR, idle.id);
  const failed = await api.get(`/api/v1/messages/${held.body.id}`);
  assert.equal(failed.body.status, "failed");
  assert.equal(failed.body.error, "channel deleted");
  assert.equal(failed.body.error_code, "channel_deleted");
});

Deno.test("a method a path does not take is a 405 naming the ones it takes", async () => {
  await using t = await startTestApp();
  const { key } = await apiKey(t);
  const call = (method: string, path: string) =>
    t.app.request(`http://kabar.test${path}`, {
      method,
      headers: { authorization: `Bearer ${key}` },
    });
  const put = await call("PUT", "/api/v1/messages");
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
  const body = await put.json();
  assert.equal(body.error.code, "method_not_allowed");
  assert.deepEqual(body.error.details.allowed, ["GET", "HEAD", "POST"]);

  const onOne = await call("POST", "/api/v1/conversations/12");
  assert.equal(onOne.status, 405);
  assert.equal(onOne.headers.get("allow"), "GET, HEAD, PATCH");
  await onOne.body?.cancel();
  const label = await call("GET", "/api/v1/conversations/12/labels/3");
  assert.equal(label.status, 405);
  assert.equal(label.headers.get("allow"), "DELETE");
  await label.body?.cancel();

  const nowhere = await call("GET", "/api/v1/nothing-here");
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.headers.get("allow"), null);
  await nowhere.body?.cancel();
});

Deno.test("a 401 names the Bearer scheme in WWW-Authenticate", async () => {
  await using t = await startTestApp();
  for (const key of [undefined, "kbr_wrong"]) {
    const answer = await apiClient(t.app, key).get("/api/v1/messages");
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get("www-authenticate") ?? "", /^Bearer\b/);
  }
  const { api } = await apiKey(t, ["messages:read"]);
  const forbidden = await api.get("/api/v1/channels");
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.headers.get("www-authenticate"), null);
});

Deno.test("every list answers has_more beside next_cursor", async () => {
  await using t = await startTestApp();
  await sandbox(t, { name: "Latihan" });
  const { api } = await apiKey(t);
  for (const text of ["satu", "dua", "tiga"]) {
    assert.equal((await api.post("/api/v1/messages", { to: "08123456789", text })).status, 202);
  }
  const first = await api.get("/api/v1/messages?limit=2");
  assert.equal(first.body.has_more, true);
  assert.equal(typeof first.body.next_cursor, "number");
  const rest = await api.get(`/api/v1/messages?limit=2&cursor=${first.body.next_cursor}`);
  assert.equal(rest.body.data.length, 1);
  assert.equal(rest.body.has_more, false);
  assert.equal(rest.body.next_cursor, null);
  const nobody = await api.get("/api/v1/messages?to=6285000000001");
  assert.deepEqual(nobody.body, { data: [], next_cursor: null, has_more: false });

  const hook = await api.post("/api/v1/webhooks", {
    url: "https://lab.example.com/hook",
    events: ["message.status"],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  for (
    const path of [
      "/api/v1/channels",
      "/api/v1/templates",
      "/api/v1/webhooks",
      "/api/v1/integrations/wappin",
      "/api/v1/labels",
      "/api/v1/contacts",
      "/api/v1/conversations",
      `/api/v1/webhooks/${hook.body.id}/deliveries`,
    ]
  ) {
    const answer = await api.get(path);
    assert.equal(answer.status, 200, path);
    assert.equal(typeof answer.body.has_more, "boolean", path);
    assert.ok("next_cursor" in answer.body, path);
  }
});

Deno.test("paging and ?force are checked like every other parameter: a wrong one is a 422 naming it", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Latihan" });
  const { api } = await apiKey(t);
  const hook = await api.post("/api/v1/webhooks", { url: "https://lab.example.com/hook" });
  const deliveries = `/api/v1/webhooks/${hook.body.id}/deliveries`;
  for (const [query, field] of [["cursor=abc", "cursor"], ["limit=0", "limit"], ["page=2", ""]]) {
    const answer = await api.get(`${deliveries}?${query}`);
    assert.equal(answer.status, 422, query);
    assert.equal(answer.body.error.code, "invalid_input", query);
    if (field) {
      assert.ok(answer.body.error.details[field], `${query}: ${answer.body.error.message}`);
    }
  }
  assert.equal((await api.get(`${deliveries}?limit=1`)).status, 200);

  const wrongForce = await api.delete(`/api/v1/channels/${channel.id}?force=yes`);
  assert.equal(wrongForce.status, 422);
  assert.match(wrongForce.body.error.details.force, /true or false/);
  assert.equal((await api.get(`/api/v1/channels/${channel.id}`)).status, 200, "still there");
});

Deno.test("a text holding a NUL character is refused: it would be read back cut short", async () => {
  await using t = await startTestApp();
  await sandbox(t, { name: "Latihan" });
  const { api } = await apiKey(t);
  const answer = await api.post("/api/v1/messages", { to: "08123456789", text: "abc\u0000def" });
  assert.equal(answer.status, 422);
  assert.match(answer.body.error.details.text, /NUL/);
  assert.equal((await t.deps.db.select().from(messages)).length, 0);
});
