import assert from "node:assert/strict";
import { silentLogger } from "../../core/log.ts";
import { closeDb, openDb } from "../../db/client.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { type CheckpointReport, WriterThread } from "../../db/writer_thread.ts";
import { withTempDb } from "../support/temp_db.ts";
import { waitUntil } from "../support/wait_until.ts";

const walAutocheckpoint = async (db: Parameters<typeof WriterThread.start>[0]) =>
  Number((await db.$client.execute("PRAGMA wal_autocheckpoint")).rows[0][0]);

Deno.test("group commits run on the writer thread: rows by name, each write alone on failure", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute(
      "CREATE TABLE beds (id INTEGER PRIMARY KEY, ward TEXT NOT NULL UNIQUE, free INTEGER)",
    );
    const thread = await WriterThread.start(db, silentLogger);
    assert.ok(thread);
    try {
      assert.equal(db.$writer, thread, "the database's group commits use the thread");
      assert.equal(await walAutocheckpoint(db), 20_000, "SQLite's own checkpoint is a safety net");
      const writer = new GroupCommit(db, { windowMs: 5, maxWrites: 64 });
      const [first, second, broken, fourth] = await Promise.allSettled([
        writer.write([{
          sql: "INSERT INTO beds (ward, free) VALUES (?, ?) RETURNING id, ward",
          args: ["A", true],
        }]),
        writer.write([
          {
            sql: "INSERT INTO beds (ward, free) VALUES (:ward, :free)",
            args: { ward: "B", free: 0 },
          },
          { sql: "UPDATE beds SET free = free + 1 WHERE ward = ?", args: ["B"] },
        ]),
        // The second statement breaks this write: its first must not stay either.
        writer.write([
          { sql: "INSERT INTO beds (ward, free) VALUES (?, ?)", args: ["C", 1] },
          { sql: "INSERT INTO beds (ward, free) VALUES (?, ?)", args: ["A", 1] },
        ]),
        writer.write(["SELECT count(*) AS n FROM beds"]),
      ]);
      assert.equal(first.status, "fulfilled");
      assert.deepEqual(first.value[0].rows, [{ id: 1, ward: "A" }]);
      assert.equal(second.status, "fulfilled");
      assert.deepEqual(second.value.map((r) => r.rowsAffected), [1, 1]);
      assert.equal(broken.status, "rejected");
      assert.match(String(broken.reason), /UNIQUE constraint failed: beds\.ward/);
      assert.equal(fourth.status, "fulfilled");
      assert.deepEqual(fourth.value[0].rows, [{ n: 2 }]);

      // The main connection sees what the thread committed, as soon as the write is answered.
      const rows = (await db.$client.execute("SELECT ward, free FROM beds ORDER BY id")).rows;
      assert.deepEqual(
        rows.map((r) => [r.ward, r.free]),
        [["A", 1], ["B", 1]],
        "C was rolled back",
      );
    } finally {
      await thread.stop();
    }
    assert.equal(db.$writer, undefined, "after the thread, the main connection commits");
    assert.equal(await walAutocheckpoint(db), 1_000, "and the database checkpoints itself");
    const writer = new GroupCommit(db);
    const [result] = await writer.write([{
      sql: "INSERT INTO beds (ward) VALUES (?)",
      args: ["D"],
    }]);
    assert.equal(result.rowsAffected, 1);
  });
});

Deno.test("groups handed to the writer thread while it commits another are committed in turn", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE queue_numbers (id INTEGER PRIMARY KEY, n INTEGER)");
    const thread = await WriterThread.start(db, silentLogger);
    assert.ok(thread);
    try {
      const writer = new GroupCommit(db, { windowMs: 1, maxWrites: 8 });
      // Each write sees every write handed over before it, whichever group it went in.
      const answers = await Promise.all(Array.from({ length: 200 }, () =>
        writer.write([{
          sql: `INSERT INTO queue_numbers (n)
            SELECT coalesce(max(n), 0) + 1 FROM queue_numbers RETURNING n`,
          args: [],
        }])));
      assert.deepEqual(
        answers.map(([result]) => Number(result.rows[0].n)),
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
    } finally {
      await thread.stop();
    }
  });
});

Deno.test("the writer thread learns of a table changed after it started", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    const thread = await WriterThread.start(db, silentLogger);
    assert.ok(thread);
    try {
      const writer = new GroupCommit(db);
      const insert = "INSERT INTO notes (text) VALUES (?) RETURNING *";
      assert.deepEqual((await writer.write([{ sql: insert, args: ["first"] }]))[0].rows, [
        { id: 1, text: "first" },
      ]);
      await db.$client.execute("ALTER TABLE notes ADD COLUMN author TEXT");
      assert.deepEqual((await writer.write([{ sql: insert, args: ["second"] }]))[0].rows, [
        { id: 2, text: "second", author: null },
      ]);
    } finally {
      await thread.stop();
    }
  });
});

