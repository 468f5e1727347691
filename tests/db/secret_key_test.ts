/**
 * `loadSecretKey` on a real database file: which key it takes, when it makes
 * one, and how it knows the key is the database's.
 * (The messages as an operator sees them are in tests/cli/secret_key_test.ts.)
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { SecretBox } from "../../core/secret_box.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";
import { loadSecretKey, SECRET_KEY_CHECK_SETTING, SecretKeyError } from "../../db/secret_key.ts";
import { withTempDb } from "../support/temp_db.ts";

const KEY_A = "a".repeat(40);
const KEY_B = "b".repeat(40);

async function refusal(promise: Promise<unknown>): Promise<SecretKeyError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof SecretKeyError, `a SecretKeyError, got ${e}`);
    return e;
  }
  assert.fail("expected the key to be refused");
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

async function checkRows(db: Db): Promise<string[]> {
  const { rows } = await db.$client.execute({
    sql: "SELECT value FROM settings WHERE key = ?",
    args: [SECRET_KEY_CHECK_SETTING],
  });
  return rows.map((r) => String(r.value));
}

async function addUser(db: Db, totpSecret: string | null = null): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO users (username, display_name, password_hash, role, totp_secret,
      password_changed_at, created_at, updated_at) VALUES ('siti', 'Siti', 'x', 'admin', ?, 0, 0, 0)`,
    args: [totpSecret],
  });
}

Deno.test("a new database gets a new key file, 0600, and a check value the key opens", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    const box = await loadSecretKey(db, clock, dir);
    const key = (await Deno.readTextFile(`${dir}/secret.key`)).trim();
    assert.ok(key.length >= 32);
    assert.equal((await Deno.stat(`${dir}/secret.key`)).mode! & 0o777, 0o600);
    assert.equal((await checkRows(db)).length, 1, "the check value is stored");

    const again = await loadSecretKey(db, clock, dir);
    assert.equal(await again.open(await box.seal("bot token")), "bot token", "the same key");
    assert.equal((await Deno.readTextFile(`${dir}/secret.key`)).trim(), key, "the file is kept");
    assert.equal((await checkRows(db)).length, 1);
    const leftovers = (await Array.fromAsync(Deno.readDir(dir))).filter((e) =>
      e.name.endsWith(".part")
    );
    assert.deepEqual(leftovers, [], "no temporary file is left");
  });
});

Deno.test("KABAR_SECRET_KEY makes no file, and a database made with it wants it back", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await loadSecretKey(db, clock, dir, KEY_A);
    assert.equal(await exists(`${dir}/secret.key`), false);
    const error = await refusal(loadSecretKey(db, clock, dir));
    assert.match(error.message, /secret\.key is missing/);
    assert.equal(await exists(`${dir}/secret.key`), false, "no key made for it");
    await loadSecretKey(db, clock, dir, KEY_A);
  });
});

Deno.test("a missing key file is not replaced when the database holds accounts", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await addUser(db);
    const error = await refusal(loadSecretKey(db, clock, dir));
    assert.match(error.message, new RegExp(`${dir}/secret\\.key is missing`));
    assert.equal(await exists(`${dir}/secret.key`), false);
    assert.deepEqual(await checkRows(db), [], "nothing stored");
  });
});

Deno.test("an empty or short key is refused, from the file or KABAR_SECRET_KEY alike", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await Deno.writeTextFile(`${dir}/secret.key`, "\n");
    assert.match((await refusal(loadSecretKey(db, clock, dir))).message, /is empty/);
    await Deno.writeTextFile(`${dir}/secret.key`, "abcdefghijklm\n");
    assert.match((await refusal(loadSecretKey(db, clock, dir))).message, /holds 13 characters/);
    await Deno.writeTextFile(`${dir}/secret.key`, ` ${"x".repeat(31)} \n`);
    assert.match((await refusal(loadSecretKey(db, clock, dir))).message, /holds 31 characters/);
    const blank = await refusal(loadSecretKey(db, clock, dir, " ".repeat(40)));
    assert.match(blank.message, /^KABAR_SECRET_KEY is empty/);
    assert.deepEqual(await checkRows(db), [], "nothing stored with a refused key");
    await assert.rejects(SecretBox.fromSecret(""), /secret key is empty/);
    await assert.rejects(SecretBox.fromSecret("x".repeat(13)), /13 characters/);
  });
});

Deno.test("another key than the check value's is refused, whether in the file or the env", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await Deno.writeTextFile(`${dir}/secret.key`, KEY_A);
    await loadSecretKey(db, clock, dir);
    await Deno.writeTextFile(`${dir}/secret.key`, KEY_B);
    const fromFile = await refusal(loadSecretKey(db, clock, dir));
    assert.match(fromFile.message, /secret\.key does not open/);
    const fromEnv = await refusal(loadSecretKey(db, clock, dir, KEY_B));
    assert.match(fromEnv.message, /^KABAR_SECRET_KEY does not open/);
    await loadSecretKey(db, clock, dir, KEY_A);
  });
});

/** A database from before the check value, holding one value sealed with KEY_A in `where`. */
const SEALED_PLACES: Record<string, (db: Db, sealed: string) => Promise<unknown>> = {
  "a webhook secret": (db, sealed) =>
    db.$client.execute({
      sql: `INSERT INTO webhooks (url, secret, events, created_at, updated_at)
        VALUES ('http://127.0.0.1/hook', ?, '[]', 0, 0)`,
      args: [sealed],
    }),
  "a TOTP secret": (db, sealed) => addUser(db, sealed),
  "a bot token": (db, sealed) =>
    db.$client.execute({
      sql: `INSERT INTO channels (kind, name, secret, created_at, updated_at)
        VALUES ('telegram', 'Bot', ?, 0, 0)`,
      args: [sealed],
    }),
  "a WhatsApp credential": async (db, sealed) => {
    await db.$client.execute(
      "INSERT INTO channels (kind, name, created_at, updated_at) VALUES ('whatsapp', 'WA', 0, 0)",
    );
    await db.$client.execute({
      sql:
        "INSERT INTO channel_auth_keys (channel_id, type, key_id, value) VALUES (1, 'creds', '', ?)",
      args: [sealed],
    });
  },
  "a Wappin token": async (db, sealed) => {
    await db.$client.execute(
      "INSERT INTO channels (kind, name, created_at, updated_at) VALUES ('sandbox', 'S', 0, 0)",
    );
    await db.$client.execute(`INSERT INTO webhooks (url, secret, events, created_at, updated_at)
      VALUES ('', 'not sealed', '[]', 0, 0)`);
    await db.$client.execute({
      sql: `INSERT INTO wappin_integrations (channel_id, webhook_id, client_id, project_id,
        client_name, project_name, environment, secret_key_hash, client_key_hash, token_sealed,
        created_at, updated_at)
        VALUES (1, 1, 'c', 'p', 'C', 'P', 'UAT', 'h', 'h', ?, 0, 0)`,
      args: [sealed],
    });
  },
};

