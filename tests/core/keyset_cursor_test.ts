import assert from "node:assert/strict";
import { decodeCursor, encodeCursor } from "../../core/keyset_cursor.ts";

Deno.test("a cursor gives back the position it was made from", () => {
  for (
    const position of [{ at: 1_780_000_000_000, id: 42 }, { at: null, id: 7 }, { at: 0, id: 1 }]
  ) {
    const cursor = encodeCursor(position);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/, "safe in a URL as it is");
    assert.deepEqual(decodeCursor(cursor), position);
  }
});

Deno.test("a cursor Kabar did not make is refused, never thrown on", () => {
  const made = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  for (
    const bad of [
      "",
      "abc",
      "!!!",
      "a".repeat(500),
      made([1, 0]),
      made([1, -3]),
      made([-1, 3]),
      made([1.5, 3]),
      made(["1", 3]),
      made([1, 3, 4]),
      made({ at: 1, id: 3 }),
      made(null),
      made([1, 2 ** 60]),
      "__proto__",
    ]
  ) {
    assert.equal(decodeCursor(bad), undefined, bad);
  }
});
