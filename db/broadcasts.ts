/**
 * Broadcasts as stored: a draft and its list of rows, the steps of the state
 * machine (each a conditional UPDATE, so two people pressing Start at once
 * start it once), the rows queued into the outbox a batch at a time (each
 * row's message and its `queued` mark in one transaction, so a crash never
 * sends one twice), and the messages still waiting held, let go or
 * withdrawn.
 */
import { failureCode } from "../core/message_failure.ts";
import type { BroadcastCounts } from "../core/broadcast_recipients.ts";
import type { InStatement, InValue } from "@libsql/client";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { conflict, notFound } from "../core/app_error.ts";
import {
  ALLOWED_FROM,
  type BroadcastAction,
  type BroadcastSource,
  type BroadcastStatus,
  LEFT_OUT_STATUSES,
  nextStatus,
  PROGRESS_BUCKETS,
  type ProgressBucket,
  type RecipientStatus,
  type ShownRecipientStatus,
} from "../core/broadcast_status.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import type { Clock } from "../core/clock.ts";
import type { MediaMessageType } from "../core/message_type.ts";
import { PRIORITY } from "../core/priority.ts";
import type { SendWindow } from "../core/send_window.ts";
import { broadcastTextFiller } from "../core/broadcast_text.ts";
import { type Actor, auditStatement } from "./audit_log.ts";
import { type Db, readRows } from "./client.ts";
import type { GroupCommit } from "./group_commit.ts";
import { outboundConversationsCreatedStatement } from "./conversation_events.ts";
import { newExternalId } from "./outbox.ts";
import { broadcastRecipients, broadcasts } from "./schema.ts";

export type Broadcast = typeof broadcasts.$inferSelect;
export type RecipientRow = typeof broadcastRecipients.$inferSelect;

/** What a draft is made of, as the form or the API gave it. */
export interface BroadcastDraft {
  name: string;
  channelId: number;
  templateId: number | null;
  /** The text, or the template's body as it was when chosen. */
  body: string;
  variables: Record<string, string>;
  mediaId: string | null;
  window: SendWindow | null;
  stopAfter: number | null;
  scheduledAt: number | null;
  source: BroadcastSource;
  labelId: number | null;
}

/** A row of the list as read, valid or not. */
export interface NewRecipient {
  row: number;
  input: string;
  phone: string | null;
  telegramChatId?: string | null;
  name: string | null;
  contactId?: number | null;
  variables: Record<string, string>;
  status: RecipientStatus;
  error: string | null;
  errorCode: string | null;
}

/** Where the valid rows stand, each in exactly one bucket by its message's status. */
export type BroadcastProgress = Record<ProgressBucket, number>;

/** The reason a message waiting in the outbox gets when its broadcast is cancelled or stopped. */
export const WITHDRAWN = "cancelled with its broadcast";
/** The reason a broadcast message gets when its number opted out before it went. */
export const OPTED_OUT = "the number opted out of broadcasts";
/** A hold that lasts until someone resumes: later than any real time. */
export const HELD_FOR_GOOD = 8_640_000_000_000_000;

/** A drizzle query as a raw statement, to go through the group commit with others. */
function raw(query: { toSQL(): { sql: string; params: unknown[] } }): InStatement {
  const { sql, params } = query.toSQL();
  return { sql, args: params } as InStatement;
}

/** Rows per INSERT: 12 values each, far under SQLite's limit of variables. */
const ROWS_PER_INSERT = 500;

/** The inserts of `rows`; with `onlyIf`, each only when that condition holds. */
function recipientInserts(
  broadcastId: number | "new",
  rows: NewRecipient[],
  onlyIf?: { sql: string; args: InValue[] },
): InStatement[] {
  const id = broadcastId === "new" ? "(SELECT max(id) FROM broadcasts)" : "?";
  const statements: InStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    statements.push({
      sql: `INSERT INTO broadcast_recipients (broadcast_id, row, input, phone, telegram_chat_id,
          name, contact_id, variables, status, error, error_code)
        SELECT ${id}, column1, column2, column3, column4, column5, column6, column7, column8,
          column9, column10 FROM (VALUES ${chunk.map(() => "(?,?,?,?,?,?,?,?,?,?)").join(",")})
        ${onlyIf ? `WHERE ${onlyIf.sql}` : ""}`,
      args: [
        ...(broadcastId === "new" ? [] : [broadcastId]),
        ...chunk.flatMap((r) => [
          r.row,
          r.input,
          r.phone,
          r.telegramChatId ?? null,
          r.name,
          r.contactId ?? null,
          JSON.stringify(r.variables),
          r.status,
          r.error,
          r.errorCode,
        ]),
        ...(onlyIf?.args ?? []),
      ],
    });
  }
  return statements;
}

