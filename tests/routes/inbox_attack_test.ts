/**
 * The team inbox under attack: an agent of another department reaching a
 * conversation she may not see (starting one with its number, every write,
 * search, files), a page on another site posting for a signed-in nurse,
 * colleagues pressing at once, and hostile input that must never be a 5xx.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { sandbox } from "../support/sandbox.ts";
import { type SignedIn, signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";
import { PNG } from "../support/media_samples.ts";

const PHONE = "6281234567001";

async function rows(t: TestApp, sql: string, args: (string | number | null)[] = []) {
  return (await t.deps.db.$client.execute({ sql, args })).rows;
}

/**
 * A patient's conversation moved to department 1 (Psikiatri); an agent of
 * department 2 (Poli Gigi) who may not see it.
 */
async function hiddenConversation(t: TestApp, text = "Saya butuh konseling rahasia") {
  const channel = await sandbox(t, { name: "Pendaftaran" });
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti Rahma", text });
  const [row] = await rows(t, "SELECT id FROM conversations");
  const id = Number(row.id);
  await t.deps.db.$client.batch([
    "INSERT INTO departments (id, name, created_at) VALUES (1, 'Psikiatri', 0)",
    "INSERT INTO departments (id, name, created_at) VALUES (2, 'Poli Gigi', 0)",
    { sql: "UPDATE conversations SET department_id = 1 WHERE id = ?", args: [id] },
  ], "write");
  const outsider = await signedIn(t, "agent", { username: "budi" });
  await t.deps.db.$client.execute({
    sql: "INSERT INTO user_departments (user_id, department_id) VALUES (?, 2)",
    args: [outsider.user.id],
  });
  return { channel, id, outsider };
}

async function postMultipart(
  browser: SignedIn,
  path: string,
  fields: Record<string, string | File>,
) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return await browser.request(path, { method: "POST", body });
}

Deno.test("an agent who starts a conversation with a number another department talks to is not given its history", async () => {
  await using t = await startTestApp();
  const { channel, id, outsider } = await hiddenConversation(t);
  assert.equal((await outsider.get(`/inbox/${id}`)).status, 403);
  await outsider.get("/inbox/new");
  const started = await outsider.post("/inbox/new", {
    channel: String(channel.id),
    to: `+${PHONE}`,
    text: "Halo, ini Poli Gigi",
  });
  assert.equal(started.status, 303);
  assert.equal(started.headers.get("location"), "/inbox", "not to a page she may not open");
  const inbox = visibleText((await outsider.get("/inbox")).text);
  assert.match(inbox, /Sent to \+\d+\. Their conversation on .+ belongs to another department/);
  assert.doesNotMatch(inbox, /konseling rahasia/);
  const [conversation] = await rows(t, "SELECT assignee_id, department_id FROM conversations");
  assert.equal(conversation.assignee_id, null, "the conversation of Psikiatri is not given to her");
  assert.equal(Number(conversation.department_id), 1);
  const thread = await outsider.get(`/inbox/${id}`);
  assert.equal(thread.status, 403);
  assert.doesNotMatch(visibleText(thread.text), /konseling rahasia/);
});

Deno.test("an agent starting a conversation on a shared channel still takes it as hers", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Pendaftaran" });
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti", text: "Halo" });
  const agent = await signedIn(t, "agent");
  await agent.get("/inbox/new");
  const started = await agent.post("/inbox/new", {
    channel: String(channel.id),
    to: `+${PHONE}`,
    text: "Halo Bu Siti",
  });
  assert.equal(started.status, 303);
  const [conversation] = await rows(t, "SELECT assignee_id FROM conversations");
  assert.equal(Number(conversation.assignee_id), agent.user.id);
});

