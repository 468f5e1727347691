/**
 * `writeWhenIdle` under attack: bulk writes mixed at random with requests'
 * writes, timers racing the idle dispatch, a failing bulk write, flush.
 * Every write is committed exactly once and answered once; a failing one
 * fails no other.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../core/log.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { WriterThread } from "../../db/writer_thread.ts";
import { withTempDb } from "../support/temp_db.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import {
  createBroadcast,
  type NewRecipient,
  queueRows,
  readRowsToQueue,
  stepBroadcast,
} from "../../db/broadcasts.ts";
import { messages, optOuts } from "../../db/schema.ts";
import { broadcastDraft } from "../support/broadcast_draft.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp } from "../support/test_app.ts";

const note = (text: string) => [{ sql: "INSERT INTO notes (text) VALUES (?)", args: [text] }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const threaded of [false, true]) {
  Deno.test(`bulk and request writes at random are each committed once (writer thread: ${threaded})`, async () => {
    await withTempDb(async ({ db }) => {
      await db.$client.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
      );
      const thread = threaded ? await WriterThread.start(db, silentLogger) : undefined;
      try {
        const writer = new GroupCommit(db, { windowMs: 1, maxWrites: 8 });
        let seed = 12345;
        const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const answers = new Map<string, number>();
        const all: Promise<unknown>[] = [];
        const bulkOrder: string[] = [];
        for (let i = 0; i < 400; i++) {
          const name = `${i}`;
          const bulk = random() < 0.4;
          // Waits of 0–3 ms make the timers fire around the idle dispatch.
          const p = bulk
            ? writer.writeWhenIdle(note(`b${name}`), Math.floor(random() * 4))
            : writer.write(note(`r${name}`));
          all.push(p.then(() => {
            answers.set(name, (answers.get(name) ?? 0) + 1);
            if (bulk) bulkOrder.push(name);
          }));
          if (random() < 0.3) await sleep(Math.floor(random() * 3));
          if (random() < 0.05) all.push(writer.flush());
        }
        await writer.flush();
        await Promise.all(all);
        assert.equal(answers.size, 400, "every write answered");
        assert.ok([...answers.values()].every((n) => n === 1), "each answered once");
        const rows = await db.$client.execute("SELECT count(*) AS n FROM notes");
        assert.equal(Number(rows.rows[0].n), 400, "each committed once");
      } finally {
        await thread?.stop();
      }
    });
  });
}

Deno.test("a bulk write that fails after joining the requests' group fails no request", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
    );
    await db.$client.execute("INSERT INTO notes (text) VALUES ('taken')");
    const thread = await WriterThread.start(db, silentLogger);
    try {
      const writer = new GroupCommit(db, { windowMs: 1, maxWrites: 64 });
      let done = false;
      let failedRequests = 0;
      const callers = Promise.all(Array.from({ length: 4 }, async (_, k) => {
        let i = 0;
        while (!done) await writer.write(note(`r${k}-${i++}`)).catch(() => failedRequests++);
      }));
      // Refused (UNIQUE): it must be rejected alone.
      const bulk = writer.writeWhenIdle(note("taken"), 5).then(
        () => "committed",
        () => "refused",
      );
      assert.equal(await bulk, "refused");
      done = true;
      await callers;
      await writer.flush();
      assert.equal(failedRequests, 0);
    } finally {
      await thread?.stop();
    }
  });
});

Deno.test("flush with only a bulk write's timer left ends, and leaves no timer behind", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    const writer = new GroupCommit(db);
    // A request's write in its window, then a bulk write: the bulk one waits for it.
    const request = writer.write(note("reply"));
    const bulk = writer.writeWhenIdle(note("bulk"), 60_000);
    await writer.flush();
    await Promise.all([request, bulk]);
    const rows = await db.$client.execute("SELECT text FROM notes ORDER BY id");
    assert.deepEqual(rows.rows.map((r) => r.text), ["reply", "bulk"]);
  });
});

const row = (n: number): NewRecipient => ({
  row: n,
  input: `62812000000${n}`,
  phone: `62812000000${n}`,
  name: `P${n}`,
  variables: { nama: `P${n}` },
  status: "pending",
  error: null,
  errorCode: null,
});

Deno.test("rows read, then paused, resumed, opted out and raced before their write: each queued once", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const channel = await sandbox(t, { start: false });
  const broadcast = await createBroadcast(
    db,
    writer,
    clock,
    CLI_ACTOR,
    broadcastDraft(channel.id),
    [10, 11, 12, 13, 14, 15].map(row),
  );
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "confirm");
  const running = await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "start");
  const rows = await readRowsToQueue(db, running, channel.kind, { limit: 10 });
  assert.equal(rows.length, 6);
  const write = async (chunk = rows) =>
    (await queueRows(db, writer, clock, running, channel.kind, chunk, {})).queued;

  // Paused between the read and the write: nothing is queued.
  t.clock.advance(1);
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "pause");
  assert.equal(await write(), 0);
  assert.deepEqual(await readRowsToQueue(db, running, channel.kind, { limit: 10 }), []);
  t.clock.advance(1);
  await stepBroadcast(db, writer, clock, CLI_ACTOR, broadcast.id, "resume");

  // One number opts out after the read: its row is left out at the write.
  await db.insert(optOuts).values({ phone: "6281200000012", source: "reply", createdAt: 1 });

  // Two runners write the same rows, and a third an overlapping part, at once.
  const counted = await Promise.all([write(), write(), write(rows.slice(3))]);
  assert.equal(counted.reduce((a, b) => a + b), 5);
  assert.equal(await write(), 0, "written again: nothing more");
  const sent = await db.select().from(messages);
  assert.equal(sent.length, 5);
  assert.equal(new Set(sent.map((m) => m.contactId)).size, 5, "one message per recipient");
  assert.ok(!sent.some((m) => m.body?.includes("P12")), "the opted-out row got none");
});
