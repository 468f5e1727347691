/**
 * /api/v1/conversations and /api/v1/labels with real keys on a real
 * database and sandbox channels: every filter and their combinations,
 * paging while messages arrive, search, a key limited to one channel,
 * scopes, the thread with its notes and system lines, replies, labels, and
 * the errors a developer gets.
 */
import assert from "node:assert/strict";
import {
  conversationPageResponse,
  conversationResponse,
  labelListResponse,
  messageResponse,
  noteResponse,
  threadPageResponse,
} from "../../core/api_conversations.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createDepartment } from "../../db/departments.ts";
import type { ApiAnswer } from "../support/api_client.ts";
import { apiKey, type TestApiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

type Api = TestApiKey["api"];

/** A patient writes to a sandbox channel; answers the conversation's id. */
async function inbound(api: Api, channelId: number, from: string, text: string, name?: string) {
  const answer = await api.post(`/api/v1/sandbox/${channelId}/inbound`, { from, text, name });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.conversation as number;
}

const ids = (answer: ApiAnswer) => answer.body.data.map((c: { id: number }) => c.id);

function assertError(answer: ApiAnswer, status: number, code: string, field?: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code, JSON.stringify(answer.body));
  assert.equal(typeof answer.body.error.message, "string");
  if (field) assert.ok(field in answer.body.error.details, JSON.stringify(answer.body));
}

async function setup(t: TestApp) {
  const one = await sandbox(t, { name: "Poli" });
  const two = await sandbox(t, { name: "Lab" });
  const admin = await apiKey(t, ["*"], { name: "SIMRS" });
  return { one, two, api: admin.api };
}

