/**
 * A channel's departments, chosen by an admin on its page: agents of those
 * departments see its conversations that have no department, other agents
 * do not; the change is audited and open channel pages show it live.
 */
import assert from "node:assert/strict";
import { listAudit } from "../../db/audit_log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createDepartment } from "../../db/departments.ts";
import { visibleText } from "../support/browser_client.ts";
import { liveParts } from "../support/event_stream_parser.ts";
import { recordEvents } from "../support/record_events.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

async function channelDepartmentIds(t: TestApp, channelId: number): Promise<number[]> {
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT department_id FROM channel_departments WHERE channel_id = ? ORDER BY 1",
    args: [channelId],
  });
  return rows.map((r) => Number(r.department_id));
}

async function joinDepartment(t: TestApp, userId: number, departmentId: number) {
  await t.deps.db.$client.execute({
    sql: "INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)",
    args: [userId, departmentId],
  });
}

Deno.test("an admin chooses a channel's departments; its agents see its unassigned conversations, others get 403", async () => {
  await using t = await startTestApp();
  const pharmacy = await createDepartment(t.deps.db, t.clock, CLI_ACTOR, "Farmasi");
  const lab = await createDepartment(t.deps.db, t.clock, CLI_ACTOR, "Laboratorium");
  const channel = await sandbox(t, { name: "Farmasi WA" });
  await t.deps.registry.simulateInbound(channel.id, {
    phone: "6281234567001",
    name: "Ani Lestari",
    text: "Obat saya habis",
  });
  const { rows } = await t.deps.db.$client.execute("SELECT id FROM conversations");
  const conversationId = Number(rows[0].id);

  const admin = await signedIn(t, "admin");
  const pharmacist = await signedIn(t, "agent");
  const analyst = await signedIn(t, "agent");
  await joinDepartment(t, pharmacist.user.id, pharmacy.id);
  await joinDepartment(t, analyst.user.id, lab.id);

  const page = await admin.get(`/channels/${channel.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`name="departments" value="${pharmacy.id}"`));
  assert.match(page.text, new RegExp(`name="departments" value="${lab.id}"`));
  assert.match(visibleText(page.text), /Departments None: every agent sees its conversations/);

  const events = recordEvents(t);
  const saved = await admin.post(`/channels/${channel.id}/departments`, {
    departments: [String(pharmacy.id)],
  });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, `/channels/${channel.id}`);
  assert.deepEqual(await channelDepartmentIds(t, channel.id), [pharmacy.id]);
  assert.deepEqual(events.of("channel.changed").map((e) => e.channelId), [channel.id]);
  const after = await admin.get(`/channels/${channel.id}`);
  assert.match(visibleText(after.text), /The departments of Farmasi WA are saved\./);
  assert.match(after.text, new RegExp(`value="${pharmacy.id}" checked`));
  assert.doesNotMatch(after.text, new RegExp(`value="${lab.id}" checked`));
  const [audit] = (await listAudit(t.deps.db, { limit: 1 })).rows;
  assert.equal(audit.action, "channel.departments");
  assert.equal(audit.target, "Farmasi WA");
  assert.deepEqual(JSON.parse(audit.details!), { from: [], to: ["Farmasi"] });

  assert.match(visibleText((await pharmacist.get("/inbox")).text), /Ani Lestari/);
  assert.equal((await pharmacist.get(`/inbox/${conversationId}`)).status, 200);
  assert.doesNotMatch(visibleText((await analyst.get("/inbox")).text), /Ani Lestari/);
  assert.equal((await analyst.get(`/inbox/${conversationId}`)).status, 403);

  // Both departments, then none: every agent sees it again.
  await admin.get(`/channels/${channel.id}`);
  await admin.post(`/channels/${channel.id}/departments`, {
    departments: [String(lab.id), String(pharmacy.id), String(lab.id)],
  });
  assert.deepEqual(await channelDepartmentIds(t, channel.id), [pharmacy.id, lab.id].sort());
  assert.equal((await analyst.get(`/inbox/${conversationId}`)).status, 200);
  await admin.get(`/channels/${channel.id}`);
  assert.equal((await admin.post(`/channels/${channel.id}/departments`, {})).status, 303);
  assert.deepEqual(await channelDepartmentIds(t, channel.id), []);
  assert.match(visibleText((await analyst.get("/inbox")).text), /Ani Lestari/);
});

Deno.test("channel departments: a value that is no department is named; only admins may choose", async () => {
  await using t = await startTestApp();
  const pharmacy = await createDepartment(t.deps.db, t.clock, CLI_ACTOR, "Farmasi");
  const channel = await sandbox(t);
  const admin = await signedIn(t, "admin");
  await admin.get(`/channels/${channel.id}`);
  for (const [value, shown] of [["abc", "abc"], ["999", "999"], ["-1", "-1"], ["<b>x</b>", ""]]) {
    const answer = await admin.post(`/channels/${channel.id}/departments`, {
      departments: [String(pharmacy.id), value],
    });
    assert.equal(answer.status, 422, value);
    assert.doesNotMatch(answer.text, /<b>x<\/b>/);
    if (shown) {
      assert.match(
        visibleText(answer.text),
        new RegExp(`“${shown}” is not one of the departments`),
      );
    }
    assert.match(answer.text, new RegExp(`value="${pharmacy.id}" checked`), "the boxes kept");
  }
  assert.deepEqual(await channelDepartmentIds(t, channel.id), []);
  assert.equal(
    (await admin.post(`/channels/${channel.id}/departments`, { departments: "1", _csrf: "" }))
      .status,
    403,
  );
  assert.equal((await admin.post("/channels/999/departments", {})).status, 404);

  for (const role of ["supervisor", "agent"] as const) {
    const someone = await signedIn(t, role);
    await someone.get("/inbox");
    const answer = await someone.post(`/channels/${channel.id}/departments`, {
      departments: String(pharmacy.id),
    });
    assert.equal(answer.status, 403, role);
  }
  assert.deepEqual(await channelDepartmentIds(t, channel.id), []);
});

Deno.test("an open channel page shows the saved departments live", async () => {
  await using t = await startTestApp();
  const pharmacy = await createDepartment(t.deps.db, t.clock, CLI_ACTOR, "Farmasi");
  const channel = await sandbox(t);
  const admin = await signedIn(t, "admin");
  const colleague = await signedIn(t, "admin");
  const stop = new AbortController();
  const res = await colleague.open(`/channels/${channel.id}/live`, stop.signal);
  assert.equal(res.status, 200);
  const stream = liveParts(res.body!);
  const first = await stream.next();
  assert.match(visibleText(first.data), /None: every agent sees its conversations/);

  await admin.get(`/channels/${channel.id}`);
  await admin.post(`/channels/${channel.id}/departments`, { departments: String(pharmacy.id) });
  t.clock.advance(150);
  const changed = await stream.next();
  assert.match(changed.data, /id="channel-departments"/);
  assert.match(visibleText(changed.data), /Farmasi/);
  stop.abort();
  await stream.cancel();
});
