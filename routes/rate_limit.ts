import type { Context } from "hono";
import { DEFAULT_RATE_LIMIT } from "../core/api_key_input.ts";
import { AppError } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import { type Rate, TokenBuckets } from "../core/token_bucket.ts";

/**
 * Requests a second from one client address without a valid credential (no
 * key, a wrong one, an address the key does not allow); bursts of twice that.
 */
const ADDRESS_RATE = 20;

/** A request over its limit: what to tell the caller. */
export interface OverLimit {
  /** Requests a second allowed. */
  limit: number;
  /** Whole seconds until a request may pass again (at least 1). */
  retryAfterS: number;
  /** Says whose limit and when to try again, in English. */
  message: string;
}

const rateOf = (perSecond: number): Rate => ({ perSecond, burst: 2 * perSecond });
const requests = (n: number) => (n === 1 ? "1 request" : `${n} requests`);

/**
 * The request rate limits of this process, kept in memory: one bucket per API
 * key (or other credential) and one per client address for requests without a
 * valid credential. Each method takes one request's token at once (no await
 * between the check and the take) and answers undefined when it may pass.
 */
export class RateLimiter {
  #credentials = new TokenBuckets(100_000);
  #addresses = new TokenBuckets(10_000);

  constructor(private readonly clock: Clock) {}

  /** An API key's request: its own `rateLimit` (null: the default, 0: no limit). */
  forKey(key: { id: number; rateLimit: number | null }): OverLimit | undefined {
    const limit = key.rateLimit ?? DEFAULT_RATE_LIMIT;
    if (limit === 0) return undefined;
    return this.#take(
      this.#credentials,
      `key:${key.id}`,
      limit,
      (s) =>
        `This API key may make ${requests(limit)} a second (bursts of ${2 * limit}); ` +
        `try again in ${s} s`,
    );
  }

  /** A request with another verified credential (`kind:id`), at the default rate. */
  forCredential(name: string, what: string): OverLimit | undefined {
    return this.#take(
      this.#credentials,
      name,
      DEFAULT_RATE_LIMIT,
      (s) =>
        `${what} may make ${requests(DEFAULT_RATE_LIMIT)} a second (bursts of ` +
        `${2 * DEFAULT_RATE_LIMIT}); try again in ${s} s`,
    );
  }

  /** A request from `address` that brought no valid credential. */
  forAddress(address: string): OverLimit | undefined {
    return this.#take(
      this.#addresses,
      `ip:${address}`,
      ADDRESS_RATE,
      (s) =>
        `Too many requests without a valid credential from ${address}: ` +
        `${requests(ADDRESS_RATE)} a second are allowed (bursts of ${2 * ADDRESS_RATE}); ` +
        `try again in ${s} s`,
    );
  }

  #take(
    buckets: TokenBuckets,
    name: string,
    limit: number,
    message: (retryAfterS: number) => string,
  ): OverLimit | undefined {
    const taken = buckets.take(name, rateOf(limit), this.clock.now());
    if (taken.ok) return undefined;
    return { limit, retryAfterS: taken.retryAfterS, message: message(taken.retryAfterS) };
  }
}

/**
 * The API's answer to a request over its limit: a 429 `rate_limited` error,
 * with `Retry-After` set on the response that will carry it.
 */
export function rateLimited(c: Context, over: OverLimit): AppError {
  c.header("Retry-After", String(over.retryAfterS));
  return new AppError(429, "rate_limited", over.message, {
    limit: over.limit,
    retry_after_s: over.retryAfterS,
  });
}
