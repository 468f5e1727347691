/**
 * Webhook events of conversations, written in the same transaction as the
 * change they report (as the triggers of migrations/0006 do for messages and
 * channels), so an accepted change always yields its event. Only when some
 * active webhook exists: an install without webhooks stores nothing.
 */
import type { InStatement, InValue } from "@libsql/client";

/** What a `conversation.updated` event says changed. */
export type ConversationChange = "status" | "assignee" | "department" | "labels";

/** The conversation as an event carries it (on `c`, with `u` its assignee and `d` its department). */
const CONVERSATION_JSON = `json_object(
  'id', c.id, 'channel', c.channel_id, 'contact', c.contact_id, 'status', c.status,
  'assignee', CASE WHEN u.id IS NULL THEN NULL
    ELSE json_object('id', u.id, 'name', u.display_name) END,
  'department', CASE WHEN d.id IS NULL THEN NULL
    ELSE json_object('id', d.id, 'name', d.name) END,
  'labels', json((SELECT json_group_array(json_object('id', l.id, 'name', l.name,
      'color', l.color))
    FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id
    WHERE cl.conversation_id = c.id)),
  'unread_count', c.unread_count)`;

const FROM_CONVERSATION = `FROM conversations c
  LEFT JOIN users u ON u.id = c.assignee_id
  LEFT JOIN departments d ON d.id = c.department_id`;

const ANY_WEBHOOK = "EXISTS (SELECT 1 FROM webhooks WHERE active = 1)";

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
      SELECT 'conversation.updated', c.channel_id, c.id,
        json_object('changed', json_array(:changed), 'conversation', ${CONVERSATION_JSON}), :at
      ${FROM_CONVERSATION}
      WHERE c.id = :id AND changes() > 0 AND ${ANY_WEBHOOK}`,
    args: { id, changed, at },
  };
}

/**
 * For a message just stored on channel `:channel` from contact `:contact` at `:now` (the
 * caller's named arguments): `conversation.created` when its conversation began with it, and
 * `conversation.updated` (status) when it reopened a resolved one (its system line says so).
 */
export const inboundConversationEventsSql = `INSERT INTO webhook_events (type, channel_id,
    conversation_id, data, created_at)
  SELECT CASE WHEN c.created_at = :now AND c.unread_count = 1 THEN 'conversation.created'
      ELSE 'conversation.updated' END,
    c.channel_id, c.id,
    CASE WHEN c.created_at = :now AND c.unread_count = 1
      THEN json_object('conversation', ${CONVERSATION_JSON})
      ELSE json_object('changed', json_array('status'), 'conversation', ${CONVERSATION_JSON}) END,
    :now
  ${FROM_CONVERSATION}
  WHERE ${ANY_WEBHOOK} AND c.channel_id = :channel AND c.contact_id = :contact
    AND ((c.created_at = :now AND c.unread_count = 1
        AND NOT EXISTS (SELECT 1 FROM webhook_events e
          WHERE e.type = 'conversation.created' AND e.conversation_id = c.id))
      OR EXISTS (SELECT 1 FROM conversation_activities a WHERE a.conversation_id = c.id
        AND a.at = :now AND a.kind = 'status' AND a.actor_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.type = 'conversation.updated'
          AND e.conversation_id = c.id AND e.created_at = :now)))`;

/**
 * `conversation.created` for each conversation `begun` selects (by id) that
 * has none yet: conversations a first message sent to someone began. Each
 * event is dated when its conversation began.
 */
export function outboundConversationsCreatedStatement(
  begun: { sql: string; args: InValue[] },
): InStatement {
  return {
    sql: `INSERT INTO webhook_events (type, channel_id, conversation_id, data, created_at)
      SELECT 'conversation.created', c.channel_id, c.id,
        json_object('conversation', ${CONVERSATION_JSON}), c.created_at
      ${FROM_CONVERSATION}
      WHERE ${ANY_WEBHOOK} AND c.id IN (${begun.sql}) AND NOT EXISTS (SELECT 1 FROM webhook_events e
          WHERE e.type = 'conversation.created' AND e.conversation_id = c.id)`,
    args: begun.args,
  };
}
