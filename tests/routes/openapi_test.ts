/** The OpenAPI document and docs page describe exactly the API routes that exist. */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";

Deno.test("every /api/v1 route is in the OpenAPI document and the document has no other", async () => {
  await using t = await startTestApp();
  const res = await t.app.request("/api/openapi.json");
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, "3.1.0");
  const documented = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
    for (const method of Object.keys(methods)) documented.add(`${method.toUpperCase()} ${path}`);
  }
  const routed = new Set(
    t.app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`),
  );
  assert.deepEqual([...routed].filter((r) => !documented.has(r)), [], "routes without docs");
  assert.deepEqual([...documented].filter((d) => !routed.has(d)), [], "docs without a route");
  const send = doc.paths["/api/v1/messages"].post;
  assert.equal(send["x-scope"], "messages:send");
  assert.ok(send.requestBody.content["application/json"].schema.properties.idempotency_key);

  const page = await t.app.request("/api/docs");
  assert.equal(page.status, 200);
  const text = visibleText(await page.text());
  assert.match(text, /POST \/api\/v1\/messages Send a message/);
  assert.match(text, /X-Kabar-Signature/);
  assert.match(text, /curl -X POST http:\/\/localhost\/api\/v1\/messages/, "this server's address");
  assert.doesNotMatch(text, /kabar\.local/);
});
