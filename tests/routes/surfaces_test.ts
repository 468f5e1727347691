/**
 * Each surface owns its callers, its body limit and its error shape: the
 * JSON API answers only to a key (a route added later too), the compatible
 * APIs answer in their own form, the pages need a session; and the access
 * table agrees with where the surfaces are mounted.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { accessFor, MACHINE_SURFACES } from "../../core/permissions.ts";
import { apiSurface } from "../../routes/api/api_surface.ts";
import type { AppEnv } from "../../routes/app_env.ts";
import { apiKey } from "../support/api_key.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp } from "../support/test_app.ts";

const big = (bytes: number) => JSON.stringify({ text: "x".repeat(bytes) });

Deno.test("a route added to the API later answers only to an API key", async () => {
  await using t = await startTestApp();
  const api = apiSurface(t.deps);
  api.get("/api/v2/future", (c) => c.text("open to anyone"));
  const app = new Hono<AppEnv>().route("/", api);
  const res = await app.request("/api/v2/future");
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, "missing_api_key");

  const unknown = await t.app.request("/api/v1/nothing-here");
  assert.equal(unknown.status, 401, "unknown API paths are behind the key too");

  // Requests are counted by the route that serves them, not by the surface's catch-all.
  await (await t.app.request("/api/v1/channels/7")).body?.cancel();
  const metrics = await (await t.app.request("/metrics")).text();
  assert.match(metrics, /route="\/api\/v1\/channels\/:id",status="401"/);
  assert.match(metrics, /route="\/api\/\*",status="401"/);
});

Deno.test("every route under a machine surface is answered by it, never by the pages", async () => {
  await using t = await startTestApp();
  const machine = t.app.routes.filter((r) =>
    r.method !== "ALL" && !r.path.includes("*") && accessFor(r.path) === "api"
  );
  assert.ok(machine.length > 20, `found ${machine.length} API routes`);
  for (const route of machine) {
    const path = route.path.replace(/:[^/]+/g, "1");
    const res = await t.app.request(path, { method: route.method });
    const type = res.headers.get("content-type") ?? "";
    assert.ok(
      res.status !== 302 && !type.includes("text/html"),
      `${route.method} ${path}: ${res.status} ${type}`,
    );
    await res.body?.cancel();
  }
  // The access table says "api" exactly where a machine surface is mounted.
  for (const prefix of MACHINE_SURFACES) assert.equal(accessFor(prefix), "api");
  assert.equal(accessFor("/api/docs"), "public");
});

Deno.test("each surface caps bodies and answers errors in its own shape", async () => {
  await using t = await startTestApp();
  const { key } = await apiKey(t);
  const post = (path: string, body: string, type = "application/json", bearer?: string) =>
    t.app.request(path, {
      method: "POST",
      headers: { "content-type": type, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body,
    });
  const twoMiB = 2 * 1024 * 1024;

  // Without a key nothing of the body is read: the key is asked for first.
  const anonymous = await post("/api/v1/webhooks", big(twoMiB));
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();

  const json = await post("/api/v1/webhooks", big(twoMiB), "application/json", key);
  assert.equal(json.status, 413);
  assert.equal((await json.json()).error.code, "too_large");

  // A message may carry a file: its limit is the media limit, so the body is read and checked.
  const message = await post("/api/v1/messages", big(twoMiB), "application/json", key);
  assert.equal(message.status, 422);
  await message.body?.cancel();

  // Wappin asks for its token before it reads a body, and answers everything with 200.
  const wappin = await post("/v1/message/do-send", big(twoMiB));
  assert.equal(wappin.status, 200);
  assert.notEqual((await wappin.json()).status, "200");

  const indoshopster = await post("/sendWhatsappMessage", big(twoMiB));
  assert.equal(indoshopster.status, 200);
  assert.match(await indoshopster.text(), /.+/);

  const page = await post(
    "/login",
    `username=${"x".repeat(twoMiB)}`,
    "application/x-www-form-urlencoded",
  );
  assert.equal(page.status, 413);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  await page.body?.cancel();

  for (
    const [path, method, status] of [
      ["/healthz", "POST", 405],
      ["/metrics", "DELETE", 405],
      ["/healthz/", "GET", 404],
      ["/metrics/x", "GET", 404],
    ] as const
  ) {
    const res = await t.app.request(path, { method });
    assert.equal(res.status, status, `${method} ${path}`);
    assert.equal(res.headers.get("set-cookie"), null, `${method} ${path} sets no cookie`);
    await res.body?.cancel();
  }
  const slash = await t.app.request("/sendWhatsappMessage/", { method: "POST" });
  assert.equal(slash.status, 200, "beside the Indoshopster path: still its surface");
  assert.equal(slash.headers.get("set-cookie"), null);
  await slash.body?.cancel();
  const wappinUnknown = await t.app.request("/v1/nothing-here");
  assert.equal(wappinUnknown.status, 200);
  assert.equal((await wappinUnknown.json()).status, "404");
});

Deno.test("a HEAD of a live page opens no stream, and made-up methods add no metric series", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const before = t.deps.events.size;
  for (let i = 0; i < 5; i++) {
    const res = await admin.request("/channels/live", { method: "HEAD" });
    assert.equal(res.status, 200);
  }
  assert.equal(t.deps.events.size, before, "no listener left behind");
  for (const method of ["FOO", "BARBAZ", "X".repeat(200)]) {
    await (await t.app.request("/healthz", { method })).body?.cancel();
  }
  const metrics = await (await t.app.request("/metrics")).text();
  assert.doesNotMatch(metrics, /method="(FOO|BARBAZ|XXX)/);
  assert.match(metrics, /method="other"/);
});

Deno.test("a body the client breaks off is its fault: 400 in each surface's shape, no server error", async () => {
  await using t = await startTestApp();
  const { key } = await apiKey(t);
  const broken = () => {
    let sent = false;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("connection reset by the client"));
        sent = true;
        controller.enqueue(new TextEncoder().encode("{"));
      },
    });
  };
  const post = (path: string) =>
    t.app.request(path, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "transfer-encoding": "chunked",
        authorization: `Bearer ${key}`,
      },
      body: broken(),
      duplex: "half",
    } as RequestInit);
  const api = await post("/api/v1/messages");
  assert.equal(api.status, 400);
  assert.equal((await api.json()).error.code, "bad_request");
  const wappin = await post("/v1/message/do-send");
  assert.equal(wappin.status, 200);
  assert.doesNotMatch((await wappin.json()).status, /^5/);
  const page = await post("/login");
  assert.equal(page.status, 400);
  await page.body?.cancel();
});
