/**
 * Writes that must not be lost when the disk is full: receipts, inbound
 * messages a channel will not deliver again, channel statuses, the outbox's
 * and the webhook worker's records of what they did. No request waits on
 * them, so refusing them (as the API refuses a send) would lose what they
 * record.
 *
 * Each runs at once. One refused for lack of space is kept in memory, and so
 * is every write that comes after it while any is kept; they run again in
 * the order they came: 1 s after the failure, then twice as long each time up
 * to 30 s, and at once when another write shows the disk has room again.
 * Writes given the same `key` (one message's receipts, one channel's
 * statuses) never overtake each other, kept or not. Any other failure is not
 * retried: the caller hears of it.
 *
 * Kept writes live in this process: `stop` (shutdown) stores what it can and
 * gives up on the rest, saying how many.
 */
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { DiskWatch } from "./disk_watch.ts";
import { errorText, isDiskFull } from "./errors.ts";

/** Retry delays: `initialMs`, doubling per failed attempt, at most `maxMs`. */
export interface KeptBackoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_KEPT_BACKOFF: KeptBackoff = { initialMs: 1_000, maxMs: 30_000 };

/** The delay after `failures` failed attempts in a row. */
export function backoffDelay(failures: number, backoff = DEFAULT_KEPT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
}

interface Kept {
  what: string;
  work: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Called once the write is kept for later (`hand` answers then). */
  onKept?: () => void;
}

/** A kept write given up on at shutdown, the disk still full. */
export class KeptWriteLost extends Error {
  constructor(what: string, cause: unknown) {
    super(`Kabar stopped while the disk was full: ${what} was not stored`, { cause });
    this.name = "KeptWriteLost";
  }
}

/** Keeps and retries writes refused for lack of space. One per database handle (`GroupCommit`). */
export class KeptWrites {
  #queue: Kept[] = [];
  /** Failed attempts at the head of the queue since it was last empty. */
  #failures = 0;
  #cancelTimer?: () => void;
  #draining?: Promise<void>;
  #stopped = false;
  /** Writes stored after being kept, in this outage. */
  #stored = 0;
  /** The last write of each key, settled once it is stored or kept. */
  #chains = new Map<string, Promise<void>>();

  constructor(
    private readonly clock: Clock,
    disk: DiskWatch | undefined,
    private readonly log?: Logger,
    private readonly backoff: KeptBackoff = DEFAULT_KEPT_BACKOFF,
  ) {
    // A write that succeeds elsewhere shows the disk has room: no need to wait out the delay.
    disk?.listen((full) => {
      if (!full && this.#queue.length > 0) queueMicrotask(() => this.#drain());
    });
  }

  /** How many writes are kept, waiting for room. */
  get size(): number {
    return this.#queue.length;
  }

  /**
   * Runs `work`; resolves with its result once it has succeeded, however
   * long the disk stays full. Rejects when it fails for another reason, or
   * when `stop` gives up on it.
   */
  write<T>(what: string, work: () => Promise<T>, key?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#add({ what, work, resolve: resolve as (value: unknown) => void, reject }, key);
    });
  }

  /**
   * Runs `work` and resolves once it has succeeded or is kept for later, so
   * the caller need not wait out an outage. Rejects when its first attempt
   * fails for another reason; a later failure is logged.
   */
  hand(what: string, work: () => Promise<unknown>, key?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let kept = false;
      this.#add({
        what,
        work,
        resolve: () => resolve(),
        reject: (error) => {
          if (!kept) return reject(error);
          if (error instanceof KeptWriteLost) return; // counted in one line by `stop`
          this.log?.error("a write kept while the disk was full failed", {
            what,
            error: errorText(error),
          });
        },
        onKept: () => {
          kept = true;
          resolve();
        },
      }, key);
    });
  }

  /**
   * Tries the kept writes once more, then gives up on those still refused
   * (their callers hear so); later writes are no longer kept.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    await this.#draining;
    if (this.#queue.length > 0) await this.#drain();
  }

  #add(item: Kept, key?: string): void {
    if (key === undefined) {
      void this.#first(item);
      return;
    }
    const settled = (this.#chains.get(key) ?? Promise.resolve()).then(() => this.#first(item));
    this.#chains.set(key, settled);
    void settled.then(() => {
      if (this.#chains.get(key) === settled) this.#chains.delete(key);
    });
  }

  /** The first attempt; settles once the write is stored, kept, or has failed. */
  async #first(item: Kept): Promise<void> {
    if (this.#queue.length > 0 && !this.#stopped) return this.#keep(item);
    try {
      item.resolve(await item.work());
    } catch (error) {
      if (this.#stopped || !isDiskFull(error)) return item.reject(error);
      this.#keep(item);
    }
  }

  #keep(item: Kept): void {
    if (this.#queue.length === 0) {
      this.log?.warn("writes are kept until the disk has room, then stored in order", {
        what: item.what,
      });
    }
    this.#queue.push(item);
    item.onKept?.();
    if (!this.#draining) this.#schedule();
  }

  #schedule(): void {
    if (this.#cancelTimer || this.#stopped) return;
    const delay = backoffDelay(this.#failures, this.backoff);
    this.#cancelTimer = this.clock.setTimer(delay, () => {
      this.#cancelTimer = undefined;
      void this.#drain();
    });
  }

  /** Runs the kept writes in order until one is refused again or none is left. */
  #drain(): Promise<void> {
    if (this.#draining) return this.#draining;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#draining = this.#drainNow().finally(() => {
      this.#draining = undefined;
      if (this.#queue.length > 0) this.#schedule();
    });
    return this.#draining;
  }

  async #drainNow(): Promise<void> {
    while (this.#queue.length > 0) {
      const item = this.#queue[0];
      try {
        const value = await item.work();
        this.#queue.shift();
        this.#stored++;
        item.resolve(value);
      } catch (error) {
        if (!isDiskFull(error)) {
          this.#queue.shift();
          item.reject(error);
          continue;
        }
        if (this.#stopped) return this.#giveUp(error);
        this.#failures++;
        this.log?.debug("kept writes still refused: the disk is full", {
          kept: this.#queue.length,
          retry_in_ms: backoffDelay(this.#failures, this.backoff),
        });
        return;
      }
    }
    if (this.#stored > 0) {
      this.log?.info("writes kept while the disk was full are stored", { stored: this.#stored });
    }
    this.#stored = 0;
    this.#failures = 0;
  }

  #giveUp(error: unknown): void {
    const lost = this.#queue.splice(0);
    this.log?.error("writes kept while the disk was full are lost: Kabar stopped first", {
      lost: lost.length,
      what: [...new Set(lost.map((item) => item.what))],
    });
    for (const item of lost) item.reject(new KeptWriteLost(item.what, error));
  }
}
