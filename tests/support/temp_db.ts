import { ManualClock } from "../../core/clock.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { type Channel, createChannel, type NewChannel } from "../../db/channels.ts";

/** A migrated database file in a temp dir, with a manual clock. */
export interface TempDb {
  db: Db;
  dir: string;
  clock: ManualClock;
  /** Adds a channel (a sandbox one unless told otherwise). */
  addChannel(input?: Partial<NewChannel>): Promise<Channel>;
}

/** Runs `fn` on a fresh migrated database and removes it afterwards. */
export async function withTempDb(fn: (t: TempDb) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-db-" });
  await Deno.mkdir(`${dir}/media`);
  const db = await openDb(`file:${dir}/kabar.db`);
  const clock = new ManualClock();
  try {
    await migrateDb(db);
    await fn({
      db,
      dir,
      clock,
      addChannel: (input) =>
        createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: "Sandbox", ...input }),
    });
  } finally {
    closeDb(db);
    await Deno.remove(dir, { recursive: true });
  }
}