function draftColumns(draft: BroadcastDraft) {
  return {
    name: draft.name,
    channelId: draft.channelId,
    templateId: draft.templateId,
    body: draft.body,
    variables: JSON.stringify(draft.variables),
    mediaId: draft.mediaId,
    windowStart: draft.window?.start ?? null,
    windowEnd: draft.window?.end ?? null,
    stopAfter: draft.stopAfter,
    scheduledAt: draft.scheduledAt,
    source: draft.source,
    labelId: draft.labelId,
  };
}

/**
 * Stores a new draft with its rows, in one transaction: a draft is there
 * whole or not at all.
 */
export async function createBroadcast(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  actor: Actor,
  draft: BroadcastDraft,
  rows: NewRecipient[],
): Promise<Broadcast> {
  const now = clock.now();
  const [inserted] = await writer.write([
    raw(
      db.insert(broadcasts).values({
        ...draftColumns(draft),
        status: "draft",
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      }).returning({ id: broadcasts.id }),
    ),
    ...recipientInserts("new", rows),
    auditStatement(clock, actor, {
      action: "broadcast.create",
      target: draft.name,
      details: { rows: rows.length },
    }),
  ]);
  return (await getBroadcast(db, Number(inserted.rows[0].id)))!;
}

/**
 * Replaces a draft's settings, and its rows when given, if it is still one
 * that may be edited (a confirmed or scheduled one goes back to draft).
 */
export async function updateDraft(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  actor: Actor,
  id: number,
  draft: BroadcastDraft,
  rows: NewRecipient[] | undefined,
): Promise<Broadcast> {
  const now = clock.now();
  const [updated] = await writer.write([
    raw(
      db.update(broadcasts).set({
        ...draftColumns(draft),
        status: "draft",
        confirmedAt: null,
        updatedAt: now,
      }).where(and(eq(broadcasts.id, id), inArray(broadcasts.status, [...ALLOWED_FROM.edit])))
        .returning({ id: broadcasts.id }),
    ),
    auditStatement(clock, actor, {
      action: "broadcast.update",
      target: draft.name,
      details: rows ? { rows: rows.length } : undefined,
    }, true),
    // The rows change only with the update above: a broadcast that moved on keeps its own.
    ...(rows
      ? [
        {
          sql: `DELETE FROM broadcast_recipients WHERE broadcast_id = ? AND ${EDITED_NOW}`,
          args: [id, id, now],
        },
        ...recipientInserts(id, rows, { sql: EDITED_NOW, args: [id, now] }),
      ]
      : []),
  ]);
  if (updated.rows.length === 0) await refuse(db, id, "edit");
  return (await getBroadcast(db, id))!;
}

/** Whether the draft was changed by this very edit (its `updated_at` is the edit's time). */
const EDITED_NOW = "(SELECT updated_at FROM broadcasts WHERE id = ?) = ?";

export async function getBroadcast(db: Db, id: number): Promise<Broadcast | undefined> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
  return row;
}

/** The broadcast, or a 404 naming it. */
export async function requireBroadcast(db: Db, id: number): Promise<Broadcast> {
  const found = await getBroadcast(db, id);
  if (!found) throw notFound(`No broadcast with id ${id}`);
  return found;
}

/** Newest first; `cursor` is the last id of the previous page. */
export async function listBroadcasts(
  db: Db,
  options: { cursor?: number; limit: number; channelId?: number | null },
): Promise<{ broadcasts: Broadcast[]; nextCursor: number | null }> {
  const rows = await db.select().from(broadcasts).where(and(
    options.cursor !== undefined ? lt(broadcasts.id, options.cursor) : undefined,
    options.channelId != null ? eq(broadcasts.channelId, options.channelId) : undefined,
  )).orderBy(desc(broadcasts.id)).limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    broadcasts: page,
    nextCursor: rows.length > options.limit ? page[page.length - 1].id : null,
  };
}

/** Broadcasts in `statuses`, oldest first (what the runner looks after). */
export async function broadcastsIn(db: Db, statuses: BroadcastStatus[]): Promise<Broadcast[]> {
  return await db.select().from(broadcasts).where(inArray(broadcasts.status, statuses))
    .orderBy(broadcasts.id);
}