Deno.test("an agent of another department changes nothing and learns nothing of a conversation", async () => {
  await using t = await startTestApp();
  const { id, outsider } = await hiddenConversation(t);
  const [message] = await rows(t, "SELECT id FROM messages");
  await t.deps.db.$client.execute({
    sql: "UPDATE messages SET status = 'failed' WHERE id = ?",
    args: [message.id as number],
  });
  await outsider.get("/inbox");
  const attempts: [string, Record<string, string>][] = [
    [`/inbox/${id}/presence`, { typing: "1" }],
    [`/inbox/${id}/notes`, { text: "@rina lihat ini" }],
    [`/inbox/${id}/reply`, { text: "Halo" }],
    [`/inbox/${id}/messages/${message.id}/retry`, {}],
    [`/inbox/${id}/status`, { status: "resolved" }],
    [`/inbox/${id}/assign`, { assignee: "me" }],
    [`/inbox/${id}/department`, { department: "2" }],
    [`/inbox/${id}/unread`, {}],
    [`/inbox/${id}/labels`, { name: "Bocor", color: "#ff0000" }],
  ];
  for (const [path, fields] of attempts) {
    const answer = await outsider.post(path, fields);
    assert.equal(answer.status, 403, `${path} answers 403`);
    assert.doesNotMatch(answer.text, /konseling|Siti/, `${path} says nothing of it`);
  }
  const file = await postMultipart(outsider, `/inbox/${id}/reply`, {
    _csrf: outsider.csrfToken,
    text: "x",
    file: new File([PNG], "a.png", { type: "image/png" }),
  });
  assert.equal(file.status, 403);
  for (const path of [`/inbox/${id}`, `/inbox/${id}/media/${message.id}`, `/inbox/${id}/live`]) {
    assert.equal((await outsider.get(path)).status, 403, `${path} answers 403`);
  }
  const [conversation] = await rows(
    t,
    "SELECT status, assignee_id, department_id, unread_count FROM conversations",
  );
  assert.deepEqual(
    [conversation.status, conversation.assignee_id, Number(conversation.department_id)],
    ["open", null, 1],
  );
  assert.equal((await rows(t, "SELECT * FROM conversation_notes")).length, 0);
  assert.equal((await rows(t, "SELECT * FROM labels")).length, 0);
  assert.equal((await rows(t, "SELECT * FROM messages WHERE direction = 'out'")).length, 0);

  for (const q of ["konseling", "Siti", "1234567001"]) {
    const found = await outsider.get(`/inbox?q=${q}&status=all`);
    assert.equal(found.status, 200);
    assert.doesNotMatch(
      visibleText(found.text),
      /konseling|Siti Rahma/,
      `search ${q} finds nothing`,
    );
  }
  const contact = await rows(t, "SELECT id FROM contacts");
  const page = await outsider.get(`/contacts/${contact[0].id}`);
  assert.doesNotMatch(page.text, new RegExp(`/inbox/${id}\\b`), "no link to the conversation");
});

Deno.test("forms posted from another site, or without the token, are refused; multipart ones too", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti", text: "Halo" });
  const [row] = await rows(t, "SELECT id FROM conversations");
  const nurse = await signedIn(t, "supervisor");
  await nurse.get(`/inbox/${row.id}`);
  const csv = () => new File(["phone,name\n6281234567002,Ani\n"], "c.csv", { type: "text/csv" });
  const png = () => new File([PNG], "a.png", { type: "image/png" });
  // No token at all.
  for (
    const [path, fields] of [
      [`/inbox/${row.id}/reply`, { text: "Halo", file: png() }],
      ["/contacts/import", { file: csv() }],
    ] as const
  ) {
    assert.equal((await postMultipart(nurse, path, fields)).status, 403, `${path} without token`);
    // The right token, from another site.
    const foreign = await nurse.request(path, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: (() => {
        const body = new FormData();
        body.set("_csrf", nurse.csrfToken);
        for (const [k, v] of Object.entries(fields)) body.set(k, v);
        return body;
      })(),
    });
    assert.equal(foreign.status, 403, `${path} from another site`);
  }
  for (const path of [`/inbox/${row.id}/notes`, `/inbox/${row.id}/presence`, "/inbox/new"]) {
    assert.equal((await nurse.post(path, { _csrf: "", text: "x" })).status, 403, path);
  }
  assert.equal((await rows(t, "SELECT * FROM messages WHERE direction = 'out'")).length, 0);
  assert.equal((await rows(t, "SELECT * FROM conversation_notes")).length, 0);
  assert.equal((await rows(t, "SELECT * FROM contacts")).length, 1);
});

