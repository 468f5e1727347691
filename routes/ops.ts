import { Hono } from "hono";
import { sha256Hex, timingSafeEqual } from "../core/tokens.ts";
import { migrationState } from "../db/client.ts";
import type { AppEnv, Deps } from "./app_env.ts";

/** `/healthz` for load balancers and Docker, `/metrics` for Prometheus. */
export function opsRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.get("/healthz", async (c) => {
    try {
      const { shipped, applied } = await migrationState(deps.db);
      const current = applied >= shipped;
      return c.json({
        status: current ? "ok" : "migrations_pending",
        version: deps.version,
        database: "ok",
        migrations: { applied, shipped, current },
      }, current ? 200 : 503);
    } catch (e) {
      c.get("log").error("health check failed", { error: e });
      return c.json({
        status: "error",
        version: deps.version,
        database: "unreachable",
      }, 503);
    }
  });

  // Digests of equal length, so the comparison takes the same time whatever is sent.
  const tokenDigest = deps.config.metricsToken === undefined
    ? undefined
    : sha256Hex(deps.config.metricsToken);
  app.get("/metrics", async (c) => {
    if (tokenDigest !== undefined) {
      const sent = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
      if (sent === undefined || !timingSafeEqual(await sha256Hex(sent), await tokenDigest)) {
        return c.text(
          "/metrics needs the header 'Authorization: Bearer <KABAR_METRICS_TOKEN>'\n",
          401,
          { "WWW-Authenticate": 'Bearer realm="kabar metrics"' },
        );
      }
    }
    const text = await deps.metrics.render();
    return c.body(text, 200, {
      "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });

  return app;
}