/** How many rows of each kind each of `ids` has. */
export async function recipientCounts(
  db: Db,
  ids: number[],
): Promise<Map<number, BroadcastCounts>> {
  const counts = new Map<number, BroadcastCounts>(ids.map((id) => [id, emptyCounts()]));
  if (ids.length === 0) return counts;
  const rows = await readRows(db, {
    sql: `SELECT broadcast_id, status, count(*) AS n FROM broadcast_recipients
      WHERE broadcast_id IN (${ids.map(() => "?").join(",")}) GROUP BY broadcast_id, status`,
    args: ids,
  });
  for (const row of rows) {
    const c = counts.get(Number(row.broadcast_id))!;
    const n = Number(row.n);
    c.rows += n;
    const status = String(row.status) as RecipientStatus;
    if (status === "pending" || status === "queued") c.valid += n;
    else if (status === "invalid") c.invalid += n;
    else if (status === "duplicate") c.duplicates += n;
    else if (status === "opted_out") c.opted_out += n;
    else if (status === "not_on_whatsapp") c.not_on_whatsapp += n;
  }
  return counts;
}

function emptyCounts(): BroadcastCounts {
  return { rows: 0, valid: 0, invalid: 0, duplicates: 0, opted_out: 0, not_on_whatsapp: 0 };
}

/**
 * The bucket of a valid row (`r`, its message `m`, its broadcast `b`): by its
 * message's status; waiting to be queued counts as queued, or as cancelled
 * once the broadcast has ended without it.
 */
const BUCKET_OF = (b: string) =>
  `CASE
    WHEN r.status = 'pending' AND ${b}.status IN ('finished', 'cancelled') THEN 'cancelled'
    WHEN r.status = 'pending' OR m.status IS NULL OR m.status = 'queued' THEN 'queued'
    WHEN m.status = 'failed' AND m.error = :withdrawn THEN 'cancelled'
    ELSE m.status END`;
const BUCKET = BUCKET_OF("b");

/** Where the valid rows of each of `ids` stand. */
export async function broadcastProgress(
  db: Db,
  ids: number[],
): Promise<Map<number, BroadcastProgress>> {
  const progress = new Map<number, BroadcastProgress>(ids.map((id) => [id, emptyProgress()]));
  if (ids.length === 0) return progress;
  const rows = await readRows(db, {
    sql: `SELECT r.broadcast_id, ${BUCKET} AS bucket, count(*) AS n
      FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
        LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.broadcast_id IN (${ids.map((_, i) => `:id${i}`).join(",")})
        AND r.status IN ('pending', 'queued')
      GROUP BY r.broadcast_id, bucket`,
    args: { withdrawn: WITHDRAWN, ...Object.fromEntries(ids.map((id, i) => [`id${i}`, id])) },
  });
  for (const row of rows) {
    const p = progress.get(Number(row.broadcast_id))!;
    const bucket = String(row.bucket) as keyof BroadcastProgress;
    if (bucket in p) p[bucket] += Number(row.n);
  }
  return progress;
}

function emptyProgress(): BroadcastProgress {
  return { queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, cancelled: 0 };
}

/** A row of the list as the recipient details show it, with its message's status. */
export interface RecipientView extends RecipientRow {
  /** invalid…pending as stored, or the progress bucket of a queued row. */
  shownStatus: ShownRecipientStatus;
  messageStatus: string | null;
  /**
   * Why its message failed, or why its last try did while it waits for the
   * next; for a row its broadcast ended before queueing, `WITHDRAWN`.
   */
  messageError: string | null;
  /** The code of why it was left out or why its message failed (`failureCode`). */
  code: string | null;
  /** When the message last changed (sent, delivered, read or failed). */
  at: number | null;
}

/** The names of the variables a broadcast's rows carry, in the order the list first gives them. */
export async function recipientVariableNames(db: Db, id: number): Promise<string[]> {
  const rows = await readRows(db, {
    sql: `SELECT j.key AS name FROM broadcast_recipients r, json_each(r.variables) j
      WHERE r.broadcast_id = :id AND json_valid(r.variables)
      GROUP BY j.key ORDER BY min(r.row), min(j.id)`,
    args: { id },
  });
  return rows.map((r) => String(r.name));
}

/**
 * The rows of a broadcast in list order, from after row `cursor`, optionally
 * of one shown status, or `left_out`: every row left out, whatever the reason.
 */