Deno.test("colleagues pressing at once: one label of a name, one retry of a failed message", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti", text: "Halo" });
  const [row] = await rows(t, "SELECT id FROM conversations");
  const people = await Promise.all(
    ["rina", "sari", "dewi", "tono"].map((username) => signedIn(t, "agent", { username })),
  );
  for (const p of people) await p.get(`/inbox/${row.id}`);
  const labelled = await Promise.all(
    people.map((p, i) =>
      p.post(`/inbox/${row.id}/labels`, { name: i % 2 ? "BPJS" : "bpjs", color: "#16a34a" })
    ),
  );
  for (const answer of labelled) assert.ok(answer.status < 500, `no 5xx (${answer.status})`);
  assert.equal((await rows(t, "SELECT * FROM labels")).length, 1);
  assert.equal((await rows(t, "SELECT * FROM conversation_labels")).length, 1);

  const { api } = await apiKey(t, ["conversations:*"]);
  const made = await Promise.all(
    [1, 2, 3, 4].map(() => api.post("/api/v1/labels", { name: "Rujukan" })),
  );
  assert.deepEqual(made.map((a) => a.status).sort(), [201, 409, 409, 409]);

  const sent = await people[0].post(`/inbox/${row.id}/reply`, { text: "Halo Bu" });
  const messageId = Number(/#message-(\d+)/.exec(sent.location ?? "")![1]);
  await t.deps.db.$client.execute({
    sql: "UPDATE messages SET status = 'failed' WHERE id = ?",
    args: [messageId],
  });
  const retried = await Promise.all(
    people.map((p) => p.post(`/inbox/${row.id}/messages/${messageId}/retry`)),
  );
  assert.deepEqual(retried.map((a) => a.status).sort(), [303, 409, 409, 409]);
  assert.equal((await rows(t, "SELECT * FROM messages WHERE retry_of_id IS NOT NULL")).length, 1);
});

Deno.test("hostile paths and fields on the inbox, threads and contacts: a 4xx, never a 5xx", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti", text: "Halo" });
  const [row] = await rows(t, "SELECT id FROM conversations");
  const id = Number(row.id);
  const admin = await signedIn(t, "admin");
  const gets = [
    "/inbox/99999999999999999999",
    `/inbox/${id}?before=abc`,
    `/inbox/${id}?before=99999999999999999999`,
    `/inbox/${id}/media/99999999999999999999`,
    `/inbox/${id}/media/0`,
    "/inbox?cursor=%00%ff",
    "/inbox?q=%22%22%22*()NEAR&status=all",
    "/inbox?label=abc&since=2024-99-99",
    "/contacts?cursor=xyz&label=-1",
    "/contacts/99999999999999999999",
    "/contacts/0",
    "/contacts/import/00000000000000000000000000000000",
    "/contacts/import/00000000000000000000000000000000?sheet=999",
    "/contacts/export.csv?cursor=%ff&label=x",
    "/inbox/new?to=%00",
  ];
  for (const path of gets) {
    const answer = await admin.get(path);
    assert.ok(answer.status < 500, `GET ${path}: ${answer.status}`);
  }
  await admin.get(`/inbox/${id}`);
  const posts: [string, Record<string, string | string[]>][] = [
    [`/inbox/${id}/assign`, { assignee: "99999999999999999999" }],
    [`/inbox/${id}/assign`, { assignee: ["1", "2"] }],
    [`/inbox/${id}/department`, { department: "-1" }],
    [`/inbox/${id}/labels`, { label: "99999" }],
    [`/inbox/${id}/labels`, { label: "1e3" }],
    [`/inbox/${id}/labels`, { name: "x".repeat(500), color: "red" }],
    [`/inbox/${id}/labels/99999999999999999999/remove`, {}],
    [`/inbox/${id}/messages/99999999999999999999/retry`, {}],
    [`/inbox/${id}/messages/1/retry`, {}],
    [`/inbox/${id}/status`, { status: ["open", "resolved"] }],
    [`/inbox/${id}/notes`, { text: "\u0000".repeat(10) }],
    [`/inbox/${id}/notes`, { text: "@".repeat(5000) }],
    [`/inbox/${id}/reply`, { text: "\ud800" }],
    [`/inbox/${id}/presence`, { typing: ["1", "0"] }],
    ["/inbox/new", { channel: "99999", to: "123", text: "x" }],
    ["/inbox/new", { channel: String(channel.id), to: "contact:99999999", text: "x" }],
    ["/inbox/new", { channel: String(channel.id), to: "+62", template: "99999" }],
    ["/contacts", { phone: "\u0000", name: "x".repeat(5000) }],
    ["/contacts/1", { phone: "+62 812", email: "a@", attr_name: ["a", "b"] }],
    ["/contacts/1/merge", { other: "99999999999999999999" }],
    ["/contacts/1/merge", { other: "1" }],
    ["/contacts/99999/delete", {}],
    ["/contacts/import/00000000000000000000000000000000", { phone: "0", sheet: "5" }],
  ];
  for (const [path, fields] of posts) {
    const answer = await admin.post(path, fields);
    assert.ok(
      answer.status < 500,
      `POST ${path} ${JSON.stringify(fields).slice(0, 80)}: ${answer.status}`,
    );
  }
  const multipart = [
    await postMultipart(admin, `/inbox/${id}/reply`, {
      _csrf: admin.csrfToken,
      file: new File([new Uint8Array([0x4d, 0x5a, 0x90, 0])], "photo.jpg", { type: "image/jpeg" }),
    }),
    await postMultipart(admin, `/inbox/${id}/reply`, {
      _csrf: admin.csrfToken,
      file: new File(["<svg onload=alert(1)>"], "x.svg", { type: "image/svg+xml" }),
    }),
    await postMultipart(admin, "/contacts/import", {
      _csrf: admin.csrfToken,
      file: new File([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])], "broken.xlsx"),
    }),
    await postMultipart(admin, "/contacts/import", { _csrf: admin.csrfToken, file: "text" }),
  ];
  for (const answer of multipart) assert.ok(answer.status < 500, `multipart: ${answer.status}`);
});

