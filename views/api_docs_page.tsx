import type { Translate } from "../core/i18n.ts";
import type { Language } from "../core/i18n/message.ts";
import { ASSETS } from "./assets.ts";

/** One operation as the docs show it. */
export interface DocsOperation {
  method: string;
  path: string;
  summary: string;
  description?: string;
  scope: string;
  success: [number, string];
  /** JSON Schema of the body or query, pretty-printed. */
  body?: string;
  query?: string;
  /** JSON Schema of the success answer, pretty-printed. */
  answer?: string;
  multipart?: boolean;
  operationId: string;
  /** Every error status it can answer. */
  errors: number[];
}

/** A sentence whose `quoted` parts are code. */
function WithCode({ text }: { text: string }) {
  return <>{text.split("`").map((part, i) => i % 2 ? <code>{part}</code> : part)}</>;
}

/**
 * `/api/docs`: the JSON API, readable without any tool. The page speaks the
 * reader's language; each operation is described in English, as in the
 * OpenAPI document and the API's own error messages.
 */
export function ApiDocsPage(
  { version, operations, baseUrl, t, language }: {
    version: string;
    operations: DocsOperation[];
    /** This Kabar's own address, for the examples. */
    baseUrl: string;
    t: Translate;
    language: Language;
  },
) {
  const other: Language = language === "id" ? "en" : "id";
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Kabar API {version}</title>
        <link rel="icon" href={ASSETS.favicon.url} type="image/svg+xml" />
        <link rel="stylesheet" href={ASSETS.css.url} />
      </head>
      <body>
        <main id="content" class="docs">
          <div class="page-head">
            <div>
              <h1>Kabar API {version}</h1>
              <p>
                {t("apidocs.intro")} <a href="/api/openapi.json">/api/openapi.json</a>.{" "}
                {t("apidocs.english")}
              </p>
            </div>
            <a href={`?lang=${other}`} hreflang={other} lang={other}>
              {other === "id" ? "Bahasa Indonesia" : "English"}
            </a>
          </div>
          <section class="card">
            <h2>{t("apidocs.auth_title")}</h2>
            <p>
              <WithCode text={t("apidocs.auth")} />
            </p>
            <p>
              <WithCode text={t("apidocs.errors")} />
            </p>
            <pre class="example">{`curl -X POST ${baseUrl}/api/v1/messages \\
  -H "Authorization: Bearer $KABAR_KEY" -H "Content-Type: application/json" \\
  -d '{"to": "0812-3456-7890", "text": "Jadwal kontrol Anda: Senin 09.00"}'`}</pre>
            <h3>{t("apidocs.webhooks_title")}</h3>
            <p>
              <WithCode text={t("apidocs.webhooks_kabar")} />
            </p>
            <p>
              <WithCode text={t("apidocs.webhooks_standard")} />
            </p>
          </section>
          {operations.map((op) => (
            <section class="card operation" id={`${op.method}-${op.path}`}>
              <h2>
                <span class={`method ${op.method}`}>{op.method.toUpperCase()}</span>{" "}
                <code>{op.path}</code>
              </h2>
              <p>
                <strong>{op.summary}.</strong> {op.description ?? ""}
              </p>
              <p class="small">
                {t("apidocs.scope")} <code>{op.scope}</code> · {t("apidocs.success")}{" "}
                <code>{op.success[0]}</code>: {op.success[1]}
                {op.multipart ? ` · ${t("apidocs.multipart")}` : ""} · {t("apidocs.errors_short")}
                {" "}
                <code>{op.errors.join(", ")}</code> · operationId <code>{op.operationId}</code>
              </p>
              {op.body
                ? (
                  <details>
                    <summary>{t("apidocs.request_body")}</summary>
                    <pre>{op.body}</pre>
                  </details>
                )
                : null}
              {op.query
                ? (
                  <details>
                    <summary>{t("apidocs.query")}</summary>
                    <pre>{op.query}</pre>
                  </details>
                )
                : null}
              {op.answer
                ? (
                  <details>
                    <summary>{t("apidocs.answer")}</summary>
                    <pre>{op.answer}</pre>
                  </details>
                )
                : null}
            </section>
          ))}
        </main>
      </body>
    </html>
  );
}
