/**
 * Messages: recording what arrives on a channel and the receipts for what
 * Kabar sent. Statuses only move forward; every change is a status event.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import { type MessageStatus, statusesBefore, type TimedStatus } from "../core/message_status.ts";
import type { MessageType } from "../core/message_type.ts";
import type { ReceiptStatus } from "../core/channel_types.ts";
import type { Db } from "./client.ts";
import { inboundConversationEventsSql } from "./conversation_events.ts";
import type { GroupCommit } from "./group_commit.ts";
import { type ContactKey, resolveContact } from "./contacts.ts";
import { contacts, media, messageEvents, messages, templates } from "./schema.ts";
import { toMessage } from "./outbox.ts";

/** One inbound message, with its media already in the media store. */
export interface InboundRecord {
  channelId: number;
  externalId: string;
  from: ContactKey;
  type: MessageType;
  text?: string;
  mediaId?: string;
  /** When the sender sent it. */
  at: number;
}

export type RecordedInbound =
  | { duplicate: true }
  | {
    duplicate: false;
    messageId: number;
    conversationId: number;
    contactId: number;
    /** The conversation is new, or was resolved and reopens: the inbox has something new. */
    opened: boolean;
  };

/**
 * Stores an inbound message: the contact is found or created, the
 * conversation opened (a resolved one reopens, unread count up), the message
 * and its `received` event written in one transaction. A message already
 * recorded for the channel (same external id) changes nothing.
 */
export async function recordInbound(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  record: InboundRecord,
): Promise<RecordedInbound> {
  if (await findByExternalId(db, record.channelId, record.externalId)) return { duplicate: true };
  const contactId = await resolveContact(db, clock, record.from);
  const now = clock.now();
  const notRecorded = `NOT EXISTS (SELECT 1 FROM messages
    WHERE channel_id = :channel AND external_id = :external)`;
  const args = {
    channel: record.channelId,
    contact: contactId,
    external: record.externalId,
    now,
    at: record.at,
    type: record.type,
    body: record.text ?? null,
    media: record.mediaId ?? null,
  };
  // The guards make a replay that races past the check above a no-op too:
  // the write is atomic. It shares a commit with whatever else is being written.
  const [reopened, upserted, , inserted] = await writer.write([
    {
      // The patient's message reopens a resolved conversation: a system line says so.
      sql: `INSERT INTO conversation_activities (conversation_id, at, kind, details)
        SELECT id, :now, 'status', '{"status":"open"}' FROM conversations
        WHERE channel_id = :channel AND contact_id = :contact AND status = 'resolved'
          AND ${notRecorded}`,
      args,
    },
    {
      sql: `INSERT INTO conversations (channel_id, contact_id, status, unread_count,
          last_message_at, last_inbound_at, last_activity_at, created_at, updated_at)
        SELECT :channel, :contact, 'open', 1, :now, :now, :now, :now, :now WHERE ${notRecorded}
        ON CONFLICT (channel_id, contact_id) DO UPDATE SET
          status = CASE WHEN status = 'resolved' THEN 'open' ELSE status END,
          resolved_at = CASE WHEN status = 'resolved' THEN NULL ELSE resolved_at END,
          unread_count = unread_count + 1,
          last_message_at = :now, last_inbound_at = :now, last_activity_at = :now,
          updated_at = :now
        RETURNING created_at = :now AND unread_count = 1 AS fresh`,
      args,
    },
    { sql: inboundConversationEventsSql, args },
    {
      sql: `INSERT INTO messages (channel_id, conversation_id, contact_id, direction, type, body,
          media_id, status, external_id, created_at, updated_at)
        SELECT :channel, c.id, :contact, 'in', :type, :body, :media, 'received', :external,
          :at, :now
        FROM conversations c WHERE c.channel_id = :channel AND c.contact_id = :contact
        ON CONFLICT DO NOTHING
        RETURNING id, conversation_id`,
      args,
    },
    {
      sql: `INSERT INTO message_events (message_id, status, at)
        SELECT id, 'received', :now FROM messages
        WHERE channel_id = :channel AND external_id = :external AND changes() > 0`,
      args,
    },
    {
      sql: `UPDATE channels SET last_activity_at = :now WHERE id = :channel`,
      args,
    },
  ]);
  const row = inserted.rows[0];
  if (!row) return { duplicate: true };
  return {
    duplicate: false,
    messageId: Number(row.id),
    conversationId: Number(row.conversation_id),
    contactId,
    opened: reopened.rowsAffected > 0 || Number(upserted.rows[0]?.fresh) === 1,
  };
}

/** The outcome of a receipt: the message it moved, or nothing when it moved none. */
export type AppliedReceipt = { messageId: number; status: MessageStatus } | undefined;

