/**
 * An install for the kill -9 tests, made before Kabar starts as a process on
 * it: a migrated database in a temp folder, a sandbox channel that takes
 * `acceptAfterMs` to accept each message (so a kill lands with messages on the
 * phones not yet recorded), an API key without a rate limit, and the secret
 * key (Kabar makes none for a database that already holds channels).
 */
import { ManualClock } from "../../core/clock.ts";
import { createApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { type Channel, createChannel, updateChannelOptions } from "../../db/channels.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";

export interface CrashInstall extends AsyncDisposable {
  dir: string;
  db: Db;
  channel: Channel;
  key: string;
  clock: ManualClock;
  /** The number a `SELECT count(*) AS n …` answers. */
  count(sql: string): Promise<number>;
}

export async function crashInstall(prefix: string, acceptAfterMs: number): Promise<CrashInstall> {
  const dir = await Deno.makeTempDir({ prefix });
  const db = await openDb(`file:${dir}/kabar.db`);
  const close = async () => {
    closeDb(db);
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await migrateDb(db);
    const clock = new ManualClock(Date.now());
    const channel = await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: "Uji" });
    await updateChannelOptions(db, clock, CLI_ACTOR, channel.id, {
      acceptAfterMs,
      deliverAfterMs: 0,
      readAfterMs: 0,
    });
    const { key } = await createApiKey(db, clock, CLI_ACTOR, {
      name: "crash",
      scopes: ["*"],
      ipAllowlist: [],
      channelId: null,
      // Thousands of sends as fast as they go: more than a key's default rate allows.
      rateLimit: 0,
    });
    await Deno.writeTextFile(`${dir}/secret.key`, "k".repeat(43), { mode: 0o600 });
    return {
      dir,
      db,
      channel,
      key,
      clock,
      count: async (sql) => Number((await db.$client.execute(sql)).rows[0].n),
      [Symbol.asyncDispose]: close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
