/**
 * The inbox's search on a real database and its real full-text indexes:
 * the newest match first, one row per conversation, words marked in the
 * excerpt, contacts found by name or part of their number, the visibility
 * rule and the filters applied, and paging that never shows a conversation
 * twice, also while new messages arrive.
 */
import assert from "node:assert/strict";
import type { Viewer } from "../../core/conversation_visibility.ts";
import { searchQuery } from "../../core/search_query.ts";
import { excerptParts } from "../../core/search_excerpt.ts";
import type { KeysetPosition } from "../../core/keyset_cursor.ts";
import type { Db } from "../../db/client.ts";
import { searchConversations } from "../../db/conversation_search.ts";
import type { ConversationFilter } from "../../db/conversations.ts";
import { HOSTILE_SEARCHES } from "../support/hostile_search.ts";
import { withTempDb } from "../support/temp_db.ts";

const ADMIN: Viewer = { id: 1, role: "admin", departmentIds: [] };

async function run(db: Db, sql: string, args: unknown[] = []) {
  return await db.$client.execute({ sql, args: args as never });
}

/** Conversation `i` (1-based) on channel 1, with contact `Pasien i` unless named. */
async function addConversation(
  db: Db,
  id: number,
  options: { name?: string; phone?: string; status?: string; department?: number } = {},
) {
  await run(
    db,
    "INSERT INTO contacts (id, phone, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
    [
      id,
      options.phone ?? `62811000${String(id).padStart(5, "0")}`,
      options.name ?? `Pasien ${id}`,
    ],
  );
  await run(
    db,
    `INSERT INTO conversations (id, channel_id, contact_id, status, department_id, created_at,
      updated_at) VALUES (?, 1, ?, ?, ?, 0, 0)`,
    [id, id, options.status ?? "open", options.department ?? null],
  );
}

let nextMessage = 1;
/** A message in conversation `id`, indexed for search at once; answers its id. */
async function say(db: Db, conversation: number, body: string): Promise<number> {
  const id = nextMessage++;
  await run(
    db,
    `INSERT INTO messages (id, channel_id, conversation_id, contact_id, direction, type, body,
      status, created_at, updated_at)
      SELECT ?, 1, id, contact_id, 'in', 'text', ?, 'received', ?, ? FROM conversations WHERE id = ?`,
    [id, body, id, id, conversation],
  );
  await run(db, "INSERT INTO messages_fts (rowid, body) VALUES (?, ?)", [id, body]);
  return id;
}

async function search(
  db: Db,
  text: string,
  options: {
    viewer?: Viewer;
    filter?: ConversationFilter;
    cursor?: KeysetPosition;
    limit?: number;
  } = {},
) {
  return await searchConversations(
    db,
    options.viewer ?? ADMIN,
    options.filter ?? { status: "all" },
    searchQuery(text),
    { cursor: options.cursor, limit: options.limit ?? 30 },
  );
}

/** Every page of a search, in order, by conversation id. */
async function allPages(db: Db, text: string, limit: number, between?: () => Promise<void>) {
  const seen: number[] = [];
  let cursor: KeysetPosition | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await search(db, text, { cursor, limit });
    seen.push(...page.rows.map((r) => r.id));
    if (!page.next) return seen;
    cursor = page.next;
    await between?.();
  }
  throw new Error("paging never ended");
}

async function setup(db: Db) {
  nextMessage = 1;
  await run(
    db,
    "INSERT INTO channels (id, kind, name, created_at, updated_at) VALUES (1, 'sandbox', 'Umum', 0, 0)",
  );
}

Deno.test("search: the newest matching message first, one row per conversation, words marked", async () => {
  await withTempDb(async ({ db }) => {
    await setup(db);
    for (const id of [1, 2, 3, 4]) await addConversation(db, id);
    await say(db, 1, "Hasil laboratorium sudah keluar");
    await say(db, 2, "Jadwal dokter gigi hari Senin");
    const newer = await say(db, 3, "Apakah hasil lab bisa diambil besok?");
    const newest = await say(db, 1, "Terima kasih, hasil laboratorium saya terima");
    await say(db, 4, "Jam besuk sampai jam berapa?");

    const page = await search(db, "hasil lab");
    assert.deepEqual(page.rows.map((r) => r.id), [1, 3]);
    assert.deepEqual(page.rows.map((r) => r.match?.messageId), [newest, newer]);
    const parts = excerptParts(page.rows[0].match!.excerpt);
    assert.deepEqual(parts.filter((p) => p.marked).map((p) => p.text), ["hasil", "laboratorium"]);
    assert.equal(parts.map((p) => p.text).join(""), "Terima kasih, hasil laboratorium saya terima");
    assert.equal(page.next, undefined);
  });
});

Deno.test("search: accents are folded both ways, and no query text breaks it", async () => {
  await withTempDb(async ({ db }) => {
    await setup(db);
    for (const id of [1, 2]) await addConversation(db, id);
    await say(db, 1, "Perawat jaga malam ini Bu Siti");
    await say(db, 2, "Pérawat akan menelepon Anda");
    assert.deepEqual((await search(db, "perawat")).rows.map((r) => r.id), [2, 1]);
    assert.deepEqual((await search(db, "pérawat")).rows.map((r) => r.id), [2, 1]);
    for (const text of HOSTILE_SEARCHES) {
      await search(db, text);
    }
    assert.equal((await run(db, "SELECT count(*) AS n FROM messages")).rows[0].n, 2);
  });
});

