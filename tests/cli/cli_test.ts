/**
 * The command line as an operator meets it: `kabar …` run as a real process,
 * judged by its exit code, what it prints and what it leaves on disk.
 */
import assert from "node:assert/strict";
import { findApiKey, listApiKeys } from "../../db/api_keys.ts";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../core/clock.ts";
import { verifyPassword } from "../../core/password.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";
import { prepareDataDir } from "../../db/data_dir.ts";
import { countUsers, createUser, findUserByUsername } from "../../db/users.ts";
import denoJson from "../../deno.json" with { type: "json" };

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Non-empty lines of stderr. */
  errLines: string[];
}

/**
 * Runs `kabar args…` with only the environment given (plus what Deno itself
 * needs to find its cache), so the host's KABAR_* settings never leak in.
 */
async function kabar(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
): Promise<Run> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    cwd: opts.cwd ?? Deno.cwd(),
    clearEnv: true,
    env: { ...env, ...opts.env },
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (opts.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(opts.stdin));
    await writer.close();
  }
  const out = await child.output();
  const stderr = withoutDenoDownloads(new TextDecoder().decode(out.stderr));
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr,
    errLines: stderr.split("\n").filter((l) => l.trim() !== ""),
  };
}

/**
 * Drops the lines Deno itself prints while it fills a fresh cache (`Download
 * https://registry.npmjs.org/…`): they are not Kabar's output.
 */
function withoutDenoDownloads(stderr: string): string {
  return stderr.split("\n").filter((l) => !/^Download https?:\/\/\S+$/.test(l)).join("\n");
}

