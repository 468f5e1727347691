/** Settings → API keys as an admin uses it: the key shown once, working, then revoked. */
import assert from "node:assert/strict";
import { listAudit } from "../../db/audit_log.ts";
import { apiClient } from "../support/api_client.ts";
import { visibleText } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

Deno.test("an admin makes a key (shown once), it works, a wrong form says why, revoking stops it", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/api-keys");

  const wrong = await admin.post("/settings/api-keys", {
    name: "",
    ipAllowlist: "10.0.0.0/8\nkantor",
  });
  assert.equal(wrong.status, 422);
  const text = visibleText(wrong.text);
  assert.match(text, /Give the key a name/);
  assert.match(text, /Choose at least one thing the key may do/);
  assert.match(text, /“kantor” is not an address or a range like 10\.20\.0\.0\/16/);

  const made = await admin.post("/settings/api-keys", {
    name: "SIMRS",
    scopes: ["messages:send", "messages:read"],
    ipAllowlist: "192.0.2.0/24",
  });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get("cache-control"), "no-store");
  const key = made.text.match(/value="(kbr_[\w-]+)"/)?.[1];
  assert.ok(key, "the key is on the page");
  assert.match(visibleText(made.text), /Key “SIMRS” is made Copy it now/);
  const again = await admin.get("/settings/api-keys");
  assert.ok(!again.text.includes(key), "never shown again");
  assert.match(
    visibleText(again.text),
    /SIMRS kbr_\S+… messages:send, messages:read 192\.0\.2\.0\/24/,
  );

  const api = apiClient(t.app, key);
  assert.equal((await api.get("/api/v1/messages")).status, 200);
  const id = again.text.match(/\/settings\/api-keys\/(\d+)\/revoke/)![1];
  await admin.post(`/settings/api-keys/${id}/revoke`);
  assert.equal((await api.get("/api/v1/messages")).status, 401);
  const { rows } = await listAudit(t.deps.db, { limit: 5 });
  assert.deepEqual(rows.slice(0, 2).map((r) => r.action), ["apikey.revoke", "apikey.create"]);
  assert.ok(rows.every((r) => !(r.details ?? "").includes(key)), "the key is not audited");

  const agent = await signedIn(t, "agent");
  assert.equal((await agent.get("/settings/api-keys")).status, 403);
});
