/** Sign-in throttling under parallel requests, through a real socket. */
import assert from "node:assert/strict";
import { verifyPassword } from "../../core/password.ts";
import { newTotpSecret, totpCodeAt } from "../../core/totp.ts";
import { CLI_ACTOR, listAudit } from "../../db/audit_log.ts";
import { enableTotp, getUser } from "../../db/users.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { socketBrowser, statusCounts } from "../support/socket_browser.ts";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/test_app.ts";

const BURST = 64;
/** Wrong passwords or codes an account may have checked in 15 minutes. */
const ACCOUNT_LIMIT = 5;

/** Turns two-step verification on for `userId` directly; answers the secret. */
async function withTotp(t: TestApp, userId: number): Promise<string> {
  const secret = newTotpSecret();
  await enableTotp(
    t.deps.db,
    t.clock,
    CLI_ACTOR,
    userId,
    await t.deps.secretBox.seal(secret),
    0,
    [],
  );
  return secret;
}

/** Six-digit codes that are valid at no step near now. */
function wrongCodes(secret: string, now: number, count: number): string[] {
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCodeAt(secret, now + d * 30_000)));
  const codes: string[] = [];
  for (let n = 100_000; codes.length < count; n += 7_919) {
    const code = String(n % 1_000_000).padStart(6, "0");
    if (!valid.has(code)) codes.push(code);
  }
  return codes;
}

Deno.test("64 parallel wrong passwords: only 5 are checked, and the right one after them is refused", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = socketBrowser(t.serve());
  await browser.get("/login");
  const answers = await Promise.all(
    Array.from(
      { length: BURST },
      (_, i) => browser.post("/login", { username: "siti", password: `wrong-${i}` }),
    ),
  );
  assert.deepEqual(statusCounts(answers), { 401: ACCOUNT_LIMIT, 429: BURST - ACCOUNT_LIMIT });
  const { rows } = await listAudit(t.deps.db, { limit: 100 });
  assert.equal(rows.filter((r) => r.action === "auth.login_failed").length, ACCOUNT_LIMIT);

  const right = await browser.post("/login", { username: "siti", password: TEST_PASSWORD });
  assert.equal(right.status, 429);
  assert.match(visibleText(right.text), /Terlalu banyak percobaan gagal/);
  assert.equal(browser.cookies.get("kabar_session"), undefined);
});

Deno.test("the right password among 63 parallel wrong ones: still at most 5 passwords are checked", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = socketBrowser(t.serve());
  await browser.get("/login");
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      browser.post("/login", {
        username: "siti",
        password: i === 32 ? TEST_PASSWORD : `wrong-${i}`,
      })),
  );
  const counts = statusCounts(answers);
  const checked = (counts[401] ?? 0) + (counts[303] ?? 0);
  assert.ok(checked <= ACCOUNT_LIMIT, `${checked} passwords checked: ${JSON.stringify(counts)}`);
  assert.equal(checked + (counts[429] ?? 0), BURST);
});

Deno.test("64 parallel wrong 2FA codes: only 5 are checked, and the right code after them is refused", async () => {
  await using t = await startTestApp();
  const user = await t.addUser("siti", "agent");
  const secret = await withTotp(t, user.id);
  const browser = socketBrowser(t.serve());
  await browser.get("/login");
  const step = await browser.post("/login", { username: "siti", password: TEST_PASSWORD });
  assert.equal(step.location, "/login/2fa");
  await browser.get("/login/2fa");

  const codes = wrongCodes(secret, t.clock.now(), BURST);
  const answers = await Promise.all(codes.map((code) => browser.post("/login/2fa", { code })));
  assert.deepEqual(statusCounts(answers), { 401: ACCOUNT_LIMIT, 429: BURST - ACCOUNT_LIMIT });

  const right = await browser.post("/login/2fa", { code: totpCodeAt(secret, t.clock.now()) });
  assert.equal(right.status, 429);
  assert.equal((await browser.get("/inbox")).location, "/login/2fa", "still not signed in");

  // Signing in again does not give new code attempts: the account is locked.
  const again = new BrowserClient(t.app, "198.51.100.7");
  assert.equal((await again.signIn("siti", TEST_PASSWORD)).status, 429);
});

