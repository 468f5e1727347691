/**
 * Queueing outbound messages: the statements that write one message or many
 * at once, as the group commit merges them (`GroupCommit.writeSet`), and
 * how each caller finds its own row in what they answer.
 */
import type { InStatement, InValue, Row } from "@libsql/client";
import { outboundConversationsCreatedStatement } from "./conversation_events.ts";
import type { SetWrite } from "./group_commit.ts";
import type { OutboundRequest } from "./outbox.ts";

/**
 * Whether the member of staff starting a conversation (`excluded.assignee_id`) may see the
 * one already there, by the visibility rule of core/conversation_visibility.ts: only then
 * is it given to them. Another department's conversation with the number stays theirs,
 * else writing to a number would hand over everything said in it before.
 */
const STARTER_MAY_SEE = `(
  (SELECT role FROM users WHERE id = excluded.assignee_id) != 'agent'
  OR department_id IN (SELECT department_id FROM user_departments
    WHERE user_id = excluded.assignee_id)
  OR (department_id IS NULL AND (
    NOT EXISTS (SELECT 1 FROM channel_departments cd
      WHERE cd.channel_id = conversations.channel_id)
    OR EXISTS (SELECT 1 FROM channel_departments cd
      WHERE cd.channel_id = conversations.channel_id AND cd.department_id IN
        (SELECT department_id FROM user_departments WHERE user_id = excluded.assignee_id)))))`;

/** A message to queue, with what was chosen for it when it was asked. */
interface Queueing {
  request: OutboundRequest;
  now: number;
  externalId: string | null;
}

/** What the statements know of an item, by column; `k` is its place in the order asked. */
function itemRow({ request: r, now, externalId }: Queueing, k: number) {
  const to = r.to;
  return {
    k,
    phone: "phone" in to ? to.phone : null,
    chat: "telegramChatId" in to ? to.telegramChatId : null,
    contact: "contactId" in to ? to.contactId : null,
    channel_id: r.channelId,
    starts: r.startsConversation === true ? 1 : 0,
    author_id: r.authorId ?? null,
    now,
    type: r.type,
    body: r.body ?? null,
    media_id: r.mediaId ?? null,
    external_id: externalId,
    idempotency_key: r.idempotencyKey ?? null,
    request_hash: r.requestHash ?? null,
    source: r.source,
    priority: r.priority,
    api_key_id: r.apiKeyId ?? null,
    broadcast_id: r.broadcastId ?? null,
    template_id: r.templateId ?? null,
    metadata: r.metadata ?? null,
    retry_of_id: r.retryOfId ?? null,
  } satisfies Record<string, InValue>;
}

type ItemColumn = keyof ReturnType<typeof itemRow>;

/** What the conversation statements need: who each message goes to, on which channel, when. */
const RECIPIENT_COLUMNS: ItemColumn[] = [
  "k",
  "phone",
  "chat",
  "contact",
  "channel_id",
  "starts",
  "author_id",
  "now",
];

/** What the message insert needs besides. */
const MESSAGE_COLUMNS: ItemColumn[] = [
  ...RECIPIENT_COLUMNS,
  "type",
  "body",
  "media_id",
  "external_id",
  "idempotency_key",
  "request_hash",
  "source",
  "priority",
  "api_key_id",
  "broadcast_id",
  "template_id",
  "metadata",
  "retry_of_id",
];

/**
 * The items as a table `items` of `columns`, one row per message in the order asked, with
 * `contact_id`, the contact it goes to (null for a number or chat not stored yet). Bound
 * values, not JSON (reading a field of a JSON object parses the object again), and only the
 * columns a statement reads (each bound value costs a call into the driver).
 */
function itemsTable(rows: ReturnType<typeof itemRow>[], columns: ItemColumn[]) {
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  return {
    sql: `WITH given (${columns.join(", ")}) AS (VALUES ${rows.map(() => placeholders).join(", ")}),
    items AS (SELECT given.*, CASE
        WHEN phone IS NOT NULL THEN (SELECT id FROM contacts WHERE contacts.phone = given.phone)
        WHEN chat IS NOT NULL
          THEN (SELECT id FROM contacts WHERE telegram_chat_id = given.chat)
        ELSE contact END AS contact_id
      FROM given)`,
    args: rows.flatMap((row) => columns.map((column) => row[column])),
  };
}

/** New contacts for the numbers (or chats) of `queueings` that have none. */
function contactsStatement(
  queueings: Queueing[],
  column: "phone" | "telegram_chat_id",
): InStatement[] {
  const key = column === "phone" ? "phone" : "telegramChatId";
  const values = queueings.flatMap(({ request: { to }, now }) =>
    key in to ? [(to as Record<string, string>)[key], now, now] : []
  );
  if (values.length === 0) return [];
  return [{
    sql: `INSERT INTO contacts (${column}, created_at, updated_at) VALUES ${
      Array(values.length / 3).fill("(?, ?, ?)").join(", ")
    } ON CONFLICT (${column}) DO NOTHING`,
    args: values,
  }];
}

