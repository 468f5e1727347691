import assert from "node:assert/strict";
import { TokenBuckets } from "../../core/token_bucket.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("a bucket lets a burst through, then one request per refilled token", () => {
  const buckets = new TokenBuckets();
  const rate = { perSecond: 5, burst: 10 };
  const taken = Array.from({ length: 15 }, () => buckets.take("key:1", rate, T0));
  assert.equal(taken.filter((t) => t.ok).length, 10);
  assert.deepEqual(taken[10], { ok: false, retryAfterS: 1 });
  assert.equal(buckets.take("key:1", rate, T0 + 199).ok, false, "not a whole token yet");
  assert.equal(buckets.take("key:1", rate, T0 + 200).ok, true, "one token in 200 ms at 5/s");
  assert.equal(buckets.take("key:1", rate, T0 + 200).ok, false);
  assert.equal(buckets.take("key:2", rate, T0).ok, true, "each name has its own bucket");
  const later = Array.from({ length: 12 }, () => buckets.take("key:1", rate, T0 + 60_000));
  assert.equal(later.filter((t) => t.ok).length, 10, "refills to the burst, no further");
});

Deno.test("Retry-After is whole seconds until the next token, at least 1", () => {
  const buckets = new TokenBuckets();
  const slow = { perSecond: 0.25, burst: 1 };
  assert.equal(buckets.take("a", slow, T0).ok, true);
  assert.deepEqual(buckets.take("a", slow, T0), { ok: false, retryAfterS: 4 });
  assert.deepEqual(buckets.take("a", slow, T0 + 1_500), { ok: false, retryAfterS: 3 });
  const fast = { perSecond: 1000, burst: 1 };
  assert.equal(buckets.take("b", fast, T0).ok, true);
  assert.deepEqual(buckets.take("b", fast, T0), { ok: false, retryAfterS: 1 });
});

Deno.test("a clock that goes back adds no tokens", () => {
  const buckets = new TokenBuckets();
  const rate = { perSecond: 1, burst: 1 };
  assert.equal(buckets.take("a", rate, T0).ok, true);
  assert.equal(buckets.take("a", rate, T0 - 5_000).ok, false);
  assert.equal(buckets.take("a", rate, T0 + 999).ok, false, "nor when it comes forward again");
  assert.equal(buckets.take("a", rate, T0 + 1_000).ok, true);
});

Deno.test("full buckets are forgotten and the number held stays bounded", () => {
  const buckets = new TokenBuckets(1_000);
  const rate = { perSecond: 20, burst: 40 };
  for (let i = 0; i < 500; i++) buckets.take(`ip:${i}`, rate, T0);
  assert.equal(buckets.size, 500);
  // A minute on, every one of them is full again: the next take sweeps them away.
  buckets.take("ip:new", rate, T0 + 60_000);
  assert.equal(buckets.size, 1);

  // Names that keep coming, each still busy: never more than the bound.
  for (let i = 0; i < 5_000; i++) {
    for (let j = 0; j < 40; j++) buckets.take(`busy:${i}`, rate, T0 + 60_000);
    assert.ok(buckets.size <= 1_000, `${buckets.size} buckets after ${i + 1} names`);
  }
  // The newest busy name kept its empty bucket.
  assert.equal(buckets.take("busy:4999", rate, T0 + 60_000).ok, false);
});