Deno.test("each filter narrows the list, and together they all apply", async () => {
  await using t = await startTestApp();
  const { one, two, api } = await setup(t);
  const rina = await t.addUser("rina", "agent");
  const poli = await createDepartment(t.deps.db, t.clock, CLI_ACTOR, "Poli Anak");
  const a = await inbound(api, one.id, "0812-1111-0001", "Halo", "Ani");
  t.clock.advance(60_000);
  const b = await inbound(api, one.id, "0812-1111-0002", "Jadwal dokter?", "Budi");
  t.clock.advance(60_000);
  const c = await inbound(api, two.id, "0812-1111-0003", "Hasil lab", "Citra");
  t.clock.advance(60_000);
  const d = await inbound(api, two.id, "0812-1111-0004", "Terima kasih", "Dedi");

  const all = await api.get("/api/v1/conversations");
  assert.equal(all.status, 200);
  conversationPageResponse.parse(all.body);
  assert.deepEqual(ids(all), [d, c, b, a]);
  assert.equal(all.body.has_more, false);
  assert.equal(all.body.next_cursor, null);
  const first = all.body.data[0];
  assert.equal(first.channel, two.id);
  assert.equal(first.status, "open");
  assert.deepEqual(first.contact, {
    id: first.contact.id,
    name: "Dedi",
    phone: "6281211110004",
    telegram_chat_id: null,
  });
  assert.equal(first.unread_count, 1);
  assert.equal(first.last_message.text, "Terima kasih");
  assert.equal(first.last_message.direction, "in");
  assert.match(first.last_activity_at, /^\d{4}-\d\d-\d\dT.*Z$/);
  assert.equal(first.match, undefined);

  // Changes through the API itself.
  assert.equal(
    (await api.patch(`/api/v1/conversations/${a}`, { assignee_id: rina.id })).status,
    200,
  );
  assert.equal(
    (await api.patch(`/api/v1/conversations/${b}`, { department_id: poli.id })).status,
    200,
  );
  assert.equal((await api.patch(`/api/v1/conversations/${c}`, { status: "resolved" })).status, 200);
  assert.equal((await api.post(`/api/v1/conversations/${a}/labels`, { name: "BPJS" })).status, 200);
  assert.equal(
    (await api.post(`/api/v1/conversations/${a}/labels`, { name: "Urgent" })).status,
    200,
  );
  assert.equal((await api.post(`/api/v1/conversations/${b}/labels`, { name: "bpjs" })).status, 200);
  const labels = await api.get("/api/v1/labels");
  labelListResponse.parse(labels.body);
  assert.deepEqual(labels.body.data.map((l: { name: string }) => l.name), ["BPJS", "Urgent"]);
  // Reading the thread through the API does not read it for staff: unread stays.
  await t.deps.db.$client.execute({
    sql: "UPDATE conversations SET unread_count = 0 WHERE id = ?",
    args: [d],
  });

  const cases: Array<[string, number[]]> = [
    ["", [d, b, a]],
    ["status=resolved", [c]],
    ["status=all", [d, c, b, a]],
    ["status=pending", []],
    [`channel=${one.id}`, [b, a]],
    [`channel=${two.id}&status=all`, [d, c]],
    [`assignee=${rina.id}`, [a]],
    ["assignee=none", [d, b]],
    [`department=${poli.id}`, [b]],
    ["label=BPJS", [b, a]],
    ["label=bpjs&label=Urgent", [a]],
    ["unread=true", [b, a]],
    ["unread=false", [d, b, a]],
    [`assignee=none&channel=${one.id}`, [b]],
    [`label=BPJS&assignee=none`, [b]],
    [`label=BPJS&channel=${two.id}`, []],
    ["sort=waiting", [a, b, d]],
  ];
  for (const [query, expected] of cases) {
    const answer = await api.get(`/api/v1/conversations?${query}`);
    assert.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body)}`);
    assert.deepEqual(ids(answer), expected, query);
  }

  // Times: the activity of a, b is minutes before c, d; days are KABAR_TIMEZONE days.
  const times = all.body.data.map((x: { last_activity_at: string }) => x.last_activity_at);
  const since = await api.get(
    `/api/v1/conversations?status=all&since=${encodeURIComponent(times[1])}`,
  );
  assert.deepEqual(ids(since), [d, c]);
  const until = await api.get(
    `/api/v1/conversations?status=all&until=${encodeURIComponent(times[2])}`,
  );
  assert.deepEqual(ids(until), [b, a]);
  const today = new Date(t.clock.now()).toLocaleDateString("en-CA", { timeZone: "Asia/Jakarta" });
  assert.deepEqual(ids(await api.get(`/api/v1/conversations?since=${today}&until=${today}`)), [
    d,
    b,
    a,
  ]);
  assert.deepEqual(ids(await api.get(`/api/v1/conversations?until=2001-01-01`)), []);
});

Deno.test("wrong filters get a 422 naming the field; unknown ids too", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  const cases: Array<[string, string]> = [
    ["status=closed", "status"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["since=2026-02-30", "since"],
    ["until=yesterday", "until"],
    ["since=2026-03-02&until=2026-03-01", "until"],
    ["channel=999", "channel"],
    ["channel=abc", "channel"],
    ["assignee=999", "assignee"],
    ["assignee=me", "assignee"],
    ["department=999", "department"],
    ["label=Nope", "label"],
    ["sort=oldest", "sort"],
    ["unread=yes", "unread"],
    ["cursor=not-a-cursor", "cursor"],
    ["colour=red", "colour"],
  ];
  for (const [query, field] of cases) {
    const answer = await api.get(`/api/v1/conversations?${query}`);
    assertError(answer, 422, "invalid_input");
    assert.ok(
      field in answer.body.error.details || JSON.stringify(answer.body).includes(field),
      `${query}: ${JSON.stringify(answer.body)}`,
    );
  }
  assertError(await api.get("/api/v1/conversations/999"), 404, "not_found");
  assertError(await api.get("/api/v1/conversations/abc"), 404, "not_found");
  assertError(await api.patch("/api/v1/conversations/999", { status: "open" }), 404, "not_found");
  assertError(await api.get("/api/v1/conversations/999/messages"), 404, "not_found");
});

Deno.test("paging never repeats a conversation and never skips one whose activity did not change", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const made: number[] = [];
  for (let i = 0; i < 9; i++) {
    made.push(await inbound(api, one.id, `0812-2222-00${10 + i}`, `Pesan ${i}`));
    t.clock.advance(1000);
  }
  const seen: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: ApiAnswer = await api.get(
      `/api/v1/conversations?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
    );
    assert.equal(page.status, 200);
    seen.push(...ids(page));
    cursor = page.body.next_cursor;
    assert.equal(page.body.has_more, cursor !== null);
    // While paging, patients write: one already seen, one not seen yet, and a new one.
    if (pages === 1) {
      t.clock.advance(1000);
      await inbound(api, one.id, "0812-2222-0018", "lagi (sudah terlihat)");
      await inbound(api, one.id, "0812-2222-0011", "lagi (belum terlihat)");
      await inbound(api, one.id, "0812-2222-0099", "baru");
    }
    pages++;
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length, `repeated: ${seen}`);
  // Every conversation whose activity did not change while paging was seen.
  const moved = new Set([made[8], made[1]]);
  for (const id of made.filter((id) => !moved.has(id))) assert.ok(seen.includes(id), `${id}`);
  assert.equal(pages, 4);
});