/** Asserts exit code 2 and exactly one line on stderr matching every pattern. */
function assertOneLineError(run: Run, patterns: RegExp[], label: string): void {
  assert.equal(run.code, 2, `${label}: exit code (stderr: ${run.stderr})`);
  assert.equal(run.errLines.length, 1, `${label}: one line, got ${JSON.stringify(run.stderr)}`);
  for (const p of patterns) assert.match(run.errLines[0], p, label);
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function withDb<T>(dataDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(`file:${dataDir}/kabar.db`);
  try {
    return await fn(db);
  } finally {
    closeDb(db);
  }
}

async function schemaOf(dataDir: string): Promise<string[]> {
  return await withDb(dataDir, async (db) => {
    const { rows } = await db.$client.execute(
      "SELECT type, name, sql FROM sqlite_master ORDER BY type, name",
    );
    return rows.map((r) => `${r.type} ${r.name}: ${r.sql}`);
  });
}

Deno.test("every wrong setting stops kabar with exit code 2 and one line naming it", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/not-a-folder`;
    await Deno.writeTextFile(file, "");
    const data = `${dir}/data`;
    const cases: Array<{
      label: string;
      args?: string[];
      env?: Record<string, string>;
      patterns: RegExp[];
    }> = [
      {
        label: "port from env",
        env: { KABAR_PORT: "abc" },
        patterns: [/KABAR_PORT/, /"abc"/, /1 to 65535/],
      },
      {
        label: "port from flag",
        args: ["--port", "70000"],
        patterns: [/--port/, /70000/, /1 to 65535/],
      },
      {
        label: "data dir below a file",
        env: { KABAR_DATA_DIR: `${file}/data` },
        patterns: [/KABAR_DATA_DIR/, new RegExp(`${file}/data`), /create and write/],
      },
      {
        label: "log level",
        env: { KABAR_LOG_LEVEL: "loud" },
        patterns: [/KABAR_LOG_LEVEL/, /"loud"/, /debug, info, warn, error/],
      },
      {
        label: "db url",
        env: { KABAR_DB_URL: "mysql://x" },
        patterns: [/KABAR_DB_URL/, /mysql:\/\/x/, /file:PATH/, /libsql:\/\//],
      },
      {
        label: "base url",
        env: { KABAR_BASE_URL: "kabar.example.org" },
        patterns: [/KABAR_BASE_URL/, /kabar\.example\.org/, /http:\/\/ or https:\/\//],
      },
      {
        label: "secret key",
        env: { KABAR_SECRET_KEY: "too-short-s3cret" },
        patterns: [/KABAR_SECRET_KEY/, /at least 32 characters/],
      },
    ];
    const runs = await Promise.all(cases.map((c) =>
      kabar([...(c.args ?? []), "migrate"], {
        cwd: dir,
        env: { KABAR_DATA_DIR: data, ...c.env },
      })
    ));
    cases.forEach((c, i) => assertOneLineError(runs[i], c.patterns, c.label));
    assert.doesNotMatch(
      runs[cases.findIndex((c) => c.label === "secret key")].stderr,
      /too-short-s3cret/,
      "a secret key, even a wrong one, is never printed",
    );
    assert.equal(
      await Deno.stat(`${dir}/kabar-data`).then(() => true, () => false),
      false,
      "nothing is created in the working directory",
    );
    assert.equal(
      await Deno.stat(data).then(() => true, () => false),
      false,
      "a wrong setting stops kabar before it touches the data dir",
    );
  });
});

Deno.test("an unknown option or command is one line and exit code 2; version prints kabar's version", async () => {
  await withTempDir(async (dir) => {
    const env = { KABAR_DATA_DIR: `${dir}/data` };
    const [option, command, version, versionBadEnv] = await Promise.all([
      kabar(["migrate", "--frobnicate"], { env, cwd: dir }),
      kabar(["frobnicate"], { env, cwd: dir }),
      kabar(["version"], { env, cwd: dir }),
      kabar(["version"], { env: { ...env, KABAR_PORT: "abc" }, cwd: dir }),
    ]);
    assertOneLineError(option, [/unknown option --frobnicate/, /--help/], "unknown option");
    assertOneLineError(command, [/unknown command "frobnicate"/, /--help/], "unknown command");

    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `kabar ${denoJson.version}\n`);
    assert.equal(version.stderr, "");
    assert.equal(versionBadEnv.code, 0, "version needs no valid settings");
    assert.equal(versionBadEnv.stdout, `kabar ${denoJson.version}\n`);
  });
});

Deno.test("migrate twice applies every migration once and keeps the secret key", async () => {
  await withTempDir(async (dir) => {
    const env = { KABAR_DATA_DIR: `${dir}/data` };
    const first = await kabar(["migrate"], { env, cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const shipped =
      (await Array.fromAsync(Deno.readDir(new URL("../../migrations", import.meta.url))))
        .filter((e) => e.name.endsWith(".sql")).length;
    assert.equal(first.stdout.trim(), `migrations applied: ${shipped} of ${shipped}`);

    const keyFile = `${dir}/data/secret.key`;
    const keyStat = await Deno.stat(keyFile);
    assert.equal(keyStat.mode! & 0o777, 0o600, "secret.key is readable by its owner only");
    const key = await Deno.readTextFile(keyFile);
    assert.ok(key.trim().length >= 32, "the generated key is long enough");
    const schema = await schemaOf(`${dir}/data`);
    assert.ok(schema.some((s) => s.startsWith("table users:")));
    assert.ok(schema.some((s) => s.startsWith("table messages_fts:")));

    const second = await kabar(["migrate"], { env, cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), `migrations applied: ${shipped} of ${shipped}`);
    assert.deepEqual(await schemaOf(`${dir}/data`), schema, "the second run changes nothing");
    assert.equal(await Deno.readTextFile(keyFile), key, "the same key is kept");
  });
});

Deno.test("user create makes an account that signs in with the printed or piped password", async () => {
  await withTempDir(async (dir) => {
    const env = { KABAR_DATA_DIR: `${dir}/data` };
    const made = await kabar(
      ["user", "create", "--username", "nurse1", "--role", "agent", "--display-name", "Siti Rahma"],
      { env, cwd: dir },
    );
    assert.equal(made.code, 0, made.stderr);
    const lines = made.stdout.trim().split("\n");
    assert.equal(lines[0], "created agent nurse1");
    const password = lines[1]?.match(/^password: (\S{10,})$/)?.[1];
    assert.ok(password, `a generated password is printed: ${made.stdout}`);

    const piped = await kabar(
      ["user", "create", "--username", "Admin.Two", "--role", "admin", "--password-stdin"],
      { env, cwd: dir, stdin: "kata-sandi-rahasia\n" },
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, "created admin admin.two\n", "no password is printed");

    const taken = await kabar(
      ["user", "create", "--username", "nurse1", "--role", "supervisor"],
      { env, cwd: dir },
    );
    assert.notEqual(taken.code, 0);
    assert.equal(taken.errLines.length, 1, taken.stderr);
    assert.match(taken.errLines[0], /username is already taken/);
    assert.doesNotMatch(taken.stdout, /password/, "no password printed for an account not made");

    await withDb(`${dir}/data`, async (db) => {
      assert.equal(await countUsers(db), 2);
      const nurse = await findUserByUsername(db, "nurse1");
      assert.equal(nurse?.role, "agent", "the duplicate did not change the first account");
      assert.equal(nurse?.displayName, "Siti Rahma");
      assert.equal(await verifyPassword(nurse!.passwordHash, password), true);
      assert.equal(await verifyPassword(nurse!.passwordHash, password + "x"), false);
      const admin = await findUserByUsername(db, "admin.two");
      assert.equal(admin?.role, "admin");
      assert.equal(admin?.displayName, "Admin.Two", "the display name defaults to the username");
      assert.equal(
        await verifyPassword(admin!.passwordHash, "kata-sandi-rahasia"),
        true,
        "the trailing newline of stdin is not part of the password",
      );
    });
  });
});

Deno.test("user create with a wrong option says which one, exit code 2, and creates nothing", async () => {
  await withTempDir(async (dir) => {
    const env = { KABAR_DATA_DIR: `${dir}/data` };
    const [role, username, missing, short] = await Promise.all([
      kabar(["user", "create", "--username", "nurse1", "--role", "boss"], { env, cwd: dir }),
      kabar(["user", "create", "--username", "Nurse 1!", "--role", "agent"], { env, cwd: dir }),
      kabar(["user", "create", "--role", "agent"], { env, cwd: dir }),
      kabar(
        ["user", "create", "--username", "nurse1", "--role", "agent", "--password-stdin"],
        { env, cwd: dir, stdin: "short\n" },
      ),
    ]);
    assertOneLineError(role, [/--role/, /admin \| supervisor \| agent/], "role");
    assertOneLineError(username, [/--username/, /3-32 lowercase/], "username");
    assertOneLineError(missing, [/--username/], "missing username");
    assertOneLineError(short, [/--password-stdin/, /10 to 200 characters/], "short password");
    for (const run of [role, username, missing, short]) assert.equal(run.stdout, "");
    assert.equal(
      await Deno.stat(`${dir}/data`).then(() => true, () => false),
      false,
      "a wrong command line stops before the data dir is made",
    );
  });
});

Deno.test("backup FILE writes a database that opens with the rows, plus the media; never overwrites", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/data`;
    await prepareDataDir(dataDir);
    // The key of this install: Kabar makes none for a database that already holds accounts.
    await Deno.writeTextFile(`${dataDir}/secret.key`, "k".repeat(43), { mode: 0o600 });
    await withDb(dataDir, async (db) => {
      await migrateDb(db);
      await createUser(db, new ManualClock(), CLI_ACTOR, {
        username: "siti",
        displayName: "Siti Rahma",
        role: "admin",
        language: "id",
        departmentIds: [],
        password: "kata-sandi-rahasia",
      });
    });
    await Deno.mkdir(`${dataDir}/media/ab`, { recursive: true });
    await Deno.writeTextFile(`${dataDir}/media/ab/photo.jpg`, "jpeg bytes");
    await Deno.writeTextFile(`${dataDir}/media/note.pdf`, "pdf bytes");

    const env = { KABAR_DATA_DIR: dataDir };
    const target = `${dir}/kabar-backup.db`;
    const done = await kabar(["backup", target], { env, cwd: dir });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`backup written to ${target} \\(2 media files`));

    const copy = await openDb(`file:${target}`);
    try {
      const siti = await findUserByUsername(copy, "siti");
      assert.equal(siti?.displayName, "Siti Rahma");
      assert.equal(await verifyPassword(siti!.passwordHash, "kata-sandi-rahasia"), true);
    } finally {
      closeDb(copy);
    }
    assert.equal(await Deno.readTextFile(`${target}.media/ab/photo.jpg`), "jpeg bytes");
    assert.equal(await Deno.readTextFile(`${target}.media/note.pdf`), "pdf bytes");

    const existing = `${dir}/existing.db`;
    await Deno.writeTextFile(existing, "yesterday's backup");
    const refused = await kabar(["backup", existing], { env, cwd: dir });
    assert.notEqual(refused.code, 0);
    assert.equal(refused.errLines.length, 1, refused.stderr);
    assert.match(refused.errLines[0], /already exists/);
    assert.match(refused.errLines[0], new RegExp(existing));
    assert.equal(await Deno.readTextFile(existing), "yesterday's backup", "left untouched");
    assert.equal(
      await Deno.stat(`${existing}.media`).then(() => true, () => false),
      false,
      "no media copied for a refused backup",
    );
  });
});