export async function listRecipients(
  db: Db,
  id: number,
  options: { status?: string; cursor?: number; limit: number },
): Promise<{ recipients: RecipientView[]; nextCursor: number | null }> {
  // A row waits ('pending') until its broadcast starts; from then on it is in a progress bucket.
  const shown = `CASE WHEN r.status IN ('pending', 'queued') THEN
      CASE WHEN r.status = 'pending' AND b.status IN ('draft', 'confirmed', 'scheduled')
      THEN 'pending' ELSE ${BUCKET} END
    ELSE r.status END`;
  const filter = options.status === "left_out"
    ? `AND r.status IN (${LEFT_OUT_STATUSES.map((s) => `'${s}'`).join(", ")})`
    : options.status
    ? `AND ${shown} = :status`
    : "";
  const rows = await readRows(db, {
    sql: `SELECT r.*, ${shown} AS shown_status, m.status AS message_status,
        m.error AS message_error,
        coalesce(m.failed_at, m.read_at, m.delivered_at, m.sent_at, m.created_at,
          CASE WHEN r.status = 'pending' THEN b.finished_at END) AS at
      FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
        LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.broadcast_id = :id AND r.row > :cursor
        ${filter}
      ORDER BY r.row LIMIT :limit`,
    args: {
      id,
      cursor: options.cursor ?? 0,
      limit: options.limit + 1,
      withdrawn: WITHDRAWN,
      ...(options.status && options.status !== "left_out" ? { status: options.status } : {}),
    },
  });
  const page = rows.slice(0, options.limit).map((r): RecipientView => {
    // A message sent after a failed try keeps that try's error: it says nothing of the row then.
    const ended = r.shown_status === "failed" || r.shown_status === "cancelled";
    const messageError = r.message_error !== null && (ended || r.shown_status === "queued")
      ? String(r.message_error)
      : r.shown_status === "cancelled"
      ? WITHDRAWN
      : null;
    const errorCode = r.error_code === null ? null : String(r.error_code);
    return {
      id: Number(r.id),
      broadcastId: Number(r.broadcast_id),
      row: Number(r.row),
      input: String(r.input),
      phone: r.phone === null ? null : String(r.phone),
      telegramChatId: r.telegram_chat_id === null ? null : String(r.telegram_chat_id),
      name: r.name === null ? null : String(r.name),
      contactId: r.contact_id === null ? null : Number(r.contact_id),
      variables: String(r.variables),
      messageId: r.message_id === null ? null : Number(r.message_id),
      status: String(r.status) as RecipientStatus,
      error: r.error === null ? null : String(r.error),
      errorCode,
      shownStatus: String(r.shown_status) as ShownRecipientStatus,
      messageStatus: r.message_status === null ? null : String(r.message_status),
      messageError,
      code: errorCode ?? (ended ? failureCode(messageError) : null),
      at: r.at === null ? null : Number(r.at),
    };
  });
  return {
    recipients: page,
    nextCursor: rows.length > options.limit ? page[page.length - 1].row : null,
  };
}

/**
 * Takes broadcast `id` one step (`action`), if its status allows it: a
 * conditional UPDATE, so of two at once one wins and the other is told why.
 */
export async function stepBroadcast(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  actor: Actor,
  id: number,
  action: Exclude<BroadcastAction, "edit" | "delete">,
  options: { releaseAt?: number } = {},
): Promise<Broadcast> {
  const now = clock.now();
  const before = await requireBroadcast(db, id);
  const to = nextStatus(before.status, action, { scheduled: before.scheduledAt !== null });
  if (!to) await refuse(db, id, action);
  const times = action === "confirm"
    ? { confirmedAt: now }
    : action === "start"
    ? { startedAt: before.startedAt ?? now }
    : action === "finish" || action === "cancel"
    ? { finishedAt: now }
    : {};
  // What an end brings, in the same transaction and only when this step took: the messages
  // still waiting withdrawn, and the `broadcast.finished` event with the final counts.
  const took = {
    sql: "EXISTS (SELECT 1 FROM broadcasts WHERE id = ? AND status = ? AND updated_at = ?)",
    args: [id, to!, now],
  };
  const ends = action === "finish" || action === "cancel";
  const [result] = await writer.write([
    raw(
      db.update(broadcasts).set({ status: to!, ...times, updatedAt: now })
        .where(and(eq(broadcasts.id, id), eq(broadcasts.status, before.status)))
        .returning({ id: broadcasts.id }),
    ),
    auditStatement(clock, actor, { action: STEP_AUDIT[action], target: before.name }, true),
    ...(ends
      ? [
        ...withdrawStatements(id, now, took),
        broadcastEventStatement("broadcast.finished", id, now, took),
      ]
      : []),
    // A pause holds what waits in the outbox; a resume lets it go (at `releaseAt`: now, or
    // when the sending window opens) — with the step, so the two never cross.
    ...(action === "pause" ? [heldStatement(id, HELD_FOR_GOOD, took)] : []),
    ...(action === "resume" ? [releaseStatement(id, options.releaseAt ?? now, took)] : []),
  ]);
  if (result.rows.length === 0) {
    // Another step came first; when the status it left still allows this one, take it from there.
    const now = await requireBroadcast(db, id);
    if (now.status !== before.status && nextStatus(now.status, action)) {
      return await stepBroadcast(db, writer, clock, actor, id, action, options);
    }
    await refuse(db, id, action);
  }
  return (await getBroadcast(db, id))!;
}

