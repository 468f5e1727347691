/**
 * `/inbox`: what patients wrote shows up for the staff who may answer it,
 * filtered by what the URL says, a page at a time, with every name and text
 * shown as text.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { recordEvents } from "../support/record_events.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

async function patientWrites(t: TestApp, channelId: number, n: number, name: string, text: string) {
  await t.deps.registry.simulateInbound(channelId, {
    phone: `62812345${String(6000 + n)}`,
    name,
    text,
  });
}

/** The id of the one conversation there is. */
async function onlyConversation(t: TestApp): Promise<number> {
  const { rows } = await t.deps.db.$client.execute("SELECT id FROM conversations");
  assert.equal(rows.length, 1);
  return Number(rows[0].id);
}

/** Puts the channel in a new department `departmentId` (named after it). */
async function channelOfDepartment(t: TestApp, channelId: number, departmentId: number) {
  await t.deps.db.$client.execute({
    sql: "INSERT INTO departments (id, name, created_at) VALUES (?, ?, 0)",
    args: [departmentId, `Departemen ${departmentId}`],
  });
  await t.deps.db.$client.execute({
    sql: "INSERT INTO channel_departments (channel_id, department_id) VALUES (?, ?)",
    args: [channelId, departmentId],
  });
}

Deno.test("a patient's message is in the inbox, newest first, with its unread count", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Pendaftaran" });
  await patientWrites(t, channel.id, 1, "Siti Rahma", "Jadwal dokter gigi hari Senin?");
  t.clock.advance(60_000);
  await patientWrites(t, channel.id, 2, "Budi", "Hasil lab saya sudah keluar?");
  const admin = await signedIn(t, "admin");
  const page = await admin.get("/inbox");
  assert.equal(page.status, 200);
  const text = visibleText(page.text);
  assert.ok(text.indexOf("Budi") < text.indexOf("Siti Rahma"), "newest activity first");
  assert.match(text, /Hasil lab saya sudah keluar\?/);
  assert.match(text, /1 unread/);
  assert.match(page.text, /href="\/inbox\/\d+"/);
});

Deno.test("names and texts are shown as text, never as markup", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const hostile = "<script>alert(1)</script><img src=x onerror=alert(1)>";
  await patientWrites(t, channel.id, 1, hostile, hostile);
  const admin = await signedIn(t, "admin");
  const page = await admin.get("/inbox");
  assert.doesNotMatch(page.text, /<script>alert|<img src=x/);
  assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const thread = await admin.get(page.text.match(/href="(\/inbox\/\d+)"/)![1]);
  assert.doesNotMatch(thread.text, /<script>alert|<img src=x/);
  assert.match(thread.text, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

Deno.test("an agent sees a channel's conversations only when it is shared or one of theirs", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Farmasi" });
  await patientWrites(t, channel.id, 1, "Ani", "Obat saya habis");
  const agent = await signedIn(t, "agent");
  assert.match(visibleText((await agent.get("/inbox")).text), /Ani/, "a channel of nobody's");
  await channelOfDepartment(t, channel.id, 5);
  const hidden = visibleText((await agent.get("/inbox")).text);
  assert.doesNotMatch(hidden, /Ani/, "now the pharmacy's channel");
  await t.deps.db.$client.execute({
    sql: "INSERT INTO user_departments (user_id, department_id) VALUES (?, 5)",
    args: [agent.user.id],
  });
  assert.match(visibleText((await agent.get("/inbox")).text), /Ani/, "her department's channel");
});

Deno.test("filters live in the URL; a value that is no choice is named", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await patientWrites(t, channel.id, 1, "Siti", "Halo");
  const admin = await signedIn(t, "admin");
  assert.match(visibleText((await admin.get("/inbox?unread=1&assignee=none")).text), /Siti/);
  const resolved = visibleText((await admin.get("/inbox?status=resolved")).text);
  assert.doesNotMatch(resolved, /Siti/);
  assert.match(resolved, /No conversation matches these filters/);
  const wrong = await admin.get("/inbox?status=closed");
  assert.equal(wrong.status, 400);
  assert.match(visibleText(wrong.text), /“closed” is not one of the choices/);
  const badCursor = await admin.get("/inbox?cursor=%22%3E%3Cscript%3E");
  assert.equal(badCursor.status, 400);
  assert.doesNotMatch(badCursor.text, /"><script>/);
  const badDay = await admin.get("/inbox?since=2026-02-30");
  assert.equal(badDay.status, 400);
});

Deno.test("the next page keeps the filter and lists the rest, none twice", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  for (let n = 1; n <= 32; n++) {
    await patientWrites(t, channel.id, n, `Pasien ${n}`, `Pesan ${n}`);
    t.clock.advance(1_000);
  }
  const admin = await signedIn(t, "admin");
  const first = await admin.get("/inbox?status=open");
  const next = first.text.match(/href="(\/inbox\?[^"]*cursor=[^"]*)"/)?.[1];
  assert.ok(next, "a link to older conversations");
  assert.match(next!.replaceAll("&amp;", "&"), /status=open/);
  const second = await admin.get(next!.replaceAll("&amp;", "&"));
  const names = (html: string) => [...visibleText(html).matchAll(/Pasien (\d+)/g)].map((m) => m[1]);
  const all = [...names(first.text), ...names(second.text)];
  assert.equal(all.length, 32);
  assert.equal(new Set(all).size, 32);
  assert.deepEqual(names(second.text), ["2", "1"]);
});

