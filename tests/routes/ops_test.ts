import assert from "node:assert/strict";
import { ASSETS } from "../../views/assets.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";
import { apiKey } from "../support/api_key.ts";

Deno.test("/healthz reports the database and migrations as JSON", async () => {
  await using t = await startTestApp();
  const res = await t.app.request("/healthz");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "ok");
  assert.equal(body.database, "ok");
  assert.equal(body.migrations.current, true);
  assert.equal(body.migrations.applied, body.migrations.shipped);
  assert.ok(body.migrations.shipped >= 3);
});

Deno.test("/healthz answers 503 when the database is gone", async () => {
  const t = await startTestApp();
  try {
    t.deps.db.$client.close();
    const res = await t.app.request("/healthz");
    assert.equal(res.status, 503);
    assert.equal((await res.json()).database, "unreachable");
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});

Deno.test("/metrics counts requests by route and status in Prometheus text", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  await browser.signIn("siti", "wrong password");
  await browser.signIn("siti", TEST_PASSWORD);
  await browser.get("/inbox");
  await browser.get("/settings/users/7");
  const res = await t.app.request("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, /# TYPE kabar_http_requests_total counter/);
  assert.match(text, /kabar_http_requests_total\{method="POST",route="\/login",status="401"\} 1/);
  assert.match(text, /kabar_http_requests_total\{method="POST",route="\/login",status="303"\} 1/);
  assert.match(text, /kabar_http_requests_total\{method="GET",route="\/inbox",status="200"\} 1/);
  assert.match(
    text,
    /kabar_http_requests_total\{method="GET",route="\/settings\/users\/:id",status="403"\} 1/,
  );
  assert.match(text, /kabar_login_failures_total 1/);
  assert.match(text, /kabar_login_sessions 1/);
  assert.match(text, /kabar_build_info\{version="\d+\.\d+\.\d+"\} 1/);
  assert.match(text, /kabar_disk_free_bytes \d+/);
  assert.match(text, /kabar_disk_writes_refused 0/);
  t.deps.db.$disk.simulate = "SQLITE_FULL";
  await browser.signIn("siti", TEST_PASSWORD); // a write, refused
  const full = await (await t.app.request("/metrics")).text();
  assert.match(full, /kabar_disk_free_bytes 0/);
  assert.match(full, /kabar_disk_writes_refused 1/);
  t.deps.db.$disk.simulate = undefined;
});

Deno.test("unknown pages get a 404 page; unknown API paths a JSON error", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  const page = await browser.get("/no/such/page");
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  assert.match(visibleText(page.text), /Page not found This page does not exist/);

  const anonymous = await t.app.request("/api/v1/nothing");
  assert.equal(anonymous.status, 401, "the key is checked before the path");
  assert.equal((await anonymous.json()).error.code, "missing_api_key");
  const { key } = await apiKey(t);
  const api = await t.app.request("/api/v1/nothing", { headers: { "x-api-key": key } });
  assert.equal(api.status, 404);
  const body = await api.json();
  assert.equal(body.error.code, "not_found");
  assert.match(body.error.message, /GET \/api\/v1\/nothing/);
});

Deno.test("an unexpected error shows a reference id and never the stack trace", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  t.app.get("/inbox/explode", () => {
    throw new Error("database password is hunter2");
  });
  const browser = new BrowserClient(t.app);
  await browser.signIn("siti", TEST_PASSWORD);
  const page = await browser.get("/inbox/explode");
  assert.equal(page.status, 500);
  const requestId = page.headers.get("x-request-id")!;
  assert.match(visibleText(page.text), new RegExp(`Reference: ${requestId}`));
  assert.doesNotMatch(page.text, /hunter2|at file:|Error:/);
});

Deno.test("pages carry security headers; static files are cached by content hash", async () => {
  await using t = await startTestApp();
  const page = await t.app.request("/setup");
  assert.match(page.headers.get("content-security-policy")!, /script-src 'self'/);
  assert.equal(page.headers.get("x-frame-options"), "DENY");
  assert.equal(page.headers.get("cache-control"), "no-store");
  assert.match(await page.text(), new RegExp(ASSETS.htmx.url.replaceAll(".", "\\.")));

  const htmx = await t.app.request(ASSETS.htmx.url);
  assert.equal(htmx.status, 200);
  assert.equal(htmx.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.match(htmx.headers.get("content-type")!, /javascript/);
  assert.match(await htmx.text(), /htmx/);
  assert.equal((await t.app.request("/static/app.00000000.css")).status, 404);
});
