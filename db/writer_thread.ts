/**
 * The embedded database's writer thread (`writer_worker.ts`): group commits
 * run there, on a connection of its own, and so does checkpointing the
 * write-ahead log. A commit's fsync, slow on a busy disk, then holds up only
 * the writes waiting for it, never the thread that answers every request.
 *
 * SQLite's own checkpoint stays on, at a much larger log size, on the main
 * connection: a safety net in case the thread stops.
 */
import { isJsonSafe } from "../core/json_safe.ts";
import type { Logger } from "../core/log.ts";
import type { Db } from "./client.ts";
import {
  type BatchResult,
  failureError,
  schemaVersion,
  type SqlStatement,
  type WriteFailure,
} from "./embedded_connection.ts";

/** The WAL size (pages) at which a write on the main connection checkpoints itself. */
const SAFETY_NET_PAGES = 20_000;
const DEFAULT_PAGES = 1_000;

/** What the worker reports after each checkpoint (SQLite's own figures, in pages). */
export interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
}

export type WorkerRequest =
  | { open: { path: string; checkpointEveryMs: number } }
  | {
    group: number;
    schema: number;
    /** SQL text not sent before, by the number the writes below use for it. */
    newSql: [number, string][];
    /** The writes, as JSON when every argument is a string, number or null (cheaper to pass). */
    writes: [sql: number, args: unknown][][] | string;
  }
  | { stop: true };

export type WorkerReply =
  | { opened: true }
  | { group: number; results: (BatchResult[] | WriteFailure)[] | string }
  | ({ group: number } & WriteFailure)
  | { checkpoint: CheckpointReport }
  | { checkpointFailed: WriteFailure }
  | { stopped: true }
  | { error: string };

export interface WriterThreadOptions {
  /** How often the log is checkpointed, at most. */
  checkpointEveryMs?: number;
  onCheckpoint?: (report: CheckpointReport) => void;
}

/** How long `stop` lets the thread finish what it was given before ending it. */
const STOP_TIMEOUT_MS = 30_000;

