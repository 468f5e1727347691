/** `/metrics` behind KABAR_METRICS_TOKEN: a bearer token when set, open when not. */
import assert from "node:assert/strict";
import { startTestApp } from "../support/test_app.ts";

const TOKEN = "scrape-token-0123456789";

Deno.test("with KABAR_METRICS_TOKEN set, /metrics answers only a request bearing it", async () => {
  await using t = await startTestApp({ KABAR_METRICS_TOKEN: TOKEN });
  const scrape = (authorization?: string) =>
    t.app.request("/metrics", { headers: authorization ? { authorization } : {} });
  for (
    const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${btoa(`prometheus:${TOKEN}`)}`,
      TOKEN,
    ]
  ) {
    const res = await scrape(authorization);
    assert.equal(res.status, 401, `refused: ${authorization}`);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="kabar metrics"');
    const text = await res.text();
    assert.match(text, /Authorization: Bearer/);
    assert.doesNotMatch(text, /kabar_http_requests_total/);
  }
  const res = await scrape(`Bearer ${TOKEN}`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /# TYPE kabar_http_requests_total counter/);
  assert.equal((await t.app.request("/healthz")).status, 200, "/healthz stays open");
});

Deno.test("without KABAR_METRICS_TOKEN, /metrics is open", async () => {
  await using t = await startTestApp();
  const res = await t.app.request("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("www-authenticate"), null);
  assert.match(await res.text(), /kabar_build_info/);
});
