/**
 * `/settings/labels`: supervisors and administrators name, colour and delete
 * labels; each change is audited and tells open inbox pages; every bad input
 * is named beside its field; agents may not open the page.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { recordEvents } from "../support/record_events.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

async function labelRows(t: TestApp) {
  const { rows } = await t.deps.db.$client.execute(
    "SELECT id, name, color FROM labels ORDER BY id",
  );
  return rows.map((r) => ({ id: Number(r.id), name: String(r.name), color: String(r.color) }));
}

async function auditActions(t: TestApp) {
  const { rows } = await t.deps.db.$client.execute(
    "SELECT action, target, actor FROM audit_log WHERE action LIKE 'label.%' ORDER BY id",
  );
  return rows.map((r) => [String(r.action), String(r.target), String(r.actor)]);
}

/** A conversation (a patient wrote on a sandbox) carrying label `labelId`. */
async function labelledConversation(t: TestApp, labelId: number, phone = "6281234560001") {
  const channel = await sandbox(t);
  await t.deps.registry.simulateInbound(channel.id, { phone, name: "Siti", text: "Halo" });
  const { rows } = await t.deps.db.$client.execute("SELECT max(id) AS id FROM conversations");
  const id = Number(rows[0].id);
  await t.deps.db.$client.execute({
    sql: "INSERT INTO conversation_labels (conversation_id, label_id) VALUES (?, ?)",
    args: [id, labelId],
  });
  return id;
}

Deno.test("labels: add, list with colour and count, rename and recolour, delete", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const events = recordEvents(t);
  assert.equal((await admin.get("/settings/labels")).status, 200);

  const added = await admin.post("/settings/labels", { name: "  BPJS ", color: "#16A34A" });
  assert.equal(added.status, 303);
  assert.equal(added.location, "/settings/labels");
  assert.deepEqual((await labelRows(t)).map((l) => [l.name, l.color]), [["BPJS", "#16a34a"]]);
  const [{ id }] = await labelRows(t);
  await labelledConversation(t, id);

  const page = await admin.get("/settings/labels");
  assert.equal(page.status, 200);
  const text = visibleText(page.text);
  assert.match(text, /Label BPJS is added\./, "the flash after the redirect");
  assert.match(text, /1 conversation\b/);
  assert.match(page.text, /<circle[^>]*fill="#16a34a"/, "the colour as an SVG dot");
  assert.match(page.text, /type="color"[^>]*value="#16a34a"|value="#16a34a"[^>]*type="color"/);
  assert.match(page.text, /href="\/settings\/labels" aria-current="page"/, "in the settings menu");

  const saved = await admin.post(`/settings/labels/${id}`, {
    name: "BPJS Kesehatan",
    color: "#dc2626",
  });
  assert.equal(saved.status, 303);
  assert.deepEqual((await labelRows(t)).map((l) => [l.name, l.color]), [
    ["BPJS Kesehatan", "#dc2626"],
  ]);
  assert.match(visibleText((await admin.get("/settings/labels")).text), /BPJS Kesehatan is saved/);

  const deleted = await admin.post(`/settings/labels/${id}/delete`, {});
  assert.equal(deleted.status, 303);
  assert.deepEqual(await labelRows(t), []);
  const left = await t.deps.db.$client.execute("SELECT count(*) AS n FROM conversation_labels");
  assert.equal(Number(left.rows[0].n), 0, "taken off the conversation");
  assert.match(
    visibleText((await admin.get("/settings/labels")).text),
    /Label BPJS Kesehatan is deleted and taken off 1 conversation\./,
  );

  assert.deepEqual(await auditActions(t), [
    ["label.create", "label:BPJS", "admin"],
    ["label.update", "label:BPJS Kesehatan", "admin"],
    ["label.delete", "label:BPJS Kesehatan", "admin"],
  ]);
  assert.deepEqual(events.of("conversation.labels").map((e) => e.labelId), [id, id, id]);
});

