import assert from "node:assert/strict";
import { totpCodeAt } from "../../core/totp.ts";
import { listAudit } from "../../db/audit_log.ts";
import { getUser } from "../../db/users.ts";
import { BrowserClient, type Page, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

/** Turns 2FA on for `username` through the pages; returns the secret and the recovery codes. */
async function enrol(t: TestApp, browser: BrowserClient) {
  await browser.get("/settings/account");
  const start = await browser.post("/settings/account/2fa/start");
  assert.equal(start.location, "/settings/account/2fa");
  const enrolPage = await browser.get("/settings/account/2fa");
  assert.equal(enrolPage.status, 200);
  assert.match(enrolPage.text, /<svg class="qr"/, "a QR code to scan");
  assert.match(enrolPage.text, /href="otpauth:\/\/totp\//, "a link that opens the app on a phone");
  const secret = enrolPage.text.match(/data-testid="totp-secret">([A-Z2-7 ]+)</)![1]
    .replaceAll(" ", "");

  const wrong = await browser.post("/settings/account/2fa/confirm", { code: "000000" });
  assert.equal(wrong.status, 422);
  assert.match(visibleText(wrong.text), /That code is not valid/);

  const confirmed = await browser.post("/settings/account/2fa/confirm", {
    code: totpCodeAt(secret, t.clock.now()),
  });
  assert.equal(confirmed.status, 200);
  assert.match(visibleText(confirmed.text), /Two-step verification is on/);
  const codes = [...confirmed.text.matchAll(/<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/li>/g)]
    .map((m) => m[1]);
  assert.equal(codes.length, 10);
  assert.match(confirmed.text, /data-copy="recovery-codes-text"/, "a Copy button for the codes");
  assert.ok(confirmed.text.includes(codes.join("\n")), "all of them, one a line, to copy");
  return { secret, codes };
}

async function passwordStep(browser: BrowserClient, username: string): Promise<Page> {
  const page = await browser.signIn(username, TEST_PASSWORD);
  assert.equal(page.location, "/login/2fa");
  return page;
}

Deno.test("2FA: enrol with a QR code, then sign-in needs the code; a used code is refused", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  const user = browser.user;
  const { secret } = await enrol(t, browser);

  const stored = await getUser(t.deps.db, user.id);
  assert.ok(stored?.totpSecret?.startsWith("v1."), "the secret is stored sealed");
  assert.ok(!stored!.totpSecret!.includes(secret));
  assert.match(
    visibleText((await browser.get("/settings/account")).text),
    /10 unused recovery codes left/,
  );

  t.clock.advance(60_000);
  const fresh = new BrowserClient(t.app);
  await passwordStep(fresh, "siti");
  const halfway = await fresh.get("/inbox");
  assert.equal(halfway.location, "/login/2fa", "the password alone opens nothing");
  const challenge = await fresh.get("/login/2fa");
  assert.match(visibleText(challenge.text), /Enter the 6-digit code/);

  const bad = await fresh.post("/login/2fa", { code: "123456" });
  assert.equal(bad.status, 401);
  const code = totpCodeAt(secret, t.clock.now());
  const good = await fresh.post("/login/2fa", { code });
  assert.equal(good.location, "/inbox");
  assert.equal((await fresh.get("/inbox")).status, 200);

  const replay = new BrowserClient(t.app);
  await passwordStep(replay, "siti");
  await replay.get("/login/2fa");
  assert.equal((await replay.post("/login/2fa", { code })).status, 401, "one code, one sign-in");

  const { rows } = await listAudit(t.deps.db, { limit: 20 });
  assert.ok(rows.some((r) => r.action === "account.2fa_enable"));
  assert.ok(rows.some((r) => r.action === "auth.login" && r.details === '{"method":"totp"}'));
});

Deno.test("2FA: a recovery code signs in once", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  const { codes } = await enrol(t, browser);

  const lost = new BrowserClient(t.app);
  await passwordStep(lost, "siti");
  const form = await lost.get("/login/2fa?recovery=1");
  assert.match(visibleText(form.text), /Recovery code/);
  const used = await lost.post("/login/2fa", { recoveryCode: codes[3].toUpperCase() });
  assert.equal(used.location, "/inbox");

  const again = new BrowserClient(t.app);
  await passwordStep(again, "siti");
  await again.get("/login/2fa?recovery=1");
  const refused = await again.post("/login/2fa", { recoveryCode: codes[3] });
  assert.equal(refused.status, 401);
  assert.match(visibleText(refused.text), /not valid or has been used/);

  await lost.get("/settings/account");
  assert.match(
    visibleText((await lost.get("/settings/account")).text),
    /9 unused recovery codes/,
  );
});

