/**
 * Contacts: one row per person, found by phone, WhatsApp LID or Telegram chat
 * id. When WhatsApp reveals that a LID and a phone number are one person, the
 * two rows become one.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { contacts, conversations } from "./schema.ts";

export type Contact = typeof contacts.$inferSelect;

/** How a channel knows a person; at least one of the ids is set. */
export interface ContactKey {
  phone?: string;
  waLid?: string;
  telegramChatId?: string;
  pushName?: string;
}

/**
 * The contact for `key`: found, updated with what is new (push name, a LID
 * or phone learned), merged when the phone and the LID were two rows, or
 * created. Returns its id.
 */
export async function resolveContact(db: Db, clock: Clock, key: ContactKey): Promise<number> {
  if (!key.phone && !key.waLid && !key.telegramChatId) {
    throw new Error("A contact needs a phone number, a WhatsApp LID or a Telegram chat id");
  }
  // Two messages from a new person at once both try to insert; the loser
  // finds the winner's row on the second pass.
  for (let attempt = 0;; attempt++) {
    try {
      return await resolveOnce(db, clock, key);
    } catch (e) {
      if (attempt === 0 && isUniqueViolation(e, "contacts.")) continue;
      throw e;
    }
  }
}

async function resolveOnce(db: Db, clock: Clock, key: ContactKey): Promise<number> {
  const now = clock.now();
  const byPhone = key.phone ? await findBy(db, "phone", key.phone) : undefined;
  const byLid = key.waLid ? await findBy(db, "waLid", key.waLid) : undefined;
  const byChat = key.telegramChatId
    ? await findBy(db, "telegramChatId", key.telegramChatId)
    : undefined;
  let found = byPhone ?? byLid ?? byChat;
  if (byPhone && byLid && byPhone.id !== byLid.id) {
    await mergeContacts(db, byPhone.id, byLid.id);
    found = byPhone;
  }
  if (!found) {
    const [row] = await db.insert(contacts).values({
      phone: key.phone ?? null,
      waLid: key.waLid ?? null,
      telegramChatId: key.telegramChatId ?? null,
      pushName: key.pushName ?? null,
      createdAt: now,
      updatedAt: now,
    }).returning({ id: contacts.id });
    return row.id;
  }
  const changes: Partial<Contact> = {};
  if (key.phone && found.phone !== key.phone) changes.phone = key.phone;
  if (key.waLid && found.waLid !== key.waLid) changes.waLid = key.waLid;
  if (key.pushName && found.pushName !== key.pushName) changes.pushName = key.pushName;
  if (Object.keys(changes).length > 0) {
    await db.update(contacts).set({ ...changes, updatedAt: now }).where(eq(contacts.id, found.id));
  }
  return found.id;
}

/**
 * Records that `lid` and `phone` are one person, for contacts Kabar already
 * has; people never seen are not created from a mapping alone.
 */
export async function linkContactLid(
  db: Db,
  clock: Clock,
  mapping: { lid: string; phone: string },
): Promise<void> {
  const byPhone = await findBy(db, "phone", mapping.phone);
  const byLid = await findBy(db, "waLid", mapping.lid);
  if (!byPhone && !byLid) return;
  await resolveContact(db, clock, { phone: mapping.phone, waLid: mapping.lid });
}

async function findBy(
  db: Db,
  column: "phone" | "waLid" | "telegramChatId",
  value: string,
): Promise<Contact | undefined> {
  return (await db.select().from(contacts).where(eq(contacts[column], value)))[0];
}

/**
 * Moves everything of contact `dropId` to `keepId` and deletes `dropId`. Where
 * both had a conversation on one channel, the messages and notes join the
 * kept one.
 */