Deno.test("labels: a name taken in any case, an empty or long name, a colour that is none", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "supervisor");
  await admin.get("/settings/labels");
  assert.equal(
    (await admin.post("/settings/labels", { name: "Lab", color: "#2563eb" })).status,
    303,
  );
  assert.equal((await admin.post("/settings/labels", { name: "Urgent" })).status, 303, "grey");
  const [lab, urgent] = await labelRows(t);
  assert.equal(urgent.color, "#64748b");

  const taken = await admin.post("/settings/labels", { name: "LAB", color: "#2563eb" });
  assert.equal(taken.status, 422);
  assert.match(visibleText(taken.text), /A label named “LAB” already exists/);

  const renamedOnto = await admin.post(`/settings/labels/${urgent.id}`, {
    name: "lab",
    color: "#dc2626",
  });
  assert.equal(renamedOnto.status, 422, "a rename onto another label's name is a field error");
  assert.match(visibleText(renamedOnto.text), /A label named “lab” already exists/);
  assert.match(renamedOnto.text, /id="label-\d+-name"[^>]*value="lab"[^>]*aria-invalid="true"/);

  const ownCase = await admin.post(`/settings/labels/${lab.id}`, { name: "LAB", color: "#2563eb" });
  assert.equal(ownCase.status, 303, "a label may change the case of its own name");

  const cases: Array<[Record<string, string | string[]>, RegExp]> = [
    [{ name: "", color: "#000000" }, /Enter the label's name\./],
    [{ name: "   ", color: "#000000" }, /Enter the label's name\./],
    [{ name: "x".repeat(41), color: "#000000" }, /at most 40 characters; “x{40}…” has 41/],
    [{ name: "Merah", color: "red" }, /#rrggbb; “red” is not one/],
    [{ name: "Merah", color: "#12345" }, /“#12345” is not one/],
    [{ name: "Merah", color: "#12345g" }, /“#12345g” is not one/],
    [{ name: ["A", "B"], color: "#000000" }, /This field was sent more than once; send it once\./],
  ];
  for (const [fields, message] of cases) {
    for (const path of ["/settings/labels", `/settings/labels/${urgent.id}`]) {
      const answer = await admin.post(path, fields);
      assert.equal(answer.status, 422, `${path} ${JSON.stringify(fields)}`);
      assert.match(visibleText(answer.text), message, `${path} ${JSON.stringify(fields)}`);
    }
  }
  assert.equal((await labelRows(t)).length, 2, "nothing saved");
  assert.equal((await admin.post("/settings/labels/999/delete", {})).status, 404);
  assert.equal((await admin.post("/settings/labels/999", { name: "X" })).status, 404);
  assert.equal((await admin.post("/settings/labels/abc/delete", {})).status, 404);
});

Deno.test("labels: a hostile name is shown as text everywhere on the page", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/labels");
  const hostile = "<script>alert(1)</script>";
  assert.equal(
    (await admin.post("/settings/labels", { name: hostile, color: "#000000" })).status,
    303,
  );
  const page = await admin.get("/settings/labels");
  assert.doesNotMatch(page.text, /<script>alert/);
  assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const [{ id }] = await labelRows(t);
  const failed = await admin.post(`/settings/labels/${id}`, { name: hostile, color: hostile });
  assert.equal(failed.status, 422);
  assert.doesNotMatch(failed.text, /<script>alert/);
});

Deno.test("labels: supervisors and admins manage them; agents get 403; forms need the CSRF token", async () => {
  await using t = await startTestApp();
  const supervisor = await signedIn(t, "supervisor");
  const agent = await signedIn(t, "agent");
  const supervisorPage = await supervisor.get("/settings/labels");
  assert.equal(supervisorPage.status, 200);
  assert.equal((await supervisor.post("/settings/labels", { name: "Lab" })).status, 303);
  const [{ id }] = await labelRows(t);

  assert.equal((await agent.get("/settings/labels")).status, 403);
  assert.equal((await agent.post("/settings/labels", { name: "Agen" })).status, 403);
  assert.equal((await agent.post(`/settings/labels/${id}`, { name: "Agen" })).status, 403);
  assert.equal((await agent.post(`/settings/labels/${id}/delete`, {})).status, 403);
  assert.doesNotMatch((await agent.get("/settings/account")).text, /href="\/settings\/labels"/);
  assert.deepEqual((await labelRows(t)).map((l) => l.name), ["Lab"]);

  const noToken = await supervisor.post(`/settings/labels/${id}/delete`, { _csrf: "" });
  assert.equal(noToken.status, 403);
  assert.equal((await labelRows(t)).length, 1);
});