Deno.test("search: newest matching message first, with a plain excerpt", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const a = await inbound(api, one.id, "0812-3333-0001", "Apakah poli gigi buka hari Sabtu?");
  t.clock.advance(1000);
  const b = await inbound(api, one.id, "0812-3333-0002", "Saya mau daftar poli anak");
  t.clock.advance(1000);
  await inbound(api, one.id, "0812-3333-0003", "Terima kasih");
  t.clock.advance(1000);
  await inbound(api, one.id, "0812-3333-0001", "Oke");
  const found = await api.get("/api/v1/conversations?q=poli");
  assert.equal(found.status, 200);
  conversationPageResponse.parse(found.body);
  assert.deepEqual(ids(found), [b, a]);
  assert.equal(found.body.data[0].match.excerpt, "Saya mau daftar poli anak");
  assert.equal(typeof found.body.data[0].match.message_id, "number");
  assert.doesNotMatch(JSON.stringify(found.body), /\\u000[12]/);
  const narrowed = await api.get(`/api/v1/conversations?q=poli&assignee=none&limit=1`);
  assert.deepEqual(ids(narrowed), [b]);
  const next = await api.get(
    `/api/v1/conversations?q=poli&limit=1&cursor=${narrowed.body.next_cursor}`,
  );
  assert.deepEqual(ids(next), [a]);
  const none = await api.get("/api/v1/conversations?q=radiologi");
  assert.deepEqual(ids(none), []);
});

Deno.test("a key limited to one channel sees only that channel and may not change labels", async () => {
  await using t = await startTestApp();
  const { one, two, api } = await setup(t);
  const mine = await inbound(api, one.id, "0812-4444-0001", "Halo");
  const other = await inbound(api, two.id, "0812-4444-0002", "Halo juga");
  const label = await api.post("/api/v1/labels", { name: "BPJS", color: "#FF0000" });
  assert.equal(label.status, 201);
  assert.equal(label.body.color, "#ff0000");
  const limited = (await apiKey(t, ["conversations:*"], { channelId: one.id })).api;
  assert.deepEqual(ids(await limited.get("/api/v1/conversations?status=all")), [mine]);
  assertError(await limited.get(`/api/v1/conversations?channel=${two.id}`), 403, "forbidden");
  assertError(await limited.get(`/api/v1/conversations/${other}`), 404, "not_found");
  assertError(await limited.get(`/api/v1/conversations/${other}/messages`), 404, "not_found");
  assertError(
    await limited.post(`/api/v1/conversations/${other}/notes`, { text: "x" }),
    404,
    "not_found",
  );
  assertError(await limited.post("/api/v1/labels", { name: "Lab" }), 403, "channel_limited");
  assertError(
    await limited.patch(`/api/v1/labels/${label.body.id}`, { name: "Lab" }),
    403,
    "channel_limited",
  );
  assertError(await limited.delete(`/api/v1/labels/${label.body.id}`), 403, "channel_limited");
  assertError(
    await limited.post(`/api/v1/conversations/${mine}/labels`, { name: "Baru" }),
    403,
    "channel_limited",
  );
  // An existing label, by name or id, it may put on its channel's conversations.
  const put = await limited.post(`/api/v1/conversations/${mine}/labels`, { name: "bpjs" });
  assert.equal(put.status, 200);
  assert.deepEqual(put.body.labels.map((l: { name: string }) => l.name), ["BPJS"]);
  assert.equal((await limited.get("/api/v1/labels")).status, 200);
});

