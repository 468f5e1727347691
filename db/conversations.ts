/**
 * The inbox's conversation list: filters that combine, the viewer's
 * visibility (core/conversation_visibility.ts, as SQL), newest activity or
 * longest waiting first, a page at a time from a keyset cursor — never
 * OFFSET, so rows that move in between are neither repeated nor skipped.
 */
import type { MessageSource } from "../core/message_source.ts";
import type { InValue } from "@libsql/client";
import type { ConversationStatus } from "../core/conversation_status.ts";
import type { Viewer } from "../core/conversation_visibility.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import type { MessageDirection } from "../core/message_direction.ts";
import type { MessageType } from "../core/message_type.ts";
import type { Db } from "./client.ts";
import { conversationUpdatedStatement } from "./conversation_events.ts";
import { activityStatement, type ConversationActor } from "./conversation_timeline.ts";

/** Whose conversations: the viewer's, nobody's, anybody's, or one person's. */
export type AssigneeFilter = "me" | "none" | "any" | number;

export interface ConversationFilter {
  /** Only this conversation (its page reads it through the same query). */
  conversationId?: number;
  /** Only this contact's conversations. */
  contactId?: number;
  /** Default `open`. */
  status?: ConversationStatus | "all";
  channelId?: number;
  assignee?: AssigneeFilter;
  departmentId?: number;
  /** Every one of these labels (AND). */
  labelIds?: number[];
  unreadOnly?: boolean;
  /** Last activity from this time (inclusive) … */
  since?: number;
  /** … up to this time (inclusive). */
  until?: number;
  /** `activity`: newest activity first; `waiting`: unanswered, the longest waiting first. */
  sort?: "activity" | "waiting";
  /** A search (db/conversation_search.ts): the newest match first, `sort` aside. */
  query?: string;
}

export interface ConversationRow {
  id: number;
  status: ConversationStatus;
  channel: { id: number; name: string; kind: string };
  contact: { id: number; name: string | null; phone: string | null; telegramChatId: string | null };
  assignee: { id: number; name: string } | null;
  department: { id: number; name: string } | null;
  labels: { id: number; name: string; color: string }[];
  unreadCount: number;
  lastMessage: {
    id: number;
    direction: MessageDirection;
    type: MessageType;
    text: string | null;
    at: number;
    status: string;
  } | null;
  lastActivityAt: number | null;
  lastInboundAt: number | null;
  /** With a search: the newest message that matched, its words marked (see core/search_excerpt.ts). */
  match?: { messageId: number; excerpt: string } | null;
}

export interface ConversationPage {
  rows: ConversationRow[];
  /** Where the next page starts, or undefined on the last page. */
  next?: KeysetPosition;
}

/** The visibility rule of core/conversation_visibility.ts, for viewer `:viewer`. */
function visibleTo(viewer: Viewer): { sql: string; args: Record<string, InValue> } {
  if (viewer.role !== "agent") return { sql: "1", args: {} };
  const mine = `(SELECT department_id FROM user_departments WHERE user_id = :viewer)`;
  // `+` keeps SQLite from answering the OR with one index search per branch (every conversation
  // without a department, say) and sorting them all: the filters' own index (status, or a date
  // range) then gives the rows in order, and the scan stops at the end of the page.
  return {
    sql: `(+c.assignee_id = :viewer
      OR +c.department_id IN ${mine}
      OR (+c.department_id IS NULL AND (
        NOT EXISTS (SELECT 1 FROM channel_departments cd WHERE cd.channel_id = c.channel_id)
        OR EXISTS (SELECT 1 FROM channel_departments cd
          WHERE cd.channel_id = c.channel_id AND cd.department_id IN ${mine}))))`,
    args: { viewer: viewer.id },
  };
}

/** The SQL conditions (on `c`, a conversation) of `filter` for `viewer`, with their arguments. */
export function conversationConditions(
  viewer: Viewer,
  filter: ConversationFilter,
): { where: string[]; args: Record<string, InValue> } {
  const visibility = visibleTo(viewer);
  const where = [visibility.sql];
  const args: Record<string, InValue> = { ...visibility.args };
  const status = filter.status ?? "open";
  if (status !== "all") {
    where.push("c.status = :status");
    args.status = status;
  }
  if (filter.conversationId !== undefined) {
    where.push("c.id = :conversation");
    args.conversation = filter.conversationId;
  }
  if (filter.contactId !== undefined) {
    where.push("c.contact_id = :contact");
    args.contact = filter.contactId;
  }
  if (filter.channelId !== undefined) {
    where.push("c.channel_id = :channel");
    args.channel = filter.channelId;
  }
  const assignee = filter.assignee ?? "any";
  if (assignee === "none") where.push("c.assignee_id IS NULL");
  else if (assignee !== "any") {
    where.push("c.assignee_id = :assignee");
    args.assignee = assignee === "me" ? viewer.id : assignee;
  }
  if (filter.departmentId !== undefined) {
    where.push("c.department_id = :department");
    args.department = filter.departmentId;
  }
  for (const [i, labelId] of (filter.labelIds ?? []).entries()) {
    where.push(`EXISTS (SELECT 1 FROM conversation_labels l
      WHERE l.conversation_id = c.id AND l.label_id = :label${i})`);
    args[`label${i}`] = labelId;
  }
  if (filter.unreadOnly) where.push("c.unread_count > 0");
  if (filter.since !== undefined) {
    where.push("c.last_activity_at >= :since");
    args.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push("c.last_activity_at <= :until");
    args.until = filter.until;
  }
  return { where, args };
}