Deno.test("search: a contact is found by name or by part of the number, typed locally too", async () => {
  await withTempDb(async ({ db }) => {
    await setup(db);
    await addConversation(db, 1, { name: "Siti Rahmawati", phone: "6281234567890" });
    await addConversation(db, 2, { name: "Budi Santoso", phone: "6285711112222" });
    await addConversation(db, 3, { name: "Wati", phone: "6285799990000" });
    await say(db, 1, "Selamat pagi");
    await say(db, 2, "Halo, saya Budi");
    await say(db, 3, "Siang");

    assert.deepEqual((await search(db, "rahma")).rows.map((r) => r.id), [1]);
    assert.deepEqual((await search(db, "4567")).rows.map((r) => r.id), [1]);
    assert.deepEqual((await search(db, "0812 3456")).rows.map((r) => r.id), [1]);
    assert.deepEqual((await search(db, "+62 857-1111")).rows.map((r) => r.id), [2]);
    const found = await search(db, "wati");
    assert.deepEqual(found.rows.map((r) => r.id).sort(), [1, 3], "part of a name, either contact");
    assert.equal(found.rows[0].match, null, "a contact match has no message excerpt");
    // A contact match and a message match of the same conversation: one row.
    assert.deepEqual((await search(db, "budi")).rows.map((r) => r.id), [2]);
  });
});

Deno.test("search: an agent finds only what they may see, and the filters still apply", async () => {
  await withTempDb(async ({ db }) => {
    await setup(db);
    await run(
      db,
      "INSERT INTO users (id, username, display_name, password_hash, role, password_changed_at, created_at, updated_at) VALUES (7, 'rina', 'Rina', 'x', 'agent', 0, 0, 0)",
    );
    await run(
      db,
      "INSERT INTO departments (id, name, created_at) VALUES (1, 'Pendaftaran', 0), (2, 'Farmasi', 0)",
    );
    await run(db, "INSERT INTO user_departments (user_id, department_id) VALUES (7, 1)");
    await addConversation(db, 1, { department: 1 });
    await addConversation(db, 2, { department: 2, name: "Obat Kuat" });
    await addConversation(db, 3, { department: 1, status: "resolved" });
    await say(db, 1, "Resep obat saya");
    await say(db, 2, "Resep obat habis");
    await say(db, 3, "Resep obat lagi");
    const rina: Viewer = { id: 7, role: "agent", departmentIds: [1] };
    assert.deepEqual((await search(db, "resep", { viewer: rina })).rows.map((r) => r.id), [3, 1]);
    assert.deepEqual((await search(db, "obat", { viewer: rina })).rows.map((r) => r.id), [3, 1]);
    assert.deepEqual(
      (await search(db, "resep", { viewer: rina, filter: { status: "open" } })).rows.map((r) =>
        r.id
      ),
      [1],
    );
  });
});

Deno.test("search: paging never repeats or skips a conversation, while new matches arrive", async () => {
  await withTempDb(async ({ db }) => {
    await setup(db);
    for (let id = 1; id <= 9; id++) await addConversation(db, id);
    // Older matches spread over every conversation, then a newer one in each.
    for (let id = 1; id <= 9; id++) await say(db, id, `kontrol ulang ${id}`);
    for (let id = 9; id >= 1; id--) await say(db, id, `jadwal kontrol ${id}`);
    const expected = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    assert.deepEqual(await allPages(db, "kontrol", 2), expected);

    // Between pages, conversations already shown and not yet shown get new matches: the ones
    // shown are not shown again; the rest keep their place or move up, never repeated.
    let turn = 0;
    const seen = await allPages(db, "kontrol", 2, async () => {
      turn++;
      await say(db, turn, "kontrol lagi");
      await say(db, 9, "kontrol lagi");
    });
    assert.equal(new Set(seen).size, seen.length, `no repeats in ${seen}`);
    // Each of 1–8 was shown before its own new match came: none may be missing.
    assert.deepEqual(seen.filter((id) => id !== 9).sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

Deno.test("search: one conversation with hundreds of matches does not hide an older one", async () => {
  await withTempDb(async ({ db }) => {
    await setup(db);
    for (const id of [1, 2]) await addConversation(db, id);
    await say(db, 2, "antrian poli anak");
    const first = nextMessage;
    nextMessage += 1200;
    await run(
      db,
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199)
      INSERT INTO messages (id, channel_id, conversation_id, contact_id, direction, type, body,
        status, created_at, updated_at)
      SELECT ? + i, 1, 1, 1, 'in', 'text', 'antrian nomor ' || i, 'received', 0, 0 FROM n`,
      [first],
    );
    await run(
      db,
      "INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages WHERE id >= ?",
      [
        first,
      ],
    );
    assert.deepEqual((await search(db, "antrian")).rows.map((r) => r.id), [1, 2]);
    assert.deepEqual(await allPages(db, "antrian", 1), [1, 2]);
  });
});
