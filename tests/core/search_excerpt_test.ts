import assert from "node:assert/strict";
import { excerptParts, markedExcerpt, plainExcerpt } from "../../core/search_excerpt.ts";

const marked = (excerpt: string) =>
  excerptParts(excerpt).filter((p) => p.marked).map((p) => p.text);

Deno.test("the words found are marked as the index found them: accents folded, the last as a prefix", () => {
  assert.deepEqual(marked(markedExcerpt("Hasil laboratorium sudah keluar", ["hasil", "lab"])), [
    "Hasil",
    "laboratorium",
  ]);
  assert.deepEqual(marked(markedExcerpt("Pérawat jaga malam", ["perawat"])), ["Pérawat"]);
  assert.deepEqual(marked(markedExcerpt("Perawat jaga malam", ["pérawat"])), ["Perawat"]);
  assert.deepEqual(marked(markedExcerpt("lab dan labu", ["la"])), [], "a prefix needs 3 letters");
});

Deno.test("a long message is cut around the first word found, with … where it goes on", () => {
  const words = Array.from({ length: 40 }, (_, i) => `kata${i}`);
  words[25] = "BPJS";
  const excerpt = markedExcerpt(words.join(" "), ["bpjs"]);
  assert.ok(excerpt.startsWith("…kata21 "), excerpt);
  assert.ok(excerpt.endsWith("…"), excerpt);
  assert.deepEqual(marked(excerpt), ["BPJS"]);
  assert.equal(plainExcerpt(markedExcerpt("Singkat saja", ["singkat"])), "Singkat saja");
});

Deno.test("marks in the message's own text are only text, never a highlight", () => {
  const excerpt = markedExcerpt("a\u0001b\u0002c jadwal", ["jadwal"]);
  assert.deepEqual(marked(excerpt), ["jadwal"]);
  assert.equal(plainExcerpt(excerpt), "abc jadwal");
});