/** Commits groups of writes on the writer thread. One per database. */
export class WriterThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, {
    resolve(results: (BatchResult[] | WriteFailure)[]): void;
    reject(error: Error): void;
  }>();
  #nextGroup = 1;
  /** Each SQL text crosses to the thread once; after that, only its number. */
  readonly #sqlNumbers = new Map<string, number>();
  #ended = false;
  #stopping = false;
  /** Checkpoints fail since the last one that succeeded (a full disk fails every one). */
  #checkpointsFailing = false;
  #stopped?: () => void;

  private constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly onCheckpoint?: (report: CheckpointReport) => void,
  ) {
    this.#worker = new Worker(new URL("./writer_worker.ts", import.meta.url), {
      type: "module",
    });
  }

  /**
   * Starts the writer thread for the embedded database `db` has open and has
   * `db`'s group commits use it; undefined for a libSQL server.
   */
  static async start(
    db: Db,
    log: Logger,
    options: WriterThreadOptions = {},
  ): Promise<WriterThread | undefined> {
    if (!db.$embedded) return undefined;
    // The file the connection really has open (a relative `file:` URL is relative to the cwd).
    const { rows } = await db.$client.execute(
      "SELECT file FROM pragma_database_list WHERE name = 'main'",
    );
    const path = String(rows[0]?.file ?? "");
    if (!path) return undefined; // an in-memory database has no file to share
    const thread = new WriterThread(db, log, options.onCheckpoint);
    await thread.#open(path, options.checkpointEveryMs ?? 200);
    await db.$client.execute(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    db.$writer = thread;
    return thread;
  }

  #open(path: string, checkpointEveryMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
        if ("opened" in data) {
          this.#worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#receive(event.data);
          resolve();
        } else if ("error" in data) {
          this.#ended = true;
          this.#worker.terminate();
          reject(new Error(`The writer thread could not open the database: ${data.error}`));
        }
      };
      this.#worker.onerror = (event) => {
        event.preventDefault();
        this.#crashed(event.message);
        reject(new Error(`The writer thread stopped: ${event.message}`));
      };
      this.#worker.postMessage({ open: { path, checkpointEveryMs } } satisfies WorkerRequest);
    });
  }

  /** Whether new groups go to the thread (false once it is stopping or has stopped). */
  get running(): boolean {
    return !this.#ended && !this.#stopping;
  }

  /**
   * Commits `writes` in one transaction on the writer thread; each write is
   * answered with its results, or with its failure when it alone was left out.
   */
  commitGroup(writes: SqlStatement[][]): Promise<(BatchResult[] | WriteFailure)[]> {
    if (this.#ended) return Promise.reject(new Error("The writer thread has stopped"));
    const group = this.#nextGroup++;
    const newSql: [number, string][] = [];
    const numbered = writes.map((statements) =>
      statements.map(({ sql, args }): [number, unknown] => {
        let number = this.#sqlNumbers.get(sql);
        if (number === undefined) {
          number = this.#sqlNumbers.size;
          this.#sqlNumbers.set(sql, number);
          newSql.push([number, sql]);
        }
        return [number, args];
      })
    );
    const sent = numbered.every((statements) => statements.every(([, args]) => isJsonSafe(args)))
      ? JSON.stringify(numbered)
      : numbered;
    return new Promise((resolve, reject) => {
      this.#waiting.set(group, { resolve, reject });
      this.#worker.postMessage(
        { group, schema: schemaVersion(), newSql, writes: sent } satisfies WorkerRequest,
      );
    });
  }

  /**
   * Stops the thread once the groups handed to it are committed; new groups
   * go to the main connection meanwhile.
   */
  async stop(): Promise<void> {
    if (this.#ended || this.#stopping) return;
    this.#stopping = true;
    const stopped = new Promise<void>((resolve) => (this.#stopped = resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.#worker.postMessage({ stop: true } satisfies WorkerRequest);
    await Promise.race([
      stopped,
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    await this.#end(new Error("The writer thread has stopped"));
  }

  #receive(reply: WorkerReply): void {
    if ("group" in reply) {
      const waiting = this.#waiting.get(reply.group);
      this.#waiting.delete(reply.group);
      if ("results" in reply) {
        waiting?.resolve(
          typeof reply.results === "string" ? JSON.parse(reply.results) : reply.results,
        );
      } else waiting?.reject(failureError(reply));
    } else if ("checkpoint" in reply) {
      this.#checkpointsFailing = false;
      this.onCheckpoint?.(reply.checkpoint);
    } else if ("checkpointFailed" in reply) {
      // One line when checkpoints start failing, not one every interval.
      const log = this.#checkpointsFailing ? this.log.debug : this.log.warn;
      this.#checkpointsFailing = true;
      log.call(this.log, "a WAL checkpoint failed; it is tried again", {
        error: reply.checkpointFailed.error,
        code: reply.checkpointFailed.code,
      });
    } else if ("stopped" in reply) {
      this.#stopped?.();
    } else if ("error" in reply) {
      this.#crashed(reply.error);
    }
  }

  /**
   * The thread died: what it was given may or may not be committed, so those
   * writes fail saying so; later writes go through the main connection.
   */
  #crashed(error: string): void {
    if (this.#ended) return;
    this.log.error("the writer thread stopped; writes go through the main connection", { error });
    void this.#end(
      new Error(`The writer thread stopped (${error}); this write may or may not have been saved`),
    );
  }

  async #end(failure: Error): Promise<void> {
    this.#ended = true;
    this.#worker.terminate();
    for (const waiting of this.#waiting.values()) waiting.reject(failure);
    this.#waiting.clear();
    if (this.db.$writer === this) this.db.$writer = undefined;
    await this.db.$client.execute(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`).catch(() => {});
  }
}
