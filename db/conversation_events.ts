/**
 * Webhook events of conversations, written in the same transaction as the
 * change they report (as the triggers of migrations/0006 do for messages and
 * channels), so an accepted change always yields its event. Only when some
 * active webhook exists: an install without webhooks stores nothing.
 */
import type { InStatement } from "@libsql/client";

/** What a `conversation.updated` event says changed. */
export type ConversationChange = "status" | "assignee" | "department" | "labels";

/**
 * The statement that writes a `conversation.updated` event for conversation `id` with the
 * conversation as it now stands, only when the statement before it in the same batch
 * changed a row (so a no-op leaves no event).
 */
export function conversationUpdatedStatement(
  id: number,
  changed: ConversationChange,
  at: number,
): InStatement {
  return {
    sql: `INSERT INTO webhook_events (type, channel_id, conversation_id, data, created_at)
      SELECT 'conversation.updated', c.channel_id, c.id, json_object(
          'changed', json_array(:changed),
          'conversation', json_object(
            'id', c.id, 'channel', c.channel_id, 'contact', c.contact_id, 'status', c.status,
            'assignee', CASE WHEN u.id IS NULL THEN NULL
              ELSE json_object('id', u.id, 'name', u.display_name) END,
            'department', CASE WHEN d.id IS NULL THEN NULL
              ELSE json_object('id', d.id, 'name', d.name) END,
            'labels', json((SELECT json_group_array(json_object('id', l.id, 'name', l.name,
                'color', l.color))
              FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id
              WHERE cl.conversation_id = c.id)),
            'unread_count', c.unread_count)),
        :at
      FROM conversations c
      LEFT JOIN users u ON u.id = c.assignee_id
      LEFT JOIN departments d ON d.id = c.department_id
      WHERE c.id = :id AND changes() > 0 AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)`,
    args: { id, changed, at },
  };
}
