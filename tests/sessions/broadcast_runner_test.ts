/**
 * Broadcasts running through the real outbox on a sandbox channel, with a
 * manual clock: every recipient gets one message and the broadcast finishes;
 * outside its sending window it waits and goes on by itself, also after a
 * restart; a scheduled one starts by itself; pause holds, resume lets go,
 * cancel withdraws; replies from the inbox go out ahead of it.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import {
  type BroadcastDraft,
  getBroadcast,
  type NewRecipient,
  WITHDRAWN,
} from "../../db/broadcasts.ts";
import { updateChannelOptions } from "../../db/channels.ts";
import { messages } from "../../db/schema.ts";
import { BroadcastRunner } from "../../sessions/broadcasts.ts";
import { broadcastDraft } from "../support/broadcast_draft.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { PRIORITY } from "../../core/priority.ts";

const rows = (n: number): NewRecipient[] =>
  Array.from({ length: n }, (_, i) => ({
    row: i + 1,
    input: `08120000${String(i).padStart(4, "0")}`,
    phone: `628120000${String(i).padStart(4, "0")}`,
    name: `Pasien ${i + 1}`,
    variables: { nama: `Pasien ${i + 1}` },
    status: "pending" as const,
    error: null,
    errorCode: null,
  }));

const draft = (channelId: number, overrides: Partial<BroadcastDraft> = {}) =>
  broadcastDraft(channelId, {
    name: "Pengingat vaksin",
    body: "Halo {{nama}}, jadwal vaksin anak Anda besok.",
    variables: {},
    ...overrides,
  });

/** Wall time in Jakarta (UTC+7) on 2026-01-`day` as milliseconds. */
const wib = (day: number, hour: number, minute = 0) => Date.UTC(2026, 0, day, hour - 7, minute);

async function statuses(t: TestApp, broadcastId: number): Promise<string[]> {
  return (await t.deps.db.select({ status: messages.status }).from(messages)
    .where(eq(messages.broadcastId, broadcastId))).map((m) => m.status);
}

/** A runner as a restarted Kabar starts one, on the test app's database, clock and outbox. */
function newRunner(t: TestApp, queueAhead?: number): BroadcastRunner {
  return new BroadcastRunner({
    queueAhead,
    db: t.deps.db,
    writer: t.deps.writer,
    clock: t.clock,
    log: t.deps.log,
    events: t.deps.events,
    timeZone: "Asia/Jakarta",
    wakeOutbox: (id) => t.deps.outbox.wake(id),
  });
}

/**
 * Moves the clock to `at`, and checks the broadcast's page is told then (a
 * `broadcast.changed` event), with nothing told before that moment.
 */
async function assertPageToldAt(t: TestApp, broadcastId: number, at: number): Promise<void> {
  const told: number[] = [];
  const unsubscribe = t.deps.events.subscribe((e) => {
    if (e.type === "broadcast.changed" && e.broadcastId === broadcastId) told.push(t.clock.now());
  });
  try {
    t.clock.advance(at - t.clock.now());
    await t.deps.broadcastRunner.settled();
    await waitUntil(() => told.length > 0, "the page to be told");
    assert.ok(told.every((when) => when >= at));
  } finally {
    unsubscribe();
  }
}

async function started(t: TestApp, channelId: number, n: number, overrides = {}) {
  const service = t.deps.services.broadcasts;
  const broadcast = await service.create(CLI_ACTOR, draft(channelId, overrides), rows(n));
  await service.step(CLI_ACTOR, broadcast.id, "confirm");
  await service.step(CLI_ACTOR, broadcast.id, "start");
  return broadcast;
}

Deno.test("a started broadcast reaches every recipient once and finishes; new contacts carry the list's names", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await t.deps.db.$client.execute(
    "INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('6281200000000', 'Ibu Sari', 0, 0)",
  );
  const broadcast = await started(t, channel.id, 30);
  await waitUntil(
    async () => (await getBroadcast(t.deps.db, broadcast.id))?.status === "finished",
    "the broadcast to finish",
  );
  const sent = await t.deps.db.select().from(messages).where(
    eq(messages.broadcastId, broadcast.id),
  );
  assert.equal(sent.length, 30);
  assert.equal(new Set(sent.map((m) => m.contactId)).size, 30, "one message each");
  assert.ok(sent.every((m) => m.status !== "queued" && m.status !== "failed"));
  const overview = await t.deps.services.broadcasts.overview(broadcast.id);
  assert.equal(overview.progress.queued, 0);
  assert.equal(overview.estimatedSeconds, 0);
  assert.equal(overview.broadcast.finishedAt !== null, true);
  const names = await t.deps.db.$client.execute(
    "SELECT phone, name FROM contacts WHERE phone IN ('6281200000000', '6281200000001', '6281200000029') ORDER BY phone",
  );
  assert.deepEqual(names.rows.map((r) => [r.phone, r.name]), [
    ["6281200000000", "Ibu Sari"],
    ["6281200000001", "Pasien 2"],
    ["6281200000029", "Pasien 30"],
  ], "a contact Kabar knew keeps its name; a new one is named as the list names it");
});