/**
 * One page of the conversations `viewer` may see that pass `filter`, after
 * `cursor` (the `next` of the page before). Conversations without activity
 * yet come last. With a search, see db/conversation_search.ts.
 */
export async function listConversations(
  db: Db,
  viewer: Viewer,
  filter: ConversationFilter,
  options: { cursor?: KeysetPosition; limit: number },
): Promise<ConversationPage> {
  const { where, args } = conversationConditions(viewer, filter);
  // Newest activity first, or (waiting) the patient's oldest unanswered message first.
  // A null time sorts as -1: last when newest first.
  const waiting = filter.sort === "waiting";
  const key = waiting ? "c.last_inbound_at" : "coalesce(c.last_activity_at, -1)";
  if (waiting) {
    where.push("c.last_inbound_at IS NOT NULL AND c.last_inbound_at >= c.last_activity_at");
  }
  if (options.cursor) {
    args.at = options.cursor.at ?? -1;
    args.after = options.cursor.id;
    where.push(
      waiting
        ? `(${key} > :at OR (${key} = :at AND c.id > :after))`
        : `(${key} < :at OR (${key} = :at AND c.id < :after))`,
    );
  }
  // Newest first without coalesce (a null sorts last in DESC order all the same), so that the
  // activity index gives the order and the scan stops at the page's end instead of sorting
  // every open conversation.
  const order = waiting ? `${key} ASC, c.id ASC` : "c.last_activity_at DESC, c.id DESC";
  const rows = await readConversationRows(db, where, args, order, options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > options.limit && last
      ? { at: waiting ? last.lastInboundAt : last.lastActivityAt, id: last.id }
      : undefined,
  };
}

/**
 * The conversations (as `c`) meeting every condition of `where`, as the inbox shows them.
 * The page's ids are found first and only they are joined: SQLite computes a row's columns
 * (its last message, its labels) before it sorts, so joining first cost every match's.
 */
export async function readConversationRows(
  db: Db,
  where: string[],
  args: Record<string, InValue>,
  order: string,
  limit: number,
): Promise<ConversationRow[]> {
  const { rows } = await db.$client.execute({
    sql: `SELECT c.id, c.status, c.unread_count, c.last_activity_at, c.last_inbound_at,
        ch.id AS channel_id, ch.name AS channel_name, ch.kind AS channel_kind,
        k.id AS contact_id, coalesce(k.name, k.push_name) AS contact_name, k.phone,
        k.telegram_chat_id,
        u.id AS assignee_id, u.display_name AS assignee_name,
        d.id AS department_id, d.name AS department_name,
        m.id AS message_id, m.direction, m.type, m.body, m.created_at AS message_at,
        m.status AS message_status,
        (SELECT json_group_array(json_object('id', lb.id, 'name', lb.name, 'color', lb.color))
          FROM conversation_labels cl JOIN labels lb ON lb.id = cl.label_id
          WHERE cl.conversation_id = c.id) AS labels
      FROM (SELECT c.id FROM conversations c WHERE ${where.join(" AND ")}
        ORDER BY ${order} LIMIT :limit) AS page
      JOIN conversations c ON c.id = page.id
      JOIN channels ch ON ch.id = c.channel_id
      JOIN contacts k ON k.id = c.contact_id
      LEFT JOIN users u ON u.id = c.assignee_id
      LEFT JOIN departments d ON d.id = c.department_id
      LEFT JOIN messages m ON m.id =
        (SELECT max(id) FROM messages WHERE conversation_id = c.id)
      ORDER BY ${order}`,
    args: { ...args, limit },
  });
  return rows.map((r): ConversationRow => ({
    id: Number(r.id),
    status: r.status as ConversationStatus,
    channel: {
      id: Number(r.channel_id),
      name: String(r.channel_name),
      kind: String(r.channel_kind),
    },
    contact: {
      id: Number(r.contact_id),
      name: r.contact_name === null ? null : String(r.contact_name),
      phone: r.phone === null ? null : String(r.phone),
      telegramChatId: r.telegram_chat_id === null ? null : String(r.telegram_chat_id),
    },
    assignee: r.assignee_id === null
      ? null
      : { id: Number(r.assignee_id), name: String(r.assignee_name) },
    department: r.department_id === null
      ? null
      : { id: Number(r.department_id), name: String(r.department_name) },
    labels: (JSON.parse(String(r.labels)) as ConversationRow["labels"])
      .sort((a, b) => a.name.localeCompare(b.name)),
    unreadCount: Number(r.unread_count),
    lastMessage: r.message_id === null ? null : {
      id: Number(r.message_id),
      direction: r.direction as MessageDirection,
      type: r.type as MessageType,
      text: r.body === null ? null : String(r.body),
      at: Number(r.message_at),
      status: String(r.message_status),
    },
    lastActivityAt: r.last_activity_at === null ? null : Number(r.last_activity_at),
    lastInboundAt: r.last_inbound_at === null ? null : Number(r.last_inbound_at),
  }));
}