Deno.test("wrong recovery codes count against the same limit as passwords", async () => {
  await using t = await startTestApp();
  const user = await t.addUser("siti", "agent");
  await withTotp(t, user.id);
  const browser = new BrowserClient(t.app);
  assert.equal((await browser.signIn("siti", "wrong-password")).status, 401);
  assert.equal((await browser.signIn("siti", TEST_PASSWORD)).location, "/login/2fa");
  await browser.get("/login/2fa?recovery=1");
  for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) {
    const page = await browser.post("/login/2fa", { recoveryCode: `aaaa-bbbb-000${i}` });
    assert.equal(page.status, 401);
  }
  assert.equal(
    (await browser.post("/login/2fa", { recoveryCode: "aaaa-bbbb-cccc" })).status,
    429,
  );
});

Deno.test("64 parallel wrong current passwords on the account page: only 5 are checked", async () => {
  await using t = await startTestApp();
  const user = await t.addUser("siti", "agent");
  const browser = socketBrowser(t.serve());
  await browser.get("/login");
  assert.equal(
    (await browser.post("/login", { username: "siti", password: TEST_PASSWORD })).location,
    "/inbox",
  );
  await browser.get("/settings/account");
  const change = (currentPassword: string) =>
    browser.post("/settings/account/password", {
      currentPassword,
      password: "a brand new password",
      passwordConfirm: "a brand new password",
    });
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) => change(`wrong-${i}`)),
  );
  assert.deepEqual(statusCounts(answers), { 422: ACCOUNT_LIMIT, 429: BURST - ACCOUNT_LIMIT });
  const refused = answers.find((a) => a.status === 429)!;
  assert.match(visibleText(refused.text), /Too many failed attempts. Try again in 15 minutes/);
  assert.equal(refused.headers.get("retry-after"), "900");

  const right = await change(TEST_PASSWORD);
  assert.equal(right.status, 429);
  const stored = await getUser(t.deps.db, user.id);
  assert.ok(await verifyPassword(stored!.passwordHash, TEST_PASSWORD), "password unchanged");

  // The same lock holds for signing in.
  const other = new BrowserClient(t.app, "198.51.100.7");
  assert.equal((await other.signIn("siti", TEST_PASSWORD)).status, 429);
});

Deno.test("turning 2FA off and new recovery codes need the password, within the same limit", async () => {
  await using t = await startTestApp();
  const user = await t.addUser("siti", "agent");
  const secret = await withTotp(t, user.id);
  const browser = new BrowserClient(t.app);
  await browser.signIn("siti", TEST_PASSWORD);
  await browser.get("/login/2fa");
  const signedIn = await browser.post("/login/2fa", { code: totpCodeAt(secret, t.clock.now()) });
  assert.equal(signedIn.location, "/inbox");
  await browser.get("/settings/account");
  for (let i = 0; i < ACCOUNT_LIMIT; i++) {
    const path = i % 2 ? "/settings/account/2fa/disable" : "/settings/account/2fa/recovery-codes";
    const page = await browser.post(path, { password: `wrong-${i}` });
    assert.equal(page.status, 422, `attempt ${i + 1}`);
  }
  const locked = await browser.post("/settings/account/2fa/disable", { password: TEST_PASSWORD });
  assert.equal(locked.status, 429);
  assert.ok((await getUser(t.deps.db, user.id))!.totpSecret, "2FA is still on");
});

Deno.test("a right password clears the account's earlier failures, but never a lock", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const browser = new BrowserClient(t.app);
  for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) {
    assert.equal((await browser.signIn("siti", `wrong-${i}`)).status, 401);
  }
  assert.equal((await browser.signIn("siti", TEST_PASSWORD)).status, 303);
  for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) {
    assert.equal((await new BrowserClient(t.app).signIn("siti", `again-${i}`)).status, 401);
  }
  assert.equal((await new BrowserClient(t.app).signIn("siti", `again-5`)).status, 401);
  assert.equal((await new BrowserClient(t.app).signIn("siti", TEST_PASSWORD)).status, 429);
});

Deno.test("attempts refused by a locked account are not counted against the shared address", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  await t.addUser("budi", "agent");
  const ward = socketBrowser(t.serve());
  await ward.get("/login");
  const guesses = Array.from(
    { length: BURST },
    (_, i) => ward.post("/login", { username: "siti", password: `wrong-${i}` }),
  );
  assert.equal(statusCounts(await Promise.all(guesses))[401], ACCOUNT_LIMIT);
  for (let i = 0; i < 30; i++) {
    assert.equal((await ward.post("/login", { username: "siti", password: "x" })).status, 429);
  }
  const colleague = await ward.post("/login", { username: "budi", password: TEST_PASSWORD });
  assert.equal(colleague.status, 303, "another account from the same address signs in");
});