Deno.test("a running broadcast keeps a few messages ahead in the outbox and queues the next as they leave, in list order", async () => {
  await using t = await startTestApp();
  await t.deps.broadcastRunner.stop();
  const channel = await sandbox(t, { start: false });
  const broadcast = await started(t, channel.id, 25);
  const runner = newRunner(t, 10);
  runner.start();
  try {
    await runner.settled();
    assert.equal((await statuses(t, broadcast.id)).length, 10, "ten waiting in the outbox");
    const overview = await t.deps.services.broadcasts.overview(broadcast.id);
    assert.equal(overview.progress.queued, 25, "every recipient counts as queued");
    await t.deps.registry.start(channel.id);
    await waitUntil(
      async () => (await getBroadcast(t.deps.db, broadcast.id))?.status === "finished",
      "the broadcast to finish",
    );
    const sent = await t.deps.db.select().from(messages)
      .where(eq(messages.broadcastId, broadcast.id)).orderBy(messages.id);
    assert.equal(sent.length, 25);
    assert.deepEqual(
      sent.map((m) => m.body),
      rows(25).map((r) => `Halo ${r.name}, jadwal vaksin anak Anda besok.`),
      "one message each, in the list's order",
    );
    await waitUntil(
      async () => {
        const phones = await t.deps.db.$client.execute("SELECT count(*) AS n FROM sandbox_inbox");
        return Number(phones.rows[0].n) === 24;
      },
      "every phone to have its message (the first number is one the sandbox knows as not on WhatsApp)",
    );
  } finally {
    await runner.stop();
  }
});

Deno.test("two broadcasts running on one channel take turns", async () => {
  await using t = await startTestApp();
  await t.deps.broadcastRunner.stop();
  const channel = await sandbox(t, { start: false });
  const first = await started(t, channel.id, 10);
  const second = await started(t, channel.id, 10);
  const runner = newRunner(t, 4);
  runner.start();
  try {
    await t.deps.registry.start(channel.id);
    await waitUntil(async () => {
      const [a, b] = await Promise.all([first, second].map((x) => getBroadcast(t.deps.db, x.id)));
      return a?.status === "finished" && b?.status === "finished";
    }, "both to finish");
    // The outbox sends a channel's broadcast messages in the order they were queued.
    const order = await t.deps.db.select({ broadcastId: messages.broadcastId }).from(messages)
      .where(eq(messages.channelId, channel.id)).orderBy(messages.id);
    assert.equal(order.length, 20);
    const turns = order.filter((m, i) => i > 0 && m.broadcastId !== order[i - 1].broadcastId);
    assert.ok(turns.length >= 3, `took turns ${turns.length} times: ${JSON.stringify(order)}`);
  } finally {
    await runner.stop();
  }
});

Deno.test("two Kabar processes on one database keep about as many ahead as one, in list order", async () => {
  await using t = await startTestApp();
  await t.deps.broadcastRunner.stop();
  const channel = await sandbox(t, { start: false });
  const broadcast = await started(t, channel.id, 100);
  const runners = [newRunner(t, 10), newRunner(t, 10)];
  for (const runner of runners) runner.start();
  try {
    await Promise.all(runners.map((r) => r.settled()));
    const queued = await t.deps.db.select().from(messages)
      .where(eq(messages.broadcastId, broadcast.id)).orderBy(messages.id);
    // Each runner counts what waits before it writes: the other may add one batch meanwhile.
    assert.ok(queued.length >= 10 && queued.length <= 15, `${queued.length} in the outbox`);
    assert.deepEqual(
      queued.map((m) => m.body),
      rows(queued.length).map((r) => `Halo ${r.name}, jadwal vaksin anak Anda besok.`),
    );
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
  }
});