Deno.test("apikey create prints the key alone on the last line; list and revoke", async () => {
  await withTempDir(async (dir) => {
    const env = { KABAR_DATA_DIR: dir };
    const created = await kabar(
      ["apikey", "create", "--name", "SIMRS", "--scopes", "messages:send,messages:read"],
      { env },
    );
    assert.equal(created.code, 0, created.stderr);
    const lines = created.stdout.trim().split("\n");
    const key = lines[lines.length - 1];
    assert.match(key, /^kbr_[\w-]{43}$/);
    assert.match(lines[0], /created API key 1 "SIMRS": messages:send, messages:read/);
    const listed = await kabar(["apikey", "list"], { env });
    assert.match(
      listed.stdout,
      /^1\tkbr_\S+…\tSIMRS\tmessages:send,messages:read\tnever used\t100\/s \(default\)$/m,
    );
    assert.doesNotMatch(listed.stdout, new RegExp(key.slice(12)), "the key is never listed");

    const stored = await withDb(dir, (db) => findApiKey(db, new ManualClock(), key));
    assert.deepEqual(stored?.scopes, ["messages:send", "messages:read"]);

    assertOneLineError(
      await kabar(["apikey", "create", "--name", "x", "--scopes", "messages:sendd"], { env }),
      [/--scopes is not valid/, /messages:send/],
      "a wrong scope",
    );
    assertOneLineError(
      await kabar(["apikey", "create", "--name", "x", "--scopes", "*", "--ips", "10.0.0.0/99"], {
        env,
      }),
      [/--ips is not valid/],
      "a wrong range",
    );
    assertOneLineError(
      await kabar(["apikey", "revoke", "9"], { env }),
      [/No API key with id 9/],
      "no such key",
    );
    const revoked = await kabar(["apikey", "revoke", "1"], { env });
    assert.equal(revoked.stdout.trim(), 'revoked API key 1 "SIMRS"');
    assert.equal(await withDb(dir, (db) => findApiKey(db, new ManualClock(), key)), undefined);
  });
});

