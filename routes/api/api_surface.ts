import { Hono } from "hono";
import { AppError } from "../../core/app_error.ts";
import { API_PREFIX } from "../../core/permissions.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { bodyLimit, fileBodyBytes, MAX_FORM_BYTES } from "../body_limit.ts";
import { errorHandler, jsonErrors, nothingAt } from "../error_handler.tsx";
import { allowedMethods } from "./allowed_methods.ts";
import { apiAuth } from "./api_auth.ts";
import { channelApi } from "./channels.ts";
import { contactApi } from "./contacts.ts";
import { conversationApi } from "./conversations.ts";
import { integrationApi } from "./integrations.ts";
import { labelApi } from "./labels.ts";
import { mediaApi } from "./media.ts";
import { messageApi } from "./messages.ts";
import { optOutApi } from "./opt_outs.ts";
import { broadcastApi } from "./broadcasts.ts";
import { templateApi } from "./templates.ts";
import { webhookApi } from "./webhooks.ts";

/**
 * The JSON API: everything under `/api` but its documentation answers only
 * to an API key, takes small JSON bodies (a message or an upload may carry a
 * file) and answers errors as `{ "error": { code, message, details } }`: a
 * 401 with `WWW-Authenticate: Bearer`, a method a path does not take with
 * 405 and `Allow`.
 */
export function apiSurface(deps: Deps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  // The key first: a caller without one is refused before any of its body is read.
  api.use(`${API_PREFIX}/*`, apiAuth(deps));
  const files = bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes));
  api.use(`${API_PREFIX}/v1/messages`, files);
  api.use(`${API_PREFIX}/v1/media`, files);
  api.use(`${API_PREFIX}/v1/conversations/:id/messages`, files);
  // A broadcast may list up to 10,000 recipients in its body.
  api.use(`${API_PREFIX}/v1/broadcasts`, files);
  api.use(`${API_PREFIX}/v1/broadcasts/:id`, files);
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
      optOutApi,
      broadcastApi,
    ]
  ) {
    api.route("/", routes(deps));
  }
  const allowedAt = allowedMethods(api.routes);
  api.all(`${API_PREFIX}/*`, (c) => {
    const allowed = allowedAt(c.req.path);
    if (allowed.length === 0) throw nothingAt(c);
    c.header("Allow", allowed.join(", "));
    throw new AppError(
      405,
      "method_not_allowed",
      `${c.req.method} is not taken at ${c.req.path}: use ${allowed.join(", ")}`,
      { allowed },
    );
  });
  api.onError(errorHandler(deps, (c, error, d) => {
    // A refused key names the scheme a client should answer with (RFC 9110).
    if (error.status === 401) c.header("WWW-Authenticate", 'Bearer realm="kabar"');
    return jsonErrors(c, error, d);
  }));
  return api;
}
