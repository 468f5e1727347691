import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../core/app_error.ts";
import { hasScope } from "../../core/api_scopes.ts";
import { ipAllowed } from "../../core/ip_allowlist.ts";
import type { Actor } from "../../db/audit_log.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { clientIp } from "../client_ip.ts";

/**
 * API key check in front of `/api/v1`: the key comes as
 * `Authorization: Bearer <key>` or `X-Api-Key: <key>`. A missing, wrong or
 * revoked key is a 401; an address the key does not allow is a 403. Each
 * answer names the reason.
 */
export function apiAuth(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header("authorization");
    const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const key = bearer ?? c.req.header("x-api-key")?.trim();
    if (!key) {
      throw new AppError(
        401,
        "missing_api_key",
        authorization
          ? "The Authorization header must be 'Bearer <API key>'"
          : "Send the API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'",
      );
    }
    const apiKey = await deps.apiKeys.find(key);
    if (!apiKey) throw new AppError(401, "invalid_api_key", "The API key is wrong or revoked");
    const ip = apiKey.ipAllowlist.length === 0 ? undefined : clientIp(c, deps.config.trustProxy);
    if (ip !== undefined && !ipAllowed(apiKey.ipAllowlist, ip)) {
      throw new AppError(403, "ip_not_allowed", `This API key may not be used from ${ip}`, {
        address: ip,
      });
    }
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
