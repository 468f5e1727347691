import assert from "node:assert/strict";
import { silentLogger } from "../../core/log.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { WriterThread } from "../../db/writer_thread.ts";
import { withTempDb } from "../support/temp_db.ts";

const note = (text: string) => [{ sql: "INSERT INTO notes (text) VALUES (?)", args: [text] }];

Deno.test("a bulk write waits while requests' writes wait or commit, then goes in a group of its own", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    const thread = await WriterThread.start(db, silentLogger);
    try {
      const writer = new GroupCommit(db, { windowMs: 5, maxWrites: 64 });
      const order: string[] = [];
      const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name));
      // The bulk write arrives while a request's write waits for company: it goes after.
      const first = track("reply 1", writer.write(note("reply 1")));
      const bulk = track("bulk", writer.writeWhenIdle(note("bulk"), 60_000));
      const second = track("reply 2", writer.write(note("reply 2")));
      await Promise.all([first, bulk, second]);
      assert.deepEqual(order, ["reply 1", "reply 2", "bulk"]);
      const rows = await db.$client.execute("SELECT text FROM notes ORDER BY id");
      assert.deepEqual(rows.rows.map((r) => r.text), ["reply 1", "reply 2", "bulk"]);
    } finally {
      await thread?.stop();
    }
  });
});

Deno.test("a bulk write still goes while requests' writes never stop", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    const thread = await WriterThread.start(db, silentLogger);
    try {
      const writer = new GroupCommit(db, { windowMs: 1, maxWrites: 8 });
      let done = false;
      // Eight callers, each with its next write handed over before the last is answered: some
      // write always waits, so the writer is never idle.
      let written = 0;
      const callers = Promise.all(Array.from({ length: 8 }, async () => {
        let last = writer.write(note("reply"));
        while (!done && written < 20_000) {
          written++;
          const next = writer.write(note("reply"));
          await last;
          last = next;
        }
        await last;
      }));
      const bulk = writer.writeWhenIdle(note("bulk"), 20).then(() => done = true);
      await callers;
      assert.ok(written < 20_000, `the bulk write was committed while the others went on`);
      await bulk;
      const row = await db.$client.execute("SELECT count(*) AS n FROM notes WHERE text = 'bulk'");
      assert.equal(row.rows[0].n, 1, "committed once");
    } finally {
      await thread?.stop();
    }
  });
});

Deno.test("flush waits for a bulk write too", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    const writer = new GroupCommit(db);
    const bulk = writer.writeWhenIdle(note("bulk"), 60_000);
    await writer.flush();
    const row = await db.$client.execute("SELECT count(*) AS n FROM notes");
    assert.equal(row.rows[0].n, 1);
    await bulk;
  });
});