/** One conversation with where it sits, for its page and the visibility rule. */
export interface ConversationDetail extends ConversationRow {
  channelDepartmentIds: number[];
  /** The contact's free attributes (`no_rm`, `poli`…), as texts. */
  contactAttributes: Record<string, string>;
}

/** The conversation with `id`, or undefined. */
export async function getConversation(
  db: Db,
  id: number,
): Promise<ConversationDetail | undefined> {
  // Read as one who sees everything: the caller applies the rule with the channel's departments.
  const unrestricted: Viewer = { id: 0, role: "admin", departmentIds: [] };
  const { rows } = await listConversations(db, unrestricted, {
    status: "all",
    conversationId: id,
  }, { limit: 1 });
  if (!rows[0]) return undefined;
  const [departments, contact] = await db.$client.batch([
    {
      sql: "SELECT department_id FROM channel_departments WHERE channel_id = ?",
      args: [rows[0].channel.id],
    },
    { sql: "SELECT attributes FROM contacts WHERE id = ?", args: [rows[0].contact.id] },
  ], "read");
  return {
    ...rows[0],
    channelDepartmentIds: departments.rows.map((r) => Number(r.department_id)),
    contactAttributes: textAttributes(contact.rows[0]?.attributes),
  };
}

/** A contact's attributes column as texts; anything else in it is left out. */
function textAttributes(json: unknown): Record<string, string> {
  try {
    const value = JSON.parse(String(json ?? "{}"));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).flatMap(([k, v]) =>
        typeof v === "string" || typeof v === "number" ? [[k, String(v)]] : []
      ),
    );
  } catch {
    return {};
  }
}

/** A message as a thread shows it. */
export interface ThreadMessage {
  id: number;
  direction: MessageDirection;
  type: MessageType;
  text: string | null;
  status: string;
  error: string | null;
  at: number;
  /** The staff member who wrote an outbound message, when one did. */
  author: string | null;
  /** How it was sent: from the API, a broadcast, the inbox… */
  source: MessageSource | null;
  media: { id: string; mimeType: string; fileName: string | null; size: number } | null;
  /** The failed message this one sends again. */
  retryOfId: number | null;
  /** Whether this (failed) message was sent again. */
  retried: boolean;
}

/**
 * A page of the conversation's messages, oldest first, ending before
 * `beforeId` (the newest page without it); `olderFrom` is where the page
 * before starts, when there is one.
 */
export async function threadMessages(
  db: Db,
  conversationId: number,
  options: { beforeId?: number; limit: number },
): Promise<{ messages: ThreadMessage[]; olderFrom?: number }> {
  const { rows } = await db.$client.execute({
    sql: `SELECT m.id, m.direction, m.type, m.body, m.status, m.error, m.created_at, m.source,
        m.retry_of_id,
        CASE WHEN m.status = 'failed'
          THEN EXISTS (SELECT 1 FROM messages r WHERE r.retry_of_id = m.id) ELSE 0 END AS retried,
        u.display_name AS author, md.id AS media_id, md.mime_type, md.file_name, md.size
      FROM messages m
      LEFT JOIN users u ON u.id = m.author_id
      LEFT JOIN media md ON md.id = m.media_id
      WHERE m.conversation_id = :conversation AND m.id < :before
      ORDER BY m.id DESC LIMIT :limit`,
    args: {
      conversation: conversationId,
      before: options.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: options.limit + 1,
    },
  });
  const page = rows.slice(0, options.limit).reverse().map((r): ThreadMessage => ({
    id: Number(r.id),
    direction: r.direction as MessageDirection,
    type: r.type as MessageType,
    text: r.body === null ? null : String(r.body),
    status: String(r.status),
    error: r.error === null ? null : String(r.error),
    at: Number(r.created_at),
    author: r.author === null ? null : String(r.author),
    source: r.source === null ? null : r.source as MessageSource,
    media: r.media_id === null ? null : {
      id: String(r.media_id),
      mimeType: String(r.mime_type),
      fileName: r.file_name === null ? null : String(r.file_name),
      size: Number(r.size),
    },
    retryOfId: r.retry_of_id === null ? null : Number(r.retry_of_id),
    retried: Number(r.retried) === 1,
  }));
  return { messages: page, olderFrom: rows.length > options.limit ? page[0]?.id : undefined };
}

