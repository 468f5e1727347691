import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { listAudit } from "../../db/audit_log.ts";
import { loginSessions } from "../../db/schema.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

const MINUTE = 60_000;

Deno.test("signing in with the right password opens the inbox; the session is stored hashed", async () => {
  await using t = await startTestApp();
  const user = await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  const login = await browser.signIn("Siti", TEST_PASSWORD);
  assert.equal(login.status, 303);
  assert.equal(login.location, "/inbox");
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("kabar_session="))!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/, "no Secure flag without an https base URL");

  const inbox = await browser.get("/inbox");
  assert.equal(inbox.status, 200);
  assert.match(visibleText(inbox.text), /No conversations yet/);
  assert.match(visibleText(inbox.text), /Siti/);

  const token = browser.cookies.get("kabar_session")!;
  const rows = await t.deps.db.select().from(loginSessions).where(
    eq(loginSessions.userId, user.id),
  );
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0].id, token, "the cookie token itself is not stored");
  assert.equal(rows[0].ip, "192.0.2.10");

  const { rows: audit } = await listAudit(t.deps.db, { limit: 5 });
  assert.ok(audit.some((r) => r.action === "auth.login" && r.actor === "siti"));
});

Deno.test("session cookies carry Secure when Kabar is served over https", async () => {
  await using t = await startTestApp({ KABAR_BASE_URL: "https://kabar.rs.example" });
  await t.addUser("siti", "agent");
  const login = await new BrowserClient(t.app).signIn("siti", TEST_PASSWORD);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("kabar_session="))!;
  assert.match(cookie, /Secure/);
});

Deno.test("a wrong password is refused with a message; the username stays, the password does not", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  for (const [username, password] of [["siti", "wrong-password"], ["nobody", TEST_PASSWORD]]) {
    await browser.get("/login");
    const page = await browser.post("/login", { username, password });
    assert.equal(page.status, 401);
    assert.match(visibleText(page.text), /Nama pengguna atau kata sandi salah/);
    assert.match(page.text, new RegExp(`value="${username}"`));
    assert.doesNotMatch(page.text, new RegExp(password));
    assert.equal(browser.cookies.get("kabar_session"), undefined);
  }
  const { rows } = await listAudit(t.deps.db, { limit: 5 });
  assert.equal(rows.filter((r) => r.action === "auth.login_failed").length, 2);
});

Deno.test("after 5 wrong passwords the account is locked for 15 minutes, even for the right one", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  for (let i = 0; i < 5; i++) {
    assert.equal((await browser.signIn("siti", `wrong-${i}`)).status, 401);
  }
  const locked = await browser.signIn("siti", TEST_PASSWORD);
  assert.equal(locked.status, 429);
  assert.match(
    visibleText(locked.text),
    /Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit/,
  );
  assert.equal(locked.headers.get("retry-after"), "900");

  // Another address is locked out of this account too: the limit is per account.
  const elsewhere = new BrowserClient(t.app, "198.51.100.7");
  assert.equal((await elsewhere.signIn("siti", TEST_PASSWORD)).status, 429);

  t.clock.advance(15 * MINUTE + 1);
  const after = await browser.signIn("siti", TEST_PASSWORD);
  assert.equal(after.status, 303);
  assert.equal(after.location, "/inbox");
});

Deno.test("failures spread over time do not lock the account", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  for (let i = 0; i < 8; i++) {
    assert.equal((await browser.signIn("siti", "wrong")).status, 401);
    t.clock.advance(5 * MINUTE);
  }
  assert.equal((await browser.signIn("siti", TEST_PASSWORD)).status, 303);
});

Deno.test("one address guessing many accounts is locked after 20 failures", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const attacker = new BrowserClient(t.app, "203.0.113.66");
  for (let i = 0; i < 20; i++) {
    assert.equal((await attacker.signIn(`guess${i}`, "password123")).status, 401);
  }
  assert.equal((await attacker.signIn("siti", TEST_PASSWORD)).status, 429);
  const nurse = new BrowserClient(t.app, "192.0.2.44");
  assert.equal(
    (await nurse.signIn("siti", TEST_PASSWORD)).status,
    303,
    "other addresses still work",
  );
});

