/**
 * Machines' surfaces (ops, the JSON API, the compatible APIs) never set a
 * cookie: their callers keep none, and a cookie there only grows logs and caches.
 */
import assert from "node:assert/strict";
import { toBase64 } from "../../core/tokens.ts";
import { startTestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";

Deno.test("no Set-Cookie on /metrics, /healthz, the API and the compatible APIs, success or error", async () => {
  await using t = await startTestApp();
  const { key } = await apiKey(t);
  const bearer = { authorization: `Bearer ${key}` };
  const json = { "content-type": "application/json" };
  const basic = `Basic ${toBase64(new TextEncoder().encode("0001:wrong"))}`;
  const requests: Array<[string, RequestInit, number]> = [
    ["/metrics", {}, 200],
    ["/healthz", {}, 200],
    ["/api/openapi.json", {}, 200],
    ["/api/v1/messages", { headers: bearer }, 200],
    ["/api/v1/messages", {}, 401],
    ["/api/v1/messages/999", { headers: bearer }, 404],
    ["/api/v1/messages", { method: "POST", headers: { ...bearer, ...json }, body: "{}" }, 422],
    ["/api/v1/messages", { method: "POST", headers: json, body: "{}" }, 401],
    ["/api/v1/nothing", { headers: bearer }, 404],
    [
      "/sendWhatsappMessage",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "api_key=wrong&template_id=1&phone_number=6281234567890&data[nama]=Siti",
      },
      200,
    ],
    ["/sendWhatsappMessage", { method: "POST" }, 200],
    ["/v1/token/get", { method: "POST", headers: { authorization: basic } }, 200],
    ["/v1/token/get", { method: "POST" }, 200],
    [
      "/v1/message/inquiry",
      { method: "POST", headers: { authorization: "Bearer nope", ...json }, body: "{}" },
      200,
    ],
    ["/v1/message/do-send", { method: "POST", headers: json, body: "{}" }, 200],
    ["/v1/nothing", { method: "POST" }, 200],
  ];
  for (const [path, init, status] of requests) {
    const label = `${init.method ?? "GET"} ${path}`;
    const res = await t.app.request(`http://kabar.test${path}`, init, {
      remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" },
    });
    await res.body?.cancel();
    assert.equal(res.status, status, label);
    assert.equal(res.headers.get("set-cookie"), null, `${label} sets no cookie`);
  }

  const page = await t.app.request("http://kabar.test/login");
  assert.match(page.headers.get("set-cookie") ?? "", /kabar_csrf=/, "pages still do");
});
