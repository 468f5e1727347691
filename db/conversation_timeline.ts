/**
 * A thread as staff read it: the messages, the private notes staff leave
 * for each other, and the system lines of what was done to the conversation
 * (assigned to X by Y, labelled, resolved, reopened), in time order. A page
 * is a page of messages; the notes and lines of its time span go with it.
 */
import type { InStatement } from "@libsql/client";
import type { ActivityKind } from "../core/activity_kind.ts";
import type { Db } from "./client.ts";
import { type ThreadMessage, threadMessages } from "./conversations.ts";

/** Who did something to a conversation: a staff member, an API key, or (null) the patient or Kabar. */
export interface ConversationActor {
  userId: number | null;
  /** Shown in the thread: a staff member's display name, or an API key's name. */
  name: string;
}

export type TimelineEntry =
  | { kind: "message"; at: number; message: ThreadMessage }
  | { kind: "note"; id: number; at: number; author: string | null; text: string }
  | {
    kind: "activity";
    id: number;
    at: number;
    activity: ActivityKind;
    actor: string | null;
    /** What the line names: `name` of an assignee, department or label; `status`. */
    details: Record<string, string>;
  };

/**
 * The statement that writes a system line for conversation `conversationId`, only when the
 * statement before it in the same batch changed a row (so a no-op change leaves no line).
 */
export function activityStatement(
  conversationId: number,
  kind: ActivityKind,
  actor: ConversationActor | null,
  details: Record<string, string>,
  at: number,
  onlyAfterChange = true,
): InStatement {
  return {
    sql: `INSERT INTO conversation_activities (conversation_id, at, kind, actor_id, actor_name,
        details) SELECT ?, ?, ?, ?, ?, ?${onlyAfterChange ? " WHERE changes() > 0" : ""}`,
    args: [
      conversationId,
      at,
      kind,
      actor?.userId ?? null,
      actor?.name ?? null,
      JSON.stringify(details),
    ],
  };
}

/**
 * Writes a private note, and who it mentions (`mentionIds`, staff ids); answers its id.
 * One transaction: a mention never points at a note that is not there.
 */
export async function addNote(
  db: Db,
  note: {
    conversationId: number;
    authorId: number | null;
    /** The author's name as it then was (an API key's, or a staff member's). */
    authorName: string;
    text: string;
    mentionIds: number[];
  },
  now: number,
): Promise<number> {
  const results = await db.$client.batch([
    {
      sql: `INSERT INTO conversation_notes (conversation_id, author_id, author_name, body,
          created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      args: [note.conversationId, note.authorId, note.authorName, note.text, now],
    },
    ...note.mentionIds.map((userId): InStatement => ({
      sql: `INSERT INTO note_mentions (note_id, user_id)
        SELECT max(id), ? FROM conversation_notes WHERE conversation_id = ?
        ON CONFLICT DO NOTHING`,
      args: [userId, note.conversationId],
    })),
  ], "write");
  return Number(results[0].rows[0].id);
}

/** Marks the mentions of `userId` in the conversation's notes seen (they opened it). */
export async function markMentionsSeen(
  db: Db,
  userId: number,
  conversationId: number,
  now: number,
): Promise<void> {
  await db.$client.execute({
    sql: `UPDATE note_mentions SET seen_at = ? WHERE user_id = ? AND seen_at IS NULL
      AND note_id IN (SELECT id FROM conversation_notes WHERE conversation_id = ?)`,
    args: [now, userId, conversationId],
  });
}

/**
 * A page of the thread, oldest first: the page of messages `threadMessages` gives, with
 * the notes and system lines from the first message of the page (from the start, on the
 * oldest page) up to the first message of the next page (to now, on the newest).
 */
export async function threadTimeline(
  db: Db,
  conversationId: number,
  options: { beforeId?: number; limit: number },
): Promise<{ entries: TimelineEntry[]; olderFrom?: number }> {
  const { messages, olderFrom } = await threadMessages(db, conversationId, options);
  const from = olderFrom === undefined ? 0 : messages[0]?.at ?? 0;
  let to = Number.MAX_SAFE_INTEGER;
  if (options.beforeId !== undefined) {
    const { rows } = await db.$client.execute({
      sql: "SELECT created_at FROM messages WHERE id = ? AND conversation_id = ?",
      args: [options.beforeId, conversationId],
    });
    if (rows[0]) to = Number(rows[0].created_at);
  }
  const [notes, activities] = await db.$client.batch([
    {
      sql: `SELECT n.id, n.created_at AS at, n.body,
          coalesce(u.display_name, n.author_name) AS author
        FROM conversation_notes n LEFT JOIN users u ON u.id = n.author_id
        WHERE n.conversation_id = :conversation AND n.created_at >= :from AND n.created_at < :to
        ORDER BY n.created_at, n.id`,
      args: { conversation: conversationId, from, to },
    },
    {
      sql: `SELECT a.id, a.at, a.kind, a.details, coalesce(u.display_name, a.actor_name) AS actor
        FROM conversation_activities a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.conversation_id = :conversation AND a.at >= :from AND a.at < :to
        ORDER BY a.at, a.id`,
      args: { conversation: conversationId, from, to },
    },
  ], "read");
  const others: TimelineEntry[] = [
    ...notes.rows.map((r): TimelineEntry => ({
      kind: "note",
      id: Number(r.id),
      at: Number(r.at),
      author: r.author === null ? null : String(r.author),
      text: String(r.body),
    })),
    ...activities.rows.map((r): TimelineEntry => ({
      kind: "activity",
      id: Number(r.id),
      at: Number(r.at),
      activity: r.kind as ActivityKind,
      actor: r.actor === null ? null : String(r.actor),
      details: JSON.parse(String(r.details)) as Record<string, string>,
    })),
  ].sort((a, b) => a.at - b.at);
  // Messages keep their own order; each note or line goes before the first message from its
  // time on (the patient's message that reopened a conversation comes after the line saying so).
  const entries: TimelineEntry[] = [];
  let next = 0;
  for (const message of messages) {
    while (next < others.length && others[next].at <= message.at) entries.push(others[next++]);
    entries.push({ kind: "message", at: message.at, message });
  }
  entries.push(...others.slice(next));
  return { entries, olderFrom };
}
