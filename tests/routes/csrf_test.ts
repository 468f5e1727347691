import assert from "node:assert/strict";
import { countUsers } from "../../db/users.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

const newUser = {
  displayName: "Budi",
  username: "budi",
  role: "agent",
  language: "id",
  password: "another-long-pass",
};

Deno.test("forms posted without the page's token, with a wrong one, or from another site are refused", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "admin");
  await browser.get("/settings/users");

  const missing = await browser.post("/settings/users", { ...newUser, _csrf: "" });
  assert.equal(missing.status, 403);
  assert.match(visibleText(missing.text), /This form has expired/);

  const wrong = await browser.post("/settings/users", { ...newUser, _csrf: "x".repeat(32) });
  assert.equal(wrong.status, 403);

  const crossSite = await browser.post("/settings/users", newUser, {
    origin: "https://evil.example",
  });
  assert.equal(crossSite.status, 403);
  assert.equal(await countUsers(t.deps.db), 1, "nothing was created");

  const sameSite = await browser.post("/settings/users", newUser, {
    origin: "http://kabar.test",
  });
  assert.equal(sameSite.status, 303);
  assert.equal(await countUsers(t.deps.db), 2);
});

Deno.test("htmx requests carry the token in the X-CSRF-Token header", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "admin");
  const page = await browser.get("/settings/departments");
  assert.match(page.text, /hx-headers="\{&quot;X-CSRF-Token&quot;:&quot;[\w-]+&quot;\}"/);

  const refused = await browser.post("/settings/departments", { name: "Farmasi", _csrf: "" }, {
    "hx-request": "true",
  });
  assert.equal(refused.status, 403);
  assert.match(refused.text, /class="flash error"/, "htmx gets an error fragment");
  assert.doesNotMatch(refused.text, /<html/);

  const accepted = await browser.post("/settings/departments", { name: "Farmasi", _csrf: "" }, {
    "hx-request": "true",
    "x-csrf-token": browser.csrfToken,
  });
  assert.equal(accepted.status, 200);
  assert.equal(accepted.headers.get("hx-redirect"), "/settings/departments");
});

Deno.test("the sign-in form is protected too, before any session exists", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  await browser.get("/login");
  const forged = await browser.post("/login", {
    username: "siti",
    password: TEST_PASSWORD,
    _csrf: "",
  });
  assert.equal(forged.status, 403);
  assert.equal(browser.cookies.get("kabar_session"), undefined);
});

Deno.test("a signed-in session's token replaces the visitor token", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  await browser.get("/login");
  const visitorToken = browser.csrfToken;
  await browser.post("/login", { username: "siti", password: TEST_PASSWORD });
  await browser.get("/inbox");
  assert.notEqual(browser.csrfToken, visitorToken);
  const stale = await browser.post("/logout", { _csrf: visitorToken });
  assert.equal(stale.status, 403);
});

Deno.test("X-Forwarded-Host counts for the origin check only when it comes from a trusted proxy", async () => {
  await using t = await startTestApp({ KABAR_TRUST_PROXY: "10.0.0.5" });
  await t.addUser("admin", "admin");
  const post = async (remoteAddr: string, username: string) => {
    const browser = new BrowserClient(t.app, remoteAddr);
    await browser.signIn("admin", TEST_PASSWORD);
    await browser.get("/settings/users");
    return browser.post("/settings/users", { ...newUser, username }, {
      origin: "https://kabar.rs.example",
      "x-forwarded-host": "kabar.rs.example",
    });
  };
  const direct = await post("192.0.2.10", "direct");
  assert.equal(direct.status, 403, "a client's own X-Forwarded-Host is not believed");
  const proxied = await post("10.0.0.5", "proxied");
  assert.equal(proxied.status, 303, "the trusted proxy's is");
  assert.equal(await countUsers(t.deps.db), 2);
});
