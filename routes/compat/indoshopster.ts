/**
 * Indoshopster Chat's `POST /sendWhatsappMessage`, answered as the original
 * answered its jQuery callers: HTTP 200, one of its four error strings as
 * plain text, or `{"status":"success","message_id":…}`. Only translation:
 * the message goes through the same sending path as the JSON API. Over a rate
 * limit (the key's, or the address's for requests without a valid key) the
 * answer says so in words, as answers outside the document do, with `Retry-After`.
 */
import { type Context, Hono } from "hono";
import { AppError } from "../../core/app_error.ts";
import { hasScope } from "../../core/api_scopes.ts";
import { ipAllowed } from "../../core/ip_allowlist.ts";
import { INDOSHOPSTER_PATH } from "../../core/permissions.ts";
import { PRIORITY } from "../../core/priority.ts";
import {
  INDOSHOPSTER_ERRORS,
  indoshopsterRequest,
  isIndoshopsterPhone,
} from "../../core/indoshopster.ts";
import { hasExactVariables, textValues } from "../../core/template.ts";
import { findActiveTemplate } from "../../db/templates.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { clientIp } from "../client_ip.ts";
import type { OverLimit } from "../rate_limit.ts";
import { compatBody } from "./compat_body.ts";

export function indoshopsterRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const messages = deps.services.messages;
  const origins = deps.config.corsOrigins;

  /** The CORS origin to allow, null for a page not in the list, undefined without an Origin. */
  const allowedOrigin = (c: Context): string | null | undefined => {
    const origin = c.req.header("origin");
    if (!origin) return undefined;
    if (origins.includes("*")) return "*";
    return origins.includes(origin) ? origin : null;
  };

  app.options(INDOSHOPSTER_PATH, (c) => {
    const origin = allowedOrigin(c);
    if (!origin) return c.body(null, 403);
    return c.body(null, 204, {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": c.req.header("access-control-request-headers") ??
        "content-type",
      "access-control-max-age": "600",
      vary: "origin",
    });
  });

  app.post(INDOSHOPSTER_PATH, async (c) => {
    const origin = allowedOrigin(c);
    if (origin === null) {
      return c.text(
        `This page (${c.req.header("origin")}) may not call Kabar: add it to KABAR_CORS_ORIGINS`,
        403,
      );
    }
    if (origin) {
      c.header("access-control-allow-origin", origin);
      c.header("vary", "origin");
    }
    const fail = (text: string) => c.text(text, 200);
    const tooMany = (over: OverLimit) =>
      c.text(over.message, 200, { "Retry-After": String(over.retryAfterS) });
    /** A request without a valid key counts against its address's limit. */
    const refuse = (text: string) => {
      const over = deps.rateLimiter.forAddress(clientIp(c, deps.config.trustProxy));
      return over ? tooMany(over) : fail(text);
    };

    const body = await compatBody(c);
    const request = body && indoshopsterRequest(body);
    if (!request) return refuse(INDOSHOPSTER_ERRORS.wrongData);
    const apiKey = await deps.apiKeys.find(request.apiKey);
    if (
      !apiKey || !hasScope(apiKey.scopes, "messages:send") ||
      !ipAllowed(apiKey.ipAllowlist, clientIp(c, deps.config.trustProxy))
    ) {
      return refuse(INDOSHOPSTER_ERRORS.wrongApiKey);
    }
    const over = deps.rateLimiter.forKey(apiKey);
    if (over) return tooMany(over);
    const templateId = Number(request.templateId);
    const template = Number.isSafeInteger(templateId) && templateId > 0
      ? await findActiveTemplate(deps.db, { id: templateId, kind: "message" })
      : undefined;
    if (!template) return fail(INDOSHOPSTER_ERRORS.templateNotFound);
    const phone = request.phone;
    if (!isIndoshopsterPhone(phone)) return fail(INDOSHOPSTER_ERRORS.wrongPhone);
    const variables = textValues(request.data);
    if (!variables || !hasExactVariables(template.body, variables)) {
      return fail(INDOSHOPSTER_ERRORS.wrongData);
    }

    try {
      const { view } = await messages.send({
        source: "compat",
        priority: PRIORITY.api,
        apiKeyId: apiKey.id,
        onlyChannelId: apiKey.channelId,
      }, { to: `+${phone}`, type: "text", template: { id: template.id, variables } });
      return c.json({ status: "success", message_id: String(view.message.id) });
    } catch (e) {
      // No channel to send on, and the like: said in words, as the other answers are.
      if (e instanceof AppError && e.status < 500) return fail(e.message);
      throw e;
    }
  });

  return app;
}
