import assert from "node:assert/strict";
import { isJsonSafe } from "../../core/json_safe.ts";

Deno.test("what crosses threads as JSON comes back the same; anything else is copied", () => {
  const safe = [
    null,
    "Poli gigi \u{1F9B7} buka",
    "lone \uD800 surrogate",
    0,
    -1.5,
    Number.MAX_SAFE_INTEGER,
    [],
    [[1, "a", null], { id: 2, body: null, nested: [{ n: 3 }] }],
  ];
  for (const value of safe) {
    assert.ok(isJsonSafe(value), JSON.stringify(value));
    assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
  }
  const unsafe = [
    undefined,
    true,
    Number.NaN,
    Infinity,
    10n,
    new Uint8Array([1, 2]),
    new Date(0),
    [1, new Uint8Array([1])],
    { id: 1, blob: new Uint8Array([1]) },
    { id: 1, missing: undefined },
    Object.create(null),
  ];
  for (const [i, value] of unsafe.entries()) assert.equal(isJsonSafe(value), false, `unsafe[${i}]`);
});
