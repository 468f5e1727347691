import { Hono } from "hono";
import type { MessageKey } from "../../core/i18n.ts";
import { EmptyPage } from "../../views/empty_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { pageContext, renderPage } from "../render.tsx";

/** Sections whose lists are still empty on a new install: heading, explanation, next step. */
const SECTIONS: Array<[string, MessageKey, MessageKey, MessageKey]> = [
  [
    "/automation",
    "nav.automation",
    "empty.automation.title",
    "empty.automation.body",
  ],
  ["/reports", "nav.reports", "empty.reports.title", "empty.reports.body"],
];

/** `/`, and the sections that are empty until their features come. */
export function homeRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => c.redirect("/inbox", 302));

  for (const [path, titleKey, emptyKey, bodyKey] of SECTIONS) {
    app.get(path, (c) => {
      const ctx = pageContext(c, deps);
      return renderPage(
        c,
        <EmptyPage
          ctx={ctx}
          title={ctx.t(titleKey)}
          emptyTitle={ctx.t(emptyKey)}
          body={ctx.t(bodyKey)}
        />,
      );
    });
  }

  app.get("/settings", (c) => c.redirect("/settings/users", 302));

  return app;
}