/** A broadcast as its webhook events carry it, as it stands: counts and progress included. */
const BROADCAST_EVENT_JSON = `json_object('broadcast', json_object(
  'id', b.id, 'name', b.name, 'channel', b.channel_id, 'status', b.status,
  'counts', (SELECT json_object('rows', count(*),
      'valid', coalesce(sum(status IN ('pending', 'queued')), 0),
      'invalid', coalesce(sum(status = 'invalid'), 0),
      'duplicates', coalesce(sum(status = 'duplicate'), 0),
      'opted_out', coalesce(sum(status = 'opted_out'), 0),
      'not_on_whatsapp', coalesce(sum(status = 'not_on_whatsapp'), 0))
    FROM broadcast_recipients WHERE broadcast_id = b.id),
  'progress', (SELECT json_object(${
  PROGRESS_BUCKETS.map((p) => `'${p}', coalesce(sum(bucket = '${p}'), 0)`).join(", ")
})
    FROM (SELECT ${BUCKET_OF("e")} AS bucket FROM broadcast_recipients r
      JOIN broadcasts e ON e.id = r.broadcast_id LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.broadcast_id = b.id AND r.status IN ('pending', 'queued'))),
  'started_at', strftime('%Y-%m-%dT%H:%M:%fZ', b.started_at / 1000.0, 'unixepoch'),
  'finished_at', strftime('%Y-%m-%dT%H:%M:%fZ', b.finished_at / 1000.0, 'unixepoch')))`;

/**
 * The statement that writes a broadcast event (`broadcast.progress` or
 * `broadcast.finished`) with the broadcast as it stands when it runs; only
 * when some webhook is active, and with `onlyIf`, only when that holds.
 */
export function broadcastEventStatement(
  type: "broadcast.progress" | "broadcast.finished",
  id: number,
  at: number,
  onlyIf?: { sql: string; args: InValue[] },
): InStatement {
  return {
    sql: `INSERT INTO webhook_events (type, channel_id, data, created_at)
      SELECT ?, b.channel_id, ${BROADCAST_EVENT_JSON.replaceAll(":withdrawn", "?")}, ?
      FROM broadcasts b WHERE b.id = ? AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
        ${onlyIf ? `AND ${onlyIf.sql}` : ""}`,
    args: [type, WITHDRAWN, at, id, ...(onlyIf?.args ?? [])],
  };
}

