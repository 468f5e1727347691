import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { verifyPassword } from "../../core/password.ts";
import { listAudit } from "../../db/audit_log.ts";
import { listDepartments } from "../../db/departments.ts";
import { loginSessions } from "../../db/schema.ts";
import { findUserByUsername, getUser, listUsers } from "../../db/users.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

Deno.test("an admin adds a staff account in departments; it is listed and audited", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/departments");
  await admin.post("/settings/departments", { name: "Farmasi" });
  await admin.post("/settings/departments", { name: "Pendaftaran" });
  const [farmasi, pendaftaran] = await listDepartments(t.deps.db);

  await admin.get("/settings/users");
  const created = await admin.post("/settings/users", {
    displayName: "Budi Santoso",
    username: "Budi.S",
    role: "agent",
    language: "id",
    departmentIds: [String(farmasi.id), String(pendaftaran.id)],
    password: "budi-password-1",
  });
  assert.equal(created.status, 303);
  const list = await admin.get("/settings/users");
  assert.match(visibleText(list.text), /Account budi\.s is created/);
  assert.match(visibleText(list.text), /Budi Santoso budi\.s Agent Farmasi, Pendaftaran/);

  const budi = (await listUsers(t.deps.db)).find((u) => u.username === "budi.s")!;
  assert.deepEqual(budi.departments.map((d) => d.name), ["Farmasi", "Pendaftaran"]);
  assert.ok(await verifyPassword(budi.passwordHash, "budi-password-1"));
  const { rows } = await listAudit(t.deps.db, { limit: 10 });
  const entry = rows.find((r) => r.action === "user.create")!;
  assert.equal(entry.actor, "admin");
  assert.equal(entry.target, "user:budi.s");
  assert.equal(entry.ip, "192.0.2.10");
  assert.doesNotMatch(entry.details ?? "", /budi-password-1/);

  assert.equal(
    (await new BrowserClient(t.app).signIn("budi.s", "budi-password-1")).location,
    "/inbox",
  );
});

Deno.test("a wrong new-account form shows the messages and keeps the other input", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/users");
  const page = await admin.post("/settings/users", {
    displayName: "",
    username: "ok.name",
    role: "superuser",
    language: "id",
    password: "short",
  });
  assert.equal(page.status, 422);
  const text = visibleText(page.text);
  assert.match(text, /Some fields need attention/);
  assert.match(text, /Enter the person's name\./, "an empty name is asked for, not measured");
  assert.match(text, /Choose one of: administrator, supervisor, agent/);
  assert.match(text, /Use at least 10 characters/);
  assert.match(page.text, /value="ok.name"/);

  const taken = await admin.post("/settings/users", {
    displayName: "Another admin",
    username: "ADMIN",
    role: "agent",
    language: "en",
    password: "long-enough-password",
  });
  assert.equal(taken.status, 422);
  assert.match(visibleText(taken.text), /This username is already taken/);
  assert.match(taken.text, /value="Another admin"/);

  const ghostDepartment = await admin.post("/settings/users", {
    displayName: "Ghost",
    username: "ghost",
    role: "agent",
    language: "en",
    departmentIds: "999",
    password: "long-enough-password",
  });
  assert.equal(ghostDepartment.status, 422);
  assert.match(visibleText(ghostDepartment.text), /no longer exists/);
  assert.equal(await findUserByUsername(t.deps.db, "ghost"), undefined);
});

Deno.test("an admin edits a role; the last active administrator cannot be demoted or disabled", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const me = (await findUserByUsername(t.deps.db, "admin"))!;
  const ownPage = await admin.get(`/settings/users/${me.id}`);
  assert.doesNotMatch(
    ownPage.text,
    /action="\/settings\/users\/\d+\/disable"/,
    "no disable on oneself",
  );
  const demote = await admin.post(`/settings/users/${me.id}`, {
    displayName: "Admin",
    role: "agent",
    language: "en",
  });
  assert.equal(demote.status, 422);
  assert.match(visibleText(demote.text), /Kabar needs at least one active administrator/);
  assert.equal((await getUser(t.deps.db, me.id))?.role, "admin");

  const selfDisable = await admin.post(`/settings/users/${me.id}/disable`);
  assert.equal(selfDisable.status, 422);
  assert.match(visibleText(selfDisable.text), /You cannot disable your own account/);

  const other = await t.addUser("rina", "supervisor");
  await admin.get(`/settings/users/${other.id}`);
  const promoted = await admin.post(`/settings/users/${other.id}`, {
    displayName: "Rina W",
    role: "admin",
    language: "id",
  });
  assert.equal(promoted.status, 303);
  assert.equal((await getUser(t.deps.db, other.id))?.role, "admin");
  assert.equal((await getUser(t.deps.db, other.id))?.displayName, "Rina W");

  const nowAllowed = await admin.post(`/settings/users/${me.id}`, {
    displayName: "Admin",
    role: "supervisor",
    language: "en",
  });
  assert.equal(nowAllowed.status, 303, "with another admin, demoting is fine");
});

Deno.test("disabling an account signs it out at once; enabling lets it back in", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const nurse = await signedIn(t, "agent", { username: "siti" });
  const siti = nurse.user;
  assert.equal((await nurse.get("/inbox")).status, 200);

  await admin.get(`/settings/users/${siti.id}`);
  assert.equal((await admin.post(`/settings/users/${siti.id}/disable`)).status, 303);
  assert.equal((await nurse.get("/inbox")).status, 303, "signed out at once");
  const sessions = await t.deps.db.select().from(loginSessions).where(
    eq(loginSessions.userId, siti.id),
  );
  assert.equal(sessions.length, 0);
  assert.match(
    visibleText((await admin.get("/settings/users")).text),
    /Siti siti Agent — Disabled/,
  );

  await admin.post(`/settings/users/${siti.id}/enable`);
  assert.equal((await new BrowserClient(t.app).signIn("siti", TEST_PASSWORD)).location, "/inbox");
});

