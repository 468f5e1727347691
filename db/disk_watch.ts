/**
 * Whether the disk under the database has room for writes: what the last
 * writes said (refused for lack of space, or stored), and how much space the
 * filesystem has left. `/healthz` reports it; the kept writes
 * (`KeptWrites`) go again as soon as a write succeeds.
 */
import type { Logger } from "../core/log.ts";
import { asDiskFull, DiskFullError } from "./errors.ts";
import { freeBytes } from "./free_bytes.ts";

/**
 * Below this much free space Kabar reports itself degraded before writes
 * start failing: a day of messages, media aside, fits in far less.
 */
export const LOW_SPACE_BYTES = 64 * 1024 * 1024;

/** Why writes fail now. */
export interface DiskFailure {
  /** The code the failure came with: `SQLITE_FULL`, `ENOSPC`, `SQLITE_IOERR_…`. */
  reason: string;
  /** When the first write of this outage failed (ms since epoch). */
  since: number;
}

/** The state of the disk under one database. One per database handle (`db.$disk`). */
export class DiskWatch {
  #failure?: DiskFailure;
  /** Counts the outages begun: a write that started before the current one says nothing of it. */
  #outages = 0;
  #listeners = new Set<(full: boolean) => void>();
  /** Free space below which `/healthz` says degraded. */
  lowBytes = LOW_SPACE_BYTES;
  /**
   * For tests: while set, every write to the database fails as libSQL fails
   * it on a full disk, with this code (`SQLITE_FULL`, or an I/O error).
   */
  simulate?: string;

  /** `dir` is the folder of the database file (undefined for a libSQL server). */
  constructor(
    readonly dir: string | undefined,
    private readonly log?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Taken as a write starts, and handed to `succeeded` when it is stored. */
  get outages(): number {
    return this.#outages;
  }

  /** Why writes fail now, or undefined while they succeed. */
  get failure(): DiskFailure | undefined {
    return this.#failure;
  }

  /** The bytes free on the filesystem of `dir` (the database's by default), or undefined when unknown. */
  freeBytes(dir: string | undefined = this.dir): number | undefined {
    return this.simulate ? 0 : freeBytes(dir);
  }

  /**
   * `error` as the {@link DiskFullError} of a write refused for lack of
   * space on this disk, or undefined for any other failure.
   */
  refusal(error: unknown): DiskFullError | undefined {
    const full = asDiskFull(error, this.dir);
    if (!full || !this.simulate) return full;
    return new DiskFullError(full.reason, this.dir, 0, { cause: error });
  }

  /** A write was refused for lack of space: the first of an outage is logged. */
  failed(error: DiskFullError): void {
    if (this.#failure) return;
    this.#outages++;
    this.#failure = { reason: error.reason, since: this.now() };
    this.log?.error("writes fail: the disk of the data folder is full", {
      path: error.path,
      free_bytes: error.freeBytes ?? null,
      reason: error.reason,
    });
    for (const listener of this.#listeners) listener(true);
  }

  /**
   * A write was stored: ends an outage, once. `startedAt` is `outages` as the
   * write started: one already under way when the outage began (its pages
   * found room before the disk filled) proves nothing about the disk now.
   */
  succeeded(startedAt: number): void {
    if (!this.#failure || startedAt < this.#outages) return;
    const { since } = this.#failure;
    this.#failure = undefined;
    this.log?.info("writes succeed again: the disk has room", {
      path: this.dir,
      free_bytes: this.freeBytes() ?? null,
      outage_ms: this.now() - since,
    });
    for (const listener of this.#listeners) listener(false);
  }

  /** Calls `listener` when an outage starts (true) and ends (false); returns the unsubscribe. */
  listen(listener: (full: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
