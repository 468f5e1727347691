/**
 * `prepareDataDir` and the files Kabar makes in it: readable by Kabar's own
 * account only, whatever the process's umask (these tests run with the
 * usual 022). (`kabar serve` end to end is in tests/cli/file_modes_test.ts.)
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { closeDb, migrateDb, openDb } from "../../db/client.ts";
import { loadInstanceId, prepareDataDir } from "../../db/data_dir.ts";
import { mediaPath, saveMedia } from "../../db/media.ts";
import { loadSecretKey } from "../../db/secret_key.ts";

async function modeOf(path: string): Promise<number> {
  return (await Deno.lstat(path)).mode! & 0o777;
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-datadir-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a new data dir, its database files, key, instance id and media are the owner's only", async () => {
  await withTempDir(async (parent) => {
    const dir = `${parent}/data`;
    const report = await prepareDataDir(dir, `file:${dir}/kabar.db`);
    assert.deepEqual(report, { fixed: 0, unfixed: [] }, "nothing to narrow in a new one");
    const db = await openDb(`file:${dir}/kabar.db`);
    try {
      await migrateDb(db);
      const clock = new ManualClock();
      await loadSecretKey(db, clock, dir);
      await loadInstanceId(dir);
      const id = await saveMedia(db, clock, dir, {
        data: new TextEncoder().encode("%PDF-1.4 hasil lab"),
        mimeType: "application/pdf",
      });
      for (const folder of [dir, `${dir}/media`, `${dir}/media/${id.slice(0, 2)}`]) {
        assert.equal(await modeOf(folder), 0o700, folder);
      }
      for (
        const name of ["kabar.db", "kabar.db-wal", "kabar.db-shm", "secret.key", "instance.id"]
      ) {
        assert.equal(await modeOf(`${dir}/${name}`), 0o600, name);
      }
      assert.equal(await modeOf(mediaPath(dir, id)), 0o600, "the media file");
    } finally {
      closeDb(db);
    }
  });
});

Deno.test("what is wider is narrowed and counted; links and what they point at are left alone", async () => {
  await withTempDir(async (parent) => {
    const dir = `${parent}/data`;
    await Deno.mkdir(`${dir}/media/ab`, { recursive: true });
    const wide: Array<[string, number]> = [
      [dir, 0o755],
      [`${dir}/media`, 0o755],
      [`${dir}/media/ab`, 0o775],
    ];
    for (const name of ["kabar.db", "kabar.db-wal", "kabar.db-shm", "secret.key", "instance.id"]) {
      await Deno.writeTextFile(`${dir}/${name}`, "");
      wide.push([`${dir}/${name}`, 0o644]);
    }
    await Deno.writeTextFile(`${dir}/media/ab/abcd`, "jpeg bytes");
    wide.push([`${dir}/media/ab/abcd`, 0o666]);
    for (const [path, mode] of wide) await Deno.chmod(path, mode);
    await Deno.writeTextFile(`${dir}/media/ab/private`, "");
    await Deno.chmod(`${dir}/media/ab/private`, 0o400);

    // Links out of the data dir: to a file and to a folder holding a file.
    const outside = `${parent}/outside`;
    await Deno.mkdir(outside);
    await Deno.writeTextFile(`${outside}/file`, "not Kabar's");
    await Deno.chmod(outside, 0o755);
    await Deno.chmod(`${outside}/file`, 0o644);
    await Deno.symlink(`${outside}/file`, `${dir}/media/ab/link`);
    await Deno.symlink(outside, `${dir}/media/folder-link`);

    const report = await prepareDataDir(dir, `file:${dir}/kabar.db`);
    assert.deepEqual(report, { fixed: wide.length, unfixed: [] });
    for (const [path] of wide) {
      const isDir = (await Deno.lstat(path)).isDirectory;
      assert.equal(await modeOf(path), isDir ? 0o700 : 0o600, path);
    }
    assert.equal(await modeOf(`${dir}/media/ab/private`), 0o400, "a narrower file is kept");
    assert.equal(await modeOf(outside), 0o755, "a folder outside is left alone");
    assert.equal(await modeOf(`${outside}/file`), 0o644, "a file outside is left alone");
    assert.ok((await Deno.lstat(`${dir}/media/ab/link`)).isSymlink);

    const again = await prepareDataDir(dir, `file:${dir}/kabar.db`);
    assert.deepEqual(again, { fixed: 0, unfixed: [] }, "a second start finds nothing to do");
  });
});

Deno.test("a database file outside the data dir is made 0600 too; a libSQL server URL touches no file", async () => {
  await withTempDir(async (parent) => {
    const dbFile = `${parent}/elsewhere #1.db`;
    await prepareDataDir(`${parent}/data`, `file:${dbFile.replace("#", "%23")}`);
    assert.equal(await modeOf(dbFile), 0o600);
    await prepareDataDir(`${parent}/data2`, "libsql://kabar.rs.local:8080");
    const names = (await Array.fromAsync(Deno.readDir(parent))).map((e) => e.name).sort();
    assert.deepEqual(names, ["data", "data2", "elsewhere #1.db"]);
  });
});
