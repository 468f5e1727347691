import assert from "node:assert/strict";
import { silentLogger } from "../../core/log.ts";
import { type CheckpointReport, startCheckpointer } from "../../db/checkpointer.ts";
import { withTempDb } from "../support/temp_db.ts";
import { waitUntil } from "../support/wait_until.ts";

Deno.test("a worker thread checkpoints the WAL while writes go on", async () => {
  await withTempDb(async ({ db, dir }) => {
    const pragma = async () =>
      Number((await db.$client.execute("PRAGMA wal_autocheckpoint")).rows[0][0]);
    const reports: CheckpointReport[] = [];
    const checkpointer = await startCheckpointer(db, `file:${dir}/kabar.db`, silentLogger, {
      intervalMs: 10,
      onCheckpoint: (r) => reports.push(r),
    });
    assert.ok(checkpointer);
    try {
      assert.equal(await pragma(), 20_000, "the database's own checkpoint is only a safety net");
      await db.$client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
      for (let i = 0; i < 200; i++) {
        await db.$client.execute({ sql: "INSERT INTO notes (text) VALUES (?)", args: [`n${i}`] });
      }
      await waitUntil(
        () => reports.some((r) => r.log > 0 && r.checkpointed === r.log && r.busy === 0),
        "a complete checkpoint of the frames written",
      );
    } finally {
      await checkpointer.stop();
    }
    assert.equal(await pragma(), 1_000, "after the worker, the database checkpoints itself");
    const count = await db.$client.execute("SELECT count(*) AS n FROM notes");
    assert.equal(Number(count.rows[0].n), 200);
  });
});

Deno.test("a libSQL server needs no checkpointer", async () => {
  await withTempDb(async ({ db }) => {
    assert.equal(
      await startCheckpointer(db, "libsql://db.example.org", silentLogger),
      undefined,
    );
  });
});
