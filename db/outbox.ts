/**
 * The outbox: every outbound message is first a committed row (`queued`),
 * then claimed by one dispatcher with a conditional UPDATE, sent, and moved
 * forward. Every status change is a status event.
 */
import type { InStatement, Row } from "@libsql/client";
import { and, asc, count, eq, gte, isNotNull, lte, min } from "drizzle-orm";
import { AppError } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import type { MessageSource } from "../core/message_source.ts";
import type { OutboundType } from "../core/message_type.ts";
import { timeOrderedHex } from "../core/tokens.ts";
import { type Db, readRow } from "./client.ts";
import { ENQUEUE } from "./enqueue.ts";
import type { GroupCommit } from "./group_commit.ts";
import { messages } from "./schema.ts";

export type Message = typeof messages.$inferSelect;

/** Who a message goes to: a contact Kabar knows, or a phone number or Telegram chat id. */
export type Recipient =
  | { contactId: number }
  | { phone: string }
  | { telegramChatId: string };

/** One message to queue. */
export interface OutboundRequest {
  channelId: number;
  channelKind: ChannelKind;
  to: Recipient;
  type: OutboundType;
  /** The text, or a media message's caption. */
  body?: string;
  mediaId?: string;
  source: MessageSource;
  priority: number;
  authorId?: number;
  apiKeyId?: number;
  idempotencyKey?: string;
  requestHash?: string;
  templateId?: number;
  broadcastId?: number;
  /** JSON text given by the sender, echoed in webhooks. */
  metadata?: string;
  /** The failed message this one sends again. */
  retryOfId?: number;
  /**
   * A member of staff starting a conversation from the inbox: it is open and theirs
   * (unless someone already has it); other first sends leave it resolved.
   */
  startsConversation?: boolean;
}

/** The queued message, or the one an earlier request with the same idempotency key queued. */
export type Enqueued = { message: Message; replay: false } | { message: Message; replay: true };

/**
 * A WhatsApp message id in the form WhatsApp Web uses, chosen before the
 * first send so a retry after a crash reuses it and the phone shows the
 * message once. Ids grow with time, which keeps their index cheap to add to.
 */
export function newExternalId(kind: ChannelKind): string | null {
  if (kind === "whatsapp") return `3EB0${timeOrderedHex(18)}`;
  if (kind === "sandbox") return `SBX${timeOrderedHex(24)}`;
  return null; // Telegram numbers its messages itself.
}

/** A message row as libSQL answers it, typed like drizzle's. */
export function toMessage(row: Row): Message {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    channelId: Number(row.channel_id),
    conversationId: Number(row.conversation_id),
    contactId: Number(row.contact_id),
    direction: row.direction as Message["direction"],
    type: row.type as Message["type"],
    body: s(row.body),
    mediaId: s(row.media_id),
    status: row.status as Message["status"],
    error: s(row.error),
    externalId: s(row.external_id),
    idempotencyKey: s(row.idempotency_key),
    requestHash: s(row.request_hash),
    source: s(row.source) as Message["source"],
    priority: Number(row.priority),
    authorId: n(row.author_id),
    apiKeyId: n(row.api_key_id),
    broadcastId: n(row.broadcast_id),
    templateId: n(row.template_id),
    metadata: s(row.metadata),
    retryOfId: n(row.retry_of_id),
    attempts: Number(row.attempts),
    nextAttemptAt: n(row.next_attempt_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    sentAt: n(row.sent_at),
    deliveredAt: n(row.delivered_at),
    readAt: n(row.read_at),
    failedAt: n(row.failed_at),
  };
}

/**
 * The row the message insert wrote, from what was asked and the ids it
 * answered: reading all of it back would cost more than the insert.
 */
function queuedMessage(
  request: OutboundRequest,
  ids: Row,
  externalId: string | null,
  now: number,
): Message {
  return {
    id: Number(ids.id),
    channelId: request.channelId,
    conversationId: Number(ids.conversation_id),
    contactId: Number(ids.contact_id),
    direction: "out",
    type: request.type,
    body: request.body ?? null,
    mediaId: request.mediaId ?? null,
    status: "queued",
    error: null,
    externalId,
    idempotencyKey: request.idempotencyKey ?? null,
    requestHash: request.requestHash ?? null,
    source: request.source,
    priority: request.priority,
    authorId: request.authorId ?? null,
    apiKeyId: request.apiKeyId ?? null,
    broadcastId: request.broadcastId ?? null,
    templateId: request.templateId ?? null,
    metadata: request.metadata ?? null,
    retryOfId: request.retryOfId ?? null,
    attempts: 0,
    nextAttemptAt: null,
    createdAt: now,
    updatedAt: now,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
  };
}