Deno.test("scopes: a read key reads but cannot change; a key without them gets nothing", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const id = await inbound(api, one.id, "0812-5555-0001", "Halo");
  const reader = (await apiKey(t, ["conversations:read"])).api;
  assert.equal((await reader.get(`/api/v1/conversations/${id}`)).status, 200);
  assert.equal((await reader.get(`/api/v1/conversations/${id}/messages`)).status, 200);
  assert.equal((await reader.get("/api/v1/labels")).status, 200);
  assertError(
    await reader.patch(`/api/v1/conversations/${id}`, { status: "resolved" }),
    403,
    "missing_scope",
  );
  assertError(
    await reader.post(`/api/v1/conversations/${id}/notes`, { text: "x" }),
    403,
    "missing_scope",
  );
  assertError(
    await reader.post(`/api/v1/conversations/${id}/messages`, { text: "x" }),
    403,
    "missing_scope",
  );
  assertError(
    await reader.post(`/api/v1/conversations/${id}/labels`, { name: "x" }),
    403,
    "missing_scope",
  );
  assertError(await reader.post("/api/v1/labels", { name: "x" }), 403, "missing_scope");
  const writer = (await apiKey(t, ["conversations:write"])).api;
  assert.equal(
    (await writer.patch(`/api/v1/conversations/${id}`, { status: "pending" })).status,
    200,
  );
  // Managing labels takes conversations:* (or *).
  assertError(await writer.post("/api/v1/labels", { name: "x" }), 403, "missing_scope");
  const messagesOnly = (await apiKey(t, ["messages:read"])).api;
  assertError(await messagesOnly.get("/api/v1/conversations"), 403, "missing_scope");
  assertError(await messagesOnly.get("/api/v1/labels"), 403, "missing_scope");
});

Deno.test("PATCH changes status, assignee and department, each a line in the thread", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const rina = await t.addUser("rina", "agent");
  const gone = await t.addUser("gone", "agent");
  await t.deps.db.$client.execute({
    sql: "UPDATE users SET disabled_at = 1 WHERE id = ?",
    args: [gone.id],
  });
  const poli = await createDepartment(t.deps.db, t.clock, CLI_ACTOR, "Poli Anak");
  const id = await inbound(api, one.id, "0812-6666-0001", "Halo");
  t.clock.advance(1000);
  const changed = await api.patch(`/api/v1/conversations/${id}`, {
    assignee_id: rina.id,
    department_id: poli.id,
    status: "resolved",
  });
  assert.equal(changed.status, 200);
  conversationResponse.parse(changed.body);
  assert.deepEqual(changed.body.assignee, { id: rina.id, name: "Rina" });
  assert.deepEqual(changed.body.department, { id: poli.id, name: "Poli Anak" });
  assert.equal(changed.body.status, "resolved");
  t.clock.advance(1000);
  const cleared = await api.patch(`/api/v1/conversations/${id}`, {
    assignee_id: null,
    department_id: null,
  });
  assert.equal(cleared.body.assignee, null);
  assert.equal(cleared.body.department, null);
  t.clock.advance(1000);
  await inbound(api, one.id, "0812-6666-0001", "Masih ada pertanyaan");

  for (
    const [body, field] of [
      [{ assignee_id: 999 }, "assignee_id"],
      [{ assignee_id: gone.id }, "assignee_id"],
      [{ department_id: 999 }, "department_id"],
      [{ status: "closed" }, "status"],
      [{ status: null }, "status"],
      [{}, "(body)"],
      [{ assignee: rina.id }, "(body)"],
    ] as const
  ) {
    assertError(await api.patch(`/api/v1/conversations/${id}`, body), 422, "invalid_input", field);
  }
  const thread = await api.get(`/api/v1/conversations/${id}/messages`);
  assert.equal(thread.status, 200);
  threadPageResponse.parse(thread.body);
  const lines = thread.body.data.filter((e: { kind: string }) => e.kind === "activity")
    .map((e: { text: string }) => e.text);
  assert.deepEqual(lines, [
    "Reopened by the patient's message",
    "Taken out of its department by API key SIMRS",
    "Unassigned by API key SIMRS",
    "Resolved by API key SIMRS",
    "Moved to department Poli Anak by API key SIMRS",
    "Assigned to Rina by API key SIMRS",
  ]);
  const kinds = thread.body.data.map((e: { kind: string }) => e.kind);
  assert.equal(kinds[0], "message");
  assert.equal(kinds.at(-1), "message");
  assert.equal((await api.get(`/api/v1/conversations/${id}`)).body.status, "open");
});

