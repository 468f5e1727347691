/**
 * The client's address behind reverse proxies (KABAR_TRUST_PROXY), through a
 * real socket: the test's own connection (127.0.0.1) plays the proxy.
 */
import assert from "node:assert/strict";
import { listAudit } from "../../db/audit_log.ts";
import { socketBrowser } from "../support/socket_browser.ts";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";

/** A key that may only be used from 10.20.0.0/16. */
async function officeKey(t: TestApp): Promise<string> {
  const { key } = await apiKey(t, ["*"], { ipAllowlist: ["10.20.0.0/16"] });
  return key;
}

async function channels(base: string, key: string, forwardedFor?: string) {
  const res = await fetch(`${base}/api/v1/channels`, {
    headers: {
      authorization: `Bearer ${key}`,
      ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
    },
  });
  return { status: res.status, body: await res.json() };
}

for (const trust of ["true", "127.0.0.1", "127.0.0.0/8, 10.99.0.0/16"]) {
  Deno.test(`KABAR_TRUST_PROXY=${trust}: a spoofed left-most X-Forwarded-For does not pass an IP allow-list`, async () => {
    await using t = await startTestApp({ KABAR_TRUST_PROXY: trust });
    const base = t.serve();
    const key = await officeKey(t);
    const spoofed = await channels(base, key, "10.20.0.5, 198.51.100.7");
    assert.equal(spoofed.status, 403);
    assert.equal(spoofed.body.error.code, "ip_not_allowed");
    assert.equal(spoofed.body.error.details.address, "198.51.100.7");

    assert.equal((await channels(base, key, "198.51.100.7, 10.20.0.5")).status, 200);
    const garbage = await channels(base, key, "10.20.0.5, not-an-address");
    assert.equal(garbage.status, 403, "garbage is never taken as the address");
    assert.equal(garbage.body.error.details.address, "127.0.0.1");
  });
}

Deno.test("a proxy list that does not hold the socket's peer: X-Forwarded-For is not read", async () => {
  await using t = await startTestApp({ KABAR_TRUST_PROXY: "10.99.0.0/16" });
  const base = t.serve();
  const key = await officeKey(t);
  const answer = await channels(base, key, "10.20.0.5");
  assert.equal(answer.status, 403);
  assert.equal(answer.body.error.details.address, "127.0.0.1");
});

Deno.test("behind a proxy, failed sign-ins are logged and locked by the real address, not a spoofed one", async () => {
  await using t = await startTestApp({ KABAR_TRUST_PROXY: "true" });
  await t.addUser("siti", "agent");
  const attacker = socketBrowser(t.serve());
  await attacker.get("/login");
  // Each guess claims another address on the left; the proxy appends the real one.
  for (let i = 0; i < 20; i++) {
    const page = await attacker.post(
      "/login",
      { username: `guess${i}`, password: "password123" },
      { "x-forwarded-for": `10.20.0.${i + 1}, 203.0.113.66` },
    );
    assert.equal(page.status, 401);
  }
  const { rows } = await listAudit(t.deps.db, { limit: 50 });
  const failed = rows.filter((r) => r.action === "auth.login_failed");
  assert.equal(failed.length, 20);
  assert.deepEqual([...new Set(failed.map((r) => r.ip))], ["203.0.113.66"]);

  const locked = await attacker.post(
    "/login",
    { username: "siti", password: TEST_PASSWORD },
    { "x-forwarded-for": "10.20.0.200, 203.0.113.66" },
  );
  assert.equal(locked.status, 429, "the real address is locked");
  const nurse = await attacker.post(
    "/login",
    { username: "siti", password: TEST_PASSWORD },
    { "x-forwarded-for": "203.0.113.66, 192.0.2.44" },
  );
  assert.equal(nurse.status, 303, "another client behind the same proxy still signs in");
});
