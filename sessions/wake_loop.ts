/**
 * The loop of a worker that waits for work (the outbox's per channel, the
 * webhook worker's): a wake runs one pass, never two at once — a wake during
 * a pass runs another right after it — and the pass says when to look again
 * by itself (a retry falling due, the next paced send). A full disk backs off
 * further each time; any other failure is logged and looked at again soon.
 */
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import { isDiskFull } from "../db/errors.ts";
import { backoffDelay } from "../db/kept_writes.ts";

export interface WakeLoopOptions {
  clock: Clock;
  log: Logger;
  /** The log line of a failed pass, e.g. "outbox loop failed". */
  failure: string;
  /** Added to the loop's log lines (which channel…). */
  fields?: Record<string, unknown>;
  /** One pass over the work: answers when to look again (ms since the epoch), or nothing. */
  pass: () => Promise<number | undefined>;
  /**
   * While idle, look again at least this often: work another process wrote
   * without being heard (it stopped before telling) is found within this time.
   */
  idleCheckMs?: number;
}

/** After a failed pass (not a full disk), the loop looks again this much later. */
export const RETRY_AFTER_FAILURE_MS = 5_000;

export class WakeLoop {
  #running?: Promise<void>;
  #again = false;
  #stopped = false;
  #cancelTimer?: () => void;
  /** Passes in a row that failed because the disk is full (each waits longer before the next). */
  #diskFailures = 0;

  constructor(private readonly options: WakeLoopOptions) {}

  /** Runs a pass now, or right after the one running. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#again = false;
    const { clock, log, failure, fields } = this.options;
    this.#running = this.options.pass()
      .then((at) => {
        this.#diskFailures = 0;
        const idleCheck = this.options.idleCheckMs;
        const next = Math.min(at ?? Infinity, idleCheck ? clock.now() + idleCheck : Infinity);
        if (next !== Infinity) this.#at(next);
      }, (e) => {
        if (isDiskFull(e)) {
          // Logged once where writes fail: look again later, by itself.
          const delay = backoffDelay(this.#diskFailures++);
          log.debug(`${failure}: waiting for disk space`, { ...fields, delay });
          this.#at(clock.now() + delay);
        } else {
          log.error(failure, { ...fields, error: String(e) });
          this.#at(clock.now() + RETRY_AFTER_FAILURE_MS);
        }
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) this.wake();
      });
  }

  /** Answers once no pass runs and none is asked for (what a wake asked is done). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops waking; a pass running finishes first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    await this.#running;
  }

  #at(at: number): void {
    if (this.#stopped) return;
    this.#cancelTimer?.();
    const { clock } = this.options;
    this.#cancelTimer = clock.setTimer(Math.max(0, at - clock.now()), () => {
      this.#cancelTimer = undefined;
      this.wake();
    });
  }
}
