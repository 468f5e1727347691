/**
 * Contacts: one row per person, found by phone, WhatsApp LID or Telegram chat
 * id. When WhatsApp reveals that a LID and a phone number are one person, the
 * two rows become one.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { conflict, invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { broadcastRecipients, contacts, conversations } from "./schema.ts";

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
 * both had a conversation on one channel, the messages, notes and system
 * lines join the kept one. The kept contact's details win; the ones it lacks
 * (name, email, notes, attributes, phone, LID, Telegram chat) come from the
 * other. `alongside` joins the same transaction (an audit line).
 */
async function mergeContacts(
  db: Db,
  keepId: number,
  dropId: number,
  alongside: BatchItem<"sqlite">[] = [],
): Promise<void> {
  const drop = (await db.select().from(contacts).where(eq(contacts.id, dropId)))[0];
  if (!drop) return;
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
    db.run(sql`UPDATE conversation_activities SET conversation_id = ${sameChannelTarget}
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
      name = coalesce(nullif(name, ''), ${drop.name}),
      push_name = coalesce(nullif(push_name, ''), ${drop.pushName}),
      email = coalesce(nullif(email, ''), ${drop.email}),
      notes = coalesce(nullif(notes, ''), ${drop.notes}),
      attributes = json_patch(${drop.attributes}, attributes)
      WHERE id = ${keepId}`),
    db.run(sql`DELETE FROM contacts WHERE id = ${dropId}`),
    // The ways to reach the person the kept contact lacked, once the other row no longer holds them.
    db.run(sql`UPDATE contacts SET
      phone = coalesce(phone, ${drop.phone}),
      wa_lid = coalesce(wa_lid, ${drop.waLid}),
      telegram_chat_id = coalesce(telegram_chat_id, ${drop.telegramChatId})
      WHERE id = ${keepId}`),
    ...alongside,
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

/** A contact as its page shows it: every detail, its attributes read. */
export interface ContactDetail {
  id: number;
  name: string | null;
  pushName: string | null;
  phone: string | null;
  waLid: string | null;
  telegramChatId: string | null;
  email: string | null;
  notes: string | null;
  attributes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** A stored attributes text as an object of strings (anything else in it is left out). */
export function readAttributes(text: string | null): Record<string, string> {
  try {
    const value = JSON.parse(text ?? "{}");
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).flatMap(([k, v]) =>
        v === null || typeof v === "object" ? [] : [[k, String(v)]]
      ),
    );
  } catch {
    return {};
  }
}

function detail(row: Contact): ContactDetail {
  return {
    id: row.id,
    name: row.name,
    pushName: row.pushName,
    phone: row.phone,
    waLid: row.waLid,
    telegramChatId: row.telegramChatId,
    email: row.email,
    notes: row.notes,
    attributes: readAttributes(row.attributes),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The contact with `id`, or undefined. */
export async function getContact(db: Db, id: number): Promise<ContactDetail | undefined> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, id));
  return row && detail(row);
}

/** The contact with `id`, or a 404 naming it. */
export async function requireContact(db: Db, id: number): Promise<ContactDetail> {
  const found = await getContact(db, id);
  if (!found) throw notFound(`No contact with id ${id}`);
  return found;
}

/** A phone number another contact has: a conflict naming the number and the field. */
async function phoneTaken(db: Db, e: unknown, phone: string | null): Promise<unknown> {
  if (!isUniqueViolation(e, "contacts.phone") || phone === null) return e;
  const other = await findBy(db, "phone", phone);
  return conflict(
    `Contact ${other?.id ?? "?"} has the number ${phone} already; merge the two instead`,
    { phone: "err.contact_phone_taken", contact_id: other?.id ?? null },
  );
}

/** The details a contact is created or edited with; the phone as stored (E.164 digits). */
export interface ContactFields {
  name: string | null;
  phone: string | null;
  email: string | null;
  notes: string | null;
  attributes: Record<string, string>;
}

/** Creates a contact (a number is needed: it is how the person is reached). */
export async function createContact(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: ContactFields,
): Promise<ContactDetail> {
  if (input.phone === null) {
    throw invalidInput("A new contact needs a phone number", { phone: "err.phone_empty" });
  }
  const now = clock.now();
  try {
    const [[row]] = await db.batch([
      db.insert(contacts).values({
        ...input,
        attributes: JSON.stringify(input.attributes),
        createdAt: now,
        updatedAt: now,
      }).returning(),
      auditInsert(db, clock, actor, {
        action: "contact.create",
        target: input.phone,
        details: { name: input.name },
      }),
    ]);
    return detail(row);
  } catch (e) {
    throw await phoneTaken(db, e, input.phone);
  }
}

/**
 * Saves a contact's details. The number may be emptied only when the
 * contact is reached another way (WhatsApp LID, Telegram).
 */
