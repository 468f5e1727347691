/**
 * Webhooks and their deliveries. Events reach `webhook_deliveries` through
 * triggers (see migrations/0006); this module manages endpoints, and lets
 * the delivery worker claim, record and retry deliveries.
 */
import type { InStatement } from "@libsql/client";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { conflict, invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { SecretBox } from "../core/secret_box.ts";
import { randomToken } from "../core/tokens.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import { getChannel } from "./channels.ts";
import type { Db } from "./client.ts";
import type { GroupCommit } from "./group_commit.ts";
import { webhookDeliveries, webhookEvents, webhooks } from "./schema.ts";

/** Events a webhook can ask for; `*` is all of them. */
export const WEBHOOK_EVENTS = [
  "message.received",
  "message.status",
  "channel.status",
  "*",
] as const;
export type WebhookEventName = typeof WEBHOOK_EVENTS[number];

type Row = typeof webhooks.$inferSelect;

/** A webhook as lists show it (the secret stays sealed). */
export interface Webhook extends Omit<Row, "events" | "secret"> {
  events: string[];
}

export type Delivery = typeof webhookDeliveries.$inferSelect;

export interface WebhookInput {
  url: string;
  events: string[];
  channelId: number | null;
}

const toWebhook = ({ secret: _, ...row }: Row): Webhook => ({
  ...row,
  events: JSON.parse(row.events),
});

async function checkChannel(db: Db, channelId: number | null): Promise<void> {
  if (channelId !== null && !(await getChannel(db, channelId))) {
    throw invalidInput(`No channel with id ${channelId}`, { channel: `no channel ${channelId}` });
  }
}

/** Adds a webhook with a new signing secret; answers the secret once. */
export async function createWebhook(
  db: Db,
  clock: Clock,
  secretBox: SecretBox,
  actor: Actor,
  input: WebhookInput,
): Promise<{ webhook: Webhook; secret: string }> {
  await checkChannel(db, input.channelId);
  const secret = `whsec_${randomToken(24)}`;
  const now = clock.now();
  const [[row]] = await db.batch([
    db.insert(webhooks).values({
      url: input.url,
      secret: await secretBox.seal(secret),
      events: JSON.stringify(input.events),
      channelId: input.channelId,
      createdAt: now,
      updatedAt: now,
    }).returning(),
    auditInsert(db, clock, actor, {
      action: "webhook.create",
      target: input.url,
      details: { events: input.events, channelId: input.channelId },
    }),
  ]);
  return { webhook: toWebhook(row), secret };
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  return (await db.select().from(webhooks).orderBy(webhooks.id)).map(toWebhook);
}

export async function getWebhook(db: Db, id: number): Promise<Webhook | undefined> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row ? toWebhook(row) : undefined;
}

/** The webhook or a 404 naming it. */
export async function requireWebhook(db: Db, id: number): Promise<Webhook> {
  const webhook = await getWebhook(db, id);
  if (!webhook) throw notFound(`No webhook with id ${id}`);
  return webhook;
}

/** The signing secret of a webhook, unsealed. */
export async function webhookSecret(db: Db, secretBox: SecretBox, id: number): Promise<string> {
  const [row] = await db.select({ secret: webhooks.secret }).from(webhooks).where(
    eq(webhooks.id, id),
  );
  if (!row) throw notFound(`No webhook with id ${id}`);
  return await secretBox.open(row.secret);
}

/** A Wappin integration's callback is changed and removed with the integration. */
function refuseManaged(webhook: Webhook): void {
  if (webhook.format === "wappin") {
    throw conflict(
      `Webhook ${webhook.id} carries a Wappin integration's callbacks: change or remove it ` +
        "with the integration (Settings → Integrations)",
      { webhook: "err.webhook_managed" },
    );
  }
}

