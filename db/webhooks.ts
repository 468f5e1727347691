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
import { newWebhookSecret, PREVIOUS_SECRET_MS } from "../core/webhook_secret.ts";
import type { WebhookEventType } from "../core/webhook_events.ts";
import type { WebhookFormat } from "../core/webhook_format.ts";
import { type Actor, auditInsert, recordAudit } from "./audit_log.ts";
import { getChannel } from "./channels.ts";
import type { Db } from "./client.ts";
import type { GroupCommit } from "./group_commit.ts";
import { webhookDeliveries, webhooks } from "./schema.ts";

type Row = typeof webhooks.$inferSelect;

/** A webhook as lists show it (the secrets stay sealed, and out of it). */
export interface Webhook extends Omit<Row, "events" | "secret" | "previousSecret"> {
  events: string[];
}

export type Delivery = typeof webhookDeliveries.$inferSelect;

export interface WebhookInput {
  url: string;
  events: string[];
  channelId: number | null;
  /** May deliveries reach loopback, private and link-local addresses (the hospital's systems). */
  privateNetwork?: boolean;
}

const toWebhook = ({ secret: _, previousSecret: _previous, ...row }: Row): Webhook => ({
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
  const secret = newWebhookSecret();
  const now = clock.now();
  const [[row]] = await db.batch([
    db.insert(webhooks).values({
      url: input.url,
      secret: await secretBox.seal(secret),
      events: JSON.stringify(input.events),
      channelId: input.channelId,
      privateNetwork: input.privateNetwork ?? false,
      createdAt: now,
      updatedAt: now,
    }).returning(),
    auditInsert(db, clock, actor, {
      action: "webhook.create",
      target: input.url,
      details: {
        events: input.events,
        channelId: input.channelId,
        privateNetwork: input.privateNetwork ?? false,
      },
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

/**
 * Gives a webhook a new signing secret (answered once). The one it had keeps
 * signing beside it until `previousExpiresAt`, so receivers can switch
 * without losing a delivery; a secret rotated out before stops at once.
 */
export async function rotateWebhookSecret(
  db: Db,
  clock: Clock,
  secretBox: SecretBox,
  actor: Actor,
  id: number,
): Promise<{ webhook: Webhook; secret: string; previousExpiresAt: number }> {
  const before = await requireWebhook(db, id);
  refuseManaged(before);
  const [current] = await db.select({ secret: webhooks.secret }).from(webhooks).where(
    eq(webhooks.id, id),
  );
  const secret = newWebhookSecret();
  const now = clock.now();
  const previousExpiresAt = now + PREVIOUS_SECRET_MS;
  // Only over the secret read above: of two rotations at once, one wins and the other is told,
  // so no one is handed a secret that was replaced before it ever signed.
  const [row] = await db.update(webhooks).set({
    secret: await secretBox.seal(secret),
    // Moved sealed as it is: only the key that sealed it can open it.
    previousSecret: current.secret,
    previousSecretExpiresAt: previousExpiresAt,
    updatedAt: now,
  }).where(and(eq(webhooks.id, id), eq(webhooks.secret, current.secret))).returning();
  if (!row) {
    throw conflict(`The secret of webhook ${id} was rotated just now by someone else`, {
      webhook: "err.webhook_rotated_meanwhile",
    });
  }
  await recordAudit(db, clock, actor, {
    action: "webhook.rotate_secret",
    target: before.url,
    details: { webhookId: id, previousExpiresAt: new Date(previousExpiresAt).toISOString() },
  });
  return { webhook: toWebhook(row), secret, previousExpiresAt };
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
    patch.channelId !== undefined || patch.privateNetwork !== undefined;
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
      ...(patch.privateNetwork !== undefined ? { privateNetwork: patch.privateNetwork } : {}),
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
  format: WebhookFormat;
  privateNetwork: boolean;
  /** The webhook's signing secret, sealed (read with the claim, so a rotation is seen at once). */
  sealedSecret: string;
  /** The secret before the last rotation, sealed, and when it stops signing. */
  sealedPreviousSecret: string | null;
  previousSecretExpiresAt: number | null;
  eventType: WebhookEventType;
  eventCreatedAt: number;
  messageId: number | null;
  messageEventId: number | null;
  data: string | null;
}

/** A due delivery about to be claimed whose body is still to be built (it never went out). */
export type UnbuiltDelivery = Omit<ClaimedDelivery, "payload" | "status">;

/** Builds the bodies of deliveries about to be claimed: delivery id -> body. */
export type BuildPayloads = (deliveries: UnbuiltDelivery[]) => Promise<Map<number, string>>;

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Active webhooks and how many more deliveries each may have in flight. */
async function roomPerWebhook(db: Db, perWebhook: number): Promise<Map<number, number>> {
  const { rows } = await db.$client.execute(`SELECT w.id,
      (SELECT count(*) FROM webhook_deliveries e
        WHERE e.status = 'delivering' AND e.webhook_id = w.id) AS busy
    FROM webhooks w WHERE w.active = 1`);
  const room = new Map<number, number>();
  for (const r of rows) {
    const left = perWebhook - Number(r.busy);
    if (left > 0) room.set(Number(r.id), left);
  }
  return room;
}

/** Endpoints per claiming query: SQLite takes at most 500 terms in one compound SELECT. */
const WEBHOOKS_PER_QUERY = 100;

/**
 * Takes up to `limit` due deliveries, oldest first, and marks them
 * `delivering`. A delivery waits while an earlier one of the same endpoint
 * and conversation (or channel, for channel events) is unfinished, so each
 * endpoint sees a conversation's events in order; at most `perWebhook` run
 * at once per endpoint, and an endpoint at that limit is left out of the
 * choice, so however many of its deliveries are due, the others still get
 * theirs.
 *
 * The choice reads only due deliveries of endpoints with room: one waiting
 * for a retry is past its endpoint's range of webhook_deliveries_due_idx, and
 * one waiting behind an earlier one has no next attempt time until that one
 * is done (migrations/0015). So an endpoint that is down, however large its
 * backlog, costs the others nothing.
 *
 * A delivery that never went out gets its body from `build` in the claiming
 * UPDATE itself: every later attempt (a retry, a resend after a crash, "Send
 * again") sends the same bytes.
 */
export async function claimDeliveries(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  limit: number,
  perWebhook: number,
  build: BuildPayloads,
): Promise<ClaimedDelivery[]> {
  const now = clock.now();
  const room = [...(await roomPerWebhook(db, perWebhook))];
  const chosen: (UnbuiltDelivery & { built: boolean })[] = [];
  // Each endpoint's oldest due heads, as many as it has room for; the oldest `limit` of them all
  // are what a walk over every due head in id order, leaving out endpoints that filled up, takes.
  // The head of each endpoint's conversation queue is its lowest unfinished delivery. Choosing
  // reads; the conditional UPDATE then takes only what is still pending (another process may have).
  for (let i = 0; i < room.length && limit > 0; i += WEBHOOKS_PER_QUERY) {
    const part = room.slice(i, i + WEBHOOKS_PER_QUERY);
    const heads = part.map(() =>
      `SELECT * FROM (SELECT h.id FROM webhook_deliveries h INDEXED BY webhook_deliveries_due_idx
        WHERE h.status = 'pending' AND h.webhook_id = ? AND h.next_attempt_at <= ?
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
            WHERE e.status IN ('pending', 'delivering') AND e.webhook_id = h.webhook_id
              AND e.order_key = h.order_key AND e.id < h.id)
        ORDER BY h.id LIMIT ?)`
    );
    const { rows } = await db.$client.execute({
      sql: `SELECT d.id, d.webhook_id, d.event_id, d.order_key, d.event, d.payload = '' AS unbuilt,
          d.response_excerpt, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
          d.created_at, d.delivered_at, w.url, w.format, w.private_network, w.secret,
          w.previous_secret, w.previous_secret_expires_at, ev.type AS ev_type,
          ev.created_at AS ev_created_at, ev.message_id, ev.message_event_id, ev.data
        FROM (${heads.join(" UNION ALL ")}) AS c
        CROSS JOIN webhook_deliveries d ON d.id = c.id
        CROSS JOIN webhooks w ON w.id = d.webhook_id
        LEFT JOIN webhook_events ev ON ev.id = d.event_id
        ORDER BY d.id LIMIT ?`,
      args: [...part.flatMap(([id, left]) => [id, now, Math.min(left, limit)]), limit],
    });
    for (const r of rows) {
      chosen.push({
        id: Number(r.id),
        webhookId: Number(r.webhook_id),
        eventId: n(r.event_id),
        orderKey: n(r.order_key),
        event: String(r.event) as WebhookEventType,
        responseExcerpt: s(r.response_excerpt),
        attempts: Number(r.attempts),
        nextAttemptAt: n(r.next_attempt_at),
        lastStatusCode: n(r.last_status_code),
        lastError: s(r.last_error),
        createdAt: Number(r.created_at),
        deliveredAt: n(r.delivered_at),
        url: String(r.url),
        format: r.format === "wappin" ? "wappin" : "kabar",
        privateNetwork: Boolean(r.private_network),
        sealedSecret: String(r.secret),
        sealedPreviousSecret: s(r.previous_secret),
        previousSecretExpiresAt: n(r.previous_secret_expires_at),
        eventType: (s(r.ev_type) ?? String(r.event)) as WebhookEventType,
        eventCreatedAt: n(r.ev_created_at) ?? Number(r.created_at),
        messageId: n(r.message_id),
        messageEventId: n(r.message_event_id),
        data: s(r.data),
        built: !Number(r.unbuilt),
      });
    }
  }
  if (room.length > WEBHOOKS_PER_QUERY) { // the oldest of what each query chose
    chosen.sort((x, y) => x.id - y.id);
    chosen.length = Math.min(chosen.length, limit);
  }
  if (chosen.length === 0) return [];
  const unbuilt = chosen.filter((d) => !d.built);
  const bodies = unbuilt.length > 0 ? await build(unbuilt) : new Map<number, string>();
  // A body is written only where none is stored yet: one stored by an earlier attempt (or by
  // another process) stays, and RETURNING answers the body that is actually sent.
  const [{ rows }] = await writer.write([{
    sql: `UPDATE webhook_deliveries SET status = 'delivering', attempts = attempts + 1,
        payload = CASE WHEN payload = '' THEN coalesce(c.body, '') ELSE payload END
      FROM (SELECT value ->> 0 AS id, value ->> 1 AS body FROM json_each(?)) AS c
      WHERE webhook_deliveries.id = c.id AND +webhook_deliveries.status = 'pending'
      RETURNING id, payload, attempts`,
    args: [JSON.stringify(chosen.map((d) => [d.id, bodies.get(d.id) ?? null]))],
  }]);
  const taken = new Map(rows.map((r) => [Number(r.id), r]));
  return chosen.flatMap(({ built: _, ...d }) => {
    const row = taken.get(d.id);
    return row
      ? [{
        ...d,
        status: "delivering" as const,
        payload: String(row.payload),
        attempts: Number(row.attempts),
      }]
      : [];
  });
}

/**
 * When the next retry falls due, or undefined. A delivery waiting for an
 * earlier one of its conversation has no time until that one is done.
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
