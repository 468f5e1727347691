/**
 * What a member of staff is told on every page they have open: how many
 * conversations they may see are unread (the tab title), and, after their
 * browser reconnects, the mentions and assignments they missed meanwhile.
 */
import type { Viewer } from "../core/conversation_visibility.ts";
import type { Db } from "./client.ts";
import { conversationConditions } from "./conversations.ts";

/** The count stops here: the title says "99+", and counting further costs for nothing. */
export const UNREAD_COUNT_CAP = 100;

/** How many conversations `viewer` may see have unread messages, up to the cap. */
export async function countUnreadConversations(db: Db, viewer: Viewer): Promise<number> {
  const { where, args } = conversationConditions(viewer, { status: "all" });
  const { rows } = await db.$client.execute({
    sql:
      `SELECT count(*) AS n FROM (SELECT 1 FROM conversations c INDEXED BY conversations_unread_idx
      WHERE c.unread_count > 0 AND ${where.join(" AND ")} LIMIT ${UNREAD_COUNT_CAP})`,
    args,
  });
  return Number(rows[0].n);
}

/** A mention, an assignment or a new conversation, as a reconnecting page replays it. */
export interface MissedNotice {
  kind: "mention" | "assigned" | "opened";
  conversationId: number;
  by: string | null;
  at: number;
}

/** The mentions of `userId` and the conversations given to them from `since` on (oldest first). */
export async function missedNotices(
  db: Db,
  userId: number,
  since: number,
): Promise<MissedNotice[]> {
  const [mentions, assignments] = await db.$client.batch([
    {
      sql: `SELECT n.conversation_id, n.created_at AS at, u.display_name AS by
        FROM note_mentions m JOIN conversation_notes n ON n.id = m.note_id
        LEFT JOIN users u ON u.id = n.author_id
        WHERE m.user_id = ? AND m.seen_at IS NULL AND n.created_at >= ?
        ORDER BY n.created_at LIMIT 20`,
      args: [userId, since],
    },
    {
      sql: `SELECT a.conversation_id, a.at, a.actor_name AS by FROM conversation_activities a
        WHERE a.kind = 'assigned' AND a.at >= ? AND json_extract(a.details, '$.id') = ?
          AND coalesce(a.actor_id, 0) != ?
        ORDER BY a.at LIMIT 20`,
      args: [since, String(userId), userId],
    },
  ], "read");
  const read = (kind: MissedNotice["kind"]) => (r: Record<string, unknown>): MissedNotice => ({
    kind,
    conversationId: Number(r.conversation_id),
    by: r.by === null ? null : String(r.by),
    at: Number(r.at),
  });
  return [
    ...mentions.rows.map(read("mention")),
    ...assignments.rows.map(read("assigned")),
  ].sort((a, b) => a.at - b.at);
}

/** Opened conversations told about after a reconnect at most (the list shows the rest). */
const MAX_MISSED_OPENED = 3;

/**
 * The conversations `viewer` may see that began, or were reopened by the patient, from `since`
 * on: the newest few, oldest first.
 */
export async function missedOpened(
  db: Db,
  viewer: Viewer,
  since: number,
): Promise<MissedNotice[]> {
  const { where, args } = conversationConditions(viewer, { status: "all" });
  const { rows } = await db.$client.execute({
    sql: `SELECT c.id, max(c.created_at, coalesce((SELECT max(a.at) FROM conversation_activities a
          WHERE a.conversation_id = c.id AND a.kind = 'status' AND a.actor_id IS NULL
            AND a.at >= :since), 0)) AS at
      FROM conversations c
      WHERE c.last_activity_at >= :since AND ${where.join(" AND ")}
        AND (c.created_at >= :since OR EXISTS (SELECT 1 FROM conversation_activities a
          WHERE a.conversation_id = c.id AND a.kind = 'status' AND a.actor_id IS NULL
            AND a.at >= :since))
      ORDER BY at DESC LIMIT ${MAX_MISSED_OPENED}`,
    args: { ...args, since },
  });
  return rows.map((r): MissedNotice => ({
    kind: "opened",
    conversationId: Number(r.id),
    by: null,
    at: Number(r.at),
  })).reverse();
}
