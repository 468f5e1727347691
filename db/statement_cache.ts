/**
 * Reuses compiled statements on the embedded database.
 *
 * @libsql/client compiles every statement it runs, every time. For Kabar's
 * busiest statements that compilation costs more than running them: an
 * insert into `messages` also compiles its full-text trigger and foreign key
 * checks. The client offers no statement cache, so the driver it uses locally
 * (`libsql`, pinned to the client's own version) keeps one per connection.
 *
 * Reuse is safe: the driver resets a statement before each run and each
 * query, and the client reads every row of a query before it returns. A
 * compiled statement keeps the columns it had, so any schema change (only
 * migrations make them) empties every connection's cache.
 */
import Database from "libsql";

/** More distinct statements than Kabar runs; past it the cache starts over. */
const MAX_STATEMENTS = 1000;

const SCHEMA_CHANGE =
  /\b(CREATE|ALTER|DROP)\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b/i;

const cached = Symbol("kabar.statements");

interface Cache {
  schema: number;
  statements: Map<string, unknown>;
}

interface Preparing {
  prepare(sql: string): unknown;
  [cached]?: Cache;
}

let installed = false;
/** Bumped by every schema change made through any connection. */
let schema = 0;

/** Makes every embedded connection cache its statements. Idempotent. */
export function cacheStatements(): void {
  if (installed) return;
  installed = true;
  const prototype = Database.prototype as unknown as Preparing;
  const prepare = prototype.prepare;
  prototype.prepare = function (this: Preparing, sql: string) {
    let cache = this[cached];
    if (cache?.schema === schema) {
      const statement = cache.statements.get(sql);
      if (statement) return statement;
    }
    // A schema change is never cached, so only a miss can be one.
    if (SCHEMA_CHANGE.test(sql)) {
      schema++;
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
