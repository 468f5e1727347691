import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { HTTP_BUCKETS } from "../core/metrics.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { clientIp } from "./client_ip.ts";

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: [string, string][] = [
  ["Content-Security-Policy", CSP],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "same-origin"],
];

const QUIET_PATHS = new Set(["/healthz", "/metrics"]);

/**
 * First middleware of every request: request id, logger, security headers,
 * then the access log line and request metrics once the response is ready.
 */
/** Methods counted by name; any other is `other`, so made-up ones add no series. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function requestContext(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    const log = deps.log.with({ request_id: requestId });
    c.set("requestId", requestId);
    c.set("log", log);

    await next();

    setResponseHeaders(c, [["X-Request-Id", requestId], ...SECURITY_HEADERS]);

    const status = c.res.status;
    // The route that serves this path, even when a middleware answered first (403, redirect);
    // a surface's catch-all (`/api/*`) or a wildcard route (`/static/*`) when no other matched.
    const paths = matchedRoutes(c).map((r) => r.path).filter((p) => p !== "/*" && p !== "*");
    const route = paths.filter((p) => !p.endsWith("*")).at(-1) ?? paths.at(-1) ?? "unmatched";
    const seconds = (performance.now() - started) / 1000;
    const method = METHODS.has(c.req.method) ? c.req.method : "other";
    const labels = { method, route, status: String(status) };
    deps.metrics.inc(
      "kabar_http_requests_total",
      "HTTP requests by method, route and status.",
      labels,
    );
    deps.metrics.observe(
      "kabar_http_request_duration_seconds",
      "Time taken to answer HTTP requests, by method, route and status.",
      labels,
      seconds,
      HTTP_BUCKETS,
    );
    const apiKey = c.get("apiKey");
    const fields = {
      method: c.req.method,
      path: c.req.path,
      route,
      http_status: status,
      duration_ms: Math.round(seconds * 1000),
      client_ip: clientIp(c, deps.config.trustProxy),
      // The key's name, never the key.
      ...(apiKey ? { key_name: apiKey.name } : {}),
    };
    if (QUIET_PATHS.has(c.req.path)) log.debug("request", fields);
    else log.info("request", fields);
  };
}

/**
 * Sets `entries` on the response in place: `c.header()` after the response
 * exists copies the whole response each time. A response whose headers are
 * read-only (one passed through from `fetch`) is copied once.
 */
function setResponseHeaders(c: Context<AppEnv>, entries: [string, string][]): void {
  let headers = c.res.headers;
  try {
    headers.set(...entries[0]);
  } catch {
    c.res = new Response(c.res.body, c.res);
    headers = c.res.headers;
  }
  for (const [name, value] of entries) {
    // A route's own, stricter policy (stored files are sandboxed) stays.
    if (name === "Content-Security-Policy" && headers.has(name)) continue;
    headers.set(name, value);
  }
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
}