export async function updateContact(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  input: ContactFields,
): Promise<ContactDetail> {
  const before = await requireContact(db, id);
  if (input.phone === null && before.waLid === null && before.telegramChatId === null) {
    throw invalidInput(`Contact ${id} is reached only by phone: the number cannot be emptied`, {
      phone: "err.phone_empty",
    });
  }
  const changed = (Object.keys(input) as Array<keyof ContactFields>).filter((k) =>
    JSON.stringify(input[k]) !== JSON.stringify(before[k])
  );
  if (changed.length === 0) return before;
  try {
    const [[row]] = await db.batch([
      db.update(contacts).set({
        ...input,
        attributes: JSON.stringify(input.attributes),
        updatedAt: clock.now(),
      }).where(eq(contacts.id, id)).returning(),
      auditInsert(db, clock, actor, {
        action: "contact.update",
        target: String(id),
        details: {
          fields: changed,
          ...(changed.includes("phone") ? { phone: { from: before.phone, to: input.phone } } : {}),
        },
      }),
    ]);
    return detail(row);
  } catch (e) {
    throw await phoneTaken(db, e, input.phone);
  }
}

/**
 * Deletes a contact that has no conversation; one that has is refused (409):
 * its messages stay, merged into the right contact instead.
 */
export async function deleteContact(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<ContactDetail> {
  const before = await requireContact(db, id);
  const { rows } = await db.$client.execute({
    sql: "SELECT count(*) AS n FROM conversations WHERE contact_id = ?",
    args: [id],
  });
  const n = Number(rows[0].n);
  if (n > 0) {
    throw conflict(
      `Contact ${id} has ${n} conversation(s); merge it into the right contact instead of deleting it`,
      { _form: "err.contact_has_conversations", conversations: n },
    );
  }
  await db.batch([
    db.update(broadcastRecipients).set({ contactId: null }).where(
      eq(broadcastRecipients.contactId, id),
    ),
    db.delete(contacts).where(eq(contacts.id, id)),
    auditInsert(db, clock, actor, {
      action: "contact.delete",
      target: String(id),
      details: { name: before.name ?? before.pushName, phone: before.phone },
    }),
  ]);
  return before;
}

/** The identities one person has once; two contacts that differ in one are two people. */
const IDENTITIES = [
  ["phone", "phone"],
  ["waLid", "wa_lid"],
  ["telegramChatId", "telegram_chat_id"],
] as const;

/**
 * Merges contact `dropId` into `keepId` (see `mergeContacts`), with an audit
 * line in the same transaction. Refused (409) when both hold different
 * values of one identity (phone, WhatsApp LID, Telegram chat): they are then
 * two people.
 */
export async function mergeContactInto(
  db: Db,
  clock: Clock,
  actor: Actor,
  keepId: number,
  dropId: number,
): Promise<ContactDetail> {
  if (keepId === dropId) {
    throw invalidInput(`Contact ${keepId} cannot be merged with itself`, {
      other: "err.contact_merge_self",
    });
  }
  const keep = await requireContact(db, keepId);
  const drop = await requireContact(db, dropId);
  for (const [field, column] of IDENTITIES) {
    const a = keep[field];
    const b = drop[field];
    if (a !== null && b !== null && a !== b) {
      throw conflict(
        `Contacts ${keepId} and ${dropId} have different ${column} values (${a} and ${b}): they are two people`,
        { other: "err.contact_merge_conflict", field: column, keep: a, drop: b },
      );
    }
  }
  await mergeContacts(db, keepId, dropId, [
    auditInsert(db, clock, actor, {
      action: "contact.merge",
      target: String(keepId),
      details: { merged: dropId, name: drop.name ?? drop.pushName, phone: drop.phone },
    }),
  ]);
  return await requireContact(db, keepId);
}

/** What an import did. */
export interface ImportCounts {
  created: number;
  updated: number;
}

/** Rows per statement of an import: one JSON text each, read by `json_each`. */
const IMPORT_CHUNK = 2000;

/**
 * Creates or updates a contact for each record (by phone, as stored): new
 * values win, empty ones keep what was there, attributes are added to the
 * existing ones. One transaction of a few large statements, with the audit
 * line (`details`) in it.
 */
export async function importContactRecords(
  db: Db,
  clock: Clock,
  actor: Actor,
  records: Array<
    { phone: string; name: string | null; email: string | null; attributes: Record<string, string> }
  >,
  details: Record<string, unknown>,
): Promise<ImportCounts> {
  const now = clock.now();
  const phones = JSON.stringify(records.map((r) => r.phone));
  const { rows } = await db.$client.execute({
    sql: "SELECT count(*) AS n FROM contacts WHERE phone IN (SELECT value FROM json_each(?))",
    args: [phones],
  });
  const updated = Number(rows[0].n);
  const counts = { created: records.length - updated, updated };
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < records.length; i += IMPORT_CHUNK) {
    const chunk = JSON.stringify(records.slice(i, i + IMPORT_CHUNK));
    statements.push(db.run(sql`INSERT INTO contacts
        (phone, name, email, attributes, created_at, updated_at)
      SELECT value ->> 'phone', value ->> 'name', value ->> 'email', value -> 'attributes',
        ${now}, ${now}
      FROM json_each(${chunk}) WHERE true
      ON CONFLICT (phone) DO UPDATE SET
        name = coalesce(excluded.name, contacts.name),
        email = coalesce(excluded.email, contacts.email),
        attributes = json_patch(contacts.attributes, excluded.attributes),
        updated_at = excluded.updated_at`));
  }
  await db.batch([
    auditInsert(db, clock, actor, {
      action: "contact.import",
      details: { ...details, ...counts },
    }),
    ...statements,
  ]);
  return counts;
}
