/**
 * Broadcasts as stored, on a real database: a draft and its rows, each step
 * of the state machine (refused with a reason when the status does not
 * allow it, taken once when two ask at once), rows queued into the outbox
 * once, and the messages still waiting held, let go or withdrawn.
 */
import assert from "node:assert/strict";
import { queueRecipients } from "../support/queue_recipients.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import {
  broadcastProgress,
  createBroadcast,
  deleteBroadcast,
  holdQueued,
  isDrained,
  listRecipients,
  type NewRecipient,
  recipientCounts,
  releaseQueued,
  stepBroadcast,
  updateDraft,
  WITHDRAWN,
} from "../../db/broadcasts.ts";
import { messages, optOuts } from "../../db/schema.ts";
import { broadcastDraft } from "../support/broadcast_draft.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { eq } from "drizzle-orm";

const valid = (row: number, phone: string, name: string): NewRecipient => ({
  row,
  input: phone,
  phone,
  name,
  variables: { nama: name },
  status: "pending",
  error: null,
  errorCode: null,
});

const draft = broadcastDraft;

async function threeRows(t: TestApp, start = false) {
  // Not started: nothing is sent while a test looks at what waits.
  const channel = await sandbox(t, { start });
  const { db, writer, clock } = t.deps;
  const broadcast = await createBroadcast(db, writer, clock, CLI_ACTOR, draft(channel.id), [
    valid(1, "6281200000001", "Ani"),
    valid(2, "6281200000002", "Budi"),
    { ...valid(3, "6281200000001", "Ani lagi"), status: "duplicate", error: "same as row 1" },
    {
      row: 4,
      input: "12",
      phone: null,
      name: null,
      variables: {},
      status: "invalid",
      error: "too short",
      errorCode: "too_short",
    },
    valid(5, "6281200000003", "Citra"),
  ]);
  return { channel, broadcast };
}

Deno.test("a draft keeps every row as read, counted by kind", async () => {
  await using t = await startTestApp();
  const { broadcast } = await threeRows(t);
  assert.equal(broadcast.status, "draft");
  assert.deepEqual((await recipientCounts(t.deps.db, [broadcast.id])).get(broadcast.id), {
    rows: 5,
    valid: 3,
    invalid: 1,
    duplicates: 1,
    opted_out: 0,
    not_on_whatsapp: 0,
  });
  const { recipients } = await listRecipients(t.deps.db, broadcast.id, { limit: 10 });
  assert.deepEqual(recipients.map((r) => [r.row, r.shownStatus]), [
    [1, "pending"],
    [2, "pending"],
    [3, "duplicate"],
    [4, "invalid"],
    [5, "pending"],
  ]);
  const invalid = await listRecipients(t.deps.db, broadcast.id, { status: "invalid", limit: 10 });
  assert.deepEqual(invalid.recipients.map((r) => [r.row, r.input, r.errorCode]), [
    [4, "12", "too_short"],
  ]);
});

Deno.test("each step is taken only from the statuses that allow it; the others say why", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { broadcast } = await threeRows(t);
  const step = (action: Parameters<typeof stepBroadcast>[5]) =>
    stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, action);
  await assert.rejects(step("start"), (e: Error & { status?: number }) => {
    assert.equal(e.status, 409);
    assert.match(
      e.message,
      /is draft: only a broadcast that is confirmed or scheduled can be started/,
    );
    return true;
  });
  assert.equal((await step("confirm")).status, "confirmed");
  // Two presses at once: one starts it, the other is told it is running.
  const both = await Promise.allSettled([step("start"), step("start")]);
  assert.equal(both.filter((r) => r.status === "fulfilled").length, 1);
  const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
  assert.match(refused.reason.message, /is running/);
  await assert.rejects(
    updateDraft(db, writer, clock, CLI_ACTOR, broadcast.id, draft(broadcast.channelId), []),
    /is running: only a broadcast that is draft or confirmed or scheduled can be edited/,
  );
  await assert.rejects(deleteBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id), /is running/);
  assert.equal((await step("pause")).status, "paused");
  assert.equal((await step("resume")).status, "running");
  assert.equal((await step("cancel")).status, "cancelled");
  await assert.rejects(step("resume"), /is cancelled/);
  await deleteBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id);
  assert.equal((await recipientCounts(db, [broadcast.id])).get(broadcast.id)!.rows, 0);
});

Deno.test("editing a confirmed broadcast takes it back to draft with its new rows", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { broadcast } = await threeRows(t);
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "confirm");
  const edited = await updateDraft(
    db,
    writer,
    clock,
    CLI_ACTOR,
    broadcast.id,
    draft(broadcast.channelId, { name: "Pengingat baru" }),
    [valid(1, "6281200000009", "Dewi")],
  );
  assert.equal(edited.status, "draft");
  assert.equal(edited.name, "Pengingat baru");
  assert.equal(edited.confirmedAt, null);
  const { recipients } = await listRecipients(db, broadcast.id, { limit: 10 });
  assert.deepEqual(recipients.map((r) => r.phone), ["6281200000009"]);
});