Deno.test("files a reply and an import leave in the data folder are 0600 in folders of 0700", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti", text: "Halo" });
  const [row] = await rows(t, "SELECT id FROM conversations");
  const admin = await signedIn(t, "admin");
  await admin.get(`/inbox/${row.id}`);
  const sent = await postMultipart(admin, `/inbox/${row.id}/reply`, {
    _csrf: admin.csrfToken,
    file: new File([PNG], "foto.png", { type: "image/png" }),
  });
  assert.equal(sent.status, 303);
  await admin.get("/contacts/import");
  const uploaded = await postMultipart(admin, "/contacts/import", {
    _csrf: admin.csrfToken,
    file: new File(["telepon\n081234567890\n"], "kontak.csv"),
  });
  assert.equal(uploaded.status, 303);
  const walk = async (dir: string): Promise<string[]> => {
    const found: string[] = [];
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      const mode = (await Deno.stat(path)).mode! & 0o777;
      if (entry.isDirectory) {
        if (mode !== 0o700) found.push(`${path} ${mode.toString(8)}`);
        found.push(...await walk(path));
      } else if (mode !== 0o600) found.push(`${path} ${mode.toString(8)}`);
    }
    return found;
  };
  const files = [...Deno.readDirSync(`${t.dir}/media`)].length;
  assert.ok(files > 0, "the picture is kept");
  assert.deepEqual(
    [...await walk(`${t.dir}/media`), ...await walk(`${t.dir}/imports`)],
    [],
    "every file 0600, every folder 0700",
  );
});

Deno.test("a full disk: notes, labels, replies and imports answer a clear error, never a 500", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, { phone: PHONE, name: "Siti", text: "Halo" });
  const [row] = await rows(t, "SELECT id FROM conversations");
  const admin = await signedIn(t, "admin");
  await admin.get(`/inbox/${row.id}`);
  t.deps.db.$disk.simulate = "SQLITE_FULL";
  try {
    const answers = [
      await admin.post(`/inbox/${row.id}/notes`, { text: "catatan" }),
      await admin.post(`/inbox/${row.id}/labels`, { name: "BPJS", color: "#16a34a" }),
      await admin.post(`/inbox/${row.id}/reply`, { text: "Halo" }),
      await admin.post(`/inbox/${row.id}/status`, { status: "resolved" }),
      await admin.post("/contacts", { phone: "081234567002", name: "Ani" }),
      await postMultipart(admin, "/contacts/import", {
        _csrf: admin.csrfToken,
        file: new File(["telepon\n081234567890\n"], "kontak.csv"),
      }),
    ];
    for (const [i, answer] of answers.entries()) {
      assert.ok(answer.status !== 500, `request ${i}: ${answer.status}`);
      assert.ok(answer.status >= 400, `request ${i} is refused: ${answer.status}`);
    }
  } finally {
    t.deps.db.$disk.simulate = undefined;
  }
});
