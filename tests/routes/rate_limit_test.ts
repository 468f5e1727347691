/**
 * Request rate limits as callers meet them: a key's bucket (100 a second,
 * bursts of 200, or its own rate, or none), the address's bucket for
 * requests without a valid credential, and the compatible APIs answering in
 * their own shapes. The clock is the test's: only `advance` refills.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { messages } from "../../db/schema.ts";
import { createTemplate } from "../../db/templates.ts";
import { toBase64 } from "../../core/tokens.ts";
import { INDOSHOPSTER_ERRORS } from "../../core/indoshopster.ts";
import { apiClient } from "../support/api_client.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

async function keyWith(
  t: TestApp,
  rateLimit: number | null,
  extra: { scopes?: string[]; ipAllowlist?: string[]; name?: string } = {},
) {
  return await apiKey(t, extra.scopes, {
    name: extra.name ?? `key ${rateLimit}`,
    ipAllowlist: extra.ipAllowlist,
    rateLimit,
  });
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

Deno.test("a key with the default limit: 200 of 300 parallel requests pass, then 429 until the clock refills it", async () => {
  await using t = await startTestApp();
  const { key } = await keyWith(t, null);
  const url = t.serve();
  const get = async () => {
    const res = await fetch(`${url}/api/v1/templates`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const burst = await Promise.all(Array.from({ length: 300 }, get));
  const statuses = burst.map((r) => r.status);
  assert.equal(count(statuses, 200), 200, "the burst");
  assert.equal(count(statuses, 429), 100, "the rest");
  const refused = burst.find((r) => r.status === 429)!;
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.deepEqual(refused.body, {
    error: {
      code: "rate_limited",
      message: "This API key may make 100 requests a second (bursts of 200); try again in 1 s",
      details: { limit: 100, retry_after_s: 1 },
    },
  });
  assert.equal((await get()).status, 429, "no time has passed, so no token is back");

  t.clock.advance(1_000);
  const next = (await Promise.all(Array.from({ length: 150 }, get))).map((r) => r.status);
  assert.equal(count(next, 200), 100, "a second refills 100");
  assert.equal(count(next, 429), 50);
});

Deno.test("a key with 0 is never limited; one with 5 has bursts of 10 and refills 5 a second", async () => {
  await using t = await startTestApp();
  const unlimited = apiClient(t.app, (await keyWith(t, 0)).key);
  const many = await Promise.all(
    Array.from({ length: 400 }, () => unlimited.get("/api/v1/templates").then((r) => r.status)),
  );
  assert.equal(count(many, 200), 400);

  const five = apiClient(t.app, (await keyWith(t, 5)).key);
  const answers = await Promise.all(
    Array.from({ length: 12 }, () => five.get("/api/v1/templates")),
  );
  assert.equal(count(answers.map((a) => a.status), 200), 10);
  const refused = answers.filter((a) => a.status === 429);
  assert.equal(refused.length, 2);
  assert.equal(refused[0].headers.get("retry-after"), "1");
  assert.deepEqual(refused[0].body.error.details, { limit: 5, retry_after_s: 1 });
  assert.equal(
    refused[0].body.error.message,
    "This API key may make 5 requests a second (bursts of 10); try again in 1 s",
  );

  t.clock.advance(199);
  assert.equal((await five.get("/api/v1/templates")).status, 429, "not yet a whole token");
  t.clock.advance(1);
  assert.equal((await five.get("/api/v1/templates")).status, 200, "one token in 200 ms");
  assert.equal((await five.get("/api/v1/templates")).status, 429);

  const other = apiClient(t.app, (await keyWith(t, null)).key);
  assert.equal((await other.get("/api/v1/templates")).status, 200, "each key has its bucket");
});

Deno.test("requests without a valid key: 40 at once per address, then 429 for that address only", async () => {
  await using t = await startTestApp();
  const { key } = await keyWith(t, null);
  const from = (address: string, withKey?: string) => apiClient(t.app, withKey, address);
  const anonymous = await Promise.all(
    Array.from({ length: 45 }, () => from("192.0.2.66").get("/api/v1/messages")),
  );
  assert.equal(count(anonymous.map((a) => a.status), 401), 40);
  const refused = anonymous.filter((a) => a.status === 429);
  assert.equal(refused.length, 5);
  assert.equal(refused[0].headers.get("retry-after"), "1");
  assert.deepEqual(refused[0].body.error, {
    code: "rate_limited",
    message: "Too many requests without a valid credential from 192.0.2.66: 20 requests a " +
      "second are allowed (bursts of 40); try again in 1 s",
    details: { limit: 20, retry_after_s: 1 },
  });
  assert.equal((await from("192.0.2.66", "kbr_wrong").get("/api/v1/messages")).status, 429);
  assert.equal((await from("192.0.2.67").get("/api/v1/messages")).status, 401, "another address");
  assert.equal(
    (await from("192.0.2.66", key).get("/api/v1/messages")).status,
    200,
    "a valid key from that address uses its own bucket",
  );

  t.clock.advance(1_000);
  const later = await Promise.all(
    Array.from({ length: 21 }, () => from("192.0.2.66", "kbr_wrong").get("/api/v1/messages")),
  );
  assert.equal(count(later.map((a) => a.status), 401), 20, "a second refills 20");
  assert.equal(count(later.map((a) => a.status), 429), 1);

  // A key used from an address it does not allow counts against that address too.
  const office = (await keyWith(t, null, { ipAllowlist: ["10.0.0.0/8"] })).key;
  const outside = await Promise.all(
    Array.from({ length: 41 }, () => from("198.51.100.7", office).get("/api/v1/messages")),
  );
  assert.equal(count(outside.map((a) => a.status), 403), 40);
  assert.equal(count(outside.map((a) => a.status), 429), 1);
});

Deno.test("Indoshopster: over the key's limit or the address's, HTTP 200 and the reason in words", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Toko" });
  const { key } = await keyWith(t, 1, { scopes: ["messages:send"] });
  const template = await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "order",
    body: "Halo {{fullname}}, pesanan Anda kami terima.",
    kind: "message",
    shortcut: null,
    active: true,
  });
  const post = async (apiKey: string) => {
    const res = await t.app.request("http://kabar.test/sendWhatsappMessage", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        api_key: apiKey,
        template_id: String(template.id),
        phone_number: "6281234567890",
        "data[fullname]": "Siti",
      }).toString(),
    }, { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } });
    return {
      status: res.status,
      text: await res.text(),
      retryAfter: res.headers.get("retry-after"),
    };
  };

  const sent = await Promise.all([post(key), post(key), post(key)]);
  assert.ok(sent.every((s) => s.status === 200));
  assert.equal(sent.filter((s) => s.text.includes('"status":"success"')).length, 2);
  const over = sent.find((s) => !s.text.includes("success"))!;
  assert.equal(
    over.text,
    "This API key may make 1 request a second (bursts of 2); try again in 1 s",
  );
  assert.equal(over.retryAfter, "1");
  const stored = await t.deps.db.select().from(messages).where(
    eq(messages.channelId, channel.id),
  );
  assert.equal(stored.length, 2, "the refused request sent nothing");
  assert.equal(
    (await apiClient(t.app, key).get("/api/v1/messages")).status,
    429,
    "one bucket per key, whichever API it calls",
  );

  const wrong = await Promise.all(Array.from({ length: 41 }, () => post("kbr_wrong")));
  assert.equal(wrong.filter((w) => w.text === INDOSHOPSTER_ERRORS.wrongApiKey).length, 40);
  const refused = wrong.filter((w) => w.text !== INDOSHOPSTER_ERRORS.wrongApiKey);
  assert.equal(refused.length, 1);
  assert.equal(refused[0].status, 200);
  assert.equal(refused[0].retryAfter, "1");
  assert.match(
    refused[0].text,
    /^Too many requests without a valid credential from 192\.0\.2\.10/,
  );

  t.clock.advance(1_000);
  assert.match((await post(key)).text, /"status":"success"/, "the key's bucket refilled");
});

Deno.test("Wappin: over the integration's limit or the address's, status 700 with the reason", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Notifikasi" });
  const admin = apiClient(t.app, (await keyWith(t, 0)).key);
  const made = await admin.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "RS Sehat",
    environment: "PRODUCTION",
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { client_id: clientId, secret_key: secretKey } = made.body;
  const call = async (path: string, headers: Record<string, string>, from = "192.0.2.10") => {
    const res = await t.app.request(`http://kabar.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ message_id: "999" }),
    }, { remoteAddr: { hostname: from, port: 40000, transport: "tcp" } });
    assert.equal(res.status, 200, "Wappin answers HTTP 200");
    return { retryAfter: res.headers.get("retry-after"), body: await res.json() };
  };
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${toBase64(new TextEncoder().encode(`${user}:${password}`))}`,
  });
  const issued = await call("/v1/token/get", basic(clientId, secretKey));
  assert.equal(issued.body.status, "200");
  const bearer = { authorization: `Bearer ${issued.body.data.access_token}` };

  // The token request took one of the integration's 200.
  const burst = await Promise.all(
    Array.from({ length: 200 }, () => call("/v1/message/inquiry", bearer)),
  );
  assert.equal(burst.filter((a) => a.body.status === "404").length, 199);
  const over = burst.filter((a) => a.body.status !== "404");
  assert.equal(over.length, 1);
  assert.equal(over[0].retryAfter, "1");
  assert.deepEqual(over[0].body, {
    status: "700",
    message: "Error from vendor",
    data: {
      errors: {
        request: `The Wappin integration ${clientId} may make 100 requests a second ` +
          "(bursts of 200); try again in 1 s",
      },
      limit: 100,
      retry_after_s: 1,
    },
  });
  assert.equal((await call("/v1/token/get", basic(clientId, secretKey))).body.status, "700");

  t.clock.advance(1_000);
  assert.equal((await call("/v1/message/inquiry", bearer)).body.status, "404", "refilled");

  const wrong = await Promise.all(
    Array.from(
      { length: 41 },
      () => call("/v1/message/inquiry", { authorization: "Bearer nope" }, "198.51.100.9"),
    ),
  );
  assert.equal(wrong.filter((a) => a.body.status === "401").length, 40);
  const refused = wrong.filter((a) => a.body.status !== "401");
  assert.equal(refused.length, 1);
  assert.equal(refused[0].body.status, "700");
  assert.match(
    refused[0].body.data.errors.request,
    /^Too many requests without a valid credential from 198\.51\.100\.9/,
  );
  assert.equal(
    (await call("/v1/token/get", basic(clientId, "wrong"), "198.51.100.9")).body.status,
    "700",
    "a wrong secret from that address is refused for the rate too",
  );
  assert.equal(
    (await call("/v1/message/inquiry", bearer)).body.status,
    "404",
    "the integration's own requests are not held up by that address",
  );
});