Deno.test("rows are queued once each, filled in, and only while the broadcast runs", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { channel, broadcast } = await threeRows(t);
  const queue = () => queueRecipients(db, writer, clock, broadcast, channel.kind, { limit: 2 });
  assert.equal(await queue(), 0, "a draft's rows are not queued");
  assert.equal((await db.select().from(messages)).length, 0);

  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "confirm");
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "start");
  // Two runners at once: each row still gets one message.
  const counted = await Promise.all([queue(), queue(), queue()]);
  assert.equal(counted.reduce((a, b) => a + b) + await queue(), 3, "three rows, queued once each");
  const sent = await db.select().from(messages).orderBy(messages.id);
  assert.deepEqual(sent.map((m) => m.body).sort(), [
    "Halo Ani, kontrol Anda Senin.",
    "Halo Budi, kontrol Anda Senin.",
    "Halo Citra, kontrol Anda Senin.",
  ]);
  assert.ok(sent.every((m) => m.broadcastId === broadcast.id && m.priority === 100));
  assert.ok(sent.every((m) => m.source === "broadcast"));
  const events = await db.$client.execute(
    "SELECT message_id, status, at FROM message_events ORDER BY message_id",
  );
  assert.deepEqual(
    events.rows.map((e) => [e.message_id, e.status, e.at]),
    sent.map((m) => [m.id, "queued", m.createdAt]),
    "each message's history starts with one queued event",
  );
  assert.equal(await queue(), 0, "none left");
  assert.deepEqual(
    (await broadcastProgress(db, [broadcast.id])).get(broadcast.id),
    { queued: 3, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, cancelled: 0 },
  );
  assert.equal(await isDrained(db, broadcast), false, "three wait in the outbox");
});

Deno.test("waiting messages are held, let go, or withdrawn as cancelled with their broadcast", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { channel, broadcast } = await threeRows(t);
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "confirm");
  const running = await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "start");
  const later = clock.now() + 3_600_000;
  await queueRecipients(db, writer, clock, running, channel.kind, { limit: 10, notBefore: later });
  const due = async () => (await db.select().from(messages)).map((m) => m.nextAttemptAt);
  assert.deepEqual(await due(), [later, later, later], "queued outside the window: held");
  assert.equal(await releaseQueued(writer, broadcast.id, clock.now()), 3);
  assert.deepEqual(await due(), [clock.now(), clock.now(), clock.now()]);
  assert.equal(await holdQueued(writer, broadcast.id, later), 3);
  assert.deepEqual(await due(), [later, later, later]);

  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "cancel");
  const rows = await db.select().from(messages);
  assert.ok(rows.every((m) => m.status === "failed" && m.error === WITHDRAWN));
  assert.deepEqual(
    (await broadcastProgress(db, [broadcast.id])).get(broadcast.id),
    { queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, cancelled: 3 },
  );
  assert.equal(await isDrained(db, broadcast), true);
});

Deno.test("a number that opted out after the list was read is never queued", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { channel, broadcast } = await threeRows(t);
  await db.insert(optOuts).values({ phone: "6281200000002", source: "reply", createdAt: 1 });
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "confirm");
  const running = await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "start");
  await queueRecipients(db, writer, clock, running, channel.kind, { limit: 10 });
  const sentTo = await db.select({ body: messages.body }).from(messages)
    .where(eq(messages.broadcastId, broadcast.id));
  assert.equal(sentTo.length, 2);
  assert.ok(!sentTo.some((m) => m.body?.includes("Budi")));
  assert.equal((await recipientCounts(db, [broadcast.id])).get(broadcast.id)!.opted_out, 1);
});

Deno.test("each row reads as it stands: waiting once started, the reason and code only of an end", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { channel, broadcast } = await threeRows(t);
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "confirm");
  const running = await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "start");
  await queueRecipients(db, writer, clock, running, channel.kind, { limit: 2 });
  const list = async () =>
    (await listRecipients(db, broadcast.id, { limit: 10 })).recipients
      .filter((r) => r.status === "pending" || r.status === "queued")
      .map((r) => [r.row, r.shownStatus, r.messageError, r.code, r.at]);
  assert.deepEqual(await list(), [
    [1, "queued", null, null, clock.now()],
    [2, "queued", null, null, clock.now()],
    [5, "queued", null, null, null],
  ], "a row not yet in the outbox counts as queued, as in the progress");
  assert.equal(
    (await listRecipients(db, broadcast.id, { status: "queued", limit: 10 })).recipients.length,
    3,
  );

  // Row 1 failed a try and was then sent; row 2 failed for good.
  const [first, second] = await db.select().from(messages).orderBy(messages.id);
  await db.update(messages).set({ status: "sent", error: "connection lost", sentAt: 5 })
    .where(eq(messages.id, first.id));
  await db.update(messages).set({
    status: "failed",
    error: "bot was blocked by the user",
    failedAt: 7,
  })
    .where(eq(messages.id, second.id));
  t.clock.advance(1_000);
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "cancel");
  assert.deepEqual(await list(), [
    [1, "sent", null, null, 5],
    [2, "failed", "bot was blocked by the user", "blocked", 7],
    [5, "cancelled", WITHDRAWN, "cancelled", clock.now()],
  ]);
});
