/**
 * The secret key as an operator meets it: `kabar …` run as a real process on
 * a data dir whose `secret.key` is missing, empty, too short or not the
 * database's, judged by its exit code, the one line it prints, and what it
 * leaves on disk.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import denoJson from "../../deno.json" with { type: "json" };

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  /** Non-empty lines of stderr. */
  errLines: string[];
  /** Whether it got as far as serving (then it was stopped). */
  listened: boolean;
}

/**
 * Runs `kabar args…` with only the environment given (plus what Deno needs to
 * find its cache). A server that starts listening is stopped at once: a start
 * these tests expect to be refused must not hang them.
 */
async function kabar(args: string[], env: Record<string, string>): Promise<Run> {
  const base: Record<string, string> = {
    NO_COLOR: "1",
    KABAR_PORT: "0",
    KABAR_HOST: "127.0.0.1",
  };
  for (const name of ["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) base[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    clearEnv: true,
    env: { ...base, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let listened = false;
  const readOut = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      stdout += chunk;
      if (!listened && /"msg":"listening"/.test(stdout)) {
        listened = true;
        child.kill("SIGTERM");
      }
    }
  })();
  const stderr = new Response(child.stderr).text();
  const [status] = await Promise.all([child.status, readOut]);
  const errLines = (await stderr).split("\n")
    .filter((l) => l.trim() !== "" && !/^Download https?:\/\/\S+$/.test(l));
  return { code: status.code, stdout, errLines, listened };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** A data dir in use: made by `kabar user create`, so it has a key, an account and a database. */
async function installed(parent: string, name: string): Promise<string> {
  const dataDir = `${parent}/${name}`;
  const made = await kabar(
    ["user", "create", "--username", "siti", "--role", "admin"],
    { KABAR_DATA_DIR: dataDir },
  );
  assert.equal(made.code, 0, made.errLines.join("\n"));
  assert.ok(await exists(`${dataDir}/secret.key`));
  return dataDir;
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-key-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Refused: exit code 2, not serving, one line on stderr matching every pattern. */
function assertRefused(run: Run, patterns: RegExp[], label: string): void {
  assert.equal(run.listened, false, `${label}: Kabar must not start (stdout: ${run.stdout})`);
  assert.equal(run.code, 2, `${label}: exit code (stderr: ${run.errLines.join("\n")})`);
  assert.equal(run.errLines.length, 1, `${label}: one line, got ${JSON.stringify(run.errLines)}`);
  for (const p of patterns) assert.match(run.errLines[0], p, label);
}

/** What every refusal tells the operator to do. */
const WHAT_TO_DO = [/restore/i, /backup/, /KABAR_SECRET_KEY/];

Deno.test("a deleted, empty, short or wrong secret key stops Kabar with one line saying what to do", async () => {
  await withTempDir(async (dir) => {
    const [deleted, empty, short, wrong, wrongEnv] = await Promise.all(
      ["deleted", "empty", "short", "wrong", "wrong-env"].map((name) => installed(dir, name)),
    );
    await Deno.remove(`${deleted}/secret.key`);
    await Deno.writeTextFile(`${empty}/secret.key`, "");
    await Deno.writeTextFile(`${short}/secret.key`, "abcdefghijklm\n");
    await Deno.writeTextFile(`${wrong}/secret.key`, "z".repeat(43) + "\n");

    const runs = await Promise.all([
      kabar(["serve"], { KABAR_DATA_DIR: deleted }),
      kabar(["serve"], { KABAR_DATA_DIR: empty }),
      kabar(["serve"], { KABAR_DATA_DIR: short }),
      kabar(["serve"], { KABAR_DATA_DIR: wrong }),
      kabar(["serve"], { KABAR_DATA_DIR: wrongEnv, KABAR_SECRET_KEY: "y".repeat(40) }),
    ]);
    const file = (d: string) => new RegExp(`${d}/secret\\.key`);
    assertRefused(runs[0], [file(deleted), /missing/, /already holds/, ...WHAT_TO_DO], "deleted");
    assertRefused(runs[1], [file(empty), /is empty/, /32 characters/, ...WHAT_TO_DO], "empty");
    assertRefused(
      runs[2],
      [file(short), /13 characters/, /at least 32/, ...WHAT_TO_DO],
      "13 characters",
    );
    assertRefused(
      runs[3],
      [file(wrong), /not the key this database was made with/, ...WHAT_TO_DO],
      "another key in the file",
    );
    assertRefused(
      runs[4],
      [/^kabar: KABAR_SECRET_KEY /, /not the key this database was made with/, ...WHAT_TO_DO],
      "another key in KABAR_SECRET_KEY",
    );
    for (const run of runs) {
      assert.doesNotMatch(run.errLines[0], /abcdefghijklm|zzzz|yyyy/, "a key is never printed");
    }
    assert.equal(await exists(`${deleted}/secret.key`), false, "no new key was made");
    assert.equal(await Deno.readTextFile(`${empty}/secret.key`), "", "the file is left as it was");
  });
});

Deno.test("no command makes a new key for a database that already has data", async () => {
  await withTempDir(async (dir) => {
    const dataDir = await installed(dir, "data");
    await Deno.remove(`${dataDir}/secret.key`);
    const env = { KABAR_DATA_DIR: dataDir };
    const runs = await Promise.all([
      kabar(["migrate"], env),
      kabar(["backup", `${dir}/copy.db`], env),
      kabar(["user", "create", "--username", "budi", "--role", "agent"], env),
      kabar(["apikey", "list"], env),
      kabar(["apikey", "create", "--name", "SIMRS", "--scopes", "*"], env),
    ]);
    for (
      const [i, label] of ["migrate", "backup", "user create", "apikey list", "apikey create"]
        .entries()
    ) {
      assertRefused(runs[i], [/secret\.key/, /missing/, ...WHAT_TO_DO], label);
    }
    assert.equal(await exists(`${dataDir}/secret.key`), false, "no new key was made");
    assert.equal(await exists(`${dir}/copy.db`), false, "no backup was written");
  });
});

Deno.test("version and --help need no key", async () => {
  await withTempDir(async (dir) => {
    const dataDir = await installed(dir, "data");
    await Deno.writeTextFile(`${dataDir}/secret.key`, "");
    const env = { KABAR_DATA_DIR: dataDir };
    const [version, help] = await Promise.all([kabar(["version"], env), kabar(["--help"], env)]);
    assert.equal(version.code, 0, version.errLines.join("\n"));
    assert.equal(version.stdout, `kabar ${denoJson.version}\n`);
    assert.equal(help.code, 0, help.errLines.join("\n"));
    assert.match(help.stdout, /Usage: kabar/);
  });
});

Deno.test("a new install makes its key once; the next start and KABAR_SECRET_KEY with that key are accepted", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/data`;
    const first = await kabar(["serve"], { KABAR_DATA_DIR: dataDir });
    assert.ok(first.listened, first.errLines.join("\n"));
    const key = (await Deno.readTextFile(`${dataDir}/secret.key`)).trim();
    assert.ok(key.length >= 32, "the new key is long enough");
    assert.equal((await Deno.stat(`${dataDir}/secret.key`)).mode! & 0o777, 0o600);

    const [again, byEnv] = await Promise.all([
      kabar(["serve"], { KABAR_DATA_DIR: dataDir }),
      kabar(["migrate"], { KABAR_DATA_DIR: dataDir, KABAR_SECRET_KEY: key }),
    ]);
    assert.ok(again.listened, again.errLines.join("\n"));
    assert.equal(byEnv.code, 0, byEnv.errLines.join("\n"));
    assert.equal((await Deno.readTextFile(`${dataDir}/secret.key`)).trim(), key, "the key is kept");
  });
});
