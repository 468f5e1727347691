import { Hono } from "hono";
import { notFound } from "../../core/app_error.ts";
import { parseForm, safeFormValues } from "../../core/form.ts";
import { setupSchema } from "../../core/user_input.ts";
import { countUsers, createFirstAdmin } from "../../db/users.ts";
import { SetupPage } from "../../views/setup_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { clientIp } from "../client_ip.ts";
import { setFlash } from "../flash.ts";
import { startSession } from "../login_session.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/** First run: create the administrator. Once any account exists this page is gone (404). */
export function setupRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const requireFirstRun = async () => {
    if ((await countUsers(deps.db)) > 0) {
      throw notFound("Setup is already done");
    }
  };

  app.get("/setup", async (c) => {
    await requireFirstRun();
    return renderPage(c, <SetupPage ctx={pageContext(c, deps)} />);
  });

  app.post("/setup", async (c) => {
    await requireFirstRun();
    const values = await formValues(c);
    const parsed = parseForm(setupSchema, values);
    if (!parsed.ok) {
      return renderPage(
        c,
        <SetupPage
          ctx={pageContext(c, deps)}
          values={safeFormValues(values)}
          errors={parsed.errors}
        />,
        422,
      );
    }
    const admin = await createFirstAdmin(deps.db, deps.clock, {
      ...parsed.data,
      language: c.get("lang"),
    }, clientIp(c, deps.config.trustProxy));
    if (!admin) throw notFound("Setup is already done");
    // Signed in at once: the administrator who just chose the password need not type it again.
    await startSession(c, deps, admin, "full");
    setFlash(c, deps.config, "success", "setup.done");
    return redirectTo(c, "/channels");
  });

  return app;
}
