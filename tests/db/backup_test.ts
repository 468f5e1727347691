/**
 * `backupDatabase` on its own: what the copy holds, and what it refuses.
 * (`kabar backup` end to end is in tests/cli/cli_test.ts.)
 */
import assert from "node:assert/strict";
import { AppError } from "../../core/app_error.ts";
import { ManualClock } from "../../core/clock.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { backupDatabase } from "../../db/backup.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";
import { prepareDataDir } from "../../db/data_dir.ts";
import { countUsers, createUser, findUserByUsername } from "../../db/users.ts";

async function withDataDir(fn: (db: Db, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-backup-" });
  try {
    await prepareDataDir(`${dir}/data`);
    const db = await openDb(`file:${dir}/data/kabar.db`);
    try {
      await migrateDb(db);
      await createUser(db, new ManualClock(), CLI_ACTOR, {
        username: "siti",
        displayName: "Siti Rahma",
        role: "admin",
        language: "id",
        departmentIds: [],
        password: "kata-sandi-rahasia",
      });
      await fn(db, dir);
    } finally {
      closeDb(db);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AppError, `an AppError, got ${e}`);
    return e;
  }
  assert.fail("expected the backup to be refused");
}

Deno.test("a backup is a database that opens with the rows, while the original stays in use", async () => {
  await withDataDir(async (db, dir) => {
    const dbUrl = `file:${dir}/data/kabar.db`;
    await Deno.mkdir(`${dir}/data/media/0a/1b`, { recursive: true });
    await Deno.writeTextFile(`${dir}/data/media/0a/1b/scan.pdf`, "pdf");
    await Deno.writeTextFile(`${dir}/data/media/photo.jpg`, "jpeg");

    const file = `${dir}/backup.db`;
    assert.deepEqual(await backupDatabase(db, dbUrl, `${dir}/data`, file), { mediaFiles: 2 });
    assert.equal(await Deno.readTextFile(`${file}.media/0a/1b/scan.pdf`), "pdf");
    assert.equal(await Deno.readTextFile(`${file}.media/photo.jpg`), "jpeg");

    const copy = await openDb(`file:${file}`);
    try {
      assert.equal((await findUserByUsername(copy, "siti"))?.displayName, "Siti Rahma");
      const { rows } = await copy.$client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
      assert.ok(Number(rows[0].n) > 0, "the copy knows its migrations");
    } finally {
      closeDb(copy);
    }
    assert.equal(await countUsers(db), 1, "the original is still usable");
  });
});

Deno.test("a backup without a media folder copies no media", async () => {
  await withDataDir(async (db, dir) => {
    await Deno.remove(`${dir}/data/media`);
    const file = `${dir}/backup.db`;
    const result = await backupDatabase(db, `file:${dir}/data/kabar.db`, `${dir}/data`, file);
    assert.deepEqual(result, { mediaFiles: 0 });
    assert.ok((await Deno.stat(file)).isFile);
  });
});

Deno.test("a backup never overwrites an existing file", async () => {
  await withDataDir(async (db, dir) => {
    const file = `${dir}/backup.db`;
    await Deno.writeTextFile(file, "last week's backup");
    const error = await rejection(
      backupDatabase(db, `file:${dir}/data/kabar.db`, `${dir}/data`, file),
    );
    assert.equal(error.status, 400);
    assert.match(error.message, new RegExp(`${file} already exists`));
    assert.equal(await Deno.readTextFile(file), "last week's backup");
  });
});

Deno.test("a backup of a libSQL server is refused with a message saying what to do", async () => {
  await withDataDir(async (db, dir) => {
    const file = `${dir}/backup.db`;
    const error = await rejection(
      backupDatabase(db, "libsql://kabar.rs.local:8080", `${dir}/data`, file),
    );
    assert.match(error.message, /embedded database only/);
    assert.match(error.message, /libsql:/);
    assert.match(error.message, /libSQL server with its own tools/);
    assert.equal(await Deno.stat(file).then(() => true, () => false), false);
  });
});

Deno.test("a backup and its media copy are the owner's only, even from files left wider", async () => {
  await withDataDir(async (db, dir) => {
    await Deno.mkdir(`${dir}/data/media/0a`, { recursive: true });
    await Deno.writeTextFile(`${dir}/data/media/0a/scan.pdf`, "pdf");
    await Deno.chmod(`${dir}/data/media/0a/scan.pdf`, 0o644);
    const file = `${dir}/backup.db`;
    await backupDatabase(db, `file:${dir}/data/kabar.db`, `${dir}/data`, file);
    const mode = async (path: string) => (await Deno.lstat(path)).mode! & 0o777;
    assert.equal(await mode(file), 0o600, "the database copy");
    assert.equal(await mode(`${file}.media`), 0o700);
    assert.equal(await mode(`${file}.media/0a`), 0o700);
    assert.equal(await mode(`${file}.media/0a/scan.pdf`), 0o600);
    assert.equal(await Deno.readTextFile(`${file}.media/0a/scan.pdf`), "pdf");
  });
});

Deno.test("a backup whose media folder name is taken is refused before anything is written", async () => {
  await withDataDir(async (db, dir) => {
    const file = `${dir}/backup.db`;
    await Deno.mkdir(`${file}.media`);
    const error = await rejection(
      backupDatabase(db, `file:${dir}/data/kabar.db`, `${dir}/data`, file),
    );
    assert.equal(error.status, 400);
    assert.match(error.message, new RegExp(`${file}\\.media already exists`));
    assert.equal(await Deno.stat(file).then(() => true, () => false), false);
  });
});
