import type { MiddlewareHandler } from "hono";
import { AppError } from "../core/app_error.ts";
import { timingSafeEqual } from "../core/tokens.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { fromTrustedProxy } from "./client_ip.ts";
import { formValues } from "./form_values.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** 403 for a form posted from another site or without the page's token. */
export const csrfFailed = () =>
  new AppError(
    403,
    "csrf_failed",
    "The form's security token is missing or expired",
  );

/**
 * CSRF protection for every unsafe request to the pages (the API uses bearer
 * keys, not cookies): the `Origin`, when sent, must be this site, and the
 * request must carry the session's token as the `_csrf` field or the
 * `X-CSRF-Token` header.
 */
export function csrfProtection(deps: Deps): MiddlewareHandler<AppEnv> {
  const baseHost = deps.config.baseUrl ? new URL(deps.config.baseUrl).host : undefined;
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (origin && origin !== "null") {
      let originHost: string;
      try {
        originHost = new URL(origin).host;
      } catch {
        throw csrfFailed();
      }
      const allowed = [
        baseHost,
        c.req.header("host"),
        new URL(c.req.url).host,
        fromTrustedProxy(c, deps.config.trustProxy) ? c.req.header("x-forwarded-host") : undefined,
      ];
      if (!allowed.includes(originHost)) throw csrfFailed();
    } else if (origin === "null") {
      throw csrfFailed();
    }
    const expected = c.get("csrfToken");
    let sent = c.req.header("x-csrf-token");
    if (!sent) {
      const field = (await formValues(c))._csrf;
      sent = typeof field === "string" ? field : undefined;
    }
    if (!expected || !sent || !timingSafeEqual(sent, expected)) {
      throw csrfFailed();
    }
    return next();
  };
}
