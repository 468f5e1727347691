/**
 * Metrics of the Kabar process itself: memory, start time, open files and how
 * late the event loop runs timers.
 */
import type { Metrics } from "../core/metrics.ts";

/** How often the event-loop lag is measured while Kabar serves. */
const LAG_EVERY_MS = 500;

/**
 * Measures how late a timer fires: the time the event loop was kept from
 * running other work (a long synchronous task, a blocked thread).
 */
export class EventLoopLag {
  #timer: ReturnType<typeof setInterval> | undefined;
  #lagMs = 0;

  /** Measures every `everyMs` until `stop`; the timer does not keep the process alive. */
  start(everyMs = LAG_EVERY_MS): void {
    if (this.#timer !== undefined) return;
    let expected = performance.now() + everyMs;
    const timer = setInterval(() => {
      const now = performance.now();
      this.#lagMs = Math.max(0, now - expected);
      expected = now + everyMs;
    }, everyMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The last lag measured, in seconds; when not running, one measured now. */
  async seconds(): Promise<number> {
    if (this.#timer !== undefined) return this.#lagMs / 1000;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    return (performance.now() - started) / 1000;
  }
}

/** Open file descriptors, from /proc/self/fd (Linux); undefined elsewhere. */
async function openFds(): Promise<number | undefined> {
  try {
    let n = 0;
    for await (const _ of Deno.readDir("/proc/self/fd")) n++;
    return n - 1; // the descriptor reading the folder
  } catch {
    return undefined;
  }
}

/** Registers the process gauges on `metrics`; `lag` supplies the event-loop lag. */
export function processMetrics(metrics: Metrics, lag: EventLoopLag): void {
  const one = (value: number | undefined) =>
    Promise.resolve(value === undefined ? [] : [{ labels: {}, value }]);
  metrics.gauge(
    "process_resident_memory_bytes",
    "Resident memory size in bytes.",
    () => one(Deno.memoryUsage().rss),
  );
  metrics.gauge(
    "deno_heap_used_bytes",
    "JavaScript heap in use, in bytes.",
    () => one(Deno.memoryUsage().heapUsed),
  );
  metrics.gauge(
    "deno_heap_total_bytes",
    "JavaScript heap allocated, in bytes.",
    () => one(Deno.memoryUsage().heapTotal),
  );
  const startSeconds = Math.round(performance.timeOrigin) / 1000;
  metrics.gauge(
    "process_start_time_seconds",
    "Start time of the process since the Unix epoch, in seconds.",
    () => one(startSeconds),
  );
  metrics.gauge(
    "process_open_fds",
    "Open file descriptors.",
    async () => one(await openFds()),
  );
  metrics.gauge(
    "kabar_event_loop_lag_seconds",
    "How late the event loop last ran a timer, in seconds.",
    async () => one(await lag.seconds()),
  );
}
