import { Hono } from "hono";
import { API_PREFIX } from "../../core/permissions.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { bodyLimit, fileBodyBytes, MAX_FORM_BYTES } from "../body_limit.ts";
import { errorHandler, jsonErrors, nothingAt } from "../error_handler.tsx";
import { apiAuth } from "./api_auth.ts";
import { channelApi } from "./channels.ts";
import { contactApi } from "./contacts.ts";
import { conversationApi } from "./conversations.ts";
import { integrationApi } from "./integrations.ts";
import { labelApi } from "./labels.ts";
import { mediaApi } from "./media.ts";
import { messageApi } from "./messages.ts";
import { templateApi } from "./templates.ts";
import { webhookApi } from "./webhooks.ts";

/**
 * The JSON API: everything under `/api` but its documentation answers only
 * to an API key, takes small JSON bodies (a message or an upload may carry a
 * file) and answers errors as `{ "error": { code, message, details } }`.
 */
export function apiSurface(deps: Deps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  // The key first: a caller without one is refused before any of its body is read.
  api.use(`${API_PREFIX}/*`, apiAuth(deps));
  const files = bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes));
  api.use(`${API_PREFIX}/v1/messages`, files);
  api.use(`${API_PREFIX}/v1/media`, files);
  api.use(`${API_PREFIX}/v1/conversations/:id/messages`, files);
  api.use(`${API_PREFIX}/*`, bodyLimit(MAX_FORM_BYTES));
  for (
    const routes of [
      messageApi,
      webhookApi,
      channelApi,
      mediaApi,
      templateApi,
      integrationApi,
      conversationApi,
      labelApi,
      contactApi,
    ]
  ) {
    api.route("/", routes(deps));
  }
  api.all(`${API_PREFIX}/*`, (c) => {
    throw nothingAt(c);
  });
  api.onError(errorHandler(deps, jsonErrors));
  return api;
}
