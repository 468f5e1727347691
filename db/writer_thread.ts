/**
 * The embedded database's writer thread (`writer_worker.ts`): group commits
 * run there, on a connection of its own, and so does checkpointing the
 * write-ahead log. A commit's fsync, slow on a busy disk, then holds up only
 * the writes waiting for it, never the thread that answers every request.
 *
 * SQLite's own checkpoint stays on, at a much larger log size, on the main
 * connection: a safety net in case the thread stops.
 */
import type { Logger } from "../core/log.ts";
import type { Db } from "./client.ts";
import {
  type BatchResult,
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
    writes: [sql: number, args: unknown][][];
  }
  | { stop: true };

export type WorkerReply =
  | { opened: true }
  | { group: number; results: (BatchResult[] | WriteFailure)[] }
  | { checkpoint: CheckpointReport }
  | { stopped: true }
  | { error: string };

export interface WriterThreadOptions {
  /** How often the log is checkpointed, at most. */
  checkpointEveryMs?: number;
  onCheckpoint?: (report: CheckpointReport) => void;
}

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
  #failure?: Error;
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
   * Starts the writer thread for the database at the `file:` URL `dbUrl`
   * and has `db`'s group commits use it; undefined for a libSQL server.
   */
  static async start(
    db: Db,
    dbUrl: string,
    log: Logger,
    options: WriterThreadOptions = {},
  ): Promise<WriterThread | undefined> {
    if (!dbUrl.startsWith("file:")) return undefined;
    const path = decodeURIComponent(new URL(dbUrl).pathname);
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
          this.#worker.terminate();
          reject(new Error(`The writer thread could not open the database: ${data.error}`));
        }
      };
      this.#worker.onerror = (event) => {
        event.preventDefault();
        this.#fail(event.message);
        reject(new Error(`The writer thread stopped: ${event.message}`));
      };
      this.#worker.postMessage({ open: { path, checkpointEveryMs } } satisfies WorkerRequest);
    });
  }

  /** Whether groups can still be committed here (false once stopped or failed). */
  get running(): boolean {
    return !this.#failure;
  }

  /**
   * Commits `writes` in one transaction on the writer thread; each write is
   * answered with its results, or with its failure when it alone was left out.
   */
  commitGroup(writes: SqlStatement[][]): Promise<(BatchResult[] | WriteFailure)[]> {
    if (this.#failure) return Promise.reject(this.#failure);
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
    return new Promise((resolve, reject) => {
      this.#waiting.set(group, { resolve, reject });
      this.#worker.postMessage(
        { group, schema: schemaVersion(), newSql, writes: numbered } satisfies WorkerRequest,
      );
    });
  }

  /** Stops the thread once the groups handed to it are committed. */
  async stop(): Promise<void> {
    if (this.#failure) return;
    const stopped = new Promise<void>((resolve) => (this.#stopped = resolve));
    this.#worker.postMessage({ stop: true } satisfies WorkerRequest);
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await this.#end(new Error("The writer thread has stopped"));
  }

  #receive(reply: WorkerReply): void {
    if ("group" in reply) {
      const waiting = this.#waiting.get(reply.group);
      this.#waiting.delete(reply.group);
      waiting?.resolve(reply.results);
    } else if ("checkpoint" in reply) {
      this.onCheckpoint?.(reply.checkpoint);
    } else if ("stopped" in reply) {
      this.#stopped?.();
    } else if ("error" in reply) {
      this.#fail(reply.error);
    }
  }

  /** The thread broke: what it was given fails, and writes go back to the main connection. */
  #fail(error: string): void {
    if (this.#failure) return;
    this.log.warn("the writer thread stopped; writes go through the main connection", { error });
    void this.#end(new Error(`The writer thread stopped: ${error}`));
  }

  async #end(failure: Error): Promise<void> {
    this.#failure = failure;
    this.#worker.terminate();
    for (const waiting of this.#waiting.values()) waiting.reject(failure);
    this.#waiting.clear();
    if (this.db.$writer === this) this.db.$writer = undefined;
    await this.db.$client.execute(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`).catch(() => {});
  }
}
