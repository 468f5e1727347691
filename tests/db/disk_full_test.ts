/**
 * A full disk at the database layer: every way Kabar writes (drizzle on the
 * main connection, group commits on it and on the writer thread) raises one
 * typed error, 507 `disk_full`, leaves nothing of the write, and the disk
 * watch hears when writes fail and when they succeed again. On the injected
 * failure everywhere; on a real small disk filled up where a test may mount
 * one (that is also where the codes and messages libSQL gives were read).
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { closeDb, type Db, migrateDb, openDb, simulatedFailure } from "../../db/client.ts";
import { createDepartment } from "../../db/departments.ts";
import { asDiskFull, DiskFullError, isDiskFull, startError } from "../../db/errors.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { WriterThread } from "../../db/writer_thread.ts";
import { type DiskVariant, INJECTED, realSmallDisk, smallDisk } from "../support/small_disk.ts";

async function departments(db: Db): Promise<number> {
  const { rows } = await db.$client.execute("SELECT count(*) AS n FROM departments");
  return Number(rows[0].n);
}

const insert = (name: string) => [{
  sql: "INSERT INTO departments (name, created_at) VALUES (?, 0)",
  args: [name],
}];

function assertDiskFull(e: unknown, path: string): true {
  const full = asDiskFull(e);
  assert.ok(full instanceof DiskFullError, `a DiskFullError, not ${String(e)}`);
  assert.equal(full.status, 507);
  assert.equal(full.code, "disk_full");
  assert.match(full.reason, /^SQLITE_(FULL|IOERR)/);
  assert.equal(full.path, path);
  assert.equal(typeof full.freeBytes, "number");
  assert.ok(full.freeBytes! < 64 * 1024, `${full.freeBytes} bytes free`);
  return true;
}

for (const variant of [INJECTED, realSmallDisk()] as DiskVariant[]) {
  Deno.test({
    name: `every way of writing raises DiskFullError and leaves nothing (${variant.name})`,
    ignore: variant.ignore,
    async fn() {
      const place = await variant.setUp();
      const dir = place.dataDir ?? await Deno.makeTempDir({ prefix: "kabar-db-" });
      await Deno.mkdir(dir, { recursive: true });
      const clock = new ManualClock();
      const db = await openDb(`file:${dir}/kabar.db`, undefined, silentLogger);
      const writer = new GroupCommit(db, undefined, silentLogger, clock);
      let thread: WriterThread | undefined;
      try {
        await migrateDb(db);
        const disk = variant.switchFor(db);

        await disk.fill();
        await assert.rejects(
          createDepartment(db, clock, CLI_ACTOR, "Farmasi"),
          (e) => assertDiskFull(e, dir),
          "drizzle on the main connection",
        );
        await assert.rejects(
          writer.write(insert("Radiologi")),
          (e) => assertDiskFull(e, dir),
          "a group commit on the main connection",
        );
        assert.equal(db.$disk.failure?.reason.startsWith("SQLITE_"), true);
        await disk.free();
        thread = await WriterThread.start(db, silentLogger);
        assert.ok(thread, "the writer thread started");
        await disk.fill();
        await assert.rejects(
          writer.write(insert("Gizi")),
          (e) => assertDiskFull(e, dir),
          "a group commit on the writer thread",
        );
        assert.equal(await departments(db), 0, "nothing of any refused write");

        await disk.free();
        await writer.write(insert("Gizi"));
        assert.equal(db.$disk.failure, undefined, "a stored write ends the outage");
        await createDepartment(db, clock, CLI_ACTOR, "Farmasi");
        assert.equal(await departments(db), 2);
      } finally {
        await thread?.stop();
        closeDb(db);
        if (!place.dataDir) await Deno.remove(dir, { recursive: true });
        await place.close();
      }
    },
  });
}

Deno.test("an I/O error is a full disk only while the disk has (next to) no room", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kabar-db-" });
  try {
    const ioError = simulatedFailure("SQLITE_IOERR_WRITE");
    assert.equal(isDiskFull(ioError), false, "no folder to look at: not a full disk");
    assert.equal(asDiskFull(ioError, dir), undefined, "a disk with room: a real I/O error");
    const full = asDiskFull(simulatedFailure("SQLITE_FULL"), dir);
    assert.equal(full?.reason, "SQLITE_FULL");
    const enospc = Object.assign(new Error("No space left on device (os error 28)"), {
      code: "ENOSPC",
    });
    assert.equal(asDiskFull(enospc, dir)?.reason, "ENOSPC", "a media file refused");
    assert.equal(asDiskFull(new Error("UNIQUE constraint failed: users.username"), dir), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const disk = await smallDisk(1);
  if (!disk) return; // the full case needs a real full disk
  try {
    await disk.fill();
    const full = asDiskFull(simulatedFailure("SQLITE_IOERR_SHMSIZE"), disk.dir);
    assert.equal(full?.reason, "SQLITE_IOERR_SHMSIZE");
    assert.ok(full.freeBytes! < 1024 * 1024);
  } finally {
    await disk.close();
  }
});

Deno.test("a start refused by a full disk says so with the data folder and its free space", () => {
  const error = startError(simulatedFailure("SQLITE_FULL"), "/var/lib/kabar");
  assert.ok(error instanceof Error);
  assert.match(
    error.message,
    /^the disk of the data folder \/var\/lib\/kabar is full \((free space unknown|\d+ bytes free); SQLITE_FULL\): Kabar cannot start\. Free some space on it, then start Kabar again\.$/,
  );
  const other = new Error("SQLITE_CORRUPT: database disk image is malformed");
  assert.equal(startError(other, "/var/lib/kabar"), other, "any other failure as it is");
});
