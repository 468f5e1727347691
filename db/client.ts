import { type Client, createClient, type InStatement, LibsqlError, type Row } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../core/log.ts";
import * as schema from "./schema.ts";
import { DiskWatch } from "./disk_watch.ts";
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
  /** Whether writes fail for lack of space, and the space left. */
  $disk: DiskWatch;
};

/** Where drizzle-kit writes migrations; embedded by `deno compile --include migrations`. */
export const MIGRATIONS_FOLDER = fileURLToPath(
  new URL("../migrations", import.meta.url),
);

/**
 * Opens the database at `url` (a `file:` path or a libSQL server URL) with
 * Kabar's pragmas. A write refused because the disk is full throws
 * `DiskFullError`, however it is made; `log` hears when such an outage
 * starts and ends.
 */
export async function openDb(url: string, authToken?: string, log?: Logger): Promise<Db> {
  const isFile = url.startsWith("file:");
  if (isFile) cacheStatements();
  const disk = new DiskWatch(isFile ? databaseDir(url) : undefined, log);
  const client = guardWrites(
    createClient({
      url,
      authToken,
      concurrency: isFile ? 1 : undefined,
    }),
    disk,
  );
  if (isFile) {
    // First, so that the next pragmas wait for another process starting at the same time.
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = FULL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema }) as Db;
  db.$disk = disk;
  db.$embedded = await embeddedConnection(client);
  return db;
}

/** The folder of the database file of a `file:` URL. */
function databaseDir(url: string): string {
  const path = url.slice("file:".length).replace(/\?.*$/, "");
  return dirname(path.startsWith("//") ? fileURLToPath(url.replace(/\?.*$/, "")) : path);
}

/** Whether a statement may change the database (a read never tells whether the disk has room). */
function isWrite(statement: InStatement | [string, unknown?]): boolean {
  const sql = typeof statement === "string"
    ? statement
    : Array.isArray(statement)
    ? statement[0]
    : statement.sql;
  if (/^\s*(SELECT|EXPLAIN)\b/i.test(sql)) return false;
  // Settings are not writes, but for the one `probeWrite` sets.
  if (/^\s*PRAGMA\b/i.test(sql)) return /^\s*PRAGMA\s+user_version\s*=/i.test(sql);
  if (/^\s*WITH\b/i.test(sql)) return /\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);
  return true;
}

/**
 * What libSQL throws for a write on a full disk, for `DiskWatch.simulate`:
 * the same class, codes and message.
 */
export function simulatedFailure(code: string): LibsqlError {
  const message = code === "SQLITE_FULL" ? "database or disk is full" : "disk I/O error";
  const base = code.startsWith("SQLITE_IOERR") ? "SQLITE_IOERR" : code;
  const raw = base === "SQLITE_FULL" ? 13 : 10;
  const cause = Object.assign(new Error(message), { name: "SqliteError", code, rawCode: raw });
  return new LibsqlError(message, base, code, raw, cause);
}

/**
 * `client` with every write watched: one refused for lack of space throws
 * `DiskFullError` (drizzle wraps it, as its cause), and `disk` learns of
 * writes failing and succeeding.
 */
function guardWrites(client: Client, disk: DiskWatch): Client {
  const guarded = async <T>(write: boolean, run: () => Promise<T>): Promise<T> => {
    const outages = disk.outages;
    try {
      if (write && disk.simulate) throw simulatedFailure(disk.simulate);
      const result = await run();
      if (write) disk.succeeded(outages);
      return result;
    } catch (e) {
      const full = write ? disk.refusal(e) : undefined;
      if (!full) throw e;
      disk.failed(full);
      throw full;
    }
  };
  const execute: Client["execute"] = (
    statement: InStatement | string,
    args?: Parameters<Client["execute"]>[1],
  ) =>
    guarded(
      isWrite(statement),
      () =>
        typeof statement === "string" && args !== undefined
          ? client.execute(statement, args)
          : client.execute(statement as InStatement),
    );
  const batch: Client["batch"] = (statements, mode) =>
    guarded(mode !== "read" && statements.some(isWrite), () => client.batch(statements, mode));
  const migrate: Client["migrate"] = (statements) =>
    guarded(true, () => client.migrate(statements));
  const executeMultiple: Client["executeMultiple"] = (sql) =>
    guarded(true, () => client.executeMultiple(sql));
  const overrides: Partial<Client> = { execute, batch, migrate, executeMultiple };
  return new Proxy(client, {
    get(target, property) {
      const own = overrides[property as keyof Client];
      if (own) return own;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The first row of a read that runs on every request: on the embedded connection directly when there is one. */
export async function readRow(db: Db, statement: InStatement): Promise<Row | undefined> {
  return db.$embedded
    ? db.$embedded.readRow(statement)
    : (await db.$client.execute(statement)).rows[0];
}

/** Every row of a read, by column name: as `readRow`, cheaper than the client on many rows. */
export async function readRows(db: Db, statement: InStatement): Promise<Row[]> {
  return db.$embedded
    ? db.$embedded.readRows(statement)
    : (await db.$client.execute(statement)).rows;
}

/**
 * Whether the database takes a write now: writes one page (the header's
 * `user_version`, set to the value it has) and tells the disk watch how it
 * went. A libSQL server is not probed (its disk is not Kabar's to watch).
 */
export async function probeWrite(db: Db): Promise<boolean> {
  if (!db.$embedded) return true;
  try {
    const version = Number((await db.$client.execute("PRAGMA user_version")).rows[0]?.[0] ?? 0);
    await db.$client.execute(`PRAGMA user_version = ${Math.trunc(version)}`);
    return true;
  } catch {
    return false;
  }
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
