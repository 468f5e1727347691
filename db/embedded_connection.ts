/**
 * The embedded database's connection, used directly where it pays.
 *
 * @libsql/client compiles every statement it runs, every time, and wraps
 * each call in several more calls into the driver. For Kabar's busiest
 * statements that cost more than running them: an insert into `messages`
 * also compiles its full-text trigger and foreign key checks. So, for the
 * embedded database only:
 *
 * - every connection keeps its compiled statements (the client offers no
 *   cache, so the driver it uses locally, `libsql`, pinned to the client's
 *   own version, gets one). Reuse is safe: the driver resets a statement
 *   before each run and each query, and rows are always read to the end. A
 *   compiled statement keeps the columns it had, so any schema change (only
 *   migrations make them) empties every connection's cache;
 * - group commits (`GroupCommit`) run their transaction straight on the
 *   client's own connection: the same connection, so the same locks and
 *   the same view of the data, without the client's per-statement wrapping.
 *
 * A libSQL server (a `libsql://` or `http://` URL) goes through the client.
 */
import type { Client, InArgs, InStatement, ResultSet, Row } from "@libsql/client";
import Database from "libsql";

/** More distinct statements than Kabar runs; past it the cache starts over. */
const MAX_STATEMENTS = 1000;

const SCHEMA_CHANGE =
  /\b(CREATE|ALTER|DROP)\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b/i;

/** Statements that only name a connection so it can be found (see `embeddedConnection`). */
const MARKER = "SELECT 'kabar-connection:";

const cached = Symbol("kabar.statements");

interface Statement {
  run(args: unknown): { changes: number; lastInsertRowid: number };
  all(args: unknown): Record<string, unknown>[];
  get(args: unknown): Record<string, unknown> | undefined;
  raw(on: boolean): Statement;
  safeIntegers(on: boolean): Statement;
  readonly reader: boolean;
}

interface Cache {
  schema: number;
  statements: Map<string, Statement>;
}

interface Connection {
  prepare(sql: string): Statement;
  readonly inTransaction: boolean;
  [cached]?: Cache;
}

let installed = false;
/** Bumped by every schema change made through any connection. */
let schema = 0;
/** Connections that ran a marker statement, by marker. */
const marked = new Map<string, Connection>();

/** Counts the schema changes made through this thread's connections. */
export function schemaVersion(): number {
  return schema;
}

/** Empties every connection's statement cache: another thread changed the schema. */
export function forgetStatements(): void {
  schema++;
}

/** Makes every embedded connection cache its statements. Idempotent. */
export function cacheStatements(): void {
  if (installed) return;
  installed = true;
  const prototype = Database.prototype as unknown as Connection;
  const prepare = prototype.prepare;
  prototype.prepare = function (this: Connection, sql: string) {
    let cache = this[cached];
    if (cache?.schema === schema) {
      const statement = cache.statements.get(sql);
      if (statement) return statement;
    }
    // A schema change or a marker is never cached, so only a miss can be one.
    if (SCHEMA_CHANGE.test(sql)) {
      schema++;
      return prepare.call(this, sql);
    }
    if (sql.startsWith(MARKER)) {
      marked.set(sql, this);
      return prepare.call(this, sql);
    }
    if (!cache || cache.schema !== schema || cache.statements.size >= MAX_STATEMENTS) {
      cache = this[cached] = { schema, statements: new Map() };
    }
    const statement = prepare.call(this, sql);
    cache.statements.set(sql, statement);
    return statement;
  };
}

/** What a statement of a batch answers: its rows by column name, and the rows it changed. */
export type BatchResult = Pick<ResultSet, "rows" | "rowsAffected">;

/** A statement with its arguments already as the driver takes them (`toSql`). */
export interface SqlStatement {
  sql: string;
  args: unknown;
}

/** Why one write of a group was not committed; only its message and code cross threads. */
export interface WriteFailure {
  error: string;
  /** The driver's code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`…), when it gave one. */
  code?: string;
}

/** The connection an embedded-database client uses, able to run a batch itself. */
export class EmbeddedConnection {
  readonly #begin: Statement;
  readonly #commit: Statement;

  constructor(private readonly connection: Connection) {
    this.#begin = connection.prepare("BEGIN IMMEDIATE");
    this.#commit = connection.prepare("COMMIT");
  }

  /** A connection opened with the driver directly (the writer thread's own). */
  static over(database: InstanceType<typeof Database>): EmbeddedConnection {
    return new EmbeddedConnection(database as unknown as Connection);
  }

