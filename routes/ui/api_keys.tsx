import { type Context, Hono } from "hono";
import { notFound } from "../../core/app_error.ts";
import { newApiKeySchema } from "../../core/api_key_input.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { listApiKeys } from "../../db/api_keys.ts";
import { listChannels } from "../../db/channels.ts";
import { ApiKeysPage } from "../../views/api_keys_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/** `/settings/api-keys` (administrators): make, list and revoke API keys. */
export function apiKeyRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;

  const show = async (
    c: Context<AppEnv>,
    extra: { created?: { name: string; key: string }; errors?: FieldErrors; values?: FormValues } =
      {},
  ) => {
    const channels = await listChannels(db);
    const names = new Map(channels.map((ch) => [ch.id, ch.name]));
    const keys = (await listApiKeys(db)).map((k) => ({
      ...k,
      channelName: k.channelId ? names.get(k.channelId) ?? `#${k.channelId}` : null,
    }));
    // The page that shows a new key must not be kept by the browser or a proxy.
    c.header("Cache-Control", "no-store");
    return renderPage(
      c,
      <ApiKeysPage ctx={pageContext(c, deps)} keys={keys} channels={channels} {...extra} />,
      extra.errors ? 422 : 200,
    );
  };

  app.get("/settings/api-keys", (c) => show(c));

  app.post("/settings/api-keys", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(newApiKeySchema, values);
    if (!parsed.ok) return show(c, { errors: parsed.errors, values });
    try {
      const { key, apiKey } = await deps.services.apiKeys.create(actorOf(c, deps), parsed.data);
      return show(c, { created: { name: apiKey.name, key } });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return show(c, { errors, values });
      throw e;
    }
  });

  app.post("/settings/api-keys/:id{[0-9]+}/revoke", async (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) throw notFound();
    const key = await deps.services.apiKeys.revoke(actorOf(c, deps), id);
    setFlash(c, config, "success", "apikeys.revoked_done", { name: key.name });
    return redirectTo(c, "/settings/api-keys");
  });

  return app;
}
