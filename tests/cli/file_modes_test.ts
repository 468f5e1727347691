/**
 * Who may read the data folder: Kabar run as a real process makes its
 * folders 0700 and its files 0600, narrows what an older version left wider,
 * and writes its backups the same way.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startKabar } from "../support/kabar_process.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

async function modeOf(path: string): Promise<string> {
  return ((await Deno.lstat(path)).mode! & 0o777).toString(8);
}

/** Every path under `dir` (itself included, symlinks not followed) with its mode. */
async function modesUnder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { ".": await modeOf(dir) };
  const walk = async (rel: string) => {
    for await (const entry of Deno.readDir(`${dir}/${rel}`)) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      out[path] = await modeOf(`${dir}/${path}`);
      if (entry.isDirectory) await walk(path);
    }
  };
  await walk("");
  return out;
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-modes-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a new install's folders are 0700 and its files 0600, the database's own files too", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/data`;
    const kabar = await startKabar(dataDir);
    try {
      const modes = await modesUnder(dataDir);
      for (
        const name of ["kabar.db", "kabar.db-wal", "kabar.db-shm", "secret.key", "instance.id"]
      ) {
        assert.equal(modes[name], "600", `${name}: ${JSON.stringify(modes)}`);
      }
      for (const [path, mode] of Object.entries(modes)) {
        const isDir = (await Deno.lstat(`${dataDir}/${path}`)).isDirectory;
        assert.equal(mode, isDir ? "700" : "600", `${path}: ${JSON.stringify(modes)}`);
      }
    } finally {
      await kabar.stop();
    }
  });
});

Deno.test("a start narrows a data folder left readable by everyone, says how much, and follows no link out", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/data`;
    await (await startKabar(dataDir)).stop();
    // As an older Kabar left it: folders 0755, files 0644, a media file, and a link out.
    await Deno.mkdir(`${dataDir}/media/ab`, { recursive: true });
    await Deno.writeTextFile(`${dataDir}/media/ab/abcd`, "jpeg bytes");
    const outside = `${dir}/outside.txt`;
    await Deno.writeTextFile(outside, "not Kabar's");
    await Deno.chmod(outside, 0o644);
    await Deno.symlink(outside, `${dataDir}/media/ab/link`);
    let widened = 0;
    for (const [path] of Object.entries(await modesUnder(dataDir))) {
      const full = `${dataDir}/${path}`;
      const info = await Deno.lstat(full);
      if (info.isSymlink) continue;
      await Deno.chmod(full, info.isDirectory ? 0o755 : 0o644);
      widened++;
    }

    const kabar = await startKabar(dataDir);
    try {
      const modes = await modesUnder(dataDir);
      for (const [path, mode] of Object.entries(modes)) {
        const info = await Deno.lstat(`${dataDir}/${path}`);
        if (info.isSymlink) continue;
        assert.equal(mode, info.isDirectory ? "700" : "600", `${path}: ${JSON.stringify(modes)}`);
      }
      assert.equal(await modeOf(outside), "644", "a file outside the data dir is left alone");
      const lines = kabar.output().split("\n").filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      const fixed = lines.filter((l) => typeof l.fixed === "number");
      assert.equal(fixed.length, 1, `one line about it: ${kabar.output()}`);
      assert.equal(fixed[0].fixed, widened, kabar.output());
      assert.match(fixed[0].msg, /permission/);
    } finally {
      await kabar.stop();
    }
  });
});

Deno.test("kabar backup writes a 0600 file and a 0700 media copy with 0600 files", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/data`;
    await (await startKabar(dataDir)).stop();
    await Deno.mkdir(`${dataDir}/media/ab`, { recursive: true });
    await Deno.writeTextFile(`${dataDir}/media/ab/abcd`, "jpeg bytes");
    const env: Record<string, string> = { NO_COLOR: "1", KABAR_DATA_DIR: dataDir };
    for (const name of ["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", MAIN, "backup", `${dir}/copy.db`],
      clearEnv: true,
      env,
      stdin: "null",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(await modeOf(`${dir}/copy.db`), "600");
    assert.deepEqual(await modesUnder(`${dir}/copy.db.media`), {
      ".": "700",
      "ab": "700",
      "ab/abcd": "600",
    });
  });
});
