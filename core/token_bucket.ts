/**
 * Token buckets: each name (an API key, a client address) holds up to `burst`
 * tokens, refilled at `perSecond`; a request takes one or is refused with the
 * seconds until one is back. Time is passed in, so the same code serves the
 * server and its tests.
 */

/** How fast a bucket refills (tokens a second) and how many it holds at most. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** A request let through, or refused with whole seconds (at least 1) until the next token. */
export type Take = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was counted, in ms. */
  at: number;
  rate: Rate;
}

/** Full buckets are dropped at least this often: a full bucket is the same as none. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Buckets by name, in memory. A bucket that has filled up again is forgotten
 * (a new one starts full, so nothing changes), and past `maxBuckets` the
 * longest-known go first, so the map stays bounded whatever names arrive.
 */
export class TokenBuckets {
  #buckets = new Map<string, Bucket>();
  #sweptAt = -Infinity;

  constructor(readonly maxBuckets = 10_000) {}

  /**
   * Takes one token from `name`'s bucket at `now` (ms). The check and the take
   * happen in this one synchronous call, so concurrent requests cannot both
   * spend the last token.
   */
  take(name: string, rate: Rate, now: number): Take {
    const bucket = this.#buckets.get(name);
    const tokens = bucket ? level(bucket, rate, now) : rate.burst;
    // Counted as of the later time, so a clock set back cannot refill twice.
    const at = bucket ? Math.max(bucket.at, now) : now;
    if (tokens >= 1) {
      this.#store(name, { tokens: tokens - 1, at, rate }, bucket === undefined, now);
      return { ok: true };
    }
    this.#store(name, { tokens, at, rate }, bucket === undefined, now);
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / rate.perSecond)) };
  }

  /** Buckets held now (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }

  #store(name: string, bucket: Bucket, added: boolean, now: number): void {
    this.#buckets.set(name, bucket);
    if (now - this.#sweptAt >= SWEEP_EVERY_MS || (added && this.#buckets.size > this.maxBuckets)) {
      this.#sweep(now);
    }
  }

  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const [name, bucket] of this.#buckets) {
      if (level(bucket, bucket.rate, now) >= bucket.rate.burst) this.#buckets.delete(name);
    }
    if (this.#buckets.size <= this.maxBuckets) return;
    // Still too many busy names: the longest-known ones start over (full), down
    // to a tenth below the bound so the next sweep is many names away.
    const keep = Math.floor(this.maxBuckets * 0.9);
    for (const name of this.#buckets.keys()) {
      if (this.#buckets.size <= keep) break;
      this.#buckets.delete(name);
    }
  }
}

/** The tokens in `bucket` at `now`; a clock that went back adds none. */
function level(bucket: Bucket, rate: Rate, now: number): number {
  const elapsed = Math.max(0, now - bucket.at);
  return Math.min(rate.burst, bucket.tokens + (elapsed * rate.perSecond) / 1000);
}
