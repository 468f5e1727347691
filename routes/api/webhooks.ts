import { parseRecordId } from "../../core/record_id.ts";
import { type Context, Hono } from "hono";
import { forbidden, notFound } from "../../core/app_error.ts";
import {
  type createdWebhookResponse,
  createWebhookSchema,
  deliveriesQuery,
  type deliveryPageResponse,
  type rotatedSecretResponse,
  updateWebhookSchema,
  type WebhookJson,
  type webhookListResponse,
} from "../../core/api_webhooks.ts";
import type { z } from "zod";
import { hasScope } from "../../core/api_scopes.ts";
import { getWebhook, listDeliveries, listWebhooks, type Webhook } from "../../db/webhooks.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { readJson, readQuery } from "./json_input.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function webhookJson(w: Webhook): WebhookJson {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    channel: w.channelId,
    active: w.active,
    format: w.format,
    private_network: w.privateNetwork,
    created_at: iso(w.createdAt),
    updated_at: iso(w.updatedAt),
  };
}

/** `/api/v1/webhooks`: endpoints that receive Kabar's events, and their delivery logs. */
export function webhookApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;
  const service = deps.services.webhooks;

  /** A key limited to one channel sees and makes only that channel's webhooks. */
  const onlyChannel = (c: Context<AppEnv>) => c.get("apiKey")!.channelId;
  /**
   * Whether the key may see `webhook`: one of its channel, and a Wappin
   * callback only with `*`, as the integration that owns it.
   */
  const visibleTo = (c: Context<AppEnv>, webhook: Webhook) => {
    const only = onlyChannel(c);
    return (only === null || webhook.channelId === only) &&
      (webhook.format !== "wappin" || hasScope(c.get("apiKey")!.scopes, "*"));
  };
  /** The webhook named by the path, if the key may see it; 404 otherwise. */
  const webhookOf = async (c: Context<AppEnv>) => {
    const id = parseRecordId(c.req.param("id"));
    const webhook = id === undefined ? undefined : await getWebhook(db, id);
    if (!webhook || !visibleTo(c, webhook)) {
      throw notFound(`No webhook with id ${c.req.param("id")}`);
    }
    return webhook;
  };
  const channelFor = (c: Context<AppEnv>, asked: number | null | undefined) => {
    const only = onlyChannel(c);
    if (only === null) return asked;
    if (asked !== undefined && asked !== only) {
      throw forbidden(`This API key may only use channel ${only}`);
    }
    return only;
  };
  const editor = (c: Context<AppEnv>) => ({
    actor: apiActor(c, deps),
    mayReachPrivate: hasScope(c.get("apiKey")!.scopes, "*"),
  });

  app.get("/api/v1/webhooks", async (c) => {
    requireScope(c, "webhooks:read");
    const visible = (await listWebhooks(db)).filter((w) => visibleTo(c, w));
    return c.json<z.input<typeof webhookListResponse>>({
      data: visible.map(webhookJson),
      next_cursor: null,
      has_more: false,
    });
  });

  app.post("/api/v1/webhooks", async (c) => {
    requireScope(c, "webhooks:write");
    const input = await readJson(c, createWebhookSchema);
    const { webhook, secret } = await service.create(editor(c), {
      url: input.url,
      events: input.events,
      channelId: channelFor(c, input.channel ?? undefined) ?? null,
      privateNetwork: input.private_network,
    });
    return c.json<z.input<typeof createdWebhookResponse>, 201>(
      { ...webhookJson(webhook), secret },
      201,
    );
  });

  app.get("/api/v1/webhooks/:id", async (c) => {
    requireScope(c, "webhooks:read");
    return c.json(webhookJson(await webhookOf(c)));
  });

  app.patch("/api/v1/webhooks/:id", async (c) => {
    requireScope(c, "webhooks:write");
    const before = await webhookOf(c);
    const patch = await readJson(c, updateWebhookSchema);
    const webhook = await service.update(editor(c), before, {
      url: patch.url,
      events: patch.events,
      channelId: patch.channel === undefined ? undefined : channelFor(c, patch.channel),
      active: patch.active,
      privateNetwork: patch.private_network,
    });
    return c.json(webhookJson(webhook));
  });

  app.delete("/api/v1/webhooks/:id", async (c) => {
    requireScope(c, "webhooks:write");
    const { id } = await webhookOf(c);
    await service.delete(apiActor(c, deps), id);
    return c.body(null, 204);
  });

  app.post("/api/v1/webhooks/:id/secret", async (c) => {
    requireScope(c, "webhooks:write");
    const { id } = await webhookOf(c);
    const { secret, previousExpiresAt } = await service.rotateSecret(apiActor(c, deps), id);
    return c.json<z.input<typeof rotatedSecretResponse>, 201>(
      { secret, previous_expires_at: new Date(previousExpiresAt).toISOString() },
      201,
    );
  });

  app.get("/api/v1/webhooks/:id/deliveries", async (c) => {
    requireScope(c, "webhooks:read");
    const { id } = await webhookOf(c);
    const { cursor, limit } = readQuery(c, deliveriesQuery);
    const { deliveries, nextCursor } = await listDeliveries(db, id, { cursor, limit });
    return c.json<z.input<typeof deliveryPageResponse>>({
      data: deliveries.map((d) => ({
        id: d.id,
        event: d.event,
        event_id: d.eventId ? `evt_${d.eventId}` : null,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.lastStatusCode,
        last_error: d.lastError,
        response_excerpt: d.responseExcerpt,
        next_attempt_at: d.status === "pending" ? iso(d.nextAttemptAt) : null,
        delivered_at: iso(d.deliveredAt),
        created_at: iso(d.createdAt),
      })),
      next_cursor: nextCursor,
      has_more: nextCursor !== null,
    });
  });

  return app;
}
