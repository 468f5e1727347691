/** `next` (the page to return to) and `language` on /login and /language: never an open redirect, never a 500. */
import assert from "node:assert/strict";
import { loginSessions } from "../../db/schema.ts";
import { BrowserClient } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";

/** Values of `next` that are not a page of this site, or not safe to put in a header. */
const REFUSED = [
  "/inbox\r\nSet-Cookie: evil=1",
  "/inbox\nLocation: https://evil.example",
  "/inbox\r",
  "/\t/evil.example",
  "/\n/evil.example",
  "/ /evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "/x\u0000y",
  "/x\u007fy",
  "/x\u0085y",
  "/inbox y",
  "/inbox\u00a0y",
  "/inbox\u2028y",
  "/inbox\u200by",
  " /inbox",
  "//evil.example",
  "https://evil.example/",
  "/" + "a".repeat(100_000),
];

Deno.test("signing in: a next with control characters, whitespace or backslashes goes to the inbox", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  for (const next of REFUSED) {
    const browser = new BrowserClient(t.app);
    await browser.get("/login");
    const page = await browser.post("/login", {
      username: "siti",
      password: TEST_PASSWORD,
      next,
    });
    const label = JSON.stringify(next.slice(0, 40));
    assert.equal(page.status, 303, label);
    assert.equal(page.location, "/inbox", label);
    assert.equal(browser.cookies.get("evil"), undefined, label);
    assert.equal((await browser.get("/inbox")).status, 200, `${label}: signed in`);
  }
  const sessions = await t.deps.db.select().from(loginSessions);
  assert.equal(sessions.length, REFUSED.length, "one session per sign-in");
});

Deno.test("signing in: a next beyond ASCII is sent percent-encoded, a repeated next is ignored", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const signIn = async (next: string | string[], headers: Record<string, string> = {}) => {
    const browser = new BrowserClient(t.app);
    await browser.get("/login");
    return browser.post("/login", { username: "siti", password: TEST_PASSWORD, next }, headers);
  };
  assert.equal(
    (await signIn("/contacts?q=José 日本".replace(" ", "+"))).location,
    "/contacts?q=Jos%C3%A9+%E6%97%A5%E6%9C%AC",
  );
  assert.equal((await signIn(["/settings/users", "/inbox"])).location, "/inbox");
  const htmx = await signIn("/contacts?q=日本", { "hx-request": "true" });
  assert.equal(htmx.status, 200);
  assert.equal(htmx.headers.get("hx-redirect"), "/contacts?q=%E6%97%A5%E6%9C%AC");
});

Deno.test("the sign-in page keeps a good next in its form and drops a bad one", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  const good = await browser.get("/login?next=%2Fsettings%2Fusers");
  assert.match(good.text, /name="next" value="\/settings\/users"/);
  for (const next of REFUSED) {
    const page = await browser.get(`/login?next=${encodeURIComponent(next)}`);
    assert.equal(page.status, 200);
    // The language switch sends its own next (this page) only.
    const fields = [...page.text.matchAll(/name="next" value="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(fields, ["/login"], JSON.stringify(next.slice(0, 40)));
  }
  assert.equal((await browser.get("/login?next=%E0%A4%A")).status, 200, "malformed escapes");
});

Deno.test("/language: any next or language value, in any body, answers a redirect, never a 500", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  await browser.get("/login");
  for (const next of REFUSED) {
    const page = await browser.post("/language", { language: "en", next });
    assert.equal(page.status, 303, JSON.stringify(next.slice(0, 40)));
    assert.equal(page.location, "/inbox");
    const htmx = await browser.post("/language", { language: "en", next }, { "hx-request": "1" });
    assert.equal(htmx.status, 200);
    assert.equal(htmx.headers.get("hx-redirect"), "/inbox");
  }
  const odd: Record<string, string | string[]>[] = [
    { language: ["en", "id"], next: ["/login", "/inbox"] },
    { language: "x".repeat(100_000), next: "/login" },
    { language: "en\r\nSet-Cookie: evil=1", next: "/login" },
    { "language[]": "en", "next[]": "/login" },
    { "language[a]": "en", "next[href]": "//evil.example" },
  ];
  for (const fields of odd) {
    const page = await browser.post("/language", fields);
    assert.equal(page.status, 303, JSON.stringify(fields).slice(0, 80));
    assert.ok(page.location === "/login" || page.location === "/inbox");
  }
  const htmx = await browser.post("/language", { language: "id", next: "/login?q=日本" }, {
    "hx-request": "1",
  });
  assert.equal(htmx.headers.get("hx-redirect"), "/login?q=%E6%97%A5%E6%9C%AC");
  assert.equal(browser.cookies.get("kabar_lang"), "id");

  // Only form fields are read: a JSON object or an uploaded file is no next.
  const json = await browser.request("/language", {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": browser.csrfToken },
    body: JSON.stringify({ language: { en: true }, next: { href: "//evil.example" } }),
  });
  assert.equal(json.status, 303);
  assert.equal(json.location, "/inbox");

  const form = new FormData();
  form.append("_csrf", browser.csrfToken);
  form.append("language", "en");
  form.append("next", new File(["//evil.example"], "next.txt"));
  const multipart = await browser.request("/language", { method: "POST", body: form });
  assert.equal(multipart.status, 303);
  assert.equal(multipart.location, "/inbox");
});

Deno.test("signing in: a link to a page the role may not open leads to the inbox, saying why", async () => {
  await using t = await startTestApp();
  await t.addUser("rina", "agent");
  const browser = new BrowserClient(t.app);
  await browser.get("/login?next=%2Fchannels%2F1");
  const page = await browser.post("/login?next=%2Fchannels%2F1", {
    username: "rina",
    password: TEST_PASSWORD,
    next: "/channels/1",
  });
  assert.equal(page.location, "/inbox");
  const encoded = new BrowserClient(t.app);
  await encoded.get("/login");
  const sneaky = await encoded.post("/login", {
    username: "rina",
    password: TEST_PASSWORD,
    next: "/%74emplates",
  });
  assert.equal(sneaky.location, "/inbox", "an encoded path is judged as the page it opens");
  const inbox = await browser.get("/inbox");
  assert.match(inbox.text, /not open to your role, so here is your inbox/);

  const allowed = new BrowserClient(t.app);
  await allowed.get("/login");
  const contacts = await allowed.post("/login", {
    username: "rina",
    password: TEST_PASSWORD,
    next: "/contacts?q=siti",
  });
  assert.equal(contacts.location, "/contacts?q=siti", "a page she may open is where she goes");
});
