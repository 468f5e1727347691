import { Hono } from "hono";
import { sha256Hex, timingSafeEqual } from "../core/tokens.ts";
import { migrationState, probeWrite } from "../db/client.ts";
import type { AppEnv, Deps } from "./app_env.ts";

/** While writes fail, `/healthz` tries one itself at most this often, so a quiet Kabar recovers too. */
const PROBE_EVERY_MS = 5_000;

/** `/healthz` for load balancers and Docker, `/metrics` for Prometheus. */
export function opsRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  let probedAt = -Infinity;

  /**
   * The disk of the data folder: its free space, and why Kabar is degraded
   * (writes refused for lack of space, or less free than `low_bytes`).
   */
  const diskState = async () => {
    const watch = deps.db.$disk;
    if (watch.failure && deps.clock.now() - probedAt >= PROBE_EVERY_MS) {
      probedAt = deps.clock.now();
      await probeWrite(deps.db);
    }
    const free = watch.freeBytes(deps.config.dataDir);
    const failure = watch.failure;
    const reason = failure
      ? `writes are refused: the disk of the data folder is full (${failure.reason} since ${
        new Date(failure.since).toISOString()
      })`
      : free !== undefined && free < watch.lowBytes
      ? `the disk of the data folder has ${free} bytes free, less than ${watch.lowBytes}`
      : undefined;
    return {
      free_bytes: free ?? null,
      low_bytes: watch.lowBytes,
      full: failure !== undefined,
      ...(reason ? { reason } : {}),
    };
  };

  // Degraded answers 200: Kabar still serves (reads, pages, queued sends), so a load
  // balancer keeps it; monitoring reads `status` and `disk`.
  app.get("/healthz", async (c) => {
    try {
      const { shipped, applied } = await migrationState(deps.db);
      const current = applied >= shipped;
      const disk = await diskState();
      return c.json({
        status: !current ? "migrations_pending" : disk.reason ? "degraded" : "ok",
        version: deps.version,
        database: "ok",
        migrations: { applied, shipped, current },
        disk,
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

  // Machines call these two: any other method, or a path under them, is answered plainly too
  // (never by the pages, which would set a cookie).
  for (const path of ["/healthz", "/metrics"]) {
    app.all(path, (c) => c.text("Method Not Allowed", 405, { Allow: "GET, HEAD" }));
    app.all(`${path}/*`, (c) => c.text("Not Found", 404));
  }
  return app;
}
