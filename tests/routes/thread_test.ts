/**
 * `/inbox/{id}`: what staff do in a conversation and what the thread then
 * shows — notes that mention a colleague, system lines for every change,
 * Retry of a failed message (once, even when two people press it), a reply
 * with a file, quick replies filled from the patient, who else is typing —
 * and starting a conversation from `/inbox/new`.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { recordEvents } from "../support/record_events.ts";
import { sandbox } from "../support/sandbox.ts";
import { type SignedIn, signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { HOSTILE_SEARCHES } from "../support/hostile_search.ts";
import { PNG } from "../support/media_samples.ts";

async function conversationWith(t: TestApp, name = "Siti Rahma", text = "Jadwal dokter gigi?") {
  const channel = await sandbox(t, { name: "Pendaftaran" });
  await t.deps.registry.simulateInbound(channel.id, { phone: "6281234567001", name, text });
  const { rows } = await t.deps.db.$client.execute("SELECT id FROM conversations");
  return { channel, id: Number(rows[0].id) };
}

async function rows(t: TestApp, sql: string, args: (string | number | null)[] = []) {
  return (await t.deps.db.$client.execute({ sql, args })).rows;
}

/** Posts a multipart form as the page's reply box does. */
async function postMultipart(
  browser: SignedIn,
  path: string,
  fields: Record<string, string | File>,
) {
  const body = new FormData();
  body.set("_csrf", browser.csrfToken);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return await browser.request(path, { method: "POST", body });
}

Deno.test("a private note is in the thread for staff, never sent, and tells who it mentions", async () => {
  await using t = await startTestApp();
  const { id } = await conversationWith(t);
  const rina = await signedIn(t, "agent", { username: "rina" });
  const budi = await signedIn(t, "agent", { username: "budi" });
  await rina.get(`/inbox/${id}`);
  using seen = recordEvents(t);
  const posted = await rina.post(`/inbox/${id}/notes`, {
    text: "@budi tolong cek <b>BPJS</b> pasien ini, @nobody juga",
  });
  assert.equal(posted.status, 303);
  const thread = await budi.get(`/inbox/${id}`);
  assert.match(visibleText(thread.text), /tolong cek <b>BPJS<\/b> pasien ini/);
  assert.doesNotMatch(thread.text, /<b>BPJS/, "the note is text, not markup");
  assert.match(thread.text, /class="bubble note"/);
  assert.equal(
    (await rows(t, "SELECT count(*) AS n FROM messages WHERE direction = 'out'"))[0].n,
    0,
  );
  const mentions = await rows(t, "SELECT user_id, seen_at FROM note_mentions");
  assert.deepEqual(mentions.map((m) => Number(m.user_id)), [budi.user.id]);
  assert.notEqual(mentions[0].seen_at, null, "budi opened the thread: seen");
  const told = seen.of("staff.mentioned");
  assert.deepEqual(told.map((e) => e.userIds), [[budi.user.id]]);

  const empty = await rina.post(`/inbox/${id}/notes`, { text: "   " });
  assert.equal(empty.status, 422);
  assert.match(visibleText(empty.text), /Write the note first/);
});

Deno.test("every change to a conversation is a system line in its thread, the patient's reopening too", async () => {
  await using t = await startTestApp();
  const { channel, id } = await conversationWith(t);
  const rina = await signedIn(t, "supervisor", { username: "rina" });
  const budi = await signedIn(t, "agent", { username: "budi" });
  await t.deps.db.$client.execute(
    "UPDATE users SET display_name = 'Budi S' WHERE username = 'budi'",
  );
  await t.deps.db.$client.execute(
    "INSERT INTO departments (id, name, created_at) VALUES (4, 'Farmasi', 0)",
  );
  await rina.get(`/inbox/${id}`);
  assert.equal(
    (await rina.post(`/inbox/${id}/assign`, { assignee: String(budi.user.id) })).status,
    303,
  );
  assert.equal((await rina.post(`/inbox/${id}/department`, { department: "4" })).status, 303);
  assert.equal(
    (await rina.post(`/inbox/${id}/labels`, { name: "BPJS", color: "#16a34a" })).status,
    303,
  );
  assert.equal((await rina.post(`/inbox/${id}/status`, { status: "resolved" })).status, 303);
  // Doing it again changes nothing and writes no second line.
  await rina.post(`/inbox/${id}/status`, { status: "resolved" });
  t.clock.advance(60_000);
  await t.deps.registry.simulateInbound(channel.id, {
    phone: "6281234567001",
    name: "Siti Rahma",
    text: "Maaf, satu lagi",
  });
  const text = visibleText((await rina.get(`/inbox/${id}`)).text);
  for (
    const line of [
      "Assigned to Budi S by Rina",
      "Moved to Farmasi by Rina",
      "Labelled BPJS by Rina",
      "Resolved by Rina",
      "Reopened by the patient's message",
    ]
  ) {
    assert.ok(text.includes(line), `the thread says "${line}"`);
  }
  assert.equal(text.split("Resolved by Rina").length, 2, "one line for one change");
  assert.ok(text.indexOf("Resolved by Rina") < text.indexOf("Reopened by the patient's message"));
  assert.ok(text.indexOf("Reopened by the patient's message") < text.indexOf("Maaf, satu lagi"));
  const conversation = await rows(t, "SELECT status, unread_count FROM conversations");
  assert.deepEqual([conversation[0].status, Number(conversation[0].unread_count)], ["open", 0]);

  const wrong = await rina.post(`/inbox/${id}/department`, { department: "99" });
  assert.equal(wrong.status, 422);
});

