/**
 * Group commit: writes that arrive within a few milliseconds of each other
 * are committed in one transaction, and each caller still waits for the
 * commit that holds its own statements. One fsync then serves many requests,
 * which is what lets the API accept more messages per second than one
 * transaction per request could.
 *
 * On the embedded database the commits run on the writer thread when it is
 * started (`WriterThread`), else on the main connection; on a libSQL server,
 * through the client. Writes arriving while a group commits form the next
 * group. The writer thread takes groups in the order they are handed over,
 * so it is handed the next group while it still commits one: it starts that
 * commit the moment the one before is durable, while this thread answers
 * the callers of the one before. Elsewhere one group is committed at a time.
 *
 * Within a group, the items of one `SetWrite` (the messages the API queues)
 * become a single write of set-wise statements.
 */
import type { InStatement } from "@libsql/client";
import type { Db } from "./client.ts";
import {
  type BatchResult,
  failureError,
  type SqlStatement,
  sqlStatement,
  type WriteFailure,
} from "./embedded_connection.ts";
import { DiskFullError } from "./errors.ts";
import { KeptWrites } from "./kept_writes.ts";
import { INDEX_NEW_MESSAGES } from "./search_index.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";

export interface GroupCommitOptions {
  /** How long the first write of a group waits for company when no commit is running. */
  windowMs: number;
  /** The most writes one group holds. */
  maxWrites: number;
}

/**
 * 48 writes already share one fsync well. Larger groups let every caller end
 * up in the same one: the writer then waits while they are all answered and
 * send their next writes, instead of committing one group while the callers
 * of the other are answered.
 */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { windowMs: 1, maxWrites: 48 };

/**
 * How long a write of bulk work waits for the writer to be idle before it
 * takes its turn with the requests' writes anyway.
 */
export const IDLE_WAIT_MS = 250;

/** A write's results, or why it alone was not committed. */
type Outcome = BatchResult[] | WriteFailure | { error: unknown };

interface Pending {
  statements: InStatement[];
  resolve(results: BatchResult[]): void;
  reject(error: unknown): void;
}

/**
 * A kind of write whose items are cheaper written together: one statement
 * per table for all the items of a group instead of one per item (in
 * SQLite a single-row statement costs several times what a row of a
 * set-wise one does).
 */
export interface SetWrite<T, R> {
  /** The statements that write `items`, one or more, all or none. */
  statements(items: T[]): InStatement[];
  /** Each item's answer, in the order of `items`, from the statements' results. */
  answers(items: T[], results: BatchResult[]): R[];
}

/** An item of a `SetWrite` waiting for its group. */
interface SetItem {
  kind: SetWrite<unknown, unknown>;
  item: unknown;
  /** Written on its own: the set it was in failed. */
  alone: boolean;
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

type Waiting = Pending | SetItem;

const INDEX_STATEMENTS = INDEX_NEW_MESSAGES.map(sqlStatement);

/** Commits writes in groups. One per database handle. */
export class GroupCommit {
  #waiting: Waiting[] = [];
  /** `writeWhenIdle`'s writes, each with the timer that stops its waiting. */
  #idle: { pending: Pending; timer: ReturnType<typeof setTimeout> }[] = [];
  #cancelTimer?: () => void;
  /** Groups handed over and not yet committed. */
  #inFlight = new Set<Promise<void>>();
  /** Internal writes that must survive a full disk: kept and retried (on `clock`) until stored. */
  readonly kept: KeptWrites;

  // The window is real time on purpose: it only groups writes, it never
  // decides what is stored, so tests on a manual clock need not move it.
  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
    private readonly log?: Logger,
    clock: Clock = systemClock,
  ) {
    this.kept = new KeptWrites(clock, db.$disk, log);
  }

