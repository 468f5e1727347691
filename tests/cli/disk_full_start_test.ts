/**
 * Starting Kabar on a full disk, as an operator meets it: a real process on
 * a real small disk with no byte left, its data folder made by an earlier
 * run. It must name the disk, the folder and the free space, not print
 * libSQL's bare "SQLITE_IOERR: disk I/O error". Mounting the small disk
 * needs root; elsewhere `tests/db/disk_full_test.ts` checks the message.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import Database from "libsql";
import { canMount, smallDisk } from "../support/small_disk.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

async function kabar(args: string[], env: Record<string, string>) {
  const base: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) base[name] = value;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    clearEnv: true,
    env: { ...base, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    // A start that does not fail would serve for good: cut it short.
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).split("\n")
    .filter((l) => l.trim() !== "" && !/^Download https?:\/\/\S+$/.test(l));
  return { code: out.code, stderr };
}

Deno.test({
  name: "kabar serve on a full disk names the disk, the data folder and the free bytes",
  ignore: !canMount(),
  async fn() {
    const disk = await smallDisk(4);
    assert.ok(disk, "a small disk mounted");
    try {
      const dataDir = `${disk.dir}/data`;
      const env = { KABAR_DATA_DIR: dataDir, KABAR_PORT: "18931", KABAR_HOST: "127.0.0.1" };
      assert.equal((await kabar(["migrate"], env)).code, 0, "the data folder made");
      // As after a clean stop: no write-ahead log nor shared-memory file is left.
      const db = new Database(`${dataDir}/kabar.db`);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      db.close();
      await disk.fill();

      const run = await kabar(["serve"], env);
      assert.equal(run.code, 1, run.stderr.join("\n"));
      assert.equal(run.stderr.length, 1, run.stderr.join("\n"));
      assert.match(
        run.stderr[0],
        new RegExp(
          `^kabar: the disk of the data folder ${dataDir} is full \\(\\d+ bytes free; ` +
            `SQLITE_(FULL|IOERR\\w*)\\): Kabar cannot start\\. Free some space on it, ` +
            `then start Kabar again\\.$`,
        ),
      );
    } finally {
      await disk.close();
    }
  },
});