Deno.test("2FA: wrong codes count towards the account lock", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  const { secret } = await enrol(t, browser);

  const guesser = new BrowserClient(t.app);
  await passwordStep(guesser, "siti");
  await guesser.get("/login/2fa");
  for (let i = 0; i < 5; i++) {
    assert.equal((await guesser.post("/login/2fa", { code: String(100000 + i) })).status, 401);
  }
  const locked = await guesser.post("/login/2fa", { code: totpCodeAt(secret, t.clock.now()) });
  assert.equal(locked.status, 429);
});

Deno.test("2FA: turning it off needs the password; an admin can reset it for a user", async () => {
  await using t = await startTestApp();
  await t.addUser("admin", "admin");
  const browser = await signedIn(t, "agent", { username: "siti" });
  const siti = browser.user;
  await enrol(t, browser);

  await browser.get("/settings/account");
  const refused = await browser.post("/settings/account/2fa/disable", { password: "wrong" });
  assert.equal(refused.status, 422);
  assert.match(visibleText(refused.text), /The current password is not correct/);
  assert.ok((await getUser(t.deps.db, siti.id))?.totpSecret);

  const regenerated = await browser.post("/settings/account/2fa/recovery-codes", {
    password: TEST_PASSWORD,
  });
  assert.equal(regenerated.status, 200);
  assert.equal([...regenerated.text.matchAll(/<li>[a-z0-9-]{14}<\/li>/g)].length, 10);

  const admin = new BrowserClient(t.app);
  await admin.signIn("admin", TEST_PASSWORD);
  await admin.get(`/settings/users/${siti.id}`);
  const reset = await admin.post(`/settings/users/${siti.id}/reset-2fa`);
  assert.equal(reset.status, 303);
  assert.equal((await getUser(t.deps.db, siti.id))?.totpSecret, null);
  assert.equal((await new BrowserClient(t.app).signIn("siti", TEST_PASSWORD)).location, "/inbox");

  const { rows } = await listAudit(t.deps.db, { limit: 20 });
  assert.ok(rows.some((r) => r.action === "user.2fa_reset" && r.actor === "admin"));
});

Deno.test("2FA: the code that just turned it on is told as already used, and is no wrong guess", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "agent", { username: "siti" });
  const { secret } = await enrol(t, browser);
  const fresh = new BrowserClient(t.app);
  await passwordStep(fresh, "siti");
  await fresh.get("/login/2fa");
  const throttleRows = async () =>
    Number((await t.deps.db.$client.execute("SELECT count(*) AS n FROM login_throttle")).rows[0].n);
  const before = await throttleRows();
  const same = await fresh.post("/login/2fa", { code: totpCodeAt(secret, t.clock.now()) });
  assert.equal(same.status, 401);
  assert.match(visibleText(same.text), /That code was already used\. Wait for the next code/);
  assert.doesNotMatch(visibleText(same.text), /clock/);
  assert.equal(await throttleRows(), before, "nothing counted toward the lock");
  t.clock.advance(30_000);
  const next = await fresh.post("/login/2fa", { code: totpCodeAt(secret, t.clock.now()) });
  assert.equal(next.location, "/inbox");
});
