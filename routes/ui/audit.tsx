import { Hono } from "hono";
import { readDayRange } from "../../core/day_range.ts";
import { listAudit } from "../../db/audit_log.ts";
import { AuditPage } from "../../views/audit_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { pageContext, renderPage } from "../render.tsx";

const PAGE_SIZE = 50;

/**
 * `/settings/audit` (administrators): who changed what, newest first;
 * `?since=YYYY-MM-DD&until=YYYY-MM-DD` keeps whole days in KABAR_TIMEZONE.
 */
export function auditRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get("/settings/audit", async (c) => {
    const before = Number(c.req.query("before"));
    const filter = { since: c.req.query("since") ?? "", until: c.req.query("until") ?? "" };
    const days = readDayRange(filter, deps.config.timeZone);
    const { rows, nextBefore } = days.ok
      ? await listAudit(deps.db, {
        before: Number.isInteger(before) && before > 0 ? before : undefined,
        ...days.range,
        limit: PAGE_SIZE,
      })
      : { rows: [], nextBefore: null };
    return renderPage(
      c,
      <AuditPage
        ctx={pageContext(c, deps)}
        now={deps.clock.now()}
        rows={rows}
        nextBefore={nextBefore}
        filter={filter}
        errors={days.ok ? undefined : days.errors}
      />,
      days.ok ? 200 : 400,
    );
  });
  return app;
}
