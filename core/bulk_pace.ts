/**
 * How bulk work (a broadcast's start, thousands of rows) shares the writer
 * with every other write: while others are writing it goes no faster than
 * `rowsPerSecond` on average, so the rest of the writer's time is theirs;
 * with no one else writing it goes as fast as it can, and that time earns it
 * no credit for later.
 */
export class BulkPace {
  /** When the rows written so far would be done at `rowsPerSecond`. */
  #due: number;

  constructor(private readonly rowsPerSecond: number, startedAt: number) {
    this.#due = startedAt;
  }

  /**
   * `rows` more were written and it is `now` (ms): how long to wait before
   * the next batch (0: go on at once). Behind its rate it never waits, so it
   * catches up: however far behind, it waits again only once it is ahead.
   */
  after(rows: number, now: number, othersWriting: boolean): number {
    if (!othersWriting) {
      this.#due = now;
      return 0;
    }
    this.#due += rows * 1000 / this.rowsPerSecond;
    return Math.max(0, this.#due - now);
  }
}
