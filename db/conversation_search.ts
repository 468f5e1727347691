/**
 * The inbox's search: conversations whose messages hold the words typed, or
 * whose contact's name or number does, newest match first. Messages are
 * read newest first straight from the full-text index (never ranked over
 * every match: a common word is in a third of all messages), a batch at a
 * time, until a page of distinct conversations is found. A conversation
 * sits at its newest match (a contact match: its last message), so paging
 * by that message id never shows it twice.
 */
import type { InValue } from "@libsql/client";
import type { Viewer } from "../core/conversation_visibility.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import { markedExcerpt } from "../core/search_excerpt.ts";
import { PREFIX_FROM, type SearchQuery } from "../core/search_query.ts";
import type { Db } from "./client.ts";
import {
  conversationConditions,
  type ConversationFilter,
  type ConversationPage,
  readConversationRows,
} from "./conversations.ts";

/** Matching messages read from the index in the first batch (newest first); each next doubles. */
const FIRST_BATCH = 250;
const MAX_BATCH = 2000;
/**
 * Matching messages read for one page at most, so a page takes a bounded time whatever the
 * word and whoever searches (an agent may see few of a common word's messages): past them
 * the page ends early, with a cursor to go on.
 */
const MAX_SCANNED = 8000;
/** Conversations found by their contact at most (a name like "Siti" is in thousands). */
const MAX_CONTACT_MATCHES = 1000;

interface Hit {
  conversationId: number;
  /** The message the conversation sits at. */
  key: number;
  /** Found by its contact's name or number (then `key` is its last message). */
  byContact: boolean;
}