Deno.test("the writer thread checkpoints the WAL, writes from the main connection too", async () => {
  await withTempDb(async ({ db }) => {
    const reports: CheckpointReport[] = [];
    const thread = await WriterThread.start(db, silentLogger, {
      checkpointEveryMs: 10,
      onCheckpoint: (r) => reports.push(r),
    });
    assert.ok(thread);
    try {
      await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
      for (let i = 0; i < 200; i++) {
        await db.$client.execute({ sql: "INSERT INTO notes (text) VALUES (?)", args: [`n${i}`] });
      }
      await waitUntil(
        () => reports.some((r) => r.log > 0 && r.checkpointed === r.log && r.busy === 0),
        "a complete checkpoint of the frames written",
      );
    } finally {
      await thread.stop();
    }
    const count = await db.$client.execute("SELECT count(*) AS n FROM notes");
    assert.equal(Number(count.rows[0].n), 200);
  });
});

Deno.test("a write handed to a stopped writer thread goes through the main connection", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
    const thread = await WriterThread.start(db, silentLogger);
    assert.ok(thread);
    const writer = new GroupCommit(db);
    await thread.stop();
    await assert.rejects(thread.commitGroup([]), /writer thread has stopped/);
    const [result] = await writer.write([{
      sql: "INSERT INTO notes (text) VALUES (?)",
      args: ["x"],
    }]);
    assert.equal(result.rowsAffected, 1);
  });
});

Deno.test("a relative file: URL: the writer thread opens the very file the main connection has", async () => {
  // In a process of its own, started in the temp dir: changing this process's working
  // directory would change it under the test modules running beside this one (--parallel).
  const dir = await Deno.makeTempDir({ prefix: "kabar-relative-" });
  const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { silentLogger } from ${module("../../core/log.ts")};
    import { closeDb, openDb } from ${module("../../db/client.ts")};
    import { GroupCommit } from ${module("../../db/group_commit.ts")};
    import { WriterThread } from ${module("../../db/writer_thread.ts")};
    const db = await openDb("file:kabar.db");
    try {
      await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
      const thread = await WriterThread.start(db, silentLogger);
      if (!thread) throw new Error("no writer thread for a relative file: URL");
      try {
        await new GroupCommit(db).write([{ sql: "INSERT INTO notes (text) VALUES (?)", args: ["x"] }]);
        const { rows } = await db.$client.execute("SELECT text FROM notes");
        console.log(JSON.stringify(rows.map((r) => r.text)));
      } finally {
        await thread.stop();
      }
    } finally {
      closeDb(db);
    }
  `;
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--quiet",
        "--config",
        new URL("../../deno.json", import.meta.url).pathname,
        script,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    assert.equal(code, 0, decoder.decode(stderr));
    assert.deepEqual(JSON.parse(decoder.decode(stdout)), ["x"]);
    assert.ok((await Deno.stat(`${dir}/kabar.db`)).isFile, "the file is in the working directory");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an in-memory database needs no writer thread", async () => {
  const db = await openDb("file::memory:");
  try {
    assert.equal(await WriterThread.start(db, silentLogger), undefined);
    assert.equal(db.$writer, undefined);
  } finally {
    closeDb(db);
  }
});

Deno.test("bytes and big numbers cross to the writer thread and back unchanged", async () => {
  await withTempDb(async ({ db }) => {
    await db.$client.execute(
      "CREATE TABLE files (id INTEGER PRIMARY KEY, data BLOB, size INTEGER)",
    );
    const thread = await WriterThread.start(db, silentLogger);
    assert.ok(thread);
    try {
      const writer = new GroupCommit(db);
      const bytes = new Uint8Array([0, 1, 254, 255]);
      const [[inserted], [text]] = await Promise.all([
        writer.write([{
          sql: "INSERT INTO files (data, size) VALUES (?, ?) RETURNING data, size",
          args: [bytes, 10n],
        }]),
        writer.write([{
          sql: "INSERT INTO files (data, size) VALUES (?, ?) RETURNING id, data",
          args: ["teks biasa \u{1F9B7}", 2],
        }]),
      ]);
      assert.deepEqual(new Uint8Array(inserted.rows[0].data as ArrayBuffer), bytes);
      assert.equal(inserted.rows[0].size, 10);
      assert.deepEqual(text.rows[0], { id: 2, data: "teks biasa \u{1F9B7}" });
    } finally {
      await thread.stop();
    }
  });
});