for (const [place, seed] of Object.entries(SEALED_PLACES)) {
  Deno.test(`a database from before the check value, with ${place}: its key is accepted, another refused`, async () => {
    await withTempDb(async ({ db, dir, clock }) => {
      await seed(db, await (await SecretBox.fromSecret(KEY_A)).seal("sealed before"));
      await Deno.writeTextFile(`${dir}/secret.key`, KEY_B);
      const error = await refusal(loadSecretKey(db, clock, dir));
      assert.match(error.message, /not the key this database was made with/);
      assert.deepEqual(await checkRows(db), [], "no check value stored with the wrong key");

      await Deno.writeTextFile(`${dir}/secret.key`, KEY_A);
      await loadSecretKey(db, clock, dir);
      assert.equal((await checkRows(db)).length, 1, "the check value is stored now");
      await refusal(loadSecretKey(db, clock, dir, KEY_B));
    });
  });
}

Deno.test("one damaged sealed value does not refuse the right key", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    const box = await SecretBox.fromSecret(KEY_A);
    await SEALED_PLACES["a webhook secret"](db, "v1.AAAAdamaged");
    await SEALED_PLACES["a TOTP secret"](db, await box.seal("totp"));
    await Deno.writeTextFile(`${dir}/secret.key`, KEY_A);
    await loadSecretKey(db, clock, dir);
  });
});

Deno.test("processes starting at once on a new database share one key and one check value", async () => {
  await withTempDb(async ({ db, dir }) => {
    const others = await Promise.all([1, 2, 3].map(() => openDb(`file:${dir}/kabar.db`)));
    try {
      const all = [db, ...others];
      const boxes = await Promise.all(all.map((d) => loadSecretKey(d, new ManualClock(), dir)));
      const sealed = await boxes[0].seal("shared");
      for (const box of boxes) assert.equal(await box.open(sealed), "shared");
      assert.equal((await checkRows(db)).length, 1);

      // Two different keys racing on another new database: exactly one wins.
      const raceDir = await Deno.makeTempDir({ prefix: "kabar-race-" });
      const raced = await Promise.all([0, 1].map(() => openDb(`file:${raceDir}/kabar.db`)));
      try {
        await migrateDb(raced[0]);
        const results = await Promise.allSettled([
          loadSecretKey(raced[0], new ManualClock(), raceDir, KEY_A),
          loadSecretKey(raced[1], new ManualClock(), raceDir, KEY_B),
        ]);
        assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
        const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        assert.ok(lost.reason instanceof SecretKeyError);
      } finally {
        raced.forEach(closeDb);
        await Deno.remove(raceDir, { recursive: true });
      }
    } finally {
      others.forEach(closeDb);
    }
  });
});

Deno.test("a secret.key that cannot be read as a file is refused with what to do", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await Deno.mkdir(`${dir}/secret.key`);
    const refused = await refusal(loadSecretKey(db, clock, dir));
    assert.match(refused.message, /secret\.key cannot be read/);
    assert.match(refused.message, /back from a backup, or set KABAR_SECRET_KEY/);
  });
});
