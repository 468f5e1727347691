import { type Context, Hono } from "hono";
import { notFound } from "../../core/app_error.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { wappinIntegrationSchema, wappinUpdateSchema } from "../../core/wappin.ts";
import { listChannels } from "../../db/channels.ts";
import { listWappinIntegrations } from "../../db/wappin_integrations.ts";
import {
  type CreatedIntegration,
  type IntegrationRow,
  IntegrationsPage,
} from "../../views/integrations_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/** `/settings/integrations` (administrators): Wappin-compatible integrations, Indoshopster help. */
export function integrationRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;
  const service = deps.services.integrations;

  const show = async (
    c: Context<AppEnv>,
    extra: {
      created?: CreatedIntegration;
      errors?: FieldErrors;
      values?: FormValues;
      editErrors?: { id: number; errors: FieldErrors; values: FormValues };
    } = {},
  ) => {
    c.header("Cache-Control", "no-store");
    const channels = await listChannels(db);
    const names = new Map(channels.map((ch) => [ch.id, ch.name]));
    const integrations: IntegrationRow[] = (await listWappinIntegrations(db)).map((i) => ({
      ...i,
      channelName: names.get(i.channelId) ?? null,
    }));
    return renderPage(
      c,
      <IntegrationsPage
        ctx={pageContext(c, deps)}
        integrations={integrations}
        channels={channels}
        baseUrl={config.baseUrl ?? new URL(c.req.url).origin}
        corsOrigins={config.corsOrigins}
        {...extra}
      />,
      extra.errors || extra.editErrors ? 422 : 200,
    );
  };
  const idOf = (c: Context<AppEnv>) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
    return id;
  };

  app.get("/settings/integrations", (c) => show(c));

  app.post("/settings/integrations/wappin", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(wappinIntegrationSchema, values);
    if (!parsed.ok) return show(c, { errors: parsed.errors, values });
    try {
      const { integration, keys } = await service.create(actorOf(c, deps), parsed.data);
      return show(c, { created: { ...integration, ...keys } });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return show(c, { errors, values });
      throw e;
    }
  });

  app.post("/settings/integrations/wappin/:id{[0-9]+}", async (c) => {
    const id = idOf(c);
    const form = await formValues(c);
    const values = {
      callback_url: form.callback_url ?? "",
      // An unticked box sends nothing: the form always says.
      private_network: form.private_network === undefined ? "false" : "true",
      ip_whitelist: form.ip_whitelist ?? "",
    };
    const parsed = parseForm(wappinUpdateSchema, values);
    if (!parsed.ok) return show(c, { editErrors: { id, errors: parsed.errors, values } });
    let integration;
    try {
      integration = await service.update(actorOf(c, deps), id, {
        callbackUrl: parsed.data.callback_url,
        privateNetwork: parsed.data.private_network,
        ipWhitelist: parsed.data.ip_whitelist,
      });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return show(c, { editErrors: { id, errors, values } });
      throw e;
    }
    setFlash(c, config, "success", "integrations.updated", { name: integration.projectName });
    return redirectTo(c, "/settings/integrations");
  });

  app.post("/settings/integrations/wappin/:id{[0-9]+}/keys", async (c) => {
    const { integration, keys } = await service.renewKeys(actorOf(c, deps), idOf(c));
    return show(c, { created: { ...integration, ...keys, renewed: true } });
  });

  app.post("/settings/integrations/wappin/:id{[0-9]+}/delete", async (c) => {
    const removed = await service.delete(actorOf(c, deps), idOf(c));
    setFlash(c, config, "success", "integrations.deleted", { name: removed.projectName });
    return redirectTo(c, "/settings/integrations");
  });

  return app;
}
