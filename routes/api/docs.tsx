import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { acceptedLanguage, DEFAULT_LANGUAGE, parseLanguage, translator } from "../../core/i18n.ts";
import { LANGUAGE_COOKIE, SESSION_COOKIE } from "../cookies.ts";
import { findLoginSession } from "../../db/login_sessions.ts";
import { errorStatuses, jsonSchemaOf, openApiDocument, OPERATIONS } from "../../core/openapi.ts";
import { ApiDocsPage } from "../../views/api_docs_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";

/** `/api/openapi.json` and `/api/docs`: open to anyone, they hold no data. */
export function docsRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const document = openApiDocument(deps.version);
  const operations = OPERATIONS.map((op) => ({
    ...op,
    body: op.body ? JSON.stringify(jsonSchemaOf(op.body), null, 2) : undefined,
    query: op.query ? JSON.stringify(jsonSchemaOf(op.query), null, 2) : undefined,
    errors: errorStatuses(op),
    answer: op.response ? JSON.stringify(jsonSchemaOf(op.response, "output"), null, 2) : undefined,
  }));

  app.get("/api/openapi.json", (c) => c.json(document));
  app.get("/api/docs", async (c) => {
    // ?lang= (the page's own switch), else the signed-in member of staff's language, else the
    // one last chosen in this browser, else the browser's.
    const token = getCookie(c, SESSION_COOKIE);
    const staff = token ? (await findLoginSession(deps.db, deps.clock, token))?.user : undefined;
    const language = parseLanguage(c.req.query("lang")) ?? staff?.language ??
      parseLanguage(getCookie(c, LANGUAGE_COOKIE)) ??
      acceptedLanguage(c.req.header("accept-language")) ?? DEFAULT_LANGUAGE;
    return c.html(
      "<!DOCTYPE html>" + String(
        <ApiDocsPage
          version={deps.version}
          operations={operations}
          baseUrl={deps.config.baseUrl?.replace(/\/$/, "") ?? new URL(c.req.url).origin}
          t={translator(language)}
          language={language}
        />,
      ),
    );
  });
  return app;
}
