import { Hono } from "hono";
import { ASSETS, ASSETS_BY_URL } from "../views/assets.ts";
import type { AppEnv } from "./app_env.ts";

/** Embedded htmx, stylesheet, script and icon under content-hashed URLs, cached for a year. */
export function staticRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/static/*", (c) => {
    const asset = ASSETS_BY_URL.get(c.req.path);
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, {
      "Content-Type": asset.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  app.get("/favicon.ico", (c) => c.redirect(ASSETS.favicon.url, 301));
  return app;
}
