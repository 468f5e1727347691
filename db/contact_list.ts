/**
 * The contact list: found by any part of a name or number (the trigram index
 * `contacts_fts`, accents folded), narrowed to those with a conversation
 * carrying a label, newest activity first, a page at a time from a keyset
 * cursor — never OFFSET, so rows that move in between are neither repeated
 * nor skipped.
 */
import type { InValue } from "@libsql/client";
import type { ContactSearch } from "../core/contact_input.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import type { Db } from "./client.ts";
import { readAttributes } from "./contacts.ts";

export interface ContactFilter {
  /** See `contactSearch` in core/contact_input.ts. */
  search?: ContactSearch;
  /** Contacts with a conversation that has this label. */
  labelId?: number;
  /** Leave this contact out (the one being merged into). */
  exceptId?: number;
  /** Only contacts with a conversation on this channel (an API key limited to it). */
  channelId?: number;
}

export interface ContactListRow {
  id: number;
  name: string | null;
  pushName: string | null;
  phone: string | null;
  telegramChatId: string | null;
  email: string | null;
  notes: string | null;
  attributes: Record<string, string>;
  /** The labels of their conversations, by name. */
  labels: { id: number; name: string; color: string }[];
  /** The latest activity of any of their conversations; null when none had any. */
  lastActivityAt: number | null;
  createdAt: number;
}

export interface ContactPage {
  rows: ContactListRow[];
  /** Where the next page starts, or undefined on the last page. */
  next?: KeysetPosition;
}

/**
 * One page of the contacts that pass `filter`, after `cursor`: the latest
 * activity of their conversations first (contacts without any last), then
 * the newest contact first.
 */
export async function listContacts(
  db: Db,
  filter: ContactFilter,
  options: { cursor?: KeysetPosition; limit: number },
): Promise<ContactPage> {
  const where: string[] = ["1"];
  const args: Record<string, InValue> = { limit: options.limit + 1 };
  const search = filter.search;
  if (search && "match" in search) {
    where.push("k.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :match)");
    args.match = search.match;
  } else if (search) {
    where.push(`(k.name LIKE :like ESCAPE '\\' OR k.push_name LIKE :like ESCAPE '\\'
      OR k.phone LIKE :like ESCAPE '\\' OR k.telegram_chat_id LIKE :like ESCAPE '\\')`);
    args.like = search.like;
  }
  if (filter.labelId !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM conversations c
      JOIN conversation_labels cl ON cl.conversation_id = c.id
      WHERE c.contact_id = k.id AND cl.label_id = :label)`);
    args.label = filter.labelId;
  }
  if (filter.exceptId !== undefined) {
    where.push("k.id != :except");
    args.except = filter.exceptId;
  }
  if (filter.channelId !== undefined) {
    where.push(
      "EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = k.id AND c.channel_id = :channel)",
    );
    args.channel = filter.channelId;
  }
  const after: string[] = [];
  if (options.cursor) {
    args.at = options.cursor.at ?? -1;
    args.after = options.cursor.id;
    after.push("(at < :at OR (at = :at AND id < :after))");
  }
  const { rows } = await db.$client.execute({
    sql: `SELECT p.*,
        (SELECT json_group_array(json_object('id', id, 'name', name, 'color', color))
          FROM (SELECT DISTINCT lb.id, lb.name, lb.color FROM conversations c
            JOIN conversation_labels cl ON cl.conversation_id = c.id
            JOIN labels lb ON lb.id = cl.label_id
            WHERE c.contact_id = p.id ORDER BY lb.name)) AS labels
      FROM (
        SELECT k.id, k.name, k.push_name, k.phone, k.telegram_chat_id, k.email, k.notes,
          k.attributes, k.created_at,
          coalesce((SELECT max(c.last_activity_at) FROM conversations c
            WHERE c.contact_id = k.id), -1) AS at
        FROM contacts k
        WHERE ${where.join(" AND ")}
      ) AS p
      ${after.length ? `WHERE ${after.join(" AND ")}` : ""}
      ORDER BY at DESC, id DESC
      LIMIT :limit`,
    args,
  });
  const text = (v: unknown) => v === null || v === undefined ? null : String(v);
  const page = rows.slice(0, options.limit).map((r): ContactListRow => ({
    id: Number(r.id),
    name: text(r.name),
    pushName: text(r.push_name),
    phone: text(r.phone),
    telegramChatId: text(r.telegram_chat_id),
    email: text(r.email),
    notes: text(r.notes),
    attributes: readAttributes(text(r.attributes)),
    labels: JSON.parse(String(r.labels ?? "[]")),
    lastActivityAt: Number(r.at) < 0 ? null : Number(r.at),
    createdAt: Number(r.created_at),
  }));
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > options.limit && last
      ? { at: last.lastActivityAt, id: last.id }
      : undefined,
  };
}

/** Every attribute name contacts have, in order: the columns of an export. */
export async function contactAttributeKeys(db: Db): Promise<string[]> {
  const { rows } = await db.$client.execute(
    `SELECT DISTINCT j.key AS key FROM contacts k,
        json_each(CASE WHEN json_valid(k.attributes) THEN k.attributes ELSE '{}' END) j
      ORDER BY j.key`,
  );
  return rows.map((r) => String(r.key));
}