Deno.test("an admin sets a new password; the user's sessions end and the new password works", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const nurse = await signedIn(t, "agent", { username: "siti" });
  const siti = nurse.user;

  await admin.get(`/settings/users/${siti.id}`);
  const short = await admin.post(`/settings/users/${siti.id}/password`, { password: "123" });
  assert.equal(short.status, 422);
  assert.match(visibleText(short.text), /Use at least 10 characters/);

  assert.equal(
    (await admin.post(`/settings/users/${siti.id}/password`, { password: "new-password-99" }))
      .status,
    303,
  );
  assert.equal((await nurse.get("/inbox")).status, 303);
  assert.equal((await new BrowserClient(t.app).signIn("siti", TEST_PASSWORD)).status, 401);
  assert.equal(
    (await new BrowserClient(t.app).signIn("siti", "new-password-99")).location,
    "/inbox",
  );
  const { rows } = await listAudit(t.deps.db, { limit: 10 });
  assert.ok(rows.some((r) => r.action === "user.password_reset" && r.target === "user:siti"));
});

Deno.test("a user changes their own password and profile; other sessions end, this one stays", async () => {
  await using t = await startTestApp();
  await t.addUser("siti", "agent");
  const laptop = new BrowserClient(t.app);
  const phone = new BrowserClient(t.app);
  await laptop.signIn("siti", TEST_PASSWORD);
  await phone.signIn("siti", TEST_PASSWORD);

  await laptop.get("/settings/account");
  const wrong = await laptop.post("/settings/account/password", {
    currentPassword: "not-it",
    password: "brand-new-password",
    passwordConfirm: "brand-new-password",
  });
  assert.equal(wrong.status, 422);
  assert.match(visibleText(wrong.text), /The current password is not correct/);

  const changed = await laptop.post("/settings/account/password", {
    currentPassword: TEST_PASSWORD,
    password: "brand-new-password",
    passwordConfirm: "brand-new-password",
  });
  assert.equal(changed.status, 303);
  assert.equal((await laptop.get("/inbox")).status, 200);
  assert.equal((await phone.get("/inbox")).status, 303);

  await laptop.get("/settings/account");
  const profile = await laptop.post("/settings/account/profile", {
    displayName: "Siti Rahma",
    language: "id",
  });
  assert.equal(profile.status, 303);
  const page = await laptop.get("/settings/account");
  assert.match(visibleText(page.text), /Profil Anda tersimpan/);
  assert.match(page.text, /value="Siti Rahma"/);

  const badProfile = await laptop.post("/settings/account/profile", {
    displayName: "",
    language: "fr",
  });
  assert.equal(badProfile.status, 422);
  assert.match(visibleText(badProfile.text), /Pilih Bahasa Indonesia atau English/);
});

Deno.test("departments: add, refuse duplicates, rename, delete; members stay", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/departments");
  assert.equal((await admin.post("/settings/departments", { name: "Farmasi" })).status, 303);
  const dup = await admin.post("/settings/departments", { name: "Farmasi" });
  assert.equal(dup.status, 422);
  assert.match(visibleText(dup.text), /A department with this name already exists/);
  const empty = await admin.post("/settings/departments", { name: "  " });
  assert.equal(empty.status, 422);
  assert.match(visibleText(empty.text), /Enter a name of 1 to 60 characters/);

  const [farmasi] = await listDepartments(t.deps.db);
  const siti = await t.addUser("siti", "agent");
  await admin.get(`/settings/users/${siti.id}`);
  await admin.post(`/settings/users/${siti.id}`, {
    displayName: "Siti",
    role: "agent",
    language: "en",
    departmentIds: String(farmasi.id),
  });
  const listed = await admin.get("/settings/departments");
  assert.match(listed.text, /value="Farmasi"[\s\S]*?<td[^>]*>1<\/td>/, "one member");

  assert.equal(
    (await admin.post(`/settings/departments/${farmasi.id}`, { name: "Apotek" })).status,
    303,
  );
  assert.equal((await listDepartments(t.deps.db))[0].name, "Apotek");

  assert.equal((await admin.post(`/settings/departments/${farmasi.id}/delete`)).status, 303);
  assert.match(
    visibleText((await admin.get("/settings/departments")).text),
    /Department Apotek is deleted/,
  );
  assert.deepEqual(await listDepartments(t.deps.db), []);
  assert.ok(await getUser(t.deps.db, siti.id), "the member stays");

  assert.equal((await admin.post("/settings/departments/999/delete")).status, 404);
  const actions = (await listAudit(t.deps.db, { limit: 20 })).rows.map((r) => r.action);
  for (
    const a of ["department.create", "department.rename", "department.delete", "user.update"]
  ) {
    assert.ok(actions.includes(a), a);
  }
});

Deno.test("the audit log page lists changes newest first, page by page", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/departments");
  for (let i = 0; i < 55; i++) await admin.post("/settings/departments", { name: `Unit ${i}` });
  const first = await admin.get("/settings/audit");
  const text = visibleText(first.text);
  assert.match(text, /Added a department department\.create department:Unit 54/);
  assert.doesNotMatch(text, /department:Unit 3\b/);
  const older = first.text.match(/href="(\/settings\/audit\?before=\d+)"/)![1];
  const second = await admin.get(older);
  assert.match(visibleText(second.text), /department:Unit 3\b/);
  assert.match(visibleText(second.text), /Signed in auth\.login/);
});
