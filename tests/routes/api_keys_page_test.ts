/**
 * Settings → API keys as people see it: "Never" until a key is used, then
 * when it was last used; the new key shown once; supervisors and agents
 * kept out.
 */
import assert from "node:assert/strict";
import { listApiKeys } from "../../db/api_keys.ts";
import { apiClient } from "../support/api_client.ts";
import { BrowserClient, visibleText } from "../support/browser_client.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

/** The visible text of the keys table's row for the key named `name`. */
function rowOf(html: string, name: string): string {
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => visibleText(m[1]));
  const row = rows.find((r) => r.startsWith(`${name} `));
  assert.ok(row, `a row for ${name} in ${JSON.stringify(rows)}`);
  return row;
}

/** The date and time as the English page writes it: in Jakarta (the default zone), WIB. */
const shownAs = (ms: number) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Jakarta",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(ms)) + " WIB";

async function makeKey(admin: BrowserClient, name: string) {
  await admin.get("/settings/api-keys");
  const made = await admin.post("/settings/api-keys", { name, scopes: ["messages:read"] });
  assert.equal(made.status, 200);
  const key = made.text.match(/value="(kbr_[\w-]+)"/)?.[1];
  assert.ok(key, "the new key is on the page");
  return { key, page: made };
}

Deno.test("the list says Never until a key is used, then when it was last used", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const { key } = await makeKey(admin, "SIMRS");
  await makeKey(admin, "Farmasi");

  const before = await admin.get("/settings/api-keys");
  assert.equal(before.status, 200);
  assert.match(visibleText(before.text), /Last used/);
  assert.match(rowOf(before.text, "SIMRS"), /\bNever\b/);
  assert.match(rowOf(before.text, "Farmasi"), /\bNever\b/);

  t.clock.advance(3_600_000 + 12_345);
  const firstUse = t.clock.now();
  assert.equal((await apiClient(t.app, key).get("/api/v1/messages")).status, 200);
  const after = await admin.get("/settings/api-keys");
  const row = rowOf(after.text, "SIMRS");
  assert.doesNotMatch(row, /\bNever\b/);
  assert.ok(row.includes(shownAs(firstUse)), `${row} shows ${shownAs(firstUse)}`);
  assert.match(rowOf(after.text, "Farmasi"), /\bNever\b/, "the unused key is still never used");

  // A day later it is used again: the list moves on to that time.
  t.clock.advance(24 * 3_600_000);
  const secondUse = t.clock.now();
  assert.equal((await apiClient(t.app, key).get("/api/v1/messages")).status, 200);
  // (The admin's session ran out meanwhile: signing in again.)
  const nextDay = new BrowserClient(t.app);
  await nextDay.signIn("admin", TEST_PASSWORD);
  const laterPage = await nextDay.get("/settings/api-keys");
  assert.equal(laterPage.status, 200);
  const later = rowOf(laterPage.text, "SIMRS");
  assert.ok(later.includes(shownAs(secondUse)), `${later} shows ${shownAs(secondUse)}`);
  assert.ok(!later.includes(shownAs(firstUse)));

  // The page shows what the database holds.
  const [simrs] = (await listApiKeys(t.deps.db)).filter((k) => k.name === "SIMRS");
  assert.equal(simrs.lastUsedAt, secondUse);
});

Deno.test("the new key is shown once, right after it is made, and never on a later visit", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const { key, page } = await makeKey(admin, "SIMRS");
  assert.match(visibleText(page.text), /Key “SIMRS” is made/);
  assert.match(page.text, /<a class="button secondary" href="\/api\/docs">API reference<\/a>/);
  assert.equal(page.headers.get("cache-control"), "no-store");
  assert.equal(page.text.split(key).length - 1, 1, "on the page once");
  const prefix = key.slice(0, 10);
  assert.match(rowOf(page.text, "SIMRS"), new RegExp(`${prefix}…`), "the list shows a prefix");

  const again = await admin.get("/settings/api-keys");
  assert.equal(again.status, 200);
  assert.ok(!again.text.includes(key), "not on a later visit");
  assert.doesNotMatch(visibleText(again.text), /is made/);
  assert.match(rowOf(again.text, "SIMRS"), new RegExp(`${prefix}…`));

  const otherAdmin = await signedIn(t, "admin", { username: "admin2" });
  const theirs = await otherAdmin.get("/settings/api-keys");
  assert.ok(!theirs.text.includes(key), "nor to another administrator");
  assert.match(rowOf(theirs.text, "SIMRS"), /\bNever\b/);
});