  /** The first row of a read, by column name, without the client's per-call bookkeeping. */
  readRow(statement: InStatement): Row | undefined {
    const { sql, args } = sqlStatement(statement);
    const prepared = this.connection.prepare(sql);
    return prepared.raw(false).safeIntegers(false).get(args) as Row | undefined;
  }

  /** Every row of a read, by column name, the same way. */
  readRows(statement: InStatement): Row[] {
    const { sql, args } = sqlStatement(statement);
    const prepared = this.connection.prepare(sql);
    return prepared.raw(false).safeIntegers(false).all(args) as unknown as Row[];
  }

  /**
   * Commits `writes` in one transaction, each write atomic. A write whose
   * statement fails is left out, answered with its failure, and the others
   * are committed without it. When the transaction itself cannot begin or
   * commit (the database is locked, the disk is full), every write fails.
   */
  commitGroup(writes: SqlStatement[][]): (BatchResult[] | WriteFailure)[] {
    const outcomes: (BatchResult[] | WriteFailure)[] = [];
    let left = writes.map((_, i) => i);
    while (left.length > 0) {
      const attempt = this.#attempt(left.map((i) => writes[i]));
      if ("results" in attempt) {
        attempt.results.forEach((results, k) => (outcomes[left[k]] = results));
        break;
      }
      const failure = failureOf(attempt);
      if (attempt.failedWrite === undefined) {
        for (const i of left) outcomes[i] = failure;
        break;
      }
      outcomes[left[attempt.failedWrite]] = failure;
      left = left.filter((_, k) => k !== attempt.failedWrite);
    }
    return outcomes;
  }

  #attempt(
    writes: SqlStatement[][],
  ): { results: BatchResult[][] } | (WriteFailure & { failedWrite?: number }) {
    const connection = this.connection;
    try {
      this.#begin.run([]);
    } catch (e) {
      return writeFailure(e);
    }
    let current = 0;
    try {
      const results = writes.map((statements, i) => {
        current = i;
        return statements.map(({ sql, args }) => {
          const prepared = connection.prepare(sql);
          if (prepared.reader) {
            // The client sets these on the statements it shares with this cache; rows by name here.
            prepared.raw(false).safeIntegers(false);
            return { rows: prepared.all(args) as unknown as Row[], rowsAffected: 0 };
          }
          return { rows: [], rowsAffected: prepared.run(args).changes };
        });
      });
      current = -1;
      this.#commit.run([]);
      return { results };
    } catch (e) {
      if (connection.inTransaction) connection.prepare("ROLLBACK").run([]);
      return current === -1 ? writeFailure(e) : { ...writeFailure(e), failedWrite: current };
    }
  }
}

/** An error's message, or the thrown value as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What of a driver error crosses threads: its message, and its code when it has one. */
export function writeFailure(e: unknown): WriteFailure {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? { error: errorMessage(e), code } : { error: errorMessage(e) };
}

/** A failure that crossed threads as an error again, with the driver's code. */
export function failureError({ error, code }: WriteFailure): Error {
  return Object.assign(new Error(error), code === undefined ? {} : { code });
}

function failureOf({ error, code }: WriteFailure): WriteFailure {
  return code === undefined ? { error } : { error, code };
}

/**
 * The connection behind `client` when it is an embedded database with one
 * connection (how `openDb` opens it), found by running a statement that
 * names it; undefined for a libSQL server.
 */
export async function embeddedConnection(client: Client): Promise<EmbeddedConnection | undefined> {
  if (client.protocol !== "file") return undefined;
  const marker = `${MARKER}${crypto.randomUUID()}'`;
  await client.execute(marker);
  const connection = marked.get(marker);
  marked.delete(marker);
  return connection ? new EmbeddedConnection(connection) : undefined;
}

/** `statement` with its arguments as the driver takes them; throws on an argument it cannot store. */
export function sqlStatement(statement: InStatement): SqlStatement {
  return typeof statement === "string"
    ? { sql: statement, args: [] }
    : { sql: statement.sql, args: toSql(statement.args ?? []) };
}

/** Arguments as the client would pass them to the driver. */
function toSql(args: InArgs): unknown {
  if (Array.isArray(args)) return args.map(valueToSql);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    named[/^[:@$]/.test(name) ? name.slice(1) : name] = valueToSql(value);
  }
  return named;
}

function valueToSql(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value === undefined) {
    throw new TypeError("undefined cannot be passed as argument to the database");
  }
  return value;
}