Deno.test("a thread shows the messages oldest first and reads the conversation", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Pendaftaran" });
  await patientWrites(t, channel.id, 1, "Siti", "Selamat pagi");
  t.clock.advance(1_000);
  await patientWrites(t, channel.id, 1, "Siti", "Jadwal dokter gigi?");
  const admin = await signedIn(t, "admin");
  const list = await admin.get("/inbox");
  assert.match(visibleText(list.text), /2 unread/);
  const href = list.text.match(/href="(\/inbox\/\d+)"/)![1];
  const thread = await admin.get(href);
  assert.equal(thread.status, 200);
  const text = visibleText(thread.text);
  assert.ok(text.indexOf("Selamat pagi") < text.indexOf("Jadwal dokter gigi?"), "oldest first");
  assert.match(text, /Pendaftaran/);
  assert.doesNotMatch(visibleText((await admin.get("/inbox")).text), /unread/, "read for everyone");
  assert.equal((await admin.get("/inbox/999999")).status, 404);
});

Deno.test("an agent cannot open, nor fetch the files of, a conversation she may not see", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Farmasi" });
  await patientWrites(t, channel.id, 1, "Ani", "Resep saya");
  await channelOfDepartment(t, channel.id, 5);
  const id = await onlyConversation(t);
  const agent = await signedIn(t, "agent");
  const page = await agent.get(`/inbox/${id}`);
  assert.equal(page.status, 403);
  assert.doesNotMatch(visibleText(page.text), /Resep saya|Ani/);
  assert.equal((await agent.get(`/inbox/${id}/media/1`)).status, 403);
  const unread = await t.deps.db.$client.execute({
    sql: "SELECT unread_count FROM conversations WHERE id = ?",
    args: [id],
  });
  assert.equal(Number(unread.rows[0].unread_count), 1, "not read by one who may not open it");
});

Deno.test("a reply goes out first in line, by its writer, and moves the conversation up", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Pendaftaran" });
  await patientWrites(t, channel.id, 1, "Siti", "Jadwal dokter gigi?");
  t.clock.advance(60_000);
  await patientWrites(t, channel.id, 2, "Budi", "Halo");
  const agent = await signedIn(t, "agent");
  const { rows } = await t.deps.db.$client.execute(
    "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE coalesce(k.name, k.push_name) = 'Siti'",
  );
  const id = Number(rows[0].id);
  await agent.get(`/inbox/${id}`);
  t.clock.advance(60_000);
  const sent = await agent.post(`/inbox/${id}/reply`, { text: "Poli gigi buka Senin 08.00" });
  assert.equal(sent.status, 303);
  assert.match(sent.location ?? "", new RegExp(`^/inbox/${id}#message-\\d+$`));
  const [message] = (await t.deps.db.$client.execute({
    sql: "SELECT body, source, priority, author_id, status FROM messages WHERE direction = 'out'",
  })).rows;
  assert.equal(message.body, "Poli gigi buka Senin 08.00");
  assert.equal(message.source, "inbox");
  assert.equal(Number(message.priority), 0, "a reply goes before API messages and broadcasts");
  assert.equal(Number(message.author_id), agent.user.id);
  const thread = visibleText((await agent.get(`/inbox/${id}`)).text);
  assert.match(thread, /Poli gigi buka Senin 08\.00/);
  assert.match(thread, new RegExp(`Sent by ${agent.user.displayName}`));
  const list = visibleText((await agent.get("/inbox")).text);
  assert.ok(list.indexOf("Siti") < list.indexOf("Budi"), "the reply moved Siti up");
});

Deno.test("an empty reply is refused beside the box, and nothing is queued", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await patientWrites(t, channel.id, 1, "Siti", "Halo");
  const admin = await signedIn(t, "admin");
  const id = await onlyConversation(t);
  await admin.get(`/inbox/${id}`);
  const empty = await admin.post(`/inbox/${id}/reply`, { text: "   " });
  assert.equal(empty.status, 422);
  assert.match(visibleText(empty.text), /Write a reply first/);
  const long = await admin.post(`/inbox/${id}/reply`, { text: "x".repeat(5000) });
  assert.equal(long.status, 422);
  assert.match(long.text, /x{5000}/, "what was typed is kept");
  const queued = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM messages WHERE direction = 'out'",
  );
  assert.equal(Number(queued.rows[0].n), 0);
});

