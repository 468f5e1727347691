import type { Db } from "./client.ts";

/** A received message to mark read on its channel, with who sent it. */
export interface UnreadInbound {
  externalId: string;
  phone: string | null;
  waLid: string | null;
}

/**
 * The newest `count` messages the patient sent in the conversation (those
 * its unread count stands for), oldest first, with the channel's id for each
 * and the sender's phone number and WhatsApp LID.
 */
export async function unreadInboundMessages(
  db: Db,
  conversationId: number,
  count: number,
): Promise<UnreadInbound[]> {
  if (count <= 0) return [];
  const { rows } = await db.$client.execute({
    sql: `SELECT m.external_id, c.phone, c.wa_lid FROM messages m
      JOIN contacts c ON c.id = m.contact_id
      WHERE m.conversation_id = ? AND m.direction = 'in' AND m.external_id IS NOT NULL
      ORDER BY m.id DESC LIMIT ?`,
    args: [conversationId, count],
  });
  return rows.reverse().map((r) => ({
    externalId: String(r.external_id),
    phone: r.phone === null ? null : String(r.phone),
    waLid: r.wa_lid === null ? null : String(r.wa_lid),
  }));
}
