/**
 * Runs in a worker thread: commits the group commits' writes on its own
 * connection to the embedded database, and checkpoints the write-ahead log
 * between them. The thread that answers requests no longer runs those
 * statements, commits and checkpoints: it hands a group over and hears back
 * once it is durable.
 */
import Database from "libsql";
import {
  cacheStatements,
  EmbeddedConnection,
  forgetStatements,
  type SqlStatement,
  writeFailure,
} from "./embedded_connection.ts";
import { isJsonSafe } from "../core/json_safe.ts";
import type { CheckpointReport, WorkerReply, WorkerRequest } from "./writer_thread.ts";

/** The worker's global scope, as far as this file uses it. */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<WorkerRequest>) => void;
  postMessage(message: WorkerReply): void;
};

let db: InstanceType<typeof Database> | undefined;
let connection: EmbeddedConnection | undefined;
let checkpoint: { all(): unknown[] } | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let schema = 0;
/** The SQL texts of the writes, by the number the main thread gave each. */
const sqlTexts: string[] = [];
let checkpointEveryMs = 200;
let lastCheckpoint = 0;

/** A checkpoint that fails is reported and tried again later; commits go on regardless. */
function runCheckpoint(): void {
  lastCheckpoint = performance.now();
  try {
    const [result] = checkpoint!.all() as CheckpointReport[];
    scope.postMessage({ checkpoint: result });
  } catch (e) {
    scope.postMessage({ checkpointFailed: writeFailure(e) });
  }
}

function open(path: string, intervalMs: number): void {
  cacheStatements();
  db = new Database(path);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // 32 MB of pages: the busiest indexes stay in memory as the tables grow.
  db.exec("PRAGMA cache_size = -32768");
  // Checkpoints are run here, after a group is answered, never inside a commit.
  db.exec("PRAGMA wal_autocheckpoint = 0");
  connection = EmbeddedConnection.over(db);
  checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  checkpointEveryMs = intervalMs;
  // Writes made on the other thread's connection are checkpointed too.
  timer = setInterval(() => {
    if (performance.now() - lastCheckpoint >= checkpointEveryMs) runCheckpoint();
  }, intervalMs);
}

scope.onmessage = ({ data }) => {
  if ("open" in data) {
    try {
      open(data.open.path, data.open.checkpointEveryMs);
      scope.postMessage({ opened: true });
    } catch (e) {
      scope.postMessage({ error: writeFailure(e).error });
    }
  } else if ("group" in data) {
    let results;
    try {
      if (data.schema !== schema) {
        schema = data.schema;
        forgetStatements();
      }
      for (const [number, sql] of data.newSql) sqlTexts[number] = sql;
      const numbered = typeof data.writes === "string" ? JSON.parse(data.writes) : data.writes;
      const writes = (numbered as [number, unknown][][]).map((statements) =>
        statements.map(([number, args]): SqlStatement => ({ sql: sqlTexts[number], args }))
      );
      results = connection!.commitGroup(writes);
    } catch (e) {
      // `commitGroup` answers a failed write itself; this failed before anything was written.
      scope.postMessage({ group: data.group, ...writeFailure(e) });
      return;
    }
    scope.postMessage({
      group: data.group,
      results: isJsonSafe(results) ? JSON.stringify(results) : results,
    });
    if (performance.now() - lastCheckpoint >= checkpointEveryMs) runCheckpoint();
  } else if ("stop" in data) {
    clearInterval(timer);
    db?.close();
    scope.postMessage({ stopped: true });
  }
};