/**
 * Moves an outbound message to the status a receipt reports, only forward
 * (read never becomes delivered), with a status event at the receipt's time.
 * `played` counts as read.
 */
export async function applyReceipt(
  writer: GroupCommit,
  clock: Clock,
  channelId: number,
  receipt: { externalId: string; status: ReceiptStatus; at: number; error?: string },
): Promise<AppliedReceipt> {
  const status: MessageStatus = receipt.status === "played" ? "read" : receipt.status;
  const from = statusesBefore(status);
  const column =
    { sent: "sent_at", delivered: "delivered_at", read: "read_at", failed: "failed_at" }[
      status as TimedStatus
    ];
  if (!column || from.length === 0) return undefined;
  const args = {
    channel: channelId,
    external: receipt.externalId,
    status,
    at: receipt.at,
    now: clock.now(),
    error: receipt.error ?? null,
    detail: receipt.status === "played" ? "played" : receipt.error ?? null,
  };
  const placeholders = from.map((s) => `'${s}'`).join(", ");
  const delivered = status === "delivered" || status === "read";
  // A receipt can overtake the dispatcher's own record of the send: the
  // message then still says "sending", and the history gets its "sent" too.
  // Receipts come in bursts (a broadcast being read): they share commits.
  const [, updated] = await writer.write([
    {
      sql: `INSERT INTO message_events (message_id, status, at)
        SELECT id, 'sent', :at FROM messages
        WHERE channel_id = :channel AND external_id = :external AND direction = 'out'
          AND status IN ('queued', 'sending') AND ${delivered ? 1 : 0}`,
      args,
    },
    {
      sql: `UPDATE messages SET status = :status, ${column} = :at, updated_at = :now,
          ${delivered ? "sent_at = coalesce(sent_at, :at)," : ""}
          error = CASE WHEN :status = 'failed' THEN :error ELSE error END
        WHERE channel_id = :channel AND external_id = :external AND direction = 'out'
          AND status IN (${placeholders})
        RETURNING id`,
      args,
    },
    {
      sql: `INSERT INTO message_events (message_id, status, at, detail)
        SELECT id, :status, :at, :detail FROM messages
        WHERE channel_id = :channel AND external_id = :external AND changes() > 0`,
      args,
    },
  ]);
  const row = updated.rows[0];
  return row ? { messageId: Number(row.id), status } : undefined;
}

/** The message of a channel with the channel's own id, or undefined. */
export async function findByExternalId(db: Db, channelId: number, externalId: string) {
  return (await db.select().from(messages).where(
    and(eq(messages.channelId, channelId), eq(messages.externalId, externalId)),
  ))[0];
}

/**
 * The text of a text message Kabar sent on the channel (WhatsApp asks for it
 * to retry decryption). Media messages have no answer: their caption alone
 * must not go out in their place.
 */
export async function findSentText(
  db: Db,
  channelId: number,
  externalId: string,
): Promise<string | undefined> {
  const row = await findByExternalId(db, channelId, externalId);
  return row?.direction === "out" && row.type === "text" ? row.body ?? undefined : undefined;
}

/** A message with the address of its contact and its media, as the API shows it. */
export interface MessageView {
  message: typeof messages.$inferSelect;
  contact: { phone: string | null; telegramChatId: string | null };
  media: { mimeType: string; fileName: string | null; size: number } | null;
  /** The template the message was made from (null: none, or it was deleted since). */
  template: { id: number; name: string } | null;
}

/** A message's template as a view names it: null when it has none (or it was deleted). */
const templateRef = { id: templates.id, name: templates.name };

/** Filters of the message list; `cursor` is the last id of the previous page. */
export interface MessageFilter {
  channelIds?: number[];
  contactId?: number;
  status?: string;
  since?: number;
  /** Made at or before (inclusive). */
  until?: number;
  cursor?: number;
  limit: number;
}

