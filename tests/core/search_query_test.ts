import assert from "node:assert/strict";
import { searchQuery } from "../../core/search_query.ts";

Deno.test("words become quoted terms; the last one from 3 characters is a prefix", () => {
  assert.deepEqual(searchQuery("hasil lab"), {
    match: '"hasil" "lab"*',
    terms: ["hasil", "lab"],
    digits: undefined,
  });
  assert.equal(searchQuery("jadwal dr").match, '"jadwal" "dr"', "two letters: the whole word");
  assert.equal(searchQuery("  Perawat  ").match, '"Perawat"*');
  assert.equal(searchQuery("pérawat").match, '"pérawat"*', "diacritics are the index's to fold");
});

Deno.test("any text is safe: operators, quotes and SQL are only words", () => {
  const hostile: [string, string | undefined][] = [
    ['"', undefined],
    ["*", undefined],
    ["-", undefined],
    ["()", undefined],
    ["", undefined],
    ['lab" OR "x', '"lab" "OR" "x"'],
    ["NEAR(lab hasil, 2)", '"NEAR" "lab" "hasil" "2"'],
    ["-lab", '"lab"*'],
    ["lab*", '"lab"*'],
    ["body:lab", '"body" "lab"*'],
    ["'; DROP TABLE messages; --", '"DROP" "TABLE" "messages"*'],
    ["^lab", '"lab"*'],
    ["AND", '"AND"*'],
  ];
  for (const [text, match] of hostile) {
    assert.equal(searchQuery(text).match, match, JSON.stringify(text));
  }
  const long = searchQuery("kata ".repeat(1000) + "x".repeat(100_000));
  assert.equal(long.terms.length, 8, "at most 8 terms");
  assert.ok(long.match!.length < 1000);
});

Deno.test("part of a phone number is kept as digits to find the contact", () => {
  assert.equal(searchQuery("0812-3456").digits, "08123456");
  assert.equal(searchQuery("+62 812").digits, "62812");
  assert.equal(searchQuery("81").digits, undefined, "too short to mean a number");
  assert.equal(searchQuery("lab 812").digits, undefined, "words and digits: a text search");
});
