/**
 * Keeps the embedded database's write-ahead log short from another thread.
 *
 * SQLite checkpoints the WAL itself every 1,000 pages, on whichever write
 * fills it: on Kabar's one request thread that copy and fsync stall every
 * request in flight for milliseconds. A worker thread checkpoints instead,
 * a few times a second; the database's own checkpoint stays as a safety net
 * at a much larger size, in case the worker cannot keep up or stops.
 */
import type { Logger } from "../core/log.ts";
import type { Db } from "./client.ts";

/** The WAL size (pages) at which a write checkpoints itself while the worker runs. */
const SAFETY_NET_PAGES = 20_000;
const DEFAULT_PAGES = 1_000;

export interface Checkpointer {
  /** Resolves once the worker has closed its connection. */
  stop(): Promise<void>;
}

/** What the worker reports after each checkpoint (SQLite's own figures, in pages). */
export interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Starts checkpointing the database at the `file:` URL `dbUrl` every
 * `intervalMs`; undefined for a libSQL server, which does its own.
 */
export async function startCheckpointer(
  db: Db,
  dbUrl: string,
  log: Logger,
  options: { intervalMs?: number; onCheckpoint?: (report: CheckpointReport) => void } = {},
): Promise<Checkpointer | undefined> {
  if (!dbUrl.startsWith("file:")) return undefined;
  const path = decodeURIComponent(new URL(dbUrl).pathname);
  const worker = new Worker(new URL("./checkpoint_worker.ts", import.meta.url), {
    type: "module",
  });
  let failed = false;
  let stopped: (() => void) | undefined;
  const fail = (error: string) => {
    if (failed) return;
    failed = true;
    log.warn("background checkpoints stopped; the database checkpoints itself", { error });
    worker.terminate();
    db.$client.execute(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`).catch(() => {});
  };
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.checkpoint) options.onCheckpoint?.(message.checkpoint);
    else if (message.stopped) stopped?.();
    else if (message.error) fail(message.error);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message);
  };
  await db.$client.execute(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  worker.postMessage({ path, intervalMs: options.intervalMs ?? 200 });
  return {
    async stop() {
      if (failed) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      worker.postMessage("stop");
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000))]);
      worker.terminate();
      await db.$client.execute(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`).catch(() => {});
    },
  };
}
