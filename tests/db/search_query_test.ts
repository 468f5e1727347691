/**
 * The search box's text against the real message index: every hostile query
 * is a valid FTS5 expression, a started word finds longer ones, and
 * diacritics are folded both ways.
 */
import assert from "node:assert/strict";
import { searchQuery } from "../../core/search_query.ts";
import { HOSTILE_SEARCHES } from "../support/hostile_search.ts";
import { withTempDb } from "../support/temp_db.ts";

Deno.test("search text finds messages in the real index, and no text breaks it", async () => {
  await withTempDb(async ({ db }) => {
    const bodies = [
      "Hasil laboratorium Anda sudah keluar",
      "Perawat jaga malam ini: Bu Siti",
      "Pérawat akan menelepon",
      'Bawa kartu BPJS dan "surat rujukan"',
    ];
    for (const [i, body] of bodies.entries()) {
      await db.$client.execute({
        sql: "INSERT INTO messages_fts (rowid, body) VALUES (?, ?)",
        args: [i + 1, body],
      });
    }
    const found = async (text: string) => {
      const { match } = searchQuery(text);
      if (!match) return [];
      const rows = await db.$client.execute({
        sql: "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid",
        args: [match],
      });
      return rows.rows.map((r) => Number(r.rowid));
    };
    assert.deepEqual(await found("lab"), [1], "lab finds laboratorium");
    assert.deepEqual(await found("hasil lab"), [1]);
    assert.deepEqual(await found("perawat"), [2, 3], "perawat finds Pérawat too");
    assert.deepEqual(await found("pérawat"), [2, 3]);
    assert.deepEqual(await found('"surat rujukan"'), [4]);
    for (const text of HOSTILE_SEARCHES) {
      await found(text); // throws on an expression FTS5 cannot read
    }
  });
});
