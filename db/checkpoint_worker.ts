/**
 * Runs in a worker thread: checkpoints the embedded database's WAL into the
 * database file on its own connection, so the copying and the fsync never
 * hold up the thread that answers requests. PASSIVE checkpoints wait for no
 * one: writers go on appending meanwhile.
 */
import Database from "libsql";

interface Start {
  path: string;
  intervalMs: number;
}

interface Checkpoint {
  busy: number;
  log: number;
  checkpointed: number;
}

/** The worker's global scope, as far as this file uses it. */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<Start | "stop">) => void;
  postMessage(message: unknown): void;
};

let timer: ReturnType<typeof setInterval> | undefined;
let db: InstanceType<typeof Database> | undefined;

scope.onmessage = (event) => {
  if (event.data === "stop") {
    clearInterval(timer);
    db?.close();
    scope.postMessage({ stopped: true });
    return;
  }
  try {
    const { path, intervalMs } = event.data;
    db = new Database(path);
    db.exec("PRAGMA busy_timeout = 5000");
    const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
    timer = setInterval(() => {
      try {
        const [result] = checkpoint.all() as Checkpoint[];
        scope.postMessage({ checkpoint: result });
      } catch (e) {
        scope.postMessage({ error: String(e) });
      }
    }, intervalMs);
  } catch (e) {
    scope.postMessage({ error: String(e) });
  }
};
