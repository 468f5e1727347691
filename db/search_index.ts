/**
 * The message search index (`messages_fts`, migrations 0001 and 0013) is
 * filled in batches: every group commit and every inbound batch ends with
 * `INDEX_NEW_MESSAGES`, which adds the messages written since the last run,
 * in the same transaction. So a message is searchable as soon as it is
 * committed, at a fraction of what indexing each row on insert cost.
 *
 * This is right because message ids grow in commit order: writers take
 * turns, and each takes its ids while it holds the write lock.
 */
import type { InStatement } from "@libsql/client";
import type { Db } from "./client.ts";

export const INDEX_NEW_MESSAGES: InStatement[] = [
  `INSERT INTO messages_fts (rowid, body)
    SELECT id, body FROM messages
    WHERE id > (SELECT last_message_id FROM search_index) AND body IS NOT NULL`,
  `UPDATE search_index SET last_message_id = (SELECT max(id) FROM messages)
    WHERE last_message_id < (SELECT max(id) FROM messages)`,
];

/** Indexes what a write outside the group commit added (tests, maintenance). */
export async function indexNewMessages(db: Db): Promise<void> {
  await db.$client.batch(INDEX_NEW_MESSAGES, "write");
}