/** Opening a conversation reads it for everyone: its unread count goes to 0. */
export async function markConversationRead(db: Db, id: number, now: number): Promise<void> {
  await db.$client.execute({
    sql:
      "UPDATE conversations SET unread_count = 0, updated_at = ? WHERE id = ? AND unread_count > 0",
    args: [now, id],
  });
}

/** The file of message `messageId` when it belongs to the conversation, else undefined. */
export async function messageMediaId(
  db: Db,
  conversationId: number,
  messageId: number,
): Promise<string | undefined> {
  const { rows } = await db.$client.execute({
    sql: "SELECT media_id FROM messages WHERE id = ? AND conversation_id = ?",
    args: [messageId, conversationId],
  });
  const id = rows[0]?.media_id;
  return typeof id === "string" ? id : undefined;
}

/** A staff reply is activity: the conversation moves up, and its first response is noted. */
export async function recordStaffReply(db: Db, id: number, now: number): Promise<void> {
  await db.$client.execute({
    sql: `UPDATE conversations SET last_activity_at = :now,
        first_response_at = coalesce(first_response_at, :now), updated_at = :now
      WHERE id = :id`,
    args: { id, now },
  });
}

/** Opens, holds or resolves a conversation, with its system line; answers whether it changed. */
export async function setConversationStatus(
  db: Db,
  id: number,
  status: ConversationStatus,
  actor: ConversationActor | null,
  now: number,
): Promise<boolean> {
  const [update] = await db.$client.batch([
    {
      sql: `UPDATE conversations SET status = :status, updated_at = :now,
          resolved_at = CASE WHEN :status = 'resolved' THEN :now END
        WHERE id = :id AND status != :status`,
      args: { id, status, now },
    },
    activityStatement(id, "status", actor, { status }, now),
    conversationUpdatedStatement(id, "status", now),
  ], "write");
  return update.rowsAffected > 0;
}

/**
 * Gives a conversation to a staff member (null: to nobody), with its system line naming
 * them; answers whether it changed.
 */
export async function assignConversation(
  db: Db,
  id: number,
  assignee: { id: number; name: string } | null,
  actor: ConversationActor | null,
  now: number,
): Promise<boolean> {
  const [update] = await db.$client.batch([
    {
      sql: `UPDATE conversations SET assignee_id = :assignee, updated_at = :now
        WHERE id = :id AND assignee_id IS NOT :assignee`,
      args: { id, assignee: assignee?.id ?? null, now },
    },
    assignee
      ? activityStatement(
        id,
        "assigned",
        actor,
        { name: assignee.name, id: String(assignee.id) },
        now,
      )
      : activityStatement(id, "unassigned", actor, {}, now),
    conversationUpdatedStatement(id, "assignee", now),
  ], "write");
  return update.rowsAffected > 0;
}

/** Puts a conversation in a department (null: in none), with its system line; whether it changed. */
export async function setConversationDepartment(
  db: Db,
  id: number,
  department: { id: number; name: string } | null,
  actor: ConversationActor | null,
  now: number,
): Promise<boolean> {
  const [update] = await db.$client.batch([
    {
      sql: `UPDATE conversations SET department_id = :department, updated_at = :now
        WHERE id = :id AND department_id IS NOT :department`,
      args: { id, department: department?.id ?? null, now },
    },
    activityStatement(id, "department", actor, department ? { name: department.name } : {}, now),
    conversationUpdatedStatement(id, "department", now),
  ], "write");
  return update.rowsAffected > 0;
}

/** Marks a conversation unread again (for someone to come back to); whether it changed. */
export async function markConversationUnread(db: Db, id: number, now: number): Promise<boolean> {
  const { rowsAffected } = await db.$client.execute({
    sql:
      "UPDATE conversations SET unread_count = 1, updated_at = ? WHERE id = ? AND unread_count = 0",
    args: [now, id],
  });
  return rowsAffected > 0;
}