  /** The search index's step, last in every group; its failure fails no one's write. */
  readonly #indexWrite: Pending = {
    statements: INDEX_NEW_MESSAGES,
    resolve() {},
    reject: (error) => {
      // On a full disk the group's own writes failed too; the outage is logged once elsewhere.
      if (error instanceof DiskFullError) return;
      this.log?.error("new messages could not be added to the search index", {
        error: String(error),
      });
    },
  };

  /**
   * Commits `statements` atomically (all or none), possibly in one
   * transaction with other callers' writes; resolves with their results once
   * committed. A write that fails never fails the others of its group.
   */
  write(statements: InStatement[]): Promise<BatchResult[]> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ statements, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Writes `item` as `kind` with the other items of that kind in its group,
   * as one write; resolves with its answer once committed. When that write
   * fails, each of its items is written again on its own, so an item only
   * ever fails for itself.
   */
  writeSet<T, R>(kind: SetWrite<T, R>, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        kind,
        item,
        alone: false,
        resolve: (a: unknown) => resolve(a as R),
        reject,
      });
      this.#schedule();
    });
  }

  /**
   * `write` for bulk work that must not hold requests up (a broadcast's
   * thousands of rows): committed in a group of its own when no other write
   * waits or commits, or with the next group once it has waited `maxWaitMs`,
   * so it goes on even while requests never stop.
   */
  writeWhenIdle(statements: InStatement[], maxWaitMs = IDLE_WAIT_MS): Promise<BatchResult[]> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { statements, resolve, reject };
      const entry = {
        pending,
        timer: setTimeout(() => {
          const at = this.#idle.indexOf(entry);
          if (at < 0) return;
          this.#idle.splice(at, 1);
          this.#waiting.push(pending);
          this.#schedule();
        }, maxWaitMs),
      };
      this.#idle.push(entry);
      this.#startIdle();
    });
  }

  #schedule(): void {
    if (this.#inFlight.size >= this.#maxInFlight()) return;
    if (this.#waiting.length >= this.options.maxWrites) this.#commitSoon(0);
    else if (!this.#cancelTimer) this.#commitSoon(this.options.windowMs);
  }

  /**
   * `write`, kept and retried in order while the disk is full (see
   * `KeptWrites`): for the records no request waits on. Resolves once
   * committed; `key` keeps writes of one thing in order.
   */
  writeKept(what: string, statements: InStatement[], key?: string): Promise<BatchResult[]> {
    return this.kept.write(what, () => this.write(statements), key);
  }

  /** Resolves once every write handed over so far is committed (for shutdown and tests). */
  async flush(): Promise<void> {
    while (this.#waiting.length > 0 || this.#inFlight.size > 0 || this.#idle.length > 0) {
      if (this.#waiting.length > 0 && this.#inFlight.size < this.#maxInFlight()) this.#commitNow();
      else this.#next();
      await Promise.race(this.#inFlight);
    }
  }

  /** Two groups at once only where they are committed strictly in turn: the writer thread. */
  #maxInFlight(): number {
    return this.db.$writer?.running ? 2 : 1;
  }

  #commitSoon(ms: number): void {
    this.#cancelTimer?.();
    const id = setTimeout(() => this.#commitNow(), ms);
    this.#cancelTimer = () => clearTimeout(id);
  }

  #commitNow(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const group = this.#waiting.splice(0, this.options.maxWrites);
    if (group.length > 0) this.#start(group);
  }

  #start(group: Waiting[]): void {
    const committing: Promise<void> = this.#commit(group).finally(() => {
      this.#inFlight.delete(committing);
      this.#next();
    });
    this.#inFlight.add(committing);
  }

  /** After a commit: the writes waiting, else one idle write when nothing else is left. */
  #next(): void {
    if (this.#waiting.length > 0) {
      if (this.#inFlight.size < this.#maxInFlight()) this.#commitNow();
    } else this.#startIdle();
  }

  /** The first idle write, when no other write waits or commits. */
  #startIdle(): void {
    if (this.#idle.length === 0 || this.#waiting.length > 0 || this.#inFlight.size > 0) return;
    const { pending, timer } = this.#idle.shift()!;
    clearTimeout(timer);
    this.#start([pending]);
  }

  /** The group's writes, its set items made into one write per kind. */
  #merged(group: Waiting[]): Pending[] {
    const writes: Pending[] = [];
    const sets = new Map<SetWrite<unknown, unknown>, SetItem[]>();
    for (const waiting of group) {
      if (!("kind" in waiting)) writes.push(waiting);
      else if (waiting.alone) writes.push(...this.#setWrite([waiting]));
      else if (sets.has(waiting.kind)) sets.get(waiting.kind)!.push(waiting);
      else sets.set(waiting.kind, [waiting]);
    }
    for (const items of sets.values()) writes.push(...this.#setWrite(items));
    return writes;
  }

  /**
   * One write for `items` of one kind, each item answered from its results;
   * when it fails, each item is written again on its own, ahead of the
   * writes that came since.
   */
  #setWrite(items: SetItem[]): Pending[] {
    const values = items.map((i) => i.item);
    const reject = (error: unknown) => {
      if (items.length === 1 || error instanceof DiskFullError) {
        for (const i of items) i.reject(error);
      } else this.#waiting.unshift(...items.map((i) => ({ ...i, alone: true })));
    };
    try {
      const statements = items[0].kind.statements(values);
      return [{
        statements,
        resolve(results) {
          try {
            const answers = items[0].kind.answers(values, results);
            items.forEach((i, at) => i.resolve(answers[at]));
          } catch (error) {
            for (const i of items) i.reject(error);
          }
        },
        reject,
      }];
    } catch (error) {
      reject(error);
      return [];
    }
  }

  async #commit(group: Waiting[]): Promise<void> {
    const writes: SqlStatement[][] = [];
    const sent: Pending[] = [];
    for (const pending of this.#merged(group)) {
      try {
        writes.push(pending.statements.map(sqlStatement));
        sent.push(pending);
      } catch (error) {
        pending.reject(error);
      }
    }
    if (sent.length === 0) return;
    // Last in every group: the search index takes the messages the group wrote.
    writes.push(INDEX_STATEMENTS);
    sent.push(this.#indexWrite);
    let results: Outcome[];
    const outages = this.db.$disk.outages;
    try {
      results = await this.#run(writes, sent);
    } catch (error) {
      const failure = this.#failure(error);
      for (const pending of sent) pending.reject(failure);
      return;
    }
    let stored = false;
    sent.forEach((pending, i) => {
      const result = results[i];
      if (!("error" in result)) {
        stored = true;
        return pending.resolve(result);
      }
      pending.reject(
        this.#failure(
          typeof result.error === "string" ? failureError(result as WriteFailure) : result.error,
        ),
      );
    });
    if (stored) this.db.$disk.succeeded(outages);
  }

  /** A failure for lack of space becomes `DiskFullError`, and the disk watch hears of it. */
  #failure(error: unknown): unknown {
    const full = this.db.$disk.refusal(error);
    if (!full) return error;
    this.db.$disk.failed(full);
    return full;
  }

  async #run(
    writes: SqlStatement[][],
    group: Pending[],
  ): Promise<Outcome[]> {
    const { $writer, $embedded, $client, $disk } = this.db;
    if ($disk.simulate) {
      // As the embedded connection answers a group on a full disk: every write refused.
      const error = $disk.simulate === "SQLITE_FULL"
        ? "database or disk is full"
        : "disk I/O error";
      return writes.map(() => ({ error, code: $disk.simulate }));
    }
    if ($writer?.running) return await $writer.commitGroup(writes);
    if ($embedded) return $embedded.commitGroup(writes);
    // A libSQL server: one batch, or each write on its own when one of them fails.
    const statements = group.flatMap((p) => p.statements);
    try {
      const all = await $client.batch(statements, "write");
      let at = 0;
      return group.map((p) => all.slice(at, at += p.statements.length));
    } catch (error) {
      if (group.length === 1) return [{ error }];
      const results: Outcome[] = [];
      for (const pending of group) {
        try {
          results.push(await $client.batch(pending.statements, "write"));
        } catch (e) {
          results.push({ error: e });
        }
      }
      return results;
    }
  }
}