/** Changes a webhook's URL, events, channel or whether it is active (only that for a Wappin callback). */
export async function updateWebhook(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  patch: Partial<WebhookInput & { active: boolean }>,
): Promise<Webhook> {
  const before = await requireWebhook(db, id);
  const managed = patch.url !== undefined || patch.events !== undefined ||
    patch.channelId !== undefined;
  if (managed) refuseManaged(before);
  if (patch.active && !before.url) {
    throw conflict(`Webhook ${before.id} has no address to send to yet`, {
      webhook: "err.webhook_no_url",
    });
  }
  if (patch.channelId !== undefined) await checkChannel(db, patch.channelId);
  const [[row]] = await db.batch([
    db.update(webhooks).set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.channelId !== undefined ? { channelId: patch.channelId } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updatedAt: clock.now(),
    }).where(eq(webhooks.id, id)).returning(),
    auditInsert(db, clock, actor, { action: "webhook.update", target: before.url, details: patch }),
  ]);
  return toWebhook(row);
}

/** Deletes a webhook and its delivery log. */
export async function deleteWebhook(db: Db, clock: Clock, actor: Actor, id: number): Promise<void> {
  const before = await requireWebhook(db, id);
  refuseManaged(before);
  await db.batch([
    db.delete(webhooks).where(eq(webhooks.id, id)),
    auditInsert(db, clock, actor, { action: "webhook.delete", target: before.url }),
  ]);
}

/** A webhook's deliveries, newest first, a page at a time. */
export async function listDeliveries(
  db: Db,
  webhookId: number,
  options: { cursor?: number; limit: number },
): Promise<{ deliveries: Delivery[]; nextCursor: number | null }> {
  const rows = await db.select().from(webhookDeliveries).where(and(
    eq(webhookDeliveries.webhookId, webhookId),
    options.cursor !== undefined ? lt(webhookDeliveries.id, options.cursor) : undefined,
  )).orderBy(desc(webhookDeliveries.id)).limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    deliveries: page,
    nextCursor: rows.length > options.limit ? page[page.length - 1].id : null,
  };
}

/** Sends a delivery again (same id, same body), now. */
export async function redeliver(
  db: Db,
  clock: Clock,
  webhookId: number,
  deliveryId: number,
): Promise<void> {
  const rows = await db.update(webhookDeliveries).set({
    status: "pending",
    nextAttemptAt: clock.now(),
  }).where(and(
    eq(webhookDeliveries.id, deliveryId),
    eq(webhookDeliveries.webhookId, webhookId),
    inArray(webhookDeliveries.status, ["delivered", "failed"]),
  )).returning({ id: webhookDeliveries.id });
  if (rows.length === 0) {
    throw notFound(`No finished delivery ${deliveryId} of webhook ${webhookId}`);
  }
}

/** A claimed delivery with what the worker needs to send it. */
export interface ClaimedDelivery extends Delivery {
  url: string;
  format: "kabar" | "wappin";
  eventType: string;
  eventCreatedAt: number;
  messageId: number | null;
  messageEventId: number | null;
  data: string | null;
}

/**
 * Takes up to `limit` due deliveries and marks them `delivering`. A delivery
 * waits while an earlier one of the same endpoint and conversation (or
 * channel, for channel events) is unfinished, so each endpoint sees a
 * conversation's events in order; at most `perWebhook` run at once per
 * endpoint, so one slow endpoint cannot hold up the others.
 */
