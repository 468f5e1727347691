import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { PageContext } from "../views/page_context.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { takeFlash } from "./flash.ts";

/** What a view needs about this request; takes the pending flash message. */
export function pageContext(c: Context<AppEnv>, deps: Deps): PageContext {
  const t = c.get("t");
  const user = c.get("user");
  return {
    t,
    lang: c.get("lang"),
    csrfToken: c.get("csrfToken"),
    timeZone: deps.config.timeZone,
    path: c.req.path,
    user: user && c.get("session")?.stage === "full"
      ? {
        displayName: user.displayName,
        username: user.username,
        role: user.role,
      }
      : undefined,
    flash: takeFlash(c, deps.config, t),
  };
}

/** Sends a whole HTML page. */
export async function renderPage(
  c: Context,
  element: JSX.Element,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503 = 200,
): Promise<Response> {
  const html = await element;
  return c.html("<!DOCTYPE html>" + String(html), status);
}

/**
 * Sends the browser to `location`: a 303 for a normal request, an
 * `HX-Redirect` for an htmx request (which would otherwise swap the page in).
 */
export function redirectTo(c: Context, location: string): Response {
  if (c.req.header("hx-request")) {
    c.header("HX-Redirect", location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}

/** The longest `next` kept: no page of Kabar has a longer address. */
const MAX_LOCAL_PATH = 2048;

/**
 * `next` if it is a path on this site, else `fallback` (no open redirects).
 * It starts with one `/` and holds no control character, whitespace or
 * backslash anywhere: browsers drop tabs and newlines from a URL and read `\`
 * as `/`, so `/\t/host` would take them to `//host`. Characters beyond ASCII
 * are percent-encoded, so the result is always a valid header value.
 */
export function localPath(next: unknown, fallback: string): string {
  if (typeof next !== "string" || next.length > MAX_LOCAL_PATH) return fallback;
  if (!/^\/(?!\/)/.test(next)) return fallback;
  // \p{Cc}: controls, \p{Cf}: invisible format characters, then lone surrogates.
  if (/[\s\\\p{Cc}\p{Cf}]|[\uD800-\uDFFF]/u.test(next)) return fallback;
  return next.replace(/[^\x21-\x7e]+/g, (text) => encodeURI(text));
}
