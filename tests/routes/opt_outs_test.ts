/**
 * The opt-out list from the staff's side: a stop word replied on a sandbox
 * channel opts the number out (and is confirmed once when asked), the stop
 * words edited in Settings count at once, Settings lists, searches, adds
 * and removes numbers, and the contact page shows it to everyone but lets
 * only supervisors and administrators change it.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";

async function listed(t: TestApp) {
  const { rows } = await t.deps.db.$client.execute(
    "SELECT phone, source, message_id, created_by FROM opt_outs ORDER BY phone",
  );
  return rows.map((r) => ({
    phone: String(r.phone),
    source: String(r.source),
    messageId: r.message_id === null ? null : Number(r.message_id),
    createdBy: r.created_by === null ? null : Number(r.created_by),
  }));
}

async function outbound(t: TestApp, phone: string) {
  const { rows } = await t.deps.db.$client.execute({
    sql: `SELECT m.body, m.source FROM messages m JOIN contacts k ON k.id = m.contact_id
      WHERE k.phone = ? AND m.direction = 'out' ORDER BY m.id`,
    args: [phone],
  });
  return rows.map((r) => [String(r.body), String(r.source)]);
}

async function inboundCount(t: TestApp) {
  const { rows } = await t.deps.db.$client.execute(
    "SELECT count(*) AS n FROM messages WHERE direction = 'in'",
  );
  return Number(rows[0].n);
}

/** A simulated patient writes `text`; answers once the message and its steps are done. */
async function reply(t: TestApp, channelId: number, phone: string, text: string) {
  const before = await inboundCount(t);
  await t.deps.registry.simulateInbound(channelId, { phone, name: "Siti", text });
  await waitUntil(async () => (await inboundCount(t)) > before, "the reply stored");
  // The steps run after the message is stored: give them their turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

Deno.test("a reply that is exactly a stop word opts the number out; other texts do not", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await reply(t, channel.id, "6281234560001", "STOP");
  await reply(t, channel.id, "6281234560002", "berhenti");
  await reply(t, channel.id, "6281234560003", "  Unsubscribe ");
  await reply(t, channel.id, "6281234560004", "STOP please");
  await reply(t, channel.id, "6281234560005", "Stop.");
  const rows = await listed(t);
  assert.deepEqual(rows.map((r) => [r.phone, r.source]), [
    ["6281234560001", "reply"],
    ["6281234560002", "reply"],
    ["6281234560003", "reply"],
  ]);
  const { rows: ids } = await t.deps.db.$client.execute(
    "SELECT m.id FROM messages m JOIN contacts k ON k.id = m.contact_id WHERE k.phone = '6281234560001'",
  );
  assert.equal(rows[0].messageId, Number(ids[0].id), "the reply that asked is kept");
  assert.deepEqual(await outbound(t, "6281234560001"), [], "no confirmation while it is off");
});

Deno.test("the confirmation reply is queued once, only when it is on", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/opt-outs");
  const saved = await admin.post("/settings/opt-outs/stop-words", {
    stop_words: "STOP\nBERHENTI",
    confirm: "on",
    confirm_text: "Baik, Anda tidak akan menerima pesan siaran lagi.",
  });
  assert.equal(saved.status, 303);
  await reply(t, channel.id, "6281234560011", "stop");
  await reply(t, channel.id, "6281234560011", "STOP");
  await reply(t, channel.id, "6281234560011", "Berhenti");
  assert.deepEqual(await outbound(t, "6281234560011"), [
    ["Baik, Anda tidak akan menerima pesan siaran lagi.", "auto_reply"],
  ]);
});

Deno.test("stop words edited in Settings count at once; a wrong list is named beside its field", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const admin = await signedIn(t, "admin");
  const page = await admin.get("/settings/opt-outs");
  assert.equal(page.status, 200);
  assert.match(page.text, /href="\/settings\/opt-outs" aria-current="page"/, "in the menu");
  assert.match(page.text, /<textarea[^>]*name="stop_words"[^>]*>STOP\nBERHENTI\nUNSUBSCRIBE</);

  for (
    const [typed, error] of [
      ["", /Enter at least one stop word/],
      [" , \n", /Enter at least one stop word/],
      ["STOP, stop", /“stop” is in the list twice/],
      ["STOP\n" + "x".repeat(31), /longer than 30 characters/],
    ] as const
  ) {
    const wrong = await admin.post("/settings/opt-outs/stop-words", { stop_words: typed });
    assert.equal(wrong.status, 422, typed);
    assert.match(wrong.text, /id="stop_words-error"/, "beside the field");
    assert.match(visibleText(wrong.text), error);
  }
  for (const nothing of [" ", "\u0000\u0000", "\u200b", "\u00ad"]) {
    const noText = await admin.post("/settings/opt-outs/stop-words", {
      stop_words: "STOP",
      confirm: "on",
      confirm_text: nothing,
    });
    assert.equal(noText.status, 422, JSON.stringify(nothing));
    assert.match(noText.text, /id="confirm_text-error"/);
  }

  const saved = await admin.post("/settings/opt-outs/stop-words", {
    stop_words: "Batal, keluar",
    confirm_text: "",
  });
  assert.equal(saved.status, 303);
  const after = await admin.get("/settings/opt-outs");
  assert.match(visibleText(after.text), /The stop words and the confirmation reply are saved/);
  await reply(t, channel.id, "6281234560021", "STOP");
  await reply(t, channel.id, "6281234560022", "KELUAR");
  assert.deepEqual((await listed(t)).map((r) => r.phone), ["6281234560022"]);
  const { rows } = await t.deps.db.$client.execute(
    "SELECT actor FROM audit_log WHERE action = 'opt_out.settings'",
  );
  assert.deepEqual(rows.map((r) => String(r.actor)), ["admin"]);
});

