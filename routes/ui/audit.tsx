import { Hono } from "hono";
import { listAudit } from "../../db/audit_log.ts";
import { AuditPage } from "../../views/audit_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { pageContext, renderPage } from "../render.tsx";

const PAGE_SIZE = 50;

/** `/settings/audit` (administrators): who changed what, newest first. */
export function auditRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get("/settings/audit", async (c) => {
    const before = Number(c.req.query("before"));
    const { rows, nextBefore } = await listAudit(deps.db, {
      before: Number.isInteger(before) && before > 0 ? before : undefined,
      limit: PAGE_SIZE,
    });
    return renderPage(
      c,
      <AuditPage
        ctx={pageContext(c, deps)}
        rows={rows}
        nextBefore={nextBefore}
      />,
    );
  });
  return app;
}