Deno.test("apikey create --rate-limit sets requests a second (0: none); list shows each key's", async () => {
  await withTempDir(async (dir) => {
    const env = { KABAR_DATA_DIR: dir };
    for (
      const args of [["--name", "Lab", "--rate-limit", "5"], ["--name", "Bench", "--rate-limit=0"]]
    ) {
      const run = await kabar(["apikey", "create", "--scopes", "*", ...args], { env });
      assert.equal(run.code, 0, run.stderr);
    }
    for (const wrong of ["five", "-1", "1.5", "100001"]) {
      assertOneLineError(
        await kabar(["apikey", "create", "--name", "x", "--scopes", "*", "--rate-limit", wrong], {
          env,
        }),
        [/--rate-limit is not valid/, /whole number from 0 \(no limit\) to 100000/],
        `rate limit ${wrong}`,
      );
    }
    const listed = (await kabar(["apikey", "list"], { env })).stdout;
    assert.match(listed, /\tLab\t\*\tnever used\t5\/s$/m);
    assert.match(listed, /\tBench\t\*\tnever used\tno rate limit$/m);
    assert.equal(listed.trim().split("\n").length, 2, "the refused ones were not made");
    const keys = await withDb(dir, (db) => listApiKeys(db));
    assert.deepEqual(
      Object.fromEntries(keys.map((k) => [k.name, k.rateLimit])),
      { Lab: 5, Bench: 0 },
    );
  });
});
