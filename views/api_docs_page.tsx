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

/** `/api/docs`: the JSON API, readable without any tool (English, like the API). */
export function ApiDocsPage(
  { version, operations, baseUrl }: {
    version: string;
    operations: DocsOperation[];
    /** This Kabar's own address, for the examples. */
    baseUrl: string;
  },
) {
  return (
    <html lang="en">
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
                Send WhatsApp and Telegram messages, follow their status, and receive events by
                webhook. The machine-readable description is{" "}
                <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
              </p>
            </div>
          </div>
          <section class="card">
            <h2>Authentication and errors</h2>
            <p>
              Make a key on Settings → API keys (or <code>kabar apikey create</code>) and send it as
              {" "}
              <code>Authorization: Bearer &lt;key&gt;</code> or{" "}
              <code>X-Api-Key: &lt;key&gt;</code>. Each operation names the scope it needs.
            </p>
            <p>
              Every error answers{" "}
              <code>{'{"error":{"code","message","details"}}'}</code>; for a wrong field,{" "}
              <code>details</code> maps its path (e.g.{" "}
              <code>media.base64</code>) to why. 401: the key is missing, wrong or revoked. 403: a
              scope is missing or the address is not allowed. 422: a field is wrong.
            </p>
            <pre class="example">{`curl -X POST ${baseUrl}/api/v1/messages \\
  -H "Authorization: Bearer $KABAR_KEY" -H "Content-Type: application/json" \\
  -d '{"to": "0812-3456-7890", "text": "Jadwal kontrol Anda: Senin 09.00"}'`}</pre>
            <h3>Webhooks</h3>
            <p>
              Kabar POSTs each event as JSON with <code>X-Kabar-Event</code>,{" "}
              <code>X-Kabar-Delivery</code> (the same on a retry: use it to drop duplicates),{" "}
              <code>X-Kabar-Timestamp</code> and <code>X-Kabar-Signature</code>:{" "}
              <code>sha256=</code>HMAC-SHA256 of <code>timestamp + "." + body</code>{" "}
              with the webhook's secret. Any 2xx is success; otherwise it retries for a day.
            </p>
            <p>
              Each delivery also carries the Standard Webhooks headers <code>webhook-id</code>,{" "}
              <code>webhook-timestamp</code> and <code>webhook-signature</code>{" "}
              for libraries such as standardwebhooks, with the same secret. After a rotation
              (below), the new and the previous secret both sign for 24 hours.
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
                Scope <code>{op.scope}</code> · success <code>{op.success[0]}</code>:{" "}
                {op.success[1]}
                {op.multipart ? " · body: multipart/form-data" : ""} · errors{" "}
                <code>{op.errors.join(", ")}</code> · operationId <code>{op.operationId}</code>
              </p>
              {op.body
                ? (
                  <details>
                    <summary>Request body (JSON Schema)</summary>
                    <pre>{op.body}</pre>
                  </details>
                )
                : null}
              {op.query
                ? (
                  <details>
                    <summary>Query parameters (JSON Schema)</summary>
                    <pre>{op.query}</pre>
                  </details>
                )
                : null}
              {op.answer
                ? (
                  <details>
                    <summary>Answer (JSON Schema)</summary>
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