Deno.test("outside its window a broadcast waits, and goes on at the window's start, also after a restart", async () => {
  await using t = await startTestApp();
  const { clock } = t;
  clock.advance(wib(1, 22) - clock.now()); // 22:00 in Jakarta
  const channel = await sandbox(t);
  const broadcast = await started(t, channel.id, 5, { window: { start: 8 * 60, end: 20 * 60 } });
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 5, "five queued");
  const held = await t.deps.db.select().from(messages).where(
    eq(messages.broadcastId, broadcast.id),
  );
  assert.ok(held.every((m) => m.status === "queued" && m.nextAttemptAt === wib(2, 8)));
  assert.deepEqual(
    (await t.deps.services.broadcasts.overview(broadcast.id)).wait,
    { reason: "window", until: wib(2, 8), stopsAt: null },
    "it says why it waits, and until when",
  );

  // A restart during the night: a new runner reads where things stand.
  await t.deps.broadcastRunner.stop();
  const runner = newRunner(t);
  runner.start();
  try {
    await runner.settled();
    clock.advance(wib(2, 7, 59) - clock.now());
    await runner.settled();
    assert.deepEqual(await statuses(t, broadcast.id), Array(5).fill("queued"), "still night");
    clock.advance(wib(2, 8) - clock.now());
    // Time moves on a second a look: a timer the outbox set a moment late still fires.
    await waitUntil(async () => {
      clock.advance(1_000);
      return (await getBroadcast(t.deps.db, broadcast.id))?.status === "finished";
    }, "the broadcast to finish in the morning");
    const sentAt = (await t.deps.db.select().from(messages)
      .where(eq(messages.broadcastId, broadcast.id))).map((m) => m.sentAt!);
    assert.ok(sentAt.every((at) => at >= wib(2, 8) && at < wib(2, 8, 5)), "sent from 08:00");
  } finally {
    await runner.stop();
  }
});

Deno.test("a scheduled broadcast starts by itself at its time", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const service = t.deps.services.broadcasts;
  const at = t.deps.clock.now() + 3_600_000;
  const broadcast = await service.create(
    CLI_ACTOR,
    draft(channel.id, { scheduledAt: at }),
    rows(3),
  );
  assert.equal((await service.step(CLI_ACTOR, broadcast.id, "confirm")).status, "scheduled");
  await t.deps.broadcastRunner.settled();
  t.clock.advance(3_599_000);
  assert.equal((await getBroadcast(t.deps.db, broadcast.id))?.status, "scheduled");
  t.clock.advance(1_000);
  await waitUntil(
    async () => (await getBroadcast(t.deps.db, broadcast.id))?.status === "finished",
    "the scheduled broadcast to run",
  );
  assert.equal((await statuses(t, broadcast.id)).length, 3);
});

Deno.test("pause holds what waits, resume lets it go, cancel withdraws it", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false }); // nothing goes out while it is looked at
  const service = t.deps.services.broadcasts;
  const broadcast = await started(t, channel.id, 4);
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 4, "four queued");
  await service.step(CLI_ACTOR, broadcast.id, "pause");
  const due = async () =>
    (await t.deps.db.select().from(messages).where(eq(messages.broadcastId, broadcast.id)))
      .map((m) => m.nextAttemptAt);
  assert.ok((await due()).every((at) => at !== null && at > t.deps.clock.now() + 1e12));
  await service.step(CLI_ACTOR, broadcast.id, "resume");
  assert.deepEqual(await due(), Array(4).fill(t.deps.clock.now()));
  await service.step(CLI_ACTOR, broadcast.id, "cancel");
  const withdrawn = await t.deps.db.select().from(messages)
    .where(eq(messages.broadcastId, broadcast.id));
  assert.ok(withdrawn.every((m) => m.status === "failed" && m.error === WITHDRAWN));
  const overview = await service.overview(broadcast.id);
  assert.equal(overview.broadcast.status, "cancelled");
  assert.equal(overview.progress.cancelled, 4);
});

Deno.test("an inbox reply goes out ahead of a running broadcast on the same channel", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  // One message every 10 s: the queue is long, the order is what counts.
  await updateChannelOptions(t.deps.db, t.deps.clock, CLI_ACTOR, channel.id, {
    pacing: { gapMs: 10_000, broadcastGapMs: 10_000 },
  });
  const broadcast = await started(t, channel.id, 20);
  await waitUntil(async () => (await statuses(t, broadcast.id)).includes("sent"), "the first sent");
  const reply = await t.deps.services.messages.send({
    source: "inbox",
    priority: PRIORITY.reply,
  }, { to: "6281299999999", channel: channel.id, type: "text", text: "Baik, kami tunggu." });
  t.clock.advance(10_000);
  await waitUntil(
    async () =>
      (await t.deps.db.select().from(messages).where(eq(messages.id, reply.view.message.id)))[0]
        .status !== "queued",
    "the reply to go",
  );
  const sentBroadcast = (await statuses(t, broadcast.id)).filter((s) => s !== "queued").length;
  assert.equal(sentBroadcast, 1, "the reply went second, ahead of nineteen broadcast messages");
});

