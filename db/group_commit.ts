/**
 * Group commit: writes that arrive within a few milliseconds of each other
 * are committed in one transaction, and each caller still waits for the
 * commit that holds its own statements. One fsync then serves many requests,
 * which is what lets the API accept more messages per second than one
 * transaction per request could.
 */
import type { InStatement } from "@libsql/client";
import type { Db } from "./client.ts";
import type { BatchResult } from "./embedded_connection.ts";

export interface GroupCommitOptions {
  /** How long the first write of a group waits for company. */
  windowMs: number;
  /** A group is committed at once when it holds this many writes. */
  maxWrites: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { windowMs: 2, maxWrites: 128 };

interface Pending {
  statements: InStatement[];
  resolve(results: BatchResult[]): void;
  reject(error: unknown): void;
}

/** Commits writes in groups. One per database handle. */
export class GroupCommit {
  #waiting: Pending[] = [];
  #cancelTimer?: () => void;
  #flushing: Promise<void> = Promise.resolve();

  // The window is real time on purpose: it only groups writes, it never
  // decides what is stored, so tests on a manual clock need not move it.
  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /**
   * Commits `statements` atomically (all or none), possibly in one
   * transaction with other callers' writes; resolves with their results once
   * committed. A write that fails never fails the others of its group.
   */
  write(statements: InStatement[]): Promise<BatchResult[]> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ statements, resolve, reject });
      if (this.#waiting.length >= this.options.maxWrites) this.#flushSoon(0);
      else if (!this.#cancelTimer) this.#flushSoon(this.options.windowMs);
    });
  }

  /** Commits what waits now (for shutdown and tests). */
  flush(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const group = this.#waiting.splice(0);
    this.#flushing = this.#flushing.then(() => this.#commit(group));
    return this.#flushing;
  }

  #flushSoon(ms: number): void {
    this.#cancelTimer?.();
    const id = setTimeout(() => {
      this.#cancelTimer = undefined;
      void this.flush();
    }, ms);
    this.#cancelTimer = () => clearTimeout(id);
  }

  async #commit(group: Pending[]): Promise<void> {
    if (group.length === 0) return;
    try {
      const statements = group.flatMap((p) => p.statements);
      const results = this.db.$embedded
        ? this.db.$embedded.batch(statements)
        : await this.db.$client.batch(statements, "write");
      let at = 0;
      for (const pending of group) {
        pending.resolve(results.slice(at, at + pending.statements.length));
        at += pending.statements.length;
      }
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      // One write broke the group's transaction: commit each on its own so only it fails.
      for (const pending of group) await this.#commit([pending]);
    }
  }
}