async function mergeContacts(db: Db, keepId: number, dropId: number): Promise<void> {
  const sameChannelTarget = sql`(
    SELECT k.id FROM conversations k JOIN conversations d ON d.channel_id = k.channel_id
    WHERE d.id = conversation_id AND k.contact_id = ${keepId})`;
  await db.batch([
    // Where both have a conversation on one channel, the kept one takes the
    // state that matters most: open if either is, every unread message, the
    // latest times, an assignee and department if only the other had one.
    db.run(sql`UPDATE conversations AS k SET
        status = CASE
          WHEN k.status = 'open' OR d.status = 'open' THEN 'open'
          WHEN k.status = 'pending' OR d.status = 'pending' THEN 'pending'
          ELSE 'resolved' END,
        resolved_at = CASE WHEN k.status = 'resolved' AND d.status = 'resolved'
          THEN max(k.resolved_at, d.resolved_at) END,
        unread_count = k.unread_count + d.unread_count,
        last_inbound_at = max(coalesce(k.last_inbound_at, 0), coalesce(d.last_inbound_at, 0)),
        last_activity_at = nullif(max(coalesce(k.last_activity_at, 0), coalesce(d.last_activity_at, 0)), 0),
        first_response_at = coalesce(k.first_response_at, d.first_response_at),
        assignee_id = coalesce(k.assignee_id, d.assignee_id),
        department_id = coalesce(k.department_id, d.department_id)
      FROM conversations AS d
      WHERE d.contact_id = ${dropId} AND d.channel_id = k.channel_id AND k.contact_id = ${keepId}`),
    db.run(sql`INSERT OR IGNORE INTO conversation_labels (conversation_id, label_id)
      SELECT k.id, l.label_id FROM conversation_labels l
      JOIN conversations d ON d.id = l.conversation_id
      JOIN conversations k ON k.channel_id = d.channel_id AND k.contact_id = ${keepId}
      WHERE d.contact_id = ${dropId}`),
    db.run(sql`UPDATE messages SET conversation_id = ${sameChannelTarget}
      WHERE contact_id = ${dropId} AND ${sameChannelTarget} IS NOT NULL`),
    db.run(sql`UPDATE conversation_notes SET conversation_id = ${sameChannelTarget}
      WHERE conversation_id IN (SELECT id FROM conversations WHERE contact_id = ${dropId})
        AND ${sameChannelTarget} IS NOT NULL`),
    db.run(sql`DELETE FROM conversations WHERE contact_id = ${dropId}
      AND channel_id IN (SELECT channel_id FROM conversations WHERE contact_id = ${keepId})`),
    db.run(sql`UPDATE conversations SET contact_id = ${keepId} WHERE contact_id = ${dropId}`),
    db.run(sql`UPDATE conversations SET last_message_at =
      (SELECT max(created_at) FROM messages m WHERE m.conversation_id = conversations.id)
      WHERE contact_id = ${keepId}`),
    db.run(sql`UPDATE messages SET contact_id = ${keepId} WHERE contact_id = ${dropId}`),
    db.run(
      sql`UPDATE broadcast_recipients SET contact_id = ${keepId} WHERE contact_id = ${dropId}`,
    ),
    db.run(sql`UPDATE contacts SET
      name = coalesce(name, (SELECT name FROM contacts WHERE id = ${dropId})),
      push_name = coalesce(push_name, (SELECT push_name FROM contacts WHERE id = ${dropId})),
      attributes = json_patch((SELECT attributes FROM contacts WHERE id = ${dropId}), attributes)
      WHERE id = ${keepId}`),
    db.run(sql`DELETE FROM contacts WHERE id = ${dropId}`),
  ]);
}

/** Where to reach each of the contacts `ids`: phone and Telegram chat id. */
export async function contactAddresses(
  db: Db,
  ids: number[],
): Promise<Map<number, { phone: string | null; telegramChatId: string | null }>> {
  const rows = await db.select({
    id: contacts.id,
    phone: contacts.phone,
    telegramChatId: contacts.telegramChatId,
  }).from(contacts).where(inArray(contacts.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Where to reach contact `id`; with `onChannel`, only a contact who has a
 * conversation on that channel is found.
 */
export async function contactAddress(
  db: Db,
  id: number,
  onChannel?: number,
): Promise<{ phone: string | null; telegramChatId: string | null } | undefined> {
  const columns = { phone: contacts.phone, telegramChatId: contacts.telegramChatId };
  const [row] = onChannel === undefined
    ? await db.select(columns).from(contacts).where(eq(contacts.id, id))
    : await db.select(columns).from(contacts).innerJoin(
      conversations,
      and(eq(conversations.contactId, contacts.id), eq(conversations.channelId, onChannel)),
    ).where(eq(contacts.id, id));
  return row;
}

/** The contact with this phone number or Telegram chat id, if any. */
export async function findContactId(db: Db, address: string): Promise<number | undefined> {
  const [row] = await db.select({ id: contacts.id }).from(contacts).where(
    sql`${contacts.phone} = ${address} OR ${contacts.telegramChatId} = ${address}`,
  );
  return row?.id;
}