/** Deletes a broadcast that is not running or paused (its rows go with it; its messages stay). */
export async function deleteBroadcast(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<void> {
  const before = await requireBroadcast(db, id);
  const [result] = await writer.write([
    raw(
      db.delete(broadcasts).where(
        and(eq(broadcasts.id, id), inArray(broadcasts.status, [...ALLOWED_FROM.delete])),
      ).returning({ id: broadcasts.id }),
    ),
    auditStatement(clock, actor, { action: "broadcast.delete", target: before.name }, true),
  ]);
  if (result.rows.length === 0) await refuse(db, id, "delete");
}

/** Why `action` is not allowed on broadcast `id` as it now stands: a 409 that says so. */
async function refuse(db: Db, id: number, action: BroadcastAction): Promise<never> {
  const now = await requireBroadcast(db, id);
  const allowed = ALLOWED_FROM[action];
  throw conflict(
    `Broadcast ${id} is ${now.status}: only a broadcast that is ${allowed.join(" or ")} can be ${
      PAST[action]
    }`,
    { status: now.status, action },
  );
}

/** Each step's line in the audit log. */
const STEP_AUDIT: Record<Exclude<BroadcastAction, "edit" | "delete">, string> = {
  confirm: "broadcast.confirm",
  start: "broadcast.start",
  pause: "broadcast.pause",
  resume: "broadcast.resume",
  cancel: "broadcast.cancel",
  finish: "broadcast.finish",
};

const PAST: Record<BroadcastAction, string> = {
  edit: "edited",
  confirm: "confirmed",
  start: "started",
  pause: "paused",
  resume: "resumed",
  cancel: "cancelled",
  finish: "finished",
  delete: "deleted",
};

/** A waiting row made ready to be queued: its message's text and external id. */
export interface RowToQueue {
  id: number;
  body: string;
  ext: string | null;
}

/**
 * Up to `limit` waiting rows of a running broadcast after row id `after`, in
 * list order, with their texts filled in (none when it is not running).
 */
export async function readRowsToQueue(
  db: Db,
  broadcast: Broadcast,
  channelKind: ChannelKind,
  options: { after?: number; limit: number },
): Promise<RowToQueue[]> {
  const rows = await readRows(db, {
    // Rows are stored in list order, so their ids run with their row numbers.
    sql: `SELECT id, variables FROM broadcast_recipients
      WHERE broadcast_id = ? AND status = 'pending' AND id > ?
        AND (SELECT status FROM broadcasts WHERE id = ?) = 'running'
      ORDER BY id LIMIT ?`,
    args: [broadcast.id, options.after ?? 0, broadcast.id, options.limit],
  });
  const textFor = broadcastTextFiller(broadcast.body, JSON.parse(broadcast.variables));
  return rows.map((row) => ({
    id: Number(row.id),
    body: textFor(JSON.parse(String(row.variables))),
    ext: newExternalId(channelKind),
  }));
}

/**
 * Queues `rows` (consecutive waiting rows of a running broadcast, as read by
 * `readRowsToQueue`) as one transaction of a few set-wise statements: the
 * rows whose number opted out since the list was read left out, their
 * contacts where new (named as the list names them; a contact Kabar knows
 * keeps its own name), their conversations where new, their messages (whose `queued`
 * events the database writes) and their marks as queued — only while the
 * broadcast is still running and each row still waits, so a row is never
 * queued twice. Messages of a broadcast waiting for its sending window are
 * held until `notBefore`. Answers how many were queued and how many left
 * out as opted out (both 0: none waited, or the broadcast is not running).
 */
export async function queueRows(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  broadcast: Broadcast,
  channelKind: ChannelKind,
  rows: RowToQueue[],
  options: { notBefore?: number; mediaType?: MediaMessageType },
): Promise<{ queued: number; optedOut: number }> {
  if (rows.length === 0) return { queued: 0, optedOut: 0 };
  const now = clock.now();
  const batch = JSON.stringify(rows);
  const telegram = channelKind === "telegram";
  const webhooks = Number(
    (await readRows(db, {
      sql: "SELECT EXISTS (SELECT 1 FROM webhooks WHERE active = 1) AS any",
    }))[0].any,
  ) === 1;
  const args = {
    batch,
    first: rows[0].id,
    last: rows[rows.length - 1].id,
    broadcast: broadcast.id,
    channel: broadcast.channelId,
    now,
    type: broadcast.mediaId ? options.mediaType ?? "document" : "text",
    media: broadcast.mediaId,
    template: broadcast.templateId,
    priority: PRIORITY.broadcast,
    notBefore: options.notBefore ?? null,
  };
  // The batch's rows: those still waiting between its first and last, while the broadcast runs.
  const running = "(SELECT status FROM broadcasts WHERE id = :broadcast) = 'running'";
  const inBatch = (r: string) =>
    `${r}.broadcast_id = :broadcast AND ${r}.status = 'pending' AND ${r}.id BETWEEN :first AND :last`;
  const waiting = `FROM broadcast_recipients r WHERE ${inBatch("r")} AND ${running}`;
  // A row's contact: its own (label recipients), else the number's or chat's, found or made
  // by the first statement, and stored on the row when it is marked queued.
  const contactOf = (r: string) =>
    `coalesce(${r}.contact_id, (SELECT id FROM contacts WHERE ${
      telegram ? `telegram_chat_id = ${r}.telegram_chat_id` : `phone = ${r}.phone`
    }))`;
  const statements: InStatement[] = [
    {
      sql: `UPDATE broadcast_recipients SET status = 'opted_out', error = :optedOut,
          error_code = 'opted_out'
        WHERE ${inBatch("broadcast_recipients")} AND ${running}
          AND phone IN (SELECT phone FROM opt_outs)`,
      args: { ...args, optedOut: OPTED_OUT },
    },
    telegram
      ? {
        sql: `INSERT INTO contacts (telegram_chat_id, name, created_at, updated_at)
          SELECT r.telegram_chat_id, r.name, :now, :now
          ${waiting} AND r.contact_id IS NULL AND r.telegram_chat_id IS NOT NULL
          ON CONFLICT (telegram_chat_id) DO NOTHING`,
        args,
      }
      : {
        sql: `INSERT INTO contacts (phone, name, created_at, updated_at)
          SELECT r.phone, r.name, :now, :now
          ${waiting} AND r.contact_id IS NULL AND r.phone IS NOT NULL
          ON CONFLICT (phone) DO NOTHING`,
        args,
      },
    {
      // A conversation a broadcast starts begins resolved: the inbox fills only with replies.
      sql: `INSERT INTO conversations (channel_id, contact_id, status, last_message_at, created_at,
          updated_at)
        SELECT :channel, contact, 'resolved', :now, :now, :now
        FROM (SELECT ${contactOf("r")} AS contact ${waiting}) WHERE contact IS NOT NULL
        ON CONFLICT (channel_id, contact_id) DO UPDATE SET
          last_message_at = excluded.last_message_at, updated_at = excluded.updated_at`,
      args,
    },
    ...(webhooks
      ? [outboundConversationsCreatedStatement({
        sql: `SELECT c.id FROM broadcast_recipients r JOIN conversations c
            ON c.channel_id = ? AND c.contact_id = ${contactOf("r")}
          WHERE r.broadcast_id = ? AND r.id BETWEEN ? AND ? AND c.created_at = ?`,
        args: [broadcast.channelId, broadcast.id, args.first, args.last, now],
      })]
      : []),
    {
      sql: `INSERT INTO messages (channel_id, conversation_id, contact_id, direction, type, body,
          media_id, status, external_id, source, priority, broadcast_id, template_id,
          next_attempt_at, created_at, updated_at)
        SELECT c.channel_id, c.id, c.contact_id, 'out', :type, j.value ->> 'body', :media,
          'queued', j.value ->> 'ext', 'broadcast', :priority, :broadcast, :template, :notBefore,
          :now, :now
        FROM json_each(:batch) j JOIN broadcast_recipients r ON r.id = j.value ->> 'id'
          JOIN conversations c ON c.channel_id = :channel AND c.contact_id = ${contactOf("r")}
        WHERE r.status = 'pending' AND ${running}
          AND EXISTS (SELECT 1 FROM channels WHERE id = :channel AND deleted_at IS NULL)`,
      args,
    },
    {
      sql: `UPDATE broadcast_recipients SET status = 'queued', message_id = m.id,
          contact_id = m.contact_id
        FROM messages m
        WHERE ${inBatch("broadcast_recipients")} AND m.broadcast_id = :broadcast
          AND m.contact_id = ${contactOf("broadcast_recipients")}`,
      args,
    },
  ];
  const results = await writer.writeWhenIdle(statements);
  return { queued: results[statements.length - 1].rowsAffected, optedOut: results[0].rowsAffected };
}

/** Holds the broadcast's messages waiting in the outbox until `until` (at the least). */
export async function holdQueued(writer: GroupCommit, id: number, until: number): Promise<number> {
  const [result] = await writer.write([heldStatement(id, until)]);
  return result.rowsAffected;
}

function heldStatement(
  id: number,
  until: number,
  onlyIf?: { sql: string; args: InValue[] },
): InStatement {
  return {
    sql: `UPDATE messages SET next_attempt_at = max(coalesce(next_attempt_at, 0), ?)
      WHERE broadcast_id = ? AND status = 'queued' ${onlyIf ? `AND ${onlyIf.sql}` : ""}`,
    args: [until, id, ...(onlyIf?.args ?? [])],
  };
}

/** Lets the broadcast's held messages go at `at` (now, or when its window opens). */
export async function releaseQueued(writer: GroupCommit, id: number, at: number): Promise<number> {
  const [result] = await writer.write([releaseStatement(id, at)]);
  return result.rowsAffected;
}

function releaseStatement(
  id: number,
  at: number,
  onlyIf?: { sql: string; args: InValue[] },
): InStatement {
  return {
    sql: `UPDATE messages SET next_attempt_at = ? WHERE broadcast_id = ? AND status = 'queued'
      ${onlyIf ? `AND ${onlyIf.sql}` : ""}`,
    args: [at, id, ...(onlyIf?.args ?? [])],
  };
}

/**
 * Withdraws the broadcast's messages still waiting in the outbox (never
 * tried, or waiting for a retry): failed, with the reason `WITHDRAWN` (the
 * code `cancelled`); its rows not yet queued count as cancelled with it.
 */
function withdrawStatements(
  id: number,
  now: number,
  onlyIf?: { sql: string; args: InValue[] },
): InStatement[] {
  const guard = onlyIf ? `AND ${onlyIf.sql}` : "";
  const guardArgs = onlyIf?.args ?? [];
  return [
    {
      sql: `UPDATE messages SET status = 'failed', error = ?, failed_at = ?, updated_at = ?
        WHERE broadcast_id = ? AND status = 'queued' ${guard} RETURNING id`,
      args: [WITHDRAWN, now, now, id, ...guardArgs],
    },
    {
      sql: `INSERT INTO message_events (message_id, status, at, detail)
        SELECT id, 'failed', ?, ? FROM messages
        WHERE broadcast_id = ? AND status = 'failed' AND failed_at = ? AND error = ?`,
      args: [now, WITHDRAWN, id, now, WITHDRAWN],
    },
  ];
}

/** How many of the broadcast's messages wait in the outbox (never tried, or for a retry). */
export async function waitingInOutbox(db: Db, broadcast: Broadcast): Promise<number> {
  const rows = await readRows(db, {
    // Through the outbox's own index: its channel's waiting broadcast messages are few, while
    // the broadcast's sent ones may be a hundred thousand.
    sql: `SELECT count(*) AS n FROM messages INDEXED BY messages_queue_idx
      WHERE channel_id = ? AND status = 'queued' AND priority = ? AND broadcast_id = ?`,
    args: [broadcast.channelId, PRIORITY.broadcast, broadcast.id],
  });
  return Number(rows[0].n);
}

/** How many of the broadcast's messages were sent from `since` on. */
export async function countBroadcastSentSince(
  db: Db,
  broadcast: Broadcast,
  since: number,
): Promise<number> {
  const rows = await readRows(db, {
    // Through the channel's recent sends: the broadcast's own index would walk all of its messages.
    sql: `SELECT count(*) AS n FROM messages INDEXED BY messages_sent_idx
      WHERE channel_id = ? AND direction = 'out' AND sent_at IS NOT NULL AND sent_at >= ?
        AND broadcast_id = ?`,
    args: [broadcast.channelId, since, broadcast.id],
  });
  return Number(rows[0].n);
}

/** Whether some row of the broadcast still waits to be queued. */
export async function hasPending(db: Db, id: number): Promise<boolean> {
  const rows = await readRows(db, {
    sql: `SELECT EXISTS (SELECT 1 FROM broadcast_recipients
      WHERE broadcast_id = ? AND status = 'pending') AS waiting`,
    args: [id],
  });
  return Number(rows[0].waiting) === 1;
}

/** Whether every valid row of the broadcast has been queued and its message has left the outbox. */
export async function isDrained(db: Db, broadcast: Broadcast): Promise<boolean> {
  if (await hasPending(db, broadcast.id) || await waitingInOutbox(db, broadcast) > 0) return false;
  const rows = await readRows(db, {
    // Few messages are being sent at any moment: found through the index on status.
    sql: `SELECT EXISTS (SELECT 1 FROM messages WHERE status = 'sending' AND +broadcast_id = ?)
      AS sending`,
    args: [broadcast.id],
  });
  return Number(rows[0].sending) === 0;
}

/** A broadcast's sending window, or null for any time. */
export function windowOf(broadcast: Broadcast): SendWindow | null {
  return broadcast.windowStart === null || broadcast.windowEnd === null
    ? null
    : { start: broadcast.windowStart, end: broadcast.windowEnd };
}

/** The waiting rows' numbers of a draft, in list order, after row `cursor`. */
export async function pendingPhones(
  db: Db,
  id: number,
  options: { cursor: number; limit: number },
): Promise<{ row: number; phone: string }[]> {
  const rows = await readRows(db, {
    sql: `SELECT row, phone FROM broadcast_recipients
      WHERE broadcast_id = ? AND status = 'pending' AND phone IS NOT NULL AND row > ?
      ORDER BY row LIMIT ?`,
    args: [id, options.cursor, options.limit],
  });
  return rows.map((r) => ({ row: Number(r.row), phone: String(r.phone) }));
}

/** Leaves out a draft's waiting rows with `phones`, which WhatsApp says it does not know. */
export async function markNotOnWhatsapp(
  writer: GroupCommit,
  id: number,
  phones: string[],
): Promise<number> {
  if (phones.length === 0) return 0;
  const [result] = await writer.write([{
    sql: `UPDATE broadcast_recipients SET status = 'not_on_whatsapp', error = 'not on WhatsApp',
        error_code = 'not_on_whatsapp'
      WHERE broadcast_id = ? AND status = 'pending' AND phone IN (SELECT value FROM json_each(?))
        AND (SELECT status FROM broadcasts WHERE id = ?) = 'draft'`,
    args: [id, JSON.stringify(phones), id],
  }]);
  return result.rowsAffected;
}