Deno.test("a broadcast resumed at night waits for its window again", async () => {
  await using t = await startTestApp();
  t.clock.advance(wib(1, 19, 59) - t.clock.now());
  const channel = await sandbox(t, { start: false });
  const service = t.deps.services.broadcasts;
  const broadcast = await started(t, channel.id, 3, { window: { start: 8 * 60, end: 20 * 60 } });
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 3, "three queued");
  await service.step(CLI_ACTOR, broadcast.id, "pause");
  t.clock.advance(wib(1, 22) - t.clock.now());
  await service.step(CLI_ACTOR, broadcast.id, "resume");
  await t.deps.broadcastRunner.settled();
  const due =
    (await t.deps.db.select().from(messages).where(eq(messages.broadcastId, broadcast.id)))
      .map((m) => m.nextAttemptAt);
  assert.deepEqual(due, [wib(2, 8), wib(2, 8), wib(2, 8)], "held until 08:00 again");
});

Deno.test("when its sending hours end, a running broadcast's page is told, with nothing else moving", async () => {
  await using t = await startTestApp();
  t.clock.advance(wib(1, 19, 58) - t.clock.now());
  // A channel not running: nothing is sent, so no message's change tells the page anything.
  const channel = await sandbox(t, { start: false });
  const broadcast = await started(t, channel.id, 3, { window: { start: 8 * 60, end: 20 * 60 } });
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 3, "three queued");
  await t.deps.broadcastRunner.settled();
  const service = t.deps.services.broadcasts;
  assert.deepEqual(
    (await service.overview(broadcast.id)).wait,
    { reason: "channel_offline", until: null, stopsAt: null },
    "a channel that is not connected is what holds it",
  );

  await assertPageToldAt(t, broadcast.id, wib(1, 20));
});

Deno.test("when a number's warm-up ends at night, the page is told what holds the broadcast now", async () => {
  await using t = await startTestApp();
  t.clock.advance(wib(1, 19) - t.clock.now());
  const channel = await sandbox(t, { start: false });
  await updateChannelOptions(t.deps.db, t.deps.clock, CLI_ACTOR, channel.id, {
    pacing: { warmupDays: 1 },
  });
  // Linked at 21:00 the evening before: the warm-up ends at 21:00 today, after the hours close.
  await t.deps.db.$client.execute({
    sql: "UPDATE channels SET paired_at = ? WHERE id = ?",
    args: [wib(0, 21), channel.id],
  });
  const broadcast = await started(t, channel.id, 2, { window: { start: 8 * 60, end: 20 * 60 } });
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 2, "two queued");
  await t.deps.broadcastRunner.settled();
  t.clock.advance(wib(1, 20, 30) - t.clock.now());
  await t.deps.broadcastRunner.settled();

  await assertPageToldAt(t, broadcast.id, wib(1, 21));
});

Deno.test("a running broadcast names its channel's daily limit, a number's warm-up, or a channel switched off as what holds it", async () => {
  await using t = await startTestApp(); // 07:00 in Jakarta
  const service = t.deps.services.broadcasts;
  const capped = await sandbox(t, { name: "Terbatas" });
  await updateChannelOptions(t.deps.db, t.deps.clock, CLI_ACTOR, capped.id, {
    pacing: { dailyCap: 2 },
  });
  const first = await started(t, capped.id, 5, { window: null });
  await waitUntil(
    async () =>
      (await statuses(t, first.id)).filter((s) => ["sent", "delivered", "read"].includes(s))
        .length === 2,
    "today's two sent",
  );
  assert.deepEqual((await service.overview(first.id)).wait, {
    reason: "daily_cap",
    until: wib(2, 0),
    stopsAt: null,
  }, "held until midnight, as the outbox holds it");

  const paired = await sandbox(t, { name: "Baru" });
  await updateChannelOptions(t.deps.db, t.deps.clock, CLI_ACTOR, paired.id, {
    pacing: { warmupDays: 3 },
  });
  await t.deps.db.$client.execute({
    sql: "UPDATE channels SET paired_at = ? WHERE id = ?",
    args: [t.clock.now(), paired.id],
  });
  const second = await started(t, paired.id, 2, { window: null });
  await waitUntil(async () => (await statuses(t, second.id)).length === 2, "two queued");
  assert.deepEqual((await service.overview(second.id)).wait, {
    reason: "warmup",
    until: wib(4, 7),
    stopsAt: null,
  });
  assert.deepEqual(await statuses(t, second.id), ["queued", "queued"], "the outbox holds them too");

  await t.deps.db.$client.execute({
    sql: "UPDATE channels SET enabled = 0 WHERE id = ?",
    args: [capped.id],
  });
  assert.deepEqual((await service.overview(first.id)).wait, {
    reason: "channel_offline",
    until: null,
    stopsAt: null,
  });
});

