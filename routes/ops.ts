import { Hono } from "hono";
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

  app.get("/metrics", async (c) => {
    const text = await deps.metrics.render();
    return c.body(text, 200, {
      "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });

  return app;
}