Deno.test("Settings lists, searches, adds and removes numbers; only administrators", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await reply(t, channel.id, "6281234560031", "STOP");
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/opt-outs");

  const wrong = await admin.post("/settings/opt-outs", { phone: "0812-ABCD" });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /id="add-phone-error"/);
  assert.match(wrong.text, /value="0812-ABCD"/, "what was typed is kept");
  const added = await admin.post("/settings/opt-outs", { phone: "0813 9876 5432" });
  assert.equal(added.status, 303);
  const again = await admin.post("/settings/opt-outs", { phone: "+62 813-9876-5432" });
  assert.equal(again.status, 303);
  assert.deepEqual((await listed(t)).map((r) => [r.phone, r.source, r.createdBy]), [
    ["6281234560031", "reply", null],
    ["6281398765432", "staff", admin.user.id],
  ]);

  const page = await admin.get("/settings/opt-outs");
  const text = visibleText(page.text);
  assert.match(text, /\+6281398765432 was already on the list/, "the flash of the second add");
  assert.ok(
    text.indexOf("+6281398765432") < text.lastIndexOf("+6281234560031"),
    "newest first",
  );
  assert.match(text, /Added by Admin/);
  assert.match(text, /Replied a stop word/);
  assert.match(page.text, /href="\/inbox\/\d+">See the reply/, "the reply can be opened");
  assert.match(page.text, /href="\/contacts\/\d+">Siti</, "the contact's name and page");
  assert.match(page.text, /data-confirm="Take \+6281234560031 off the opt-out list/);

  const found = await admin.get("/settings/opt-outs?q=0813%209876");
  assert.match(visibleText(found.text), /\+6281398765432/);
  assert.doesNotMatch(visibleText(found.text), /\+6281234560031/);
  const byName = await admin.get("/settings/opt-outs?q=siti");
  assert.match(visibleText(byName.text), /\+6281234560031/);
  const nothing = await admin.get("/settings/opt-outs?q=%3Cscript%3E");
  assert.match(nothing.text, /matches “&lt;script&gt;”/, "escaped");

  const removed = await admin.post("/settings/opt-outs/6281234560031/delete", {
    back: "/settings/opt-outs?q=0812",
  });
  assert.equal(removed.status, 303);
  assert.equal(removed.location, "/settings/opt-outs?q=0812", "back to the same search");
  const elsewhere = await admin.post("/settings/opt-outs/6281398765432/delete", {
    back: "https://evil.example/",
  });
  assert.equal(elsewhere.location, "/settings/opt-outs");
  assert.deepEqual(await listed(t), []);
  const gone = await admin.post("/settings/opt-outs/6281398765432/delete", {});
  assert.equal(gone.status, 303, "removing what is gone says so, no error");
  const noCsrf = await admin.post("/settings/opt-outs", { phone: "08139876543", _csrf: "" });
  assert.equal(noCsrf.status, 403);

  const { rows } = await t.deps.db.$client.execute(
    "SELECT action, actor FROM audit_log WHERE action LIKE 'opt_out.%' ORDER BY id",
  );
  assert.deepEqual(rows.map((r) => [String(r.action), String(r.actor)]), [
    ["opt_out.add", "system"],
    ["opt_out.add", "admin"],
    ["opt_out.remove", "admin"],
    ["opt_out.remove", "admin"],
  ]);

  for (const role of ["supervisor", "agent"] as const) {
    const other = await signedIn(t, role);
    assert.equal((await other.get("/settings/opt-outs")).status, 403, role);
    await other.get("/contacts");
    assert.equal((await other.post("/settings/opt-outs", { phone: "08139876543" })).status, 403);
  }
});

Deno.test("the contact page shows the opt-out; supervisors change it, agents only see it", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await reply(t, channel.id, "6281234560041", "Halo");
  const { rows } = await t.deps.db.$client.execute(
    "SELECT id FROM contacts WHERE phone = '6281234560041'",
  );
  const id = Number(rows[0].id);
  const supervisor = await signedIn(t, "supervisor");
  const agent = await signedIn(t, "agent");

  const before = await agent.get(`/contacts/${id}`);
  assert.match(visibleText(before.text), /Receives broadcasts\./);
  assert.doesNotMatch(before.text, /\/opt-out"/, "no button for an agent");
  assert.equal((await agent.post(`/contacts/${id}/opt-out`, {})).status, 403);

  const page = await supervisor.get(`/contacts/${id}`);
  assert.match(page.text, new RegExp(`action="/contacts/${id}/opt-out"`));
  const out = await supervisor.post(`/contacts/${id}/opt-out`, {});
  assert.equal(out.status, 303);
  assert.equal(out.location, `/contacts/${id}`);
  assert.deepEqual((await listed(t)).map((r) => [r.phone, r.source]), [["6281234560041", "staff"]]);

  const shown = visibleText((await agent.get(`/contacts/${id}`)).text);
  assert.match(shown, /Opted out: gets no broadcasts/);
  assert.match(shown, /Added by Supervisor/);
  assert.match(shown, /Since \d/);
  assert.equal((await agent.post(`/contacts/${id}/opt-in`, {})).status, 403);
  assert.equal((await listed(t)).length, 1);

  const back = await supervisor.post(`/contacts/${id}/opt-in`, {});
  assert.equal(back.status, 303);
  assert.deepEqual(await listed(t), []);
  assert.match(
    visibleText((await supervisor.get(`/contacts/${id}`)).text),
    /is off the list and gets broadcasts again/,
  );
  assert.equal((await supervisor.post("/contacts/999999/opt-out", {})).status, 404);
});