Deno.test("a broadcast whose stop-after time comes before its hours open says it stops first", async () => {
  await using t = await startTestApp();
  t.clock.advance(wib(1, 21) - t.clock.now());
  const channel = await sandbox(t);
  const broadcast = await started(t, channel.id, 3, {
    window: { start: 8 * 60, end: 20 * 60 },
    stopAfter: wib(1, 23),
  });
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 3, "three queued");
  const overview = await t.deps.services.broadcasts.overview(broadcast.id);
  assert.deepEqual(overview.wait, { reason: "window", until: null, stopsAt: wib(1, 23) });
  assert.equal(overview.estimatedSeconds, 2 * 60 * 60, "what is left ends at its stop-after time");
});

Deno.test("a broadcast that fails on every pass holds up no other", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const service = t.deps.services.broadcasts;
  const broken = await service.create(CLI_ACTOR, draft(channel.id), rows(2));
  await t.deps.db.$client.execute(`CREATE TRIGGER broken_broadcast BEFORE INSERT ON messages
    WHEN NEW.broadcast_id = ${broken.id} BEGIN SELECT RAISE(ABORT, 'broken'); END`);
  await service.step(CLI_ACTOR, broken.id, "confirm");
  await service.step(CLI_ACTOR, broken.id, "start");
  const other = await started(t, channel.id, 3);
  await waitUntil(
    async () => (await getBroadcast(t.deps.db, other.id))?.status === "finished",
    "the other broadcast to finish",
  );
  assert.equal((await getBroadcast(t.deps.db, broken.id))?.status, "running");
});

Deno.test("a scheduled broadcast starts by itself after a restart", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const service = t.deps.services.broadcasts;
  const at = t.clock.now() + 3_600_000;
  const broadcast = await service.create(
    CLI_ACTOR,
    draft(channel.id, { scheduledAt: at }),
    rows(2),
  );
  await service.step(CLI_ACTOR, broadcast.id, "confirm");
  await t.deps.broadcastRunner.stop();
  const runner = newRunner(t);
  runner.start();
  try {
    await runner.settled();
    t.clock.advance(3_600_000);
    await waitUntil(
      async () => (await getBroadcast(t.deps.db, broadcast.id))?.status === "finished",
      "the scheduled broadcast to run after the restart",
    );
  } finally {
    await runner.stop();
  }
});

Deno.test("a number that opts out after its message was queued is not sent to", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const broadcast = await started(t, channel.id, 2);
  await waitUntil(async () => (await statuses(t, broadcast.id)).length === 2, "two queued");
  await t.deps.services.optOuts.add(CLI_ACTOR, "6281200000000", "staff");
  await t.deps.registry.start(channel.id);
  await waitUntil(
    async () => (await getBroadcast(t.deps.db, broadcast.id))?.status === "finished",
    "the broadcast to finish",
  );
  const sent = await t.deps.db.select().from(messages).where(
    eq(messages.broadcastId, broadcast.id),
  );
  const optedOut = sent.find((m) => m.status === "failed");
  assert.ok(optedOut, "one failed");
  assert.match(optedOut.error ?? "", /opted out of broadcasts/);
  assert.equal(sent.filter((m) => m.status !== "failed").length, 1);
  const rows = await t.deps.db.$client.execute("SELECT count(*) AS n FROM sandbox_inbox");
  assert.equal(Number(rows.rows[0].n), 1, "the phone of the number that opted out saw nothing");
});

Deno.test("a runner told to stop queues nothing more, and the next one queues every row once", async () => {
  await using t = await startTestApp();
  await t.deps.broadcastRunner.stop();
  const channel = await sandbox(t);
  const broadcast = await started(t, channel.id, 700);
  const runner = () => newRunner(t, 900);
  // Stopped as a shutdown does, while its first pass is still reading.
  const first = runner();
  first.start();
  await first.stop();
  assert.equal((await statuses(t, broadcast.id)).length, 0, "nothing queued after the stop");
  const next = runner();
  next.start();
  try {
    await next.settled();
    const queued = await t.deps.db.select().from(messages)
      .where(eq(messages.broadcastId, broadcast.id));
    assert.equal(queued.length, 700);
    assert.equal(new Set(queued.map((m) => m.contactId)).size, 700, "one message each");
  } finally {
    await next.stop();
  }
});
