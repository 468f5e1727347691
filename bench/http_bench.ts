/**
 * Page and ops request cost against a bare Hono app measured in the same run
 * (`deno task bench` prints each as a multiple of the baseline).
 */
import { Hono } from "hono";
import { BrowserClient } from "../tests/support/browser_client.ts";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../tests/support/test_app.ts";

const bare = new Hono();
bare.get("/hello", (c) => c.text("hello"));

let ready: Promise<{ t: TestApp; browser: BrowserClient }> | undefined;
function setup() {
  ready ??= (async () => {
    const t = await startTestApp();
    await t.addUser("siti", "admin");
    const browser = new BrowserClient(t.app);
    await browser.signIn("siti", TEST_PASSWORD);
    globalThis.addEventListener("unload", () => {
      t.deps.db.$client.close();
      Deno.removeSync(t.dir, { recursive: true });
    });
    return { t, browser };
  })();
  return ready;
}

Deno.bench("bare Hono text response", { group: "request", baseline: true }, async () => {
  await (await bare.request("/hello")).text();
});

Deno.bench("GET /healthz (database + migrations check)", { group: "request" }, async () => {
  const { t } = await setup();
  await (await t.app.request("/healthz")).text();
});

Deno.bench("GET /login (page render, visitor CSRF cookie)", { group: "request" }, async () => {
  const { t } = await setup();
  await (await t.app.request("/login")).text();
});

Deno.bench("GET /inbox signed in (session lookup + page)", { group: "request" }, async () => {
  const { browser } = await setup();
  await browser.get("/inbox");
});

Deno.bench("GET /settings/users signed in (list from db)", { group: "request" }, async () => {
  const { browser } = await setup();
  await browser.get("/settings/users");
});