Deno.test("Retry queues a failed message again once, marked as its retry; the failed one stays failed", async () => {
  await using t = await startTestApp();
  const { id } = await conversationWith(t);
  const agent = await signedIn(t, "agent");
  await agent.get(`/inbox/${id}`);
  await agent.post(`/inbox/${id}/reply`, { text: "Jadwalnya Senin pukul 09.00" });
  const [sent] = await rows(t, "SELECT id FROM messages WHERE direction = 'out'");
  await t.deps.db.$client.execute({
    sql: "UPDATE messages SET status = 'failed', error = 'not on WhatsApp' WHERE id = ?",
    args: [sent.id],
  });
  const page = await agent.get(`/inbox/${id}`);
  assert.match(visibleText(page.text), /Not sent: not on WhatsApp/);
  assert.match(visibleText((await agent.get("/inbox")).text), /Not sent · You: Jadwalnya Senin/);
  assert.match(page.text, new RegExp(`/inbox/${id}/messages/${sent.id}/retry`));

  const [first, second] = await Promise.all([
    agent.post(`/inbox/${id}/messages/${sent.id}/retry`),
    agent.post(`/inbox/${id}/messages/${sent.id}/retry`),
  ]);
  assert.deepEqual([first.status, second.status].sort(), [303, 409], "one retry, one refusal");
  const retries = await rows(
    t,
    "SELECT body, retry_of_id, status FROM messages WHERE retry_of_id IS NOT NULL",
  );
  assert.equal(retries.length, 1);
  assert.equal(retries[0].body, "Jadwalnya Senin pukul 09.00");
  assert.equal(
    (await rows(t, "SELECT status FROM messages WHERE id = ?", [Number(sent.id)]))[0].status,
    "failed",
  );
  const after = await agent.get(`/inbox/${id}`);
  assert.doesNotMatch(
    after.text,
    new RegExp(`/messages/${sent.id}/retry`),
    "no second Retry button",
  );
  assert.match(visibleText(after.text), /Sent again below/);

  const notFailed = retries[0];
  const [retryRow] = await rows(t, "SELECT id FROM messages WHERE retry_of_id IS NOT NULL");
  const refused = await agent.post(`/inbox/${id}/messages/${retryRow.id}/retry`);
  assert.equal(refused.status, 409, `a ${notFailed.status} message is not retried`);
  assert.equal((await agent.post(`/inbox/${id}/messages/999999/retry`)).status, 404);
});

Deno.test("a reply can carry a picture; a file too large or a program is refused beside the field", async () => {
  await using t = await startTestApp({ KABAR_MEDIA_MAX_MB: "1" });
  const { id } = await conversationWith(t);
  const agent = await signedIn(t, "agent");
  await agent.get(`/inbox/${id}`);
  const image = await postMultipart(agent, `/inbox/${id}/reply`, {
    text: "Ini denah lokasi poli",
    file: new File([PNG], "denah.png", { type: "image/png" }),
  });
  assert.equal(image.status, 303);
  const [queued] = await rows(
    t,
    "SELECT type, body, media_id FROM messages WHERE direction = 'out'",
  );
  assert.deepEqual([queued.type, queued.body], ["image", "Ini denah lokasi poli"]);
  const thread = await agent.get(`/inbox/${id}`);
  assert.match(thread.text, /<img src="\/inbox\/\d+\/media\/\d+"/);

  const big = await postMultipart(agent, `/inbox/${id}/reply`, {
    text: "besar",
    file: new File([new Uint8Array(1024 * 1024 + 10)], "scan.pdf", { type: "application/pdf" }),
  });
  assert.ok([413, 422].includes(big.status), `too large: ${big.status}`);
  assert.match(visibleText(big.text), /larger than 1 MB/);

  const program = await postMultipart(agent, `/inbox/${id}/reply`, {
    file: new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])], "obat.exe"),
  });
  assert.equal(program.status, 422);
  assert.match(visibleText(program.text), /programs cannot be sent/);
  assert.equal(
    (await rows(t, "SELECT count(*) AS n FROM messages WHERE direction = 'out'"))[0].n,
    1,
  );

  const nothing = await postMultipart(agent, `/inbox/${id}/reply`, { text: "" });
  assert.equal(nothing.status, 422);
  assert.match(visibleText(nothing.text), /Write a reply first/);
});

