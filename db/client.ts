import { type Client, createClient, type InStatement, type Row } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "./schema.ts";
import {
  cacheStatements,
  type EmbeddedConnection,
  embeddedConnection,
} from "./embedded_connection.ts";
import type { WriterThread } from "./writer_thread.ts";
import journal from "../migrations/meta/_journal.json" with { type: "json" };

/**
 * The database handle passed to every `db/` function.
 *
 * Write atomically with `db.batch([...])`, never with interactive
 * `db.transaction(...)`: the embedded driver runs each statement synchronously
 * on one connection, so a batch can never interleave with other work, while an
 * open interactive transaction would block every other request.
 */
export type Db = LibSQLDatabase<typeof schema> & {
  $client: Client;
  /** The embedded database's connection, for group commits; absent for a libSQL server. */
  $embedded?: EmbeddedConnection;
  /** The embedded database's writer thread, once started: group commits run there. */
  $writer?: WriterThread;
};

/** Where drizzle-kit writes migrations; embedded by `deno compile --include migrations`. */
export const MIGRATIONS_FOLDER = fileURLToPath(
  new URL("../migrations", import.meta.url),
);

/** Opens the database at `url` (a `file:` path or a libSQL server URL) with Kabar's pragmas. */
export async function openDb(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith("file:");
  if (isFile) cacheStatements();
  const client = createClient({
    url,
    authToken,
    concurrency: isFile ? 1 : undefined,
  });
  if (isFile) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = FULL");
    await client.execute("PRAGMA busy_timeout = 5000");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db: Db = drizzle(client, { schema });
  db.$embedded = await embeddedConnection(client);
  return db;
}

/** The first row of a read that runs on every request: on the embedded connection directly when there is one. */
export async function readRow(db: Db, statement: InStatement): Promise<Row | undefined> {
  return db.$embedded
    ? db.$embedded.readRow(statement)
    : (await db.$client.execute(statement)).rows[0];
}

/** Applies the migrations not applied yet; running it again changes nothing. */
export async function migrateDb(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** How many migrations Kabar ships, and how many the database has applied. */
export async function migrationState(
  db: Db,
): Promise<{ shipped: number; applied: number }> {
  const rows = await db.$client.execute(
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
  );
  const exists = Number(rows.rows[0]?.n ?? 0) > 0;
  const applied = exists
    ? Number(
      (await db.$client.execute(
        "SELECT count(*) AS n FROM __drizzle_migrations",
      )).rows[0].n,
    )
    : 0;
  return { shipped: journal.entries.length, applied };
}

/** Closes the connection; pending statements finish first. */
export function closeDb(db: Db): void {
  db.$client.close();
}