Deno.test("a disabled account cannot sign in, and its right password is answered as a wrong one", async () => {
  await using t = await startTestApp();
  const user = await t.addUser("siti", "agent");
  await t.deps.db.$client.execute({
    sql: "UPDATE users SET disabled_at = 1 WHERE id = ?",
    args: [user.id],
  });
  const browser = new BrowserClient(t.app);
  const right = await browser.signIn("siti", TEST_PASSWORD);
  const wrong = await browser.signIn("siti", "wrong-password");
  assert.equal(right.status, 401);
  assert.equal(wrong.status, 401);
  assert.equal(right.text, wrong.text, "the same page either way");
  assert.match(visibleText(right.text), /Nama pengguna atau kata sandi salah/);
  assert.equal(browser.cookies.get("kabar_session"), undefined);

  // Both count as failures: three more lock the account.
  for (let i = 0; i < 3; i++) await browser.signIn("siti", TEST_PASSWORD);
  assert.equal((await browser.signIn("siti", TEST_PASSWORD)).status, 429);
  const { rows } = await listAudit(t.deps.db, { limit: 10 });
  assert.equal(rows.filter((r) => r.action === "auth.login_failed").length, 5);
});

Deno.test("signing out ends the session; its cookie no longer opens pages", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  const stolen = browser.cookies.get("kabar_session")!;
  await browser.get("/inbox");
  const out = await browser.post("/logout");
  assert.equal(out.status, 303);
  assert.equal(out.location, "/login");
  assert.equal(browser.cookies.get("kabar_session"), undefined);
  assert.match(visibleText((await browser.get("/login")).text), /Anda telah keluar/);

  const replay = new BrowserClient(t.app);
  replay.cookies.set("kabar_session", stolen);
  const page = await replay.get("/inbox");
  assert.equal(page.status, 303);
  assert.equal(page.location, "/login?next=%2Finbox");
  const rows = await t.deps.db.select().from(loginSessions);
  assert.equal(rows.length, 0);
});

Deno.test("a session ends after 12 idle hours and is kept alive by use", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  for (let i = 0; i < 3; i++) {
    t.clock.advance(11 * 60 * MINUTE);
    assert.equal(
      (await browser.get("/inbox")).status,
      200,
      `still signed in after ${i + 1} busy shifts`,
    );
  }
  t.clock.advance(12 * 60 * MINUTE + 1);
  assert.equal((await browser.get("/inbox")).status, 303);
});

Deno.test("the page asked for before signing in is opened after signing in; other sites are not", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "admin");
  const browser = new BrowserClient(t.app);
  const first = await browser.get("/settings/users");
  assert.equal(first.location, "/login?next=%2Fsettings%2Fusers");
  await browser.get(first.location!);
  const login = await browser.post("/login", {
    username: "siti",
    password: TEST_PASSWORD,
    next: "/settings/users",
  });
  assert.equal(login.location, "/settings/users");

  const other = new BrowserClient(t.app);
  await other.get("/login");
  const evil = await other.post("/login", {
    username: "siti",
    password: TEST_PASSWORD,
    next: "//evil.example/phish",
  });
  assert.equal(evil.location, "/inbox");
});

Deno.test("the language can be switched before signing in and is remembered per user", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  const login = await browser.get("/login");
  assert.match(visibleText(login.text), /Masuk/);
  const switched = await browser.post("/language", { language: "en", next: "/login" });
  assert.equal(switched.location, "/login");
  assert.match(visibleText((await browser.get("/login")).text), /Sign in/);

  await browser.post("/login", { username: "siti", password: TEST_PASSWORD });
  await browser.get("/inbox");
  await browser.post("/language", { language: "id", next: "/inbox" });
  const fresh = new BrowserClient(t.app);
  await fresh.signIn("siti", TEST_PASSWORD);
  assert.match(visibleText((await fresh.get("/inbox")).text), /Belum ada percakapan/);
});