/** A failed message is sent again once: this one already was, as message `retryId`. */
export class AlreadyRetried extends AppError {
  constructor(readonly failedId: number, readonly retryId: number) {
    super(409, "conflict", `Message ${failedId} was already sent again as message ${retryId}`);
  }
}

/** The channel a message was to be queued on is deleted (or never existed). */
export class ChannelDeleted extends AppError {
  constructor(readonly channelId: number) {
    super(422, "invalid_input", `No channel with id ${channelId}`, {
      channel: `no channel ${channelId}`,
    });
  }
}

/** The message an API key queued earlier with this idempotency key, if any. */
export async function findByIdempotencyKey(
  db: Db,
  apiKeyId: number,
  key: string,
): Promise<Message | undefined> {
  const [earlier] = await db.select().from(messages).where(
    and(eq(messages.apiKeyId, apiKeyId), eq(messages.idempotencyKey, key)),
  );
  return earlier;
}

/**
 * Queues a message; resolves once the row is committed (in a group with
 * other writes). With an idempotency key already used by the same API key,
 * answers the earlier message instead (`replay`), whatever its body: the
 * caller compares `requestHash`. Throws `ChannelDeleted` when the channel is
 * gone.
 */
export async function enqueueMessage(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  request: OutboundRequest,
): Promise<Enqueued> {
  const now = clock.now();
  const externalId = newExternalId(request.channelKind);
  const inserted = await writer.writeSet(ENQUEUE, { request, now, externalId });
  if (inserted) {
    return { message: queuedMessage(request, inserted, externalId, now), replay: false };
  }
  if (request.apiKeyId !== undefined && request.idempotencyKey !== undefined) {
    const earlier = await findByIdempotencyKey(db, request.apiKeyId, request.idempotencyKey);
    if (earlier) return { message: earlier, replay: true };
  }
  if (request.retryOfId !== undefined) {
    const retry = await readRow(db, {
      sql: "SELECT id FROM messages WHERE retry_of_id = ?",
      args: [request.retryOfId],
    });
    if (retry) throw new AlreadyRetried(request.retryOfId, Number(retry.id));
  }
  const live = await readRow(db, {
    sql: "SELECT 1 FROM channels WHERE id = ? AND deleted_at IS NULL",
    args: [request.channelId],
  });
  if (!live) throw new ChannelDeleted(request.channelId);
  throw new Error(`The message to ${JSON.stringify(request.to)} could not be queued`);
}

/**
 * Takes up to `limit` messages of a channel that are due, in priority then
 * age order, and marks them `sending` (attempts + 1). The conditional UPDATE
 * means two dispatchers, even in two processes, never take one row.
 * `maxPriority` holds back lower-priority traffic (broadcasts in warm-up).
 */
export async function claimMessages(
  writer: GroupCommit,
  clock: Clock,
  channelId: number,
  limit: number,
  maxPriority = Number.MAX_SAFE_INTEGER,
): Promise<Message[]> {
  const now = clock.now();
  // Through the group commit: the claim shares a commit with the sends being recorded.
  const [{ rows }] = await writer.write([{
    sql: `UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = :now
      WHERE id IN (
        SELECT id FROM messages INDEXED BY messages_queue_idx
        WHERE channel_id = :channel AND status = 'queued' AND priority <= :maxPriority
          AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
        ORDER BY priority, id LIMIT :limit)
      AND +status = 'queued'
      RETURNING *`,
    args: { now, channel: channelId, limit, maxPriority },
  }]);
  return rows.map(toMessage).sort((a, b) => a.priority - b.priority || a.id - b.id);
}

/**
 * When the channel's next queued message of at most `maxPriority` falls due
 * (a retry waiting), or undefined.
 */
export async function nextDueAt(
  db: Db,
  channelId: number,
  maxPriority = Number.MAX_SAFE_INTEGER,
): Promise<number | undefined> {
  const [row] = await db.select({ at: min(messages.nextAttemptAt) }).from(messages).where(and(
    eq(messages.channelId, channelId),
    eq(messages.status, "queued"),
    lte(messages.priority, maxPriority),
    isNotNull(messages.nextAttemptAt),
  ));
  return row?.at ?? undefined;
}

