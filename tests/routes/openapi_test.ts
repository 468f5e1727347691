/** The OpenAPI document and docs page describe exactly the API routes that exist. */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { signedIn } from "../support/signed_in.ts";
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
  const operationIds = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
    for (const [method, op] of Object.entries(methods)) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(!operationIds.has(op.operationId), `${where}: operationId ${op.operationId} twice`);
      operationIds.add(op.operationId);
      const statuses = Object.keys(op.responses);
      assert.ok(statuses.some((s) => /^4/.test(s)), `${where} names no 4xx answer`);
      for (const status of statuses.filter((s) => /^2/.test(s) && s !== "204")) {
        const content = op.responses[status].content;
        assert.ok(content, `${where} ${status} has no content`);
        const json = content["application/json"]?.schema;
        if (json) assert.match(json.$ref, /^#\/components\/schemas\/\w+$/, `${where} ${status}`);
      }
    }
  }
  const send = doc.paths["/api/v1/messages"].post;
  assert.deepEqual(Object.keys(send.responses).filter((s) => /^2/.test(s)), ["200", "202"]);
  assert.ok(send.responses["200"].headers["Idempotent-Replayed"]);
  assert.ok(doc.components.schemas.Message.properties.external_id);
  const qr = doc.paths["/api/v1/channels/{id}/qr"].get.responses["200"].content;
  assert.deepEqual(Object.keys(qr), [
    "application/json",
    "image/svg+xml",
    "image/png",
    "text/plain",
  ]);
  const deleteChannel = doc.paths["/api/v1/channels/{id}"].delete.parameters;
  assert.ok(deleteChannel.some((p: { name: string }) => p.name === "force"));
  const deliveries = doc.paths["/api/v1/webhooks/{id}/deliveries"].get.parameters;
  assert.deepEqual(deliveries.map((p: { name: string }) => p.name), ["id", "cursor", "limit"]);
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

Deno.test("/api/docs speaks the reader's language around the operations", async () => {
  await using t = await startTestApp();
  const read = async (path: string, headers: Record<string, string> = {}) => {
    const page = await t.app.request(path, { headers });
    assert.equal(page.status, 200);
    return visibleText(await page.text());
  };
  const indonesian = await read("/api/docs", { "accept-language": "id-ID,id;q=0.9,en;q=0.8" });
  assert.match(indonesian, /Autentikasi dan galat/);
  assert.match(indonesian, /Authorization: Bearer <kunci>/);
  assert.match(indonesian, /dijelaskan dalam bahasa Inggris/);
  assert.match(indonesian, /Cakupan messages:send · berhasil 202/);
  assert.match(indonesian, /English/, "a switch to English");
  const english = await read("/api/docs", { "accept-language": "en-GB,en;q=0.9" });
  assert.match(english, /Authentication and errors/);
  assert.match(english, /Scope messages:send · success 202/);
  assert.match(await read("/api/docs?lang=en", { "accept-language": "id" }), /Authentication/);
  assert.match(await read("/api/docs", { cookie: "kabar_lang=en" }), /Authentication/);
  assert.match(await read("/api/docs"), /Autentikasi dan galat/, "Kabar's own language");
  // Signed in, the page speaks the language the member of staff chose, from any browser.
  const staff = await signedIn(t, "supervisor");
  assert.equal(staff.user.language, "en");
  assert.match(visibleText((await staff.get("/api/docs")).text), /Authentication and errors/);
});
