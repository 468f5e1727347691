import { type Context, Hono } from "hono";
import { AppError, notFound } from "../../core/app_error.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { webhookFormSchema } from "../../core/webhook_input.ts";
import { listChannels } from "../../db/channels.ts";
import {
  deliveryBacklog,
  listDeliveries,
  listWebhooks,
  requireWebhook,
  type Webhook,
} from "../../db/webhooks.ts";
import { listWappinIntegrations } from "../../db/wappin_integrations.ts";
import { DeliveriesPage, type WebhookRow, WebhooksPage } from "../../views/webhooks_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/** `/settings/webhooks` (administrators): endpoints, their delivery logs, redelivery. */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;
  const service = deps.services.webhooks;
  const editor = (c: Context<AppEnv>) => ({ actor: actorOf(c, deps), mayReachPrivate: true });

  const rows = async (): Promise<WebhookRow[]> => {
    const names = new Map((await listChannels(db)).map((c) => [c.id, c.name]));
    const backlog = new Map((await deliveryBacklog(db)).map((b) => [b.webhookId, b]));
    const integrations = new Map(
      (await listWappinIntegrations(db)).map((i) => [i.webhookId, i.projectName]),
    );
    return (await listWebhooks(db)).map((w) => ({
      ...w,
      integration: integrations.get(w.id),
      channelName: w.channelId ? names.get(w.channelId) ?? `#${w.channelId}` : null,
      pending: backlog.get(w.id)?.pending ?? 0,
      failed: backlog.get(w.id)?.failed ?? 0,
    }));
  };
  const show = async (
    c: Context<AppEnv>,
    extra: {
      created?: { url: string; secret: string };
      errors?: FieldErrors;
      values?: FormValues;
    } = {},
  ) => {
    c.header("Cache-Control", "no-store");
    return renderPage(
      c,
      <WebhooksPage
        ctx={pageContext(c, deps)}
        webhooks={await rows()}
        channels={await listChannels(db)}
        {...extra}
      />,
      extra.errors ? 422 : 200,
    );
  };
  const idOf = async (c: Context<AppEnv>) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) throw notFound();
    return await requireWebhook(db, id);
  };

  app.get("/settings/webhooks", (c) => show(c));

  app.post("/settings/webhooks", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(webhookFormSchema, values);
    if (!parsed.ok) return show(c, { errors: parsed.errors, values });
    try {
      const { webhook, secret } = await service.create(editor(c), parsed.data);
      return show(c, { created: { url: webhook.url, secret } });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return show(c, { errors, values });
      throw e;
    }
  });

  for (const [action, active] of [["pause", false], ["resume", true]] as const) {
    app.post(`/settings/webhooks/:id{[0-9]+}/${action}`, async (c) => {
      const webhook = await idOf(c);
      await service.update(editor(c), webhook, { active });
      setFlash(c, config, "success", active ? "webhooks.resumed" : "webhooks.paused_done", {
        url: webhook.url,
      });
      return redirectTo(c, "/settings/webhooks");
    });
  }

  app.post("/settings/webhooks/:id{[0-9]+}/delete", async (c) => {
    const webhook = await idOf(c);
    await service.delete(actorOf(c, deps), webhook.id);
    setFlash(c, config, "success", "webhooks.deleted", { url: webhook.url });
    return redirectTo(c, "/settings/webhooks");
  });

  /** A webhook's page: its delivery log, and a secret just rotated, shown once. */
  const showWebhook = async (c: Context<AppEnv>, webhook: Webhook, rotatedSecret?: string) => {
    const cursor = c.req.query("cursor");
    const { deliveries, nextCursor } = await listDeliveries(db, webhook.id, {
      cursor: cursor && /^\d+$/.test(cursor) ? Number(cursor) : undefined,
      limit: 50,
    });
    const row = (await rows()).find((w) => w.id === webhook.id)!;
    const until = webhook.previousSecretExpiresAt;
    if (rotatedSecret) c.header("Cache-Control", "no-store");
    return renderPage(
      c,
      <DeliveriesPage
        ctx={pageContext(c, deps)}
        webhook={row}
        deliveries={deliveries}
        nextCursor={nextCursor}
        rotatedSecret={rotatedSecret}
        previousSecretUntil={until !== null && until > deps.clock.now() ? until : null}
      />,
    );
  };

  app.get("/settings/webhooks/:id{[0-9]+}", async (c) => showWebhook(c, await idOf(c)));

  app.post("/settings/webhooks/:id{[0-9]+}/secret", async (c) => {
    const { id } = await idOf(c);
    try {
      const { webhook, secret } = await service.rotateSecret(actorOf(c, deps), id);
      return showWebhook(c, webhook, secret);
    } catch (e) {
      if (!(e instanceof AppError && e.details.webhook === "err.webhook_rotated_meanwhile")) {
        throw e;
      }
      setFlash(c, config, "error", "err.webhook_rotated_meanwhile");
      return redirectTo(c, `/settings/webhooks/${id}`);
    }
  });

  app.post("/settings/webhooks/:id{[0-9]+}/deliveries/:delivery{[0-9]+}/redeliver", async (c) => {
    const webhook = await idOf(c);
    await service.redeliver(webhook.id, Number(c.req.param("delivery")));
    setFlash(c, config, "success", "webhooks.redelivering");
    return redirectTo(c, `/settings/webhooks/${webhook.id}`);
  });

  return app;
}