export async function claimDeliveries(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  limit: number,
  perWebhook: number,
): Promise<ClaimedDelivery[]> {
  const now = clock.now();
  // The head of each endpoint's conversation queue is its lowest unfinished delivery; only a
  // due head may go, and each endpoint keeps at most `perWebhook` in flight. Choosing reads;
  // the conditional UPDATE then takes only what is still pending (another process may have).
  const { rows: heads } = await db.$client.execute({
    sql:
      `SELECT d.id, d.webhook_id FROM webhook_deliveries d INDEXED BY webhook_deliveries_status_id_idx
      WHERE d.status = 'pending' AND d.next_attempt_at <= ?
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
          WHERE e.status IN ('pending', 'delivering') AND e.webhook_id = d.webhook_id
            AND e.order_key = d.order_key AND e.id < d.id)
        AND d.webhook_id IN (SELECT id FROM webhooks WHERE active = 1)
      ORDER BY d.id LIMIT ?`,
    args: [now, limit * 4],
  });
  if (heads.length === 0) return [];
  const { rows: busyRows } = await db.$client.execute(
    "SELECT webhook_id, count(*) AS n FROM webhook_deliveries WHERE status = 'delivering' GROUP BY webhook_id",
  );
  const room = new Map(busyRows.map((r) => [Number(r.webhook_id), perWebhook - Number(r.n)]));
  const chosen: number[] = [];
  for (const head of heads) {
    const webhookId = Number(head.webhook_id);
    const left = room.get(webhookId) ?? perWebhook;
    if (left <= 0) continue;
    room.set(webhookId, left - 1);
    chosen.push(Number(head.id));
    if (chosen.length === limit) break;
  }
  if (chosen.length === 0) return [];
  const [{ rows }] = await writer.write([{
    sql: `UPDATE webhook_deliveries SET status = 'delivering', attempts = attempts + 1
      WHERE id IN (${chosen.map(() => "?").join(", ")}) AND +status = 'pending'
      RETURNING id`,
    args: chosen,
  }]);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const claimed = await db.select({
    delivery: webhookDeliveries,
    url: webhooks.url,
    format: webhooks.format,
    event: webhookEvents,
  }).from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(inArray(webhookDeliveries.id, ids))
    .orderBy(webhookDeliveries.id);
  return claimed.map(({ delivery, url, format, event }) => ({
    ...delivery,
    url,
    format,
    eventType: event.type,
    eventCreatedAt: event.createdAt,
    messageId: event.messageId,
    messageEventId: event.messageEventId,
    data: event.data,
  }));
}

/**
 * When the next retry falls due, or undefined. Deliveries already due but
 * waiting for an earlier one of their conversation go when that one is done.
 */
export async function nextDeliveryAt(db: Db, clock: Clock): Promise<number | undefined> {
  const { rows } = await db.$client.execute({
    sql: `SELECT min(next_attempt_at) AS at FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at > ?`,
    args: [clock.now()],
  });
  const at = rows[0]?.at;
  return at === null || at === undefined ? undefined : Number(at);
}

/** Records an attempt: delivered, to retry at `retryAt`, or dead (`failed`). */
export function deliveryOutcome(
  id: number,
  outcome: {
    payload: string;
    statusCode: number | null;
    excerpt: string | null;
    error: string | null;
    now: number;
  } & ({ result: "delivered" } | { result: "retry"; retryAt: number } | { result: "failed" }),
): InStatement {
  const status = outcome.result === "retry" ? "pending" : outcome.result;
  return {
    sql: `UPDATE webhook_deliveries SET status = ?, payload = ?, last_status_code = ?,
        response_excerpt = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?
      WHERE id = ? AND status = 'delivering'`,
    args: [
      status,
      outcome.payload,
      outcome.statusCode,
      outcome.excerpt,
      outcome.error,
      outcome.result === "retry" ? outcome.retryAt : null,
      outcome.result === "delivered" ? outcome.now : null,
      id,
    ],
  };
}

/** Deliveries a crash left `delivering` go again (with the same delivery id). */
export async function recoverDeliveries(db: Db, clock: Clock): Promise<number> {
  const rows = await db.update(webhookDeliveries).set({
    status: "pending",
    nextAttemptAt: clock.now(),
  }).where(eq(webhookDeliveries.status, "delivering")).returning({ id: webhookDeliveries.id });
  return rows.length;
}

/** Pending and dead deliveries per webhook, for the metrics. */
export async function deliveryBacklog(
  db: Db,
): Promise<{ webhookId: number; pending: number; failed: number }[]> {
  const { rows } = await db.$client.execute(`SELECT webhook_id,
      sum(status IN ('pending', 'delivering')) AS pending, sum(status = 'failed') AS failed
    FROM webhook_deliveries GROUP BY webhook_id`);
  return rows.map((r) => ({
    webhookId: Number(r.webhook_id),
    pending: Number(r.pending),
    failed: Number(r.failed),
  }));
}