Deno.test("supervisors and agents get 403 on the API keys page and cannot make a key", async () => {
  await using t = await startTestApp();
  for (const role of ["supervisor", "agent"] as const) {
    const person = await signedIn(t, role);

    const page = await person.get("/settings/api-keys");
    assert.equal(page.status, 403, role);
    assert.doesNotMatch(visibleText(page.text), /Make a key/, `${role} sees no form`);

    await person.get("/settings/account");
    const made = await person.post("/settings/api-keys", {
      name: `by ${role}`,
      scopes: ["*"],
    });
    assert.equal(made.status, 403, `${role} may not post the form`);
    assert.doesNotMatch(made.text, /kbr_/);
  }
  assert.deepEqual(await listApiKeys(t.deps.db), [], "no key was made");
});

Deno.test("a key's requests per second are set on the page: blank is the default, 0 no limit", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/api-keys");
  const form = await admin.get("/settings/api-keys");
  assert.match(visibleText(form.text), /Requests per second \(optional\)/);
  assert.match(visibleText(form.text), /Blank: 100 a second, with bursts of 200\. 0: no limit\./);

  for (const wrong of ["lima", "-1", "2.5", "100001"]) {
    const refused = await admin.post("/settings/api-keys", {
      name: "Lab",
      scopes: ["messages:read"],
      rateLimit: wrong,
    });
    assert.equal(refused.status, 422, wrong);
    assert.match(
      visibleText(refused.text),
      /Give a whole number of requests per second from 0 \(no limit\) to 100000, or leave it blank\./,
    );
    assert.match(refused.text, new RegExp(`name="rateLimit"[^>]*value="${wrong}"`), "kept");
  }

  const made: Record<string, string> = {};
  for (const [name, rateLimit] of [["Lab", "5"], ["Bench", "0"], ["SIMRS", ""]]) {
    const page = await admin.post("/settings/api-keys", {
      name,
      scopes: ["messages:read"],
      rateLimit,
    });
    assert.equal(page.status, 200, name);
    made[name] = page.text.match(/value="(kbr_[\w-]+)"/)![1];
  }
  const list = await admin.get("/settings/api-keys");
  assert.match(rowOf(list.text, "Lab"), /Any address Any channel 5 requests\/s/);
  assert.match(rowOf(list.text, "Bench"), /Any address Any channel No rate limit/);
  assert.match(rowOf(list.text, "SIMRS"), /Any address Any channel 100 requests\/s \(default\)/);
  const stored = Object.fromEntries(
    (await listApiKeys(t.deps.db)).map((k) => [k.name, k.rateLimit]),
  );
  assert.deepEqual(stored, { Lab: 5, Bench: 0, SIMRS: null });

  const lab = apiClient(t.app, made.Lab);
  const statuses = await Promise.all(
    Array.from({ length: 11 }, () => lab.get("/api/v1/messages").then((r) => r.status)),
  );
  assert.deepEqual(statuses.filter((s) => s === 200).length, 10, "bursts of 10 at 5 a second");
  assert.deepEqual(statuses.filter((s) => s === 429).length, 1);
});

Deno.test("a wrong address in the allow-list is named in the error, in the page's language", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/api-keys");
  const refused = await admin.post("/settings/api-keys", {
    name: "SIMRS",
    scopes: ["messages:read"],
    ipAllowlist: "10.20.0.0/16\n10.0.0.300",
  });
  assert.equal(refused.status, 422);
  assert.match(
    visibleText(refused.text),
    /“10\.0\.0\.300” is not an address or a range like 10\.20\.0\.0\/16\./,
  );
  assert.match(refused.text, /id="ipAllowlist"[^>]*aria-invalid="true"/);
  assert.deepEqual(await listApiKeys(t.deps.db), [], "no key made");
});
