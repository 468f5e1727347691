import assert from "node:assert/strict";
import { listAudit } from "../../db/audit_log.ts";
import { countUsers, findUserByUsername } from "../../db/users.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";

const admin = {
  displayName: "Siti Rahma",
  username: "siti",
  password: "kata-sandi-rahasia",
  passwordConfirm: "kata-sandi-rahasia",
};

Deno.test("a new install sends every page to /setup until the administrator exists", async () => {
  await using t = await startTestApp();
  const browser = new BrowserClient(t.app);
  for (const path of ["/", "/inbox", "/login", "/settings/users"]) {
    const page = await browser.get(path);
    assert.equal(page.status, 303, path);
    assert.equal(page.location, "/setup", path);
  }
  const setup = await browser.get("/setup");
  assert.equal(setup.status, 200);
  assert.match(visibleText(setup.text), /Selamat datang di Kabar/);
});

Deno.test("setup with wrong fields shows each message next to its field and keeps the input", async () => {
  await using t = await startTestApp();
  const browser = new BrowserClient(t.app);
  await browser.get("/setup");
  const page = await browser.post("/setup", {
    displayName: "Siti Rahma",
    username: "Siti Rahma!",
    password: "short",
    passwordConfirm: "different",
  });
  assert.equal(page.status, 422);
  const text = visibleText(page.text);
  assert.match(text, /Gunakan 3–32 huruf kecil/);
  assert.match(text, /Gunakan minimal 10 karakter/);
  assert.match(page.text, /value="Siti Rahma"/, "the name typed is kept");
  assert.doesNotMatch(page.text, /value="short"/, "passwords are never echoed");
  assert.equal(await countUsers(t.deps.db), 0);

  const mismatch = await browser.post("/setup", { ...admin, passwordConfirm: "something-else" });
  assert.equal(mismatch.status, 422);
  assert.match(visibleText(mismatch.text), /Kedua kata sandi tidak sama/);
});

Deno.test("setup creates one administrator, then is gone for good", async () => {
  await using t = await startTestApp();
  const browser = new BrowserClient(t.app);
  await browser.get("/setup");
  const done = await browser.post("/setup", admin);
  assert.equal(done.status, 303);
  assert.equal(done.location, "/channels", "signed in at once, on to adding a channel");

  const user = await findUserByUsername(t.deps.db, "siti");
  assert.equal(user?.role, "admin");
  assert.equal(user?.displayName, "Siti Rahma");
  assert.notEqual(user?.passwordHash, admin.password);
  assert.match(user!.passwordHash, /^\$argon2id\$/);

  const channels = await browser.get("/channels");
  assert.equal(channels.status, 200, "no second sign-in");
  assert.match(visibleText(channels.text), /Akun administrator siap dan Anda sudah masuk/);

  assert.equal((await browser.get("/setup")).status, 404);
  const again = await browser.post("/setup", { ...admin, username: "intruder" });
  assert.equal(again.status, 404);
  assert.equal(await countUsers(t.deps.db), 1);

  const { rows } = await listAudit(t.deps.db, { limit: 10 });
  assert.ok(rows.some((r) => r.action === "setup.admin_created" && r.target === "user:siti"));
});

Deno.test("two setups racing create only one administrator", async () => {
  await using t = await startTestApp();
  const a = new BrowserClient(t.app);
  const b = new BrowserClient(t.app);
  await a.get("/setup");
  await b.get("/setup");
  const answers = await Promise.all([
    a.post("/setup", admin),
    b.post("/setup", { ...admin, username: "budi" }),
  ]);
  assert.deepEqual(answers.map((p) => p.status).sort(), [303, 404]);
  assert.equal(await countUsers(t.deps.db), 1);
});
