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
import { MARK_END, MARK_START } from "../core/search_excerpt.ts";
import type { SearchQuery } from "../core/search_query.ts";
import type { Db } from "./client.ts";
import {
  conversationConditions,
  type ConversationFilter,
  type ConversationPage,
  readConversationRows,
} from "./conversations.ts";

/** Matching messages read per batch. */
const BATCH = 400;
/** Batches read for one page at most: past them the page ends early, with a cursor to go on. */
const MAX_BATCHES = 25;
/** Conversations found by their contact at most (a name like "Siti" is in thousands). */
const MAX_CONTACT_MATCHES = 1000;

interface Hit {
  conversationId: number;
  /** The message the conversation sits at. */
  key: number;
  excerpt: string | null;
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
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const rows = await messageHits(db, conditions, search.match, from);
      for (const hit of rows) {
        if (seen.has(hit.conversationId)) continue;
        seen.add(hit.conversationId);
        fromMessages.push(hit);
      }
      if (rows.length < BATCH || fromMessages.length > options.limit) break;
      from = rows.at(-1)!.key;
      if (batch === MAX_BATCHES - 1) scannedTo = from;
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
  return {
    rows: page.flatMap((hit) => {
      const row = byId.get(hit.conversationId);
      if (!row) return [];
      const match = hit.excerpt === null ? null : { messageId: hit.key, excerpt: hit.excerpt };
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
  const { rows } = await db.$client.execute({
    sql: `SELECT c.id, (SELECT max(id) FROM messages WHERE conversation_id = c.id) AS last_id
      FROM contacts_fts JOIN conversations c ON c.contact_id = contacts_fts.rowid
      WHERE contacts_fts MATCH :contact_match AND ${conditions.where.join(" AND ")}
      LIMIT ${MAX_CONTACT_MATCHES}`,
    args: { ...conditions.args, contact_match: match },
  });
  return new Map(
    rows.filter((r) => r.last_id !== null).map((r) => [
      Number(r.id),
      { conversationId: Number(r.id), key: Number(r.last_id), excerpt: null },
    ]),
  );
}

/** A batch of matching messages older than `before`, newest first, in conversations that pass. */
async function messageHits(
  db: Db,
  conditions: { where: string[]; args: Record<string, InValue> },
  match: string,
  before: number,
): Promise<Hit[]> {
  const { rows } = await db.$client.execute({
    sql: `SELECT messages_fts.rowid AS id, m.conversation_id,
        snippet(messages_fts, 0, :mark_start, :mark_end, '…', 14) AS excerpt
      FROM messages_fts
      JOIN messages m ON m.id = messages_fts.rowid
      JOIN conversations c ON c.id = m.conversation_id
      WHERE messages_fts MATCH :match AND messages_fts.rowid < :before
        AND ${conditions.where.join(" AND ")}
      ORDER BY messages_fts.rowid DESC
      LIMIT ${BATCH}`,
    args: {
      ...conditions.args,
      match,
      before,
      mark_start: MARK_START,
      mark_end: MARK_END,
    },
  });
  return rows.map((r) => ({
    conversationId: Number(r.conversation_id),
    key: Number(r.id),
    excerpt: String(r.excerpt ?? ""),
  }));
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
