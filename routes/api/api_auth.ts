import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../core/app_error.ts";
import { hasScope } from "../../core/api_scopes.ts";
import { ipAllowed } from "../../core/ip_allowlist.ts";
import type { Actor } from "../../db/audit_log.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { clientIp } from "../client_ip.ts";
import { rateLimited } from "../rate_limit.ts";

/**
 * API key check in front of `/api/v1`: the key comes as
 * `Authorization: Bearer <key>` or `X-Api-Key: <key>`. A missing, wrong or
 * revoked key is a 401; an address the key does not allow is a 403. Each
 * answer names the reason. Then the rate limits: the key's own, or for a
 * request refused here its address's (429 `rate_limited` with `Retry-After`).
 */
export function apiAuth(deps: Deps): MiddlewareHandler<AppEnv> {
  /** A refused request counts against its address; over that limit it is told so instead. */
  const refuse = (c: Context<AppEnv>, error: AppError): never => {
    const over = deps.rateLimiter.forAddress(clientIp(c, deps.config.trustProxy));
    throw over ? rateLimited(c, over) : error;
  };
  return async (c, next) => {
    const authorization = c.req.header("authorization");
    const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const key = bearer ?? c.req.header("x-api-key")?.trim();
    if (!key) {
      return refuse(
        c,
        new AppError(
          401,
          "missing_api_key",
          authorization
            ? "The Authorization header must be 'Bearer <API key>'"
            : "Send the API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'",
        ),
      );
    }
    const apiKey = await deps.apiKeys.find(key);
    if (!apiKey) {
      return refuse(c, new AppError(401, "invalid_api_key", "The API key is wrong or revoked"));
    }
    const ip = apiKey.ipAllowlist.length === 0 ? undefined : clientIp(c, deps.config.trustProxy);
    if (ip !== undefined && !ipAllowed(apiKey.ipAllowlist, ip)) {
      return refuse(
        c,
        new AppError(403, "ip_not_allowed", `This API key may not be used from ${ip}`, {
          address: ip,
        }),
      );
    }
    const over = deps.rateLimiter.forKey(apiKey);
    if (over) throw rateLimited(c, over);
    c.set("apiKey", apiKey);
    await next();
  };
}

/** Throws a 403 naming the scope when the request's key lacks it. */
export function requireScope(c: Context<AppEnv>, scope: string): void {
  const apiKey = c.get("apiKey");
  if (!apiKey || !hasScope(apiKey.scopes, scope)) {
    throw new AppError(403, "missing_scope", `This API key lacks the scope ${scope}`, {
      needed: scope,
      granted: apiKey?.scopes ?? [],
    });
  }
}

/** The request's API key as the actor of a change, for the audit log. */
export function apiActor(c: Context<AppEnv>, deps: Deps): Actor {
  return {
    userId: null,
    name: `apikey:${c.get("apiKey")!.name}`,
    ip: clientIp(c, deps.config.trustProxy),
  };
}