/** Messages newest first, one page, with whether there is a next one. */
export async function listMessageViews(
  db: Db,
  filter: MessageFilter,
): Promise<{ views: MessageView[]; nextCursor: number | null }> {
  const rows = await db.select({
    message: messages,
    contact: contacts,
    media,
    template: templateRef,
  })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .leftJoin(media, eq(media.id, messages.mediaId))
    .leftJoin(templates, eq(templates.id, messages.templateId))
    .where(and(
      filter.channelIds ? inArray(messages.channelId, filter.channelIds) : undefined,
      filter.contactId !== undefined ? eq(messages.contactId, filter.contactId) : undefined,
      filter.status
        ? eq(messages.status, filter.status as typeof messages.$inferSelect.status)
        : undefined,
      filter.since !== undefined ? gte(messages.createdAt, filter.since) : undefined,
      filter.until !== undefined ? lte(messages.createdAt, filter.until) : undefined,
      filter.cursor !== undefined ? lt(messages.id, filter.cursor) : undefined,
    ))
    .orderBy(desc(messages.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    views: page.map((r) => ({
      message: r.message,
      contact: { phone: r.contact.phone, telegramChatId: r.contact.telegramChatId },
      media: r.media
        ? { mimeType: r.media.mimeType, fileName: r.media.fileName, size: r.media.size }
        : null,
      template: r.template,
    })),
    nextCursor: rows.length > filter.limit ? page[page.length - 1].message.id : null,
  };
}

/** One message with its status history (oldest first), or undefined. */
export async function getMessageView(
  db: Db,
  id: number,
): Promise<(MessageView & { history: (typeof messageEvents.$inferSelect)[] }) | undefined> {
  const [row] = await db.select({
    message: messages,
    contact: contacts,
    media,
    template: templateRef,
  })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .leftJoin(media, eq(media.id, messages.mediaId))
    .leftJoin(templates, eq(templates.id, messages.templateId))
    .where(eq(messages.id, id));
  if (!row) return undefined;
  const history = await db.select().from(messageEvents).where(eq(messageEvents.messageId, id))
    .orderBy(asc(messageEvents.id));
  return {
    message: row.message,
    contact: { phone: row.contact.phone, telegramChatId: row.contact.telegramChatId },
    media: row.media
      ? { mimeType: row.media.mimeType, fileName: row.media.fileName, size: row.media.size }
      : null,
    template: row.template,
    history,
  };
}

/**
 * Several messages as the API shows them, by id, in one plain query (the
 * webhook worker builds a batch of payloads at a time).
 */
export async function getMessageViews(db: Db, ids: number[]): Promise<Map<number, MessageView>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.$client.execute({
    sql: `SELECT m.*, c.phone AS c_phone, c.telegram_chat_id AS c_chat,
        f.mime_type AS f_mime, f.file_name AS f_name, f.size AS f_size, t.name AS t_name
      FROM messages m JOIN contacts c ON c.id = m.contact_id
      LEFT JOIN media f ON f.id = m.media_id
      LEFT JOIN templates t ON t.id = m.template_id
      WHERE m.id IN (${ids.map(() => "?").join(", ")})`,
    args: ids,
  });
  return new Map(rows.map((row) => {
    const message = toMessage(row);
    return [message.id, {
      message,
      contact: {
        phone: row.c_phone === null ? null : String(row.c_phone),
        telegramChatId: row.c_chat === null ? null : String(row.c_chat),
      },
      media: row.f_mime === null || row.f_mime === undefined ? null : {
        mimeType: String(row.f_mime),
        fileName: row.f_name === null ? null : String(row.f_name),
        size: Number(row.f_size),
      },
      template: message.templateId === null || row.t_name === null || row.t_name === undefined
        ? null
        : { id: message.templateId, name: String(row.t_name) },
    }];
  }));
}

/** One entry of a message's status history. */
export interface HistoryEvent {
  id: number;
  status: string;
  at: number;
  detail: string | null;
}

/**
 * The status histories of messages, oldest first, up to event `upTo`: what
 * a webhook body shows the message as of one of its events from.
 */
export async function messageHistories(
  db: Db,
  messageIds: number[],
  upTo: number,
): Promise<Map<number, HistoryEvent[]>> {
  const histories = new Map<number, HistoryEvent[]>();
  if (messageIds.length === 0) return histories;
  const { rows } = await db.$client.execute({
    sql: `SELECT id, message_id, status, at, detail FROM message_events
      WHERE message_id IN (${messageIds.map(() => "?").join(", ")}) AND id <= ?
      ORDER BY id`,
    args: [...messageIds, upTo],
  });
  for (const r of rows) {
    const messageId = Number(r.message_id);
    let history = histories.get(messageId);
    if (!history) histories.set(messageId, history = []);
    history.push({
      id: Number(r.id),
      status: String(r.status),
      at: Number(r.at),
      detail: r.detail === null ? null : String(r.detail),
    });
  }
  return histories;
}

/** An outbound message of the conversation, as Retry sends it again; undefined if none. */
export async function failedMessageToRetry(
  db: Db,
  conversationId: number,
  messageId: number,
): Promise<
  | { id: number; status: string; type: string; body: string | null; mediaId: string | null }
  | undefined
> {
  const { rows } = await db.$client.execute({
    sql: `SELECT id, status, type, body, media_id FROM messages
      WHERE id = ? AND conversation_id = ? AND direction = 'out'`,
    args: [messageId, conversationId],
  });
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    status: String(row.status),
    type: String(row.type),
    body: row.body === null ? null : String(row.body),
    mediaId: row.media_id === null ? null : String(row.media_id),
  };
}
