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

/** `next` if it is a path on this site, else `fallback` (no open redirects). */
export function localPath(next: unknown, fallback: string): string {
  return typeof next === "string" && /^\/(?![\/\\])/.test(next) ? next : fallback;
}