/** Whether the channel has a message of `minPriority` or lower urgency waiting. */
export async function hasQueuedFrom(
  db: Db,
  channelId: number,
  minPriority: number,
): Promise<boolean> {
  const [row] = await db.select({ id: messages.id }).from(messages).where(and(
    eq(messages.channelId, channelId),
    eq(messages.status, "queued"),
    gte(messages.priority, minPriority),
  )).limit(1);
  return row !== undefined;
}

/** How many messages the channel sent since `since` (for the daily cap; `messages_sent_idx`). */
export async function countSentSince(db: Db, channelId: number, since: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(messages).where(and(
    eq(messages.channelId, channelId),
    eq(messages.direction, "out"),
    isNotNull(messages.sentAt),
    gte(messages.sentAt, since),
  ));
  return row.n;
}

/** The statements that record a successful send; no-ops when a receipt already moved it on. */
export function sentStatements(id: number, externalId: string, now: number): InStatement[] {
  return [
    {
      sql: `UPDATE messages SET status = 'sent', external_id = ?, sent_at = ?, updated_at = ?
        WHERE id = ? AND status = 'sending'`,
      args: [externalId, now, now, id],
    },
    {
      sql: `INSERT INTO message_events (message_id, status, at) SELECT ?, 'sent', ?
        WHERE changes() > 0`,
      args: [id, now],
    },
  ];
}

/**
 * The statements that put a failed attempt back in the queue until `retryAt`
 * (null: at once), recorded as a `retry` event with the reason.
 */
export function retryStatements(
  id: number,
  error: string,
  retryAt: number | null,
  now: number,
): InStatement[] {
  return [
    {
      sql: `UPDATE messages SET status = 'queued', error = ?, next_attempt_at = ?, updated_at = ?
        WHERE id = ? AND status = 'sending'`,
      args: [error, retryAt, now, id],
    },
    {
      sql: `INSERT INTO message_events (message_id, status, at, detail) SELECT ?, 'retry', ?, ?
        WHERE changes() > 0`,
      args: [id, now, error],
    },
  ];
}

/** The statements that give up on a message, with a reason a person can read. */
export function failedStatements(id: number, error: string, now: number): InStatement[] {
  return [
    {
      sql: `UPDATE messages SET status = 'failed', error = ?, failed_at = ?, updated_at = ?
        WHERE id = ? AND status IN ('queued', 'sending')`,
      args: [error, now, now, id],
    },
    {
      sql: `INSERT INTO message_events (message_id, status, at, detail) SELECT ?, 'failed', ?, ?
        WHERE changes() > 0`,
      args: [id, now, error],
    },
  ];
}

/** Why a Telegram message left in `sending` by a crash is failed. */
export const UNKNOWN_AFTER_RESTART = "unknown after restart";
const INTERRUPTED = "interrupted by a restart: sent again with the same message id";

/**
 * Resolves messages a crash left in `sending`: WhatsApp and the sandbox show
 * a message id once, so those go back to the queue with their stored id;
 * Telegram has no such id, so they fail rather than risk a duplicate.
 * Answers how many were put back and how many failed.
 */
export async function recoverSending(
  db: Db,
  clock: Clock,
  channelId: number,
  kind: ChannelKind,
): Promise<{ requeued: number; failed: number }> {
  const stuck = await db.select({ id: messages.id }).from(messages).where(and(
    eq(messages.channelId, channelId),
    eq(messages.status, "sending"),
  )).orderBy(asc(messages.id));
  if (stuck.length === 0) return { requeued: 0, failed: 0 };
  const now = clock.now();
  const ids = stuck.map((m) => m.id);
  if (kind === "telegram") {
    await db.$client.batch(
      ids.flatMap((id) => failedStatements(id, UNKNOWN_AFTER_RESTART, now)),
      "write",
    );
    return { requeued: 0, failed: ids.length };
  }
  await db.$client.batch(ids.flatMap((id) => retryStatements(id, INTERRUPTED, null, now)), "write");
  return { requeued: ids.length, failed: 0 };
}

/** Messages waiting per channel and status (queued, sending), for the metrics. */
export async function outboxDepth(
  db: Db,
): Promise<{ channelId: number; status: string; n: number }[]> {
  const { rows } = await db.$client.execute(`SELECT channel_id, status, count(*) AS n
    FROM messages WHERE status IN ('queued', 'sending') GROUP BY channel_id, status`);
  return rows.map((r) => ({
    channelId: Number(r.channel_id),
    status: String(r.status),
    n: Number(r.n),
  }));
}