Deno.test("quick replies come filled from the patient and the agent, other variables left to fill", async () => {
  await using t = await startTestApp();
  const { id } = await conversationWith(t);
  await t.deps.db.$client.execute(
    `UPDATE contacts SET name = 'Siti Rahma', attributes = '{"no_rm":"RM-0042"}'`,
  );
  await t.deps.db.$client.execute({
    sql: `INSERT INTO templates (name, body, kind, shortcut, created_at, updated_at)
      VALUES ('Jadwal', 'Halo {{nama}}, saya {{petugas}}. No RM {{no_rm}}, kontrol {{tanggal}}.',
        'quick_reply', '/jadwal', 0, 0),
      ('Template pesan', 'Bukan balasan cepat', 'message', NULL, 0, 0)`,
    args: [],
  });
  const agent = await signedIn(t, "agent", { username: "rina" });
  await t.deps.db.$client.execute("UPDATE users SET display_name = 'Rina' WHERE username = 'rina'");
  const page = await agent.get(`/inbox/${id}`);
  assert.match(
    page.text,
    /data-shortcut="\/jadwal" data-name="Jadwal" data-text="Halo Siti Rahma, saya Rina\. No RM RM-0042, kontrol \{\{tanggal\}\}\."/,
  );
  assert.doesNotMatch(page.text, /Bukan balasan cepat/, "message templates are not quick replies");
});

Deno.test("a second agent sees who else has the conversation open and who is typing", async () => {
  await using t = await startTestApp();
  const { id } = await conversationWith(t);
  const rina = await signedIn(t, "agent", { username: "rina" });
  const budi = await signedIn(t, "agent", { username: "budi" });
  await t.deps.db.$client.execute("UPDATE users SET display_name = 'Rina' WHERE username = 'rina'");
  await rina.get(`/inbox/${id}`);
  assert.equal((await rina.post(`/inbox/${id}/presence`, { typing: "1" })).status, 204);
  const seen = visibleText((await budi.get(`/inbox/${id}`)).text);
  assert.match(seen, /Rina replying…/);
  await rina.post(`/inbox/${id}/presence`, { typing: "0", left: "1" });
  assert.doesNotMatch(
    visibleText((await budi.get(`/inbox/${id}`)).text),
    /Rina replying|Also here/,
  );
});

Deno.test("a new conversation from the inbox opens, assigned to whoever started it", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Pendaftaran" });
  const agent = await signedIn(t, "agent");
  const form = await agent.get("/inbox/new");
  assert.equal(form.status, 200);
  assert.match(visibleText(form.text), /Pendaftaran/);
  const bad = await agent.post("/inbox/new", { channel: String(channel.id), to: "", text: "" });
  assert.equal(bad.status, 422);
  assert.match(visibleText(bad.text), /Write the number/);
  const notNumber = await agent.post("/inbox/new", {
    channel: String(channel.id),
    to: "abc",
    text: "Halo",
  });
  assert.equal(notNumber.status, 422);
  const started = await agent.post("/inbox/new", {
    channel: String(channel.id),
    to: "0812-3456-7002",
    text: "Selamat pagi, kami dari RS Sehat",
  });
  assert.equal(started.status, 303);
  const [conversation] = await rows(t, "SELECT id, status, assignee_id FROM conversations");
  assert.equal(started.location, `/inbox/${conversation.id}`);
  assert.deepEqual([conversation.status, Number(conversation.assignee_id)], [
    "open",
    agent.user.id,
  ]);
  assert.match(visibleText((await agent.get("/inbox")).text), /Selamat pagi, kami dari RS Sehat/);
});

Deno.test("mark unread brings the conversation back as unread for everyone", async () => {
  await using t = await startTestApp();
  const { id } = await conversationWith(t);
  const agent = await signedIn(t, "agent");
  await agent.get(`/inbox/${id}`);
  assert.equal((await rows(t, "SELECT unread_count FROM conversations"))[0].unread_count, 0);
  const marked = await agent.post(`/inbox/${id}/unread`, { unread: "1" });
  assert.equal(marked.status, 303);
  assert.equal(marked.location, "/inbox");
  assert.match(visibleText((await agent.get("/inbox?unread=1")).text), /Siti Rahma/);
});

Deno.test("search in the inbox marks the words found, as text", async () => {
  await using t = await startTestApp();
  const hostile = "<script>alert(1)</script><img src=x onerror=alert(1)> hasil laboratorium";
  await conversationWith(t, "Siti", hostile);
  await t.deps.db.$client.execute(
    "INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages",
  );
  const admin = await signedIn(t, "admin");
  const page = await admin.get("/inbox?q=lab");
  assert.equal(page.status, 200);
  assert.match(page.text, /<mark>laboratorium<\/mark>/);
  assert.doesNotMatch(page.text, /<script>alert|<img src=x/);
  assert.match(page.text, /onerror=alert\(1\)&gt; hasil <mark>laboratorium<\/mark>/);
  assert.match(page.text, /name="q" value="lab"/);
  for (const q of HOSTILE_SEARCHES) {
    assert.equal((await admin.get(`/inbox?q=${encodeURIComponent(q)}`)).status, 200, q);
  }
});
