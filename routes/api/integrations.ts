import { parseRecordId } from "../../core/record_id.ts";
import { type Context, Hono } from "hono";
import { forbidden, notFound } from "../../core/app_error.ts";
import {
  type WappinIntegrationJson,
  type wappinIntegrationListResponse,
  wappinIntegrationSchema,
  type wappinKeysResponse,
  wappinUpdateSchema,
} from "../../core/wappin.ts";
import type { z } from "zod";
import {
  findWappinIntegration,
  listWappinIntegrations,
  type WappinIntegration,
} from "../../db/wappin_integrations.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { readJson } from "./json_input.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function integrationJson(w: WappinIntegration): WappinIntegrationJson {
  return {
    id: w.id,
    channel: w.channelId,
    client_id: w.clientId,
    project_id: w.projectId,
    client_name: w.clientName,
    project_name: w.projectName,
    environment: w.environment,
    callback_url: w.callbackUrl,
    private_network: w.privateNetwork,
    ip_whitelist: w.ipWhitelist,
    callback_webhook: w.webhookId,
    token_expires_at: iso(w.tokenExpiresAt),
    created_at: iso(w.createdAt),
  };
}

/**
 * `/api/v1/integrations/wappin`: Wappin-compatible integrations for scripted
 * installs. Their keys open the API for others, so only a key with `*` may;
 * one limited to a channel sees and makes only that channel's.
 */
export function integrationApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;
  const service = deps.services.integrations;
  const base = "/api/v1/integrations/wappin";
  const onlyChannel = (c: Context<AppEnv>) => c.get("apiKey")!.channelId;
  /** The integration named by the path, if the key may see it; 404 otherwise. */
  const integrationOf = async (c: Context<AppEnv>) => {
    const id = parseRecordId(c.req.param("id"));
    const integration = id === undefined ? undefined : await findWappinIntegration(db, id);
    const only = onlyChannel(c);
    if (!integration || (only !== null && integration.channelId !== only)) {
      throw notFound(`No Wappin integration with id ${c.req.param("id")}`);
    }
    return integration;
  };

  app.get(base, async (c) => {
    requireScope(c, "*");
    const only = onlyChannel(c);
    const visible = (await listWappinIntegrations(db)).filter((i) =>
      only === null || i.channelId === only
    );
    return c.json<z.input<typeof wappinIntegrationListResponse>>({
      data: visible.map(integrationJson),
      next_cursor: null,
      has_more: false,
    });
  });

  app.post(base, async (c) => {
    requireScope(c, "*");
    const input = await readJson(c, wappinIntegrationSchema);
    const only = onlyChannel(c);
    if (only !== null && input.channel !== only) {
      throw forbidden(`This API key may only use channel ${only}`, { channel: `only ${only}` });
    }
    const { integration, keys } = await service.create(apiActor(c, deps), input);
    return c.json<z.input<typeof wappinKeysResponse>, 201>({
      ...integrationJson(integration),
      secret_key: keys.secretKey,
      client_key: keys.clientKey,
    }, 201);
  });

  app.get(`${base}/:id`, async (c) => {
    requireScope(c, "*");
    return c.json(integrationJson(await integrationOf(c)));
  });

  app.patch(`${base}/:id`, async (c) => {
    requireScope(c, "*");
    const before = await integrationOf(c);
    const patch = await readJson(c, wappinUpdateSchema);
    const integration = await service.update(apiActor(c, deps), before.id, {
      callbackUrl: patch.callback_url,
      privateNetwork: patch.private_network,
      ipWhitelist: patch.ip_whitelist,
    });
    return c.json(integrationJson(integration));
  });

  app.post(`${base}/:id/keys`, async (c) => {
    requireScope(c, "*");
    const { integration, keys } = await service.renewKeys(
      apiActor(c, deps),
      (await integrationOf(c)).id,
    );
    return c.json<z.input<typeof wappinKeysResponse>>({
      ...integrationJson(integration),
      secret_key: keys.secretKey,
      client_key: keys.clientKey,
    });
  });

  app.delete(`${base}/:id`, async (c) => {
    requireScope(c, "*");
    await service.delete(apiActor(c, deps), (await integrationOf(c)).id);
    return c.body(null, 204);
  });

  return app;
}