/** One page of the conversations `viewer` may see that pass `filter` and match `search`. */
export async function searchConversations(
  db: Db,
  viewer: Viewer,
  filter: ConversationFilter,
  search: SearchQuery,
  options: { cursor?: KeysetPosition; limit: number },
): Promise<ConversationPage> {
  const conditions = conversationConditions(viewer, filter);
  const before = options.cursor?.id ?? Number.MAX_SAFE_INTEGER;
  const byContact = await contactHits(db, conditions, search);
  const hits = [...byContact.values()].filter((h) => h.key < before);

  const fromMessages: Hit[] = [];
  let scannedTo: number | undefined;
  if (search.match) {
    const seen = new Set(byContact.keys());
    let from = before;
    let scanned = 0;
    for (let batch = FIRST_BATCH;; batch = Math.min(batch * 2, MAX_BATCH)) {
      const ids = await matchingMessageIds(db, search.match, from, batch);
      scanned += ids.length;
      for (const hit of await visibleHits(db, conditions, ids)) {
        if (seen.has(hit.conversationId)) continue;
        seen.add(hit.conversationId);
        fromMessages.push(hit);
      }
      if (ids.length < batch) break;
      from = ids.at(-1)!;
      // The page is known once it has more rows above the point read to than it shows.
      const placedAbove = fromMessages.length + hits.filter((h) => h.key >= from).length;
      if (placedAbove > options.limit) break;
      if (scanned >= MAX_SCANNED) {
        scannedTo = from;
        break;
      }
    }
    if (options.cursor) await dropShownBefore(db, fromMessages, search.match, before);
  }
  hits.push(...fromMessages);
  hits.sort((a, b) => b.key - a.key);
  // Past what was read of the index, a contact match's place is not known yet: the next page.
  const placed = scannedTo === undefined ? hits : hits.filter((h) => h.key >= scannedTo);
  const page = placed.slice(0, options.limit);
  const next = placed.length > options.limit
    ? page.at(-1)!.key
    : scannedTo !== undefined
    ? scannedTo
    : undefined;

  const rows = page.length === 0 ? [] : await readConversationRows(
    db,
    [`c.id IN (${page.map((h) => h.conversationId).join(",")})`],
    {},
    "c.id",
    page.length,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const excerpts = search.match
    ? await excerptsOf(db, search, page.filter((h) => !h.byContact).map((h) => h.key))
    : new Map<number, string>();
  return {
    rows: page.flatMap((hit) => {
      const row = byId.get(hit.conversationId);
      if (!row) return [];
      const match = hit.byContact
        ? null
        : { messageId: hit.key, excerpt: excerpts.get(hit.key) ?? "" };
      return [{ ...row, match }];
    }),
    next: next === undefined ? undefined : { at: null, id: next },
  };
}

/** Conversations whose contact matches (every word of 3+ letters, or part of the number). */
async function contactHits(
  db: Db,
  conditions: { where: string[]; args: Record<string, InValue> },
  search: SearchQuery,
): Promise<Map<number, Hit>> {
  const digits = search.digits?.replace(/^0+/, "");
  const words = search.terms.filter((t) => [...t].length >= 3);
  const match = digits && digits.length >= 3
    ? `"${digits}"`
    : words.length > 0 && !search.digits
    ? words.map((w) => `"${w}"`).join(" ")
    : undefined;
  if (!match) return new Map();
  // CROSS JOIN: the matching contacts first (few), then their conversations by index —
  // never every conversation first, each looked up in the index.
  const { rows } = await db.$client.execute({
    sql: `SELECT c.id, (SELECT max(id) FROM messages WHERE conversation_id = c.id) AS last_id
      FROM contacts_fts CROSS JOIN conversations c ON c.contact_id = contacts_fts.rowid
      WHERE contacts_fts MATCH :contact_match AND ${conditions.where.join(" AND ")}
      LIMIT ${MAX_CONTACT_MATCHES}`,
    args: { ...conditions.args, contact_match: match },
  });
  return new Map(
    rows.filter((r) => r.last_id !== null).map((r) => [
      Number(r.id),
      { conversationId: Number(r.id), key: Number(r.last_id), byContact: true },
    ]),
  );
}

/** The ids of up to `limit` messages matching `match` older than `before`, newest first. */
async function matchingMessageIds(
  db: Db,
  match: string,
  before: number,
  limit: number,
): Promise<number[]> {
  const { rows } = await db.$client.execute({
    sql: `SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid < ?
      ORDER BY rowid DESC LIMIT ?`,
    args: [match, before, limit],
  });
  return rows.map((r) => Number(r.rowid));
}

/** Of messages `ids`, those in conversations that pass `conditions`, newest first. */
async function visibleHits(
  db: Db,
  conditions: { where: string[]; args: Record<string, InValue> },
  ids: number[],
): Promise<Hit[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.$client.execute({
    // CROSS JOIN: these messages first, then their conversations — never the other way round.
    sql: `SELECT m.id, m.conversation_id FROM messages m
      CROSS JOIN conversations c ON c.id = m.conversation_id
      WHERE m.id IN (${ids.join(",")}) AND ${conditions.where.join(" AND ")}
      ORDER BY m.id DESC`,
    args: conditions.args,
  });
  return rows.map((r) => ({
    conversationId: Number(r.conversation_id),
    key: Number(r.id),
    byContact: false,
  }));
}

/** The excerpts of messages `ids` around the words searched for, the words marked. */
async function excerptsOf(
  db: Db,
  search: SearchQuery,
  ids: number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.$client.execute(
    `SELECT id, body FROM messages WHERE id IN (${ids.join(",")})`,
  );
  return new Map(
    rows.map((r) => [Number(r.id), markedExcerpt(String(r.body ?? ""), search.terms, PREFIX_FROM)]),
  );
}

/**
 * Takes out of `hits` the conversations with a match at or after `before`: an
 * earlier page showed them. Only matches newer than the cursor are read, which
 * earlier pages read already.
 */
async function dropShownBefore(
  db: Db,
  hits: Hit[],
  match: string,
  before: number,
): Promise<void> {
  if (hits.length === 0) return;
  const { rows } = await db.$client.execute({
    sql: `SELECT DISTINCT m.conversation_id FROM messages_fts
      JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ? AND messages_fts.rowid >= ?
        AND m.conversation_id IN (${hits.map((h) => h.conversationId).join(",")})`,
    args: [match, before],
  });
  const shown = new Set(rows.map((r) => Number(r.conversation_id)));
  for (let i = hits.length - 1; i >= 0; i--) {
    if (shown.has(hits[i].conversationId)) hits.splice(i, 1);
  }
}
