/**
 * `/live` (every signed-in role): the stream of a page that has no live parts
 * of its own, so it still brings the unread count for the tab title and the
 * notices (see routes/staff_notices.ts) — one stream per tab either way.
 */
import { Hono } from "hono";
import type { AppEnv, Deps } from "../app_env.ts";
import { liveStream } from "../live_stream.ts";

export function liveRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get(
    "/live",
    (c) => liveStream(c, deps, { relevant: () => false, render: () => Promise.resolve("") }),
  );
  return app;
}
