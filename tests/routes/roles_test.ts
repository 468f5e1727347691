import assert from "node:assert/strict";
import type { Role } from "../../core/permissions.ts";
import { accessRuleFor } from "../../core/permissions.ts";
import { BrowserClient } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

/** Page groups and who may open them; 200 for those, 403 for the rest. */
const MATRIX: Array<[string, Role[]]> = [
  ["/inbox", ["admin", "supervisor", "agent"]],
  ["/contacts", ["admin", "supervisor", "agent"]],
  ["/settings/account", ["admin", "supervisor", "agent"]],
  ["/broadcasts", ["admin", "supervisor"]],
  ["/templates", ["admin", "supervisor"]],
  ["/automation", ["admin", "supervisor"]],
  ["/reports", ["admin", "supervisor"]],
  ["/channels", ["admin"]],
  ["/settings/users", ["admin"]],
  ["/settings/users/1", ["admin"]],
  ["/settings/departments", ["admin"]],
  ["/settings/audit", ["admin"]],
];

Deno.test("each role opens exactly its pages; others get 403, strangers go to sign-in", async () => {
  await using t = await startTestApp();
  const roles: Role[] = ["admin", "supervisor", "agent"];
  const browsers = new Map<Role, BrowserClient>();
  for (const role of roles) browsers.set(role, await signedIn(t, role));
  const stranger = new BrowserClient(t.app);
  for (const [path, allowed] of MATRIX) {
    for (const role of roles) {
      const page = await browsers.get(role)!.get(path);
      assert.equal(page.status, allowed.includes(role) ? 200 : 403, `${role} GET ${path}`);
    }
    const page = await stranger.get(path);
    assert.equal(page.status, 303, `stranger GET ${path}`);
    assert.match(page.location!, /^\/login\?next=/);
  }
});

Deno.test("an agent cannot post to admin forms either", async () => {
  await using t = await startTestApp();
  await t.addUser("admin", "admin");
  const agent = await signedIn(t, "agent");
  await agent.get("/inbox");
  const attempts: Array<[string, Record<string, string>]> = [
    ["/settings/users", {
      displayName: "X",
      username: "sneaky",
      role: "admin",
      language: "id",
      password: "long-enough-pass",
    }],
    ["/settings/users/1", { displayName: "X", role: "agent", language: "id" }],
    ["/settings/users/1/disable", {}],
    ["/settings/departments", { name: "Sneaky" }],
  ];
  for (const [path, fields] of attempts) {
    assert.equal((await agent.post(path, fields)).status, 403, path);
  }
});

Deno.test("the navigation shows each role only the sections it may open", async () => {
  await using t = await startTestApp();
  const agent = await signedIn(t, "agent");
  const agentPage = (await agent.get("/inbox")).text;
  assert.match(agentPage, /href="\/inbox"/);
  assert.doesNotMatch(agentPage, /href="\/broadcasts"/);
  assert.doesNotMatch(agentPage, /href="\/settings"/);

  const boss = await signedIn(t, "supervisor", { username: "boss" });
  const bossPage = (await boss.get("/inbox")).text;
  assert.match(bossPage, /href="\/broadcasts"/);
  assert.doesNotMatch(bossPage, /href="\/channels"/);
});

Deno.test("every registered route is covered by an explicit access rule", async () => {
  await using t = await startTestApp();
  const uncovered = t.app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => r.path)
    .filter((path) => !accessRuleFor(path.replace(/\/:[^/]+/g, "/x").replace(/\*$/, "x")));
  assert.deepEqual(uncovered, []);
});