Deno.test("taking, resolving and reopening a conversation, each telling open pages", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await patientWrites(t, channel.id, 1, "Siti", "Halo");
  const agent = await signedIn(t, "agent");
  const id = await onlyConversation(t);
  await agent.get(`/inbox/${id}`);
  using seen = recordEvents(t);
  assert.equal((await agent.post(`/inbox/${id}/assign`, { assignee: "me" })).status, 303);
  assert.match(visibleText((await agent.get("/inbox?assignee=me")).text), /Siti/);
  assert.equal((await agent.post(`/inbox/${id}/status`, { status: "resolved" })).status, 303);
  assert.doesNotMatch(visibleText((await agent.get("/inbox")).text), /Siti/, "resolved: not open");
  assert.match(visibleText((await agent.get("/inbox?status=resolved")).text), /Siti/);
  assert.deepEqual(seen.of("conversation.changed").map((e) => e.conversationId), [id, id]);

  await patientWrites(t, channel.id, 1, "Siti", "Satu lagi");
  assert.match(visibleText((await agent.get("/inbox")).text), /Siti/, "a new message reopens it");

  const wrong = await agent.post(`/inbox/${id}/status`, { status: "closed" });
  assert.equal(wrong.status, 422);
  const nobody = await agent.post(`/inbox/${id}/assign`, { assignee: "424242" });
  assert.equal(nobody.status, 422);
  assert.match(visibleText(nobody.text), /No active staff member with id 424242/);
});

Deno.test("labels: a new one made from the thread, an existing one added, one removed", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await patientWrites(t, channel.id, 1, "Siti", "Halo");
  const agent = await signedIn(t, "agent");
  const id = await onlyConversation(t);
  await agent.get(`/inbox/${id}`);
  const made = await agent.post(`/inbox/${id}/labels`, {
    label: "",
    name: "BPJS",
    color: "#16a34a",
  });
  assert.equal(made.status, 303);
  const again = await agent.post(`/inbox/${id}/labels`, { label: "", name: "bpjs", color: "" });
  assert.equal(again.status, 303, "the same name, any case, is the same label");
  const labels = await t.deps.db.$client.execute("SELECT id, name, color FROM labels");
  assert.deepEqual(labels.rows.map((r) => [r.name, r.color]), [["BPJS", "#16a34a"]]);
  const labelId = Number(labels.rows[0].id);
  assert.match(visibleText((await agent.get(`/inbox?label=${labelId}`)).text), /Siti/);

  assert.equal(
    (await agent.post(`/inbox/${id}/labels`, { label: "", name: "X", color: "red" })).status,
    422,
  );
  assert.equal((await agent.post(`/inbox/${id}/labels`, { label: "999", name: "" })).status, 422);
  assert.equal((await agent.post(`/inbox/${id}/labels`, { label: "", name: "" })).status, 422);

  await agent.get(`/inbox/${id}`);
  assert.equal((await agent.post(`/inbox/${id}/labels/${labelId}/remove`, {})).status, 303);
  assert.doesNotMatch(visibleText((await agent.get(`/inbox?label=${labelId}`)).text), /Siti/);
});

Deno.test("hostile inbox input: lists, CR/LF, long and inside values, 64 at once — never a 5xx", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await patientWrites(t, channel.id, 1, "Siti", "Halo");
  const id = await onlyConversation(t);
  const admin = await signedIn(t, "admin");
  const long = "x".repeat(100_000);
  const values = ["a\r\nb", "0x1", "1e3", "-1", "9".repeat(30), long, "[object Object]", "\u0000"];
  for (const value of values) {
    for (const name of ["status", "channel", "assignee", "department", "label", "since", "sort"]) {
      const res = await admin.get(`/inbox?${new URLSearchParams({ [name]: value })}`);
      assert.ok(res.status < 500, `${name}=${value.slice(0, 20)}: ${res.status}`);
    }
    await admin.get(`/inbox/${id}`);
    const posts: [string, Record<string, string | string[]>][] = [
      ["reply", { text: [value, value] }],
      ["status", { status: value }],
      ["assign", { assignee: value }],
      ["labels", { label: value, name: value, color: value }],
    ];
    for (const [path, fields] of posts) {
      const res = await admin.post(`/inbox/${id}/${path}`, fields);
      assert.ok(res.status < 500, `${path} ${value.slice(0, 20)}: ${res.status}`);
    }
  }
  for (const path of ["/inbox/0", "/inbox/01", `/inbox/${"9".repeat(30)}`, "/inbox/1/media/x"]) {
    const res = await admin.get(path);
    assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
  }

  // 64 people name the same new label at once: one label, on the conversation once.
  await admin.get(`/inbox/${id}`);
  const answers = await Promise.all(
    Array.from(
      { length: 64 },
      () => admin.post(`/inbox/${id}/labels`, { label: "", name: "Urgent", color: "#dc2626" }),
    ),
  );
  assert.ok(answers.every((a) => a.status === 303), answers.map((a) => a.status).join(","));
  const labels = await t.deps.db.$client.execute("SELECT count(*) AS n FROM labels");
  assert.equal(Number(labels.rows[0].n), 1);
  const on = await t.deps.db.$client.execute("SELECT count(*) AS n FROM conversation_labels");
  assert.equal(Number(on.rows[0].n), 1);
});