/**
 * Queues messages, one or many at a time (`GroupCommit.writeSet`): their
 * contacts and conversations where new (none on a deleted channel; a
 * conversation started by an outbound message begins resolved, so
 * notifications do not fill the inbox; a reply reopens it; one a member of
 * staff starts is open and theirs), then the messages in the order asked
 * (their `queued` events are the database's: migration 0029). Each item is
 * answered with its message's ids, or nothing when its idempotency key was
 * used before, the message it retries was retried already, or the channel
 * is deleted (checked in the same transaction, so a deletion that commits
 * first always wins and no message waits on a deleted channel).
 */
export const ENQUEUE: SetWrite<Queueing, Row | undefined> = {
  statements(queueings) {
    const rows = queueings.map(itemRow);
    const recipients = itemsTable(rows, RECIPIENT_COLUMNS);
    const items = itemsTable(rows, MESSAGE_COLUMNS);
    return [
      ...contactsStatement(queueings, "phone"),
      ...contactsStatement(queueings, "telegram_chat_id"),
      {
        // `excluded.status` is 'open' only for a member of staff starting the conversation.
        sql: `${recipients.sql}
          INSERT INTO conversations (channel_id, contact_id, status, assignee_id, last_message_at,
            last_activity_at, created_at, updated_at)
          SELECT channel_id, contact_id, iif(starts, 'open', 'resolved'), iif(starts, author_id, NULL),
            now, iif(starts, now, NULL), now, now
          FROM items WHERE contact_id IS NOT NULL
            AND EXISTS (SELECT 1 FROM channels WHERE id = items.channel_id AND deleted_at IS NULL)
          ORDER BY k
          ON CONFLICT (channel_id, contact_id) DO UPDATE SET
            last_message_at = excluded.last_message_at, updated_at = excluded.updated_at,
            status = iif(excluded.status = 'open', 'open', status),
            resolved_at = iif(excluded.status = 'open', NULL, resolved_at),
            assignee_id = CASE WHEN excluded.status = 'open' AND assignee_id IS NULL
              AND ${STARTER_MAY_SEE} THEN excluded.assignee_id ELSE assignee_id END,
            last_activity_at = iif(excluded.status = 'open', excluded.last_activity_at,
              last_activity_at)`,
        args: recipients.args,
      },
      outboundConversationsCreatedStatement({
        sql: `${recipients.sql} SELECT c.id FROM items JOIN conversations c
          ON c.channel_id = items.channel_id AND c.contact_id = items.contact_id
          WHERE c.created_at = items.now`,
        args: recipients.args,
      }),
      {
        sql: `${items.sql}
          INSERT INTO messages (channel_id, conversation_id, contact_id, direction, type, body,
            media_id, status, external_id, idempotency_key, request_hash, source, priority,
            author_id, api_key_id, broadcast_id, template_id, metadata, retry_of_id, created_at,
            updated_at)
          SELECT c.channel_id, c.id, c.contact_id, 'out', i.type, i.body, i.media_id, 'queued',
            i.external_id, i.idempotency_key, i.request_hash, i.source, i.priority, i.author_id,
            i.api_key_id, i.broadcast_id, i.template_id, i.metadata, i.retry_of_id, i.now, i.now
          FROM items i JOIN conversations c
            ON c.channel_id = i.channel_id AND c.contact_id = i.contact_id
          WHERE EXISTS (SELECT 1 FROM channels WHERE id = c.channel_id AND deleted_at IS NULL)
          ORDER BY i.k
          ON CONFLICT DO NOTHING
          RETURNING id, conversation_id, contact_id, channel_id, api_key_id, idempotency_key,
            retry_of_id, (SELECT phone FROM contacts WHERE id = messages.contact_id) AS phone,
            (SELECT telegram_chat_id FROM contacts WHERE id = messages.contact_id) AS chat`,
        args: items.args,
      },
    ];
  },

  answers(queueings, results) {
    // The rows come in the order asked, each item's or none: an item left out is left out
    // with every item like it (same channel, contact, API key, idempotency key, retried
    // message) that follows it, so each row belongs to the first item like it not yet answered.
    const rows = [...results[results.length - 1].rows].sort((a, b) => Number(a.id) - Number(b.id));
    let next = 0;
    return queueings.map(({ request }) => {
      const row = rows[next];
      if (!row || !isFor(row, request)) return undefined;
      next++;
      return row;
    });
  },
};

/** Whether `row`, a message just queued, is what `request` asked for (see `ENQUEUE.answers`). */
function isFor(row: Row, request: OutboundRequest): boolean {
  const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);
  const to = request.to;
  const contact = "phone" in to
    ? row.phone === to.phone
    : "telegramChatId" in to
    ? row.chat === to.telegramChatId
    : Number(row.contact_id) === to.contactId;
  return contact && Number(row.channel_id) === request.channelId &&
    same(row.api_key_id === null ? null : Number(row.api_key_id), request.apiKeyId) &&
    same(row.idempotency_key, request.idempotencyKey) &&
    same(row.retry_of_id === null ? null : Number(row.retry_of_id), request.retryOfId);
}