Deno.test("notes, a message to the conversation, and the thread newest first in pages", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const rina = await t.addUser("rina", "agent");
  const id = await inbound(api, one.id, "0812-7777-0001", "Halo, saya mau tanya");
  t.clock.advance(1000);
  const note = await api.post(`/api/v1/conversations/${id}/notes`, {
    text: "Pasien BPJS, @rina tolong cek",
  });
  assert.equal(note.status, 201);
  noteResponse.parse(note.body);
  assert.equal(note.body.author, "API key SIMRS");
  assert.equal(note.body.text, "Pasien BPJS, @rina tolong cek");
  assert.ok(rina.id);
  const noted = (await api.get(`/api/v1/conversations/${id}/messages`)).body.data;
  const kept = noted.find((e: { kind: string }) => e.kind === "note");
  assert.equal(kept.author, "API key SIMRS", "the thread names the key later too");
  t.clock.advance(1000);
  const before = (await api.get(`/api/v1/conversations/${id}`)).body.last_activity_at;
  const sent = await api.post(`/api/v1/conversations/${id}/messages`, {
    text: "Baik, kami cek dulu",
    idempotency_key: "reply-1",
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  messageResponse.parse(sent.body);
  assert.equal(sent.body.conversation, id);
  assert.equal(sent.body.channel, one.id);
  assert.equal(sent.body.to, "6281277770001");
  assert.equal(sent.body.status, "queued");
  assert.ok((await api.get(`/api/v1/conversations/${id}`)).body.last_activity_at > before);
  const again = await api.post(`/api/v1/conversations/${id}/messages`, {
    text: "Baik, kami cek dulu",
    idempotency_key: "reply-1",
  });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, sent.body.id);
  const header = await api.post(`/api/v1/conversations/${id}/messages`, {
    text: "Baik, kami cek dulu",
  }, { "idempotency-key": "reply-1" });
  assert.equal(header.status, 200);
  assert.equal(header.body.id, sent.body.id);
  assertError(
    await api.post(`/api/v1/conversations/${id}/messages`, {
      text: "Lain",
      idempotency_key: "reply-1",
    }),
    409,
    "conflict",
  );
  for (
    const [body, field] of [
      [{}, "text"],
      [{ text: "x", to: "0812" }, "to"],
      [{ text: "x", channel: one.id }, "channel"],
      [{ type: "image" }, "media"],
      [{ text: "x".repeat(5000) }, "text"],
    ] as const
  ) {
    assertError(
      await api.post(`/api/v1/conversations/${id}/messages`, body),
      422,
      "invalid_input",
      field,
    );
  }
  assertError(
    await api.post(`/api/v1/conversations/${id}/notes`, { text: "  " }),
    422,
    "invalid_input",
    "text",
  );
  assertError(
    await api.post(`/api/v1/conversations/${id}/notes`, "{"),
    415,
    "unsupported_media_type",
  );

  for (let i = 0; i < 4; i++) {
    t.clock.advance(1000);
    await inbound(api, one.id, "0812-7777-0001", `Pesan ${i}`);
  }
  const thread = await api.get(`/api/v1/conversations/${id}/messages`);
  threadPageResponse.parse(thread.body);
  const texts = thread.body.data.map((e: { kind: string; text: string }) => `${e.kind}:${e.text}`);
  assert.deepEqual(texts, [
    "message:Pesan 3",
    "message:Pesan 2",
    "message:Pesan 1",
    "message:Pesan 0",
    "message:Baik, kami cek dulu",
    "note:Pasien BPJS, @rina tolong cek",
    "message:Halo, saya mau tanya",
  ]);
  // Pages of two messages, going older, each entry once.
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiAnswer = await api.get(
      `/api/v1/conversations/${id}/messages?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
    );
    assert.equal(page.status, 200);
    paged.push(...page.body.data.map((e: { kind: string; text: string }) => `${e.kind}:${e.text}`));
    cursor = page.body.next_cursor;
    assert.equal(page.body.has_more, cursor !== null);
  } while (cursor);
  assert.deepEqual(paged, texts);
  assertError(
    await api.get(`/api/v1/conversations/${id}/messages?limit=500`),
    422,
    "invalid_input",
    "limit",
  );
});

Deno.test("labels: add, rename, recolour, delete; on and off a conversation", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const id = await inbound(api, one.id, "0812-8888-0001", "Halo");
  const made = await api.post("/api/v1/labels", { name: "BPJS" });
  assert.equal(made.status, 201);
  assert.deepEqual(made.body, { id: made.body.id, name: "BPJS", color: "#64748b" });
  assertError(await api.post("/api/v1/labels", { name: "bpjs" }), 409, "label_taken", "name");
  assertError(await api.post("/api/v1/labels", { name: "" }), 422, "invalid_input", "name");
  assertError(
    await api.post("/api/v1/labels", { name: "x".repeat(41) }),
    422,
    "invalid_input",
    "name",
  );
  assertError(
    await api.post("/api/v1/labels", { name: "Lab", color: "red" }),
    422,
    "invalid_input",
    "color",
  );
  const lab = await api.post("/api/v1/labels", { name: "Lab", color: "#00aa00" });
  const renamed = await api.patch(`/api/v1/labels/${made.body.id}`, { name: "BPJS Kesehatan" });
  assert.equal(renamed.status, 200);
  assert.deepEqual(renamed.body, { id: made.body.id, name: "BPJS Kesehatan", color: "#64748b" });
  const recoloured = await api.patch(`/api/v1/labels/${made.body.id}`, { color: "#123ABC" });
  assert.equal(recoloured.body.color, "#123abc");
  assertError(
    await api.patch(`/api/v1/labels/${made.body.id}`, { name: "lab" }),
    409,
    "label_taken",
  );
  assertError(await api.patch("/api/v1/labels/999", { name: "x" }), 404, "not_found");
  assertError(await api.patch(`/api/v1/labels/${made.body.id}`, {}), 422, "invalid_input");

  const on = await api.post(`/api/v1/conversations/${id}/labels`, { id: lab.body.id });
  assert.equal(on.status, 200);
  conversationResponse.parse(on.body);
  assert.deepEqual(on.body.labels, [{ id: lab.body.id, name: "Lab", color: "#00aa00" }]);
  const byName = await api.post(`/api/v1/conversations/${id}/labels`, { name: "bpjs kesehatan" });
  assert.deepEqual(byName.body.labels.map((l: { name: string }) => l.name), [
    "BPJS Kesehatan",
    "Lab",
  ]);
  const fresh = await api.post(`/api/v1/conversations/${id}/labels`, { name: "Kontrol" });
  assert.equal(fresh.body.labels.length, 3);
  assertError(
    await api.post(`/api/v1/conversations/${id}/labels`, { id: 999 }),
    422,
    "invalid_input",
    "id",
  );
  assertError(
    await api.post(`/api/v1/conversations/${id}/labels`, { color: "#000000" }),
    422,
    "invalid_input",
  );
  const list = await api.get("/api/v1/labels");
  assert.deepEqual(
    list.body.data.map((
      l: { name: string; conversation_count: number },
    ) => [l.name, l.conversation_count]),
    [["BPJS Kesehatan", 1], ["Kontrol", 1], ["Lab", 1]],
  );
  const off = await api.delete(`/api/v1/conversations/${id}/labels/${lab.body.id}`);
  assert.equal(off.status, 200);
  assert.deepEqual(off.body.labels.map((l: { name: string }) => l.name), [
    "BPJS Kesehatan",
    "Kontrol",
  ]);
  assertError(
    await api.delete(`/api/v1/conversations/${id}/labels/${lab.body.id}`),
    404,
    "not_found",
  );
  const deleted = await api.delete(`/api/v1/labels/${made.body.id}`);
  assert.equal(deleted.status, 204);
  assertError(await api.delete(`/api/v1/labels/${made.body.id}`), 404, "not_found");
  assert.deepEqual(
    (await api.get(`/api/v1/conversations/${id}`)).body.labels.map((l: { name: string }) => l.name),
    ["Kontrol"],
  );
  const thread = await api.get(`/api/v1/conversations/${id}/messages`);
  const lines = thread.body.data.filter((e: { kind: string }) => e.kind === "activity")
    .map((e: { text: string }) => e.text);
  assert.ok(lines.includes("Labelled Lab by API key SIMRS"), JSON.stringify(lines));
  assert.ok(lines.includes("Label Lab taken off by API key SIMRS"), JSON.stringify(lines));
});

Deno.test("text that looks like HTML comes back verbatim as JSON strings", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
  const id = await inbound(api, one.id, "0812-9999-0001", evil, evil.slice(0, 40));
  const note = await api.post(`/api/v1/conversations/${id}/notes`, { text: evil });
  const label = await api.post(`/api/v1/conversations/${id}/labels`, { name: "<b>x</b>" });
  assert.equal(note.body.text, evil);
  const got = await api.get(`/api/v1/conversations/${id}`);
  assert.match(got.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(got.body.contact.name, evil.slice(0, 40));
  assert.equal(got.body.last_message.text, evil);
  assert.equal(label.body.labels[0].name, "<b>x</b>");
  const thread = await api.get(`/api/v1/conversations/${id}/messages`);
  assert.match(thread.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(
    thread.body.data.filter((e: { kind: string }) => e.kind !== "activity").map((
      e: { text: string },
    ) => e.text),
    [evil, evil],
  );
  const search = await api.get(`/api/v1/conversations?q=${encodeURIComponent("alert")}`);
  assert.deepEqual(ids(search), [id]);
  assert.doesNotMatch(JSON.stringify(search.body), /&lt;|&quot;/);
});

Deno.test("each accepted change of a conversation writes its conversation.updated event with it", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const rina = await t.addUser("rina", "agent");
  const id = await inbound(api, one.id, "0812-1212-0001", "Halo");
  const events = async () =>
    (await t.deps.db.$client.execute(
      "SELECT type, conversation_id, data FROM webhook_events WHERE type = 'conversation.updated' ORDER BY id",
    )).rows.map((r) => ({ id: Number(r.conversation_id), ...JSON.parse(String(r.data)) }));
  // Without an active webhook nothing is stored.
  await api.patch(`/api/v1/conversations/${id}`, { status: "pending" });
  assert.deepEqual(await events(), []);
  const hook = await api.post("/api/v1/webhooks", {
    url: "https://example.org/hook",
    events: ["conversation.updated"],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  await api.patch(`/api/v1/conversations/${id}`, { status: "resolved", assignee_id: rina.id });
  await api.patch(`/api/v1/conversations/${id}`, { status: "resolved" }); // no change, no event
  await api.post(`/api/v1/conversations/${id}/labels`, { name: "BPJS" });
  const label = (await api.get(`/api/v1/conversations/${id}`)).body.labels[0].id;
  await api.delete(`/api/v1/conversations/${id}/labels/${label}`);
  const written = await events();
  assert.deepEqual(written.map((e) => [e.id, e.changed]), [
    [id, ["assignee"]],
    [id, ["status"]],
    [id, ["labels"]],
    [id, ["labels"]],
  ]);
  assert.deepEqual(written[0].conversation.assignee, { id: rina.id, name: "Rina" });
  assert.equal(written[1].conversation.status, "resolved");
  assert.deepEqual(written[2].conversation.labels.map((l: { name: string }) => l.name), ["BPJS"]);
  assert.deepEqual(written[3].conversation.labels, []);
  const deliveries = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM webhook_deliveries WHERE event = 'conversation.updated'",
  );
  assert.equal(Number(deliveries.rows[0].n), 4);
});

Deno.test("a conversation's beginning is a conversation.created event, its reopening by the patient an update", async () => {
  await using t = await startTestApp();
  const { one, api } = await setup(t);
  const hook = await api.post("/api/v1/webhooks", {
    url: "https://example.org/hook",
    events: ["conversation.created", "conversation.updated"],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const events = async () =>
    (await t.deps.db.$client.execute(
      "SELECT type, conversation_id, data FROM webhook_events WHERE type LIKE 'conversation.%' ORDER BY id",
    )).rows.map((r) => ({
      type: String(r.type),
      id: Number(r.conversation_id),
      ...JSON.parse(String(r.data)),
    }));
  const id = await inbound(api, one.id, "0812-1212-0001", "Halo");
  t.clock.advance(1_000);
  await inbound(api, one.id, "0812-1212-0001", "Masih ada?"); // the same conversation: no event
  await api.patch(`/api/v1/conversations/${id}`, { status: "resolved" });
  t.clock.advance(1_000);
  await inbound(api, one.id, "0812-1212-0001", "Satu pertanyaan lagi");
  const sent = await api.post("/api/v1/messages", {
    channel: one.id,
    to: "0812-1212-0002",
    text: "Pengingat jadwal kontrol besok",
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const written = await events();
  assert.deepEqual(written.map((e) => [e.type, e.changed ?? null]), [
    ["conversation.created", null],
    ["conversation.updated", ["status"]],
    ["conversation.updated", ["status"]],
    ["conversation.created", null],
  ]);
  assert.equal(written[0].id, id);
  assert.equal(written[0].conversation.status, "open");
  assert.equal(written[2].conversation.status, "open", "reopened by the patient");
  assert.equal(written[3].conversation.status, "resolved", "a first outbound send");
  const deliveries = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM webhook_deliveries WHERE event LIKE 'conversation.%'",
  );
  assert.equal(Number(deliveries.rows[0].n), 4);
});
