/**
 * Standard Webhooks: every delivery carries webhook-id, webhook-timestamp and
 * webhook-signature, which the `standardwebhooks` library verifies with the
 * webhook's secret (a new `whsec_` one, or an older base64url one read as it
 * is). Rotating a secret (API or page) signs with both for 24 hours, then with
 * the new one alone.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { eq } from "drizzle-orm";
import { webhooks } from "../../db/schema.ts";
import { base64url } from "../../core/tokens.ts";
import { PREVIOUS_SECRET_MS } from "../../core/webhook_secret.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";
import { signedIn } from "../support/signed_in.ts";
import { visibleText } from "../support/browser_client.ts";

interface Received {
  headers: Record<string, string>;
  raw: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** A receiver at hooks.example (on 127.0.0.1) that keeps every request's headers and raw body. */
function startReceiver() {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const raw = await req.text();
    received.push({ headers: Object.fromEntries(req.headers), raw, body: JSON.parse(raw) });
    return new Response("ok");
  });
  return {
    url: `http://hooks.example:${server.addr.port}/kabar/events`,
    received,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/**
 * `new Webhook(secret).verify(body, headers)` as a receiver runs it, at Kabar's
 * (manual) time: the library refuses a timestamp five minutes from its clock.
 */
function verify(t: TestApp, secret: string | Uint8Array, delivery: Received): unknown {
  const realNow = Date.now;
  Date.now = () => t.clock.now();
  try {
    const hook = typeof secret === "string"
      ? new Webhook(secret)
      : new Webhook(secret, { format: "raw" });
    return hook.verify(delivery.raw, delivery.headers);
  } finally {
    Date.now = realNow;
  }
}

const verifies = (t: TestApp, secret: string, delivery: Received) => {
  try {
    verify(t, secret, delivery);
    return true;
  } catch {
    return false;
  }
};

/** The X-Kabar signature, as the README tells a receiver to check it. */
const kabarSignature = (secret: string, timestamp: string, raw: string) =>
  "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex");

async function setup(t: TestApp, url: string) {
  const { api } = await apiKey(t);
  const hook = await api.post("/api/v1/webhooks", { url, events: ["message.status"] });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  await sandbox(t, { name: "Latihan" });
  return { api, hook: hook.body as { id: number; secret: string } };
}

/** Sends a message and waits for its `sent` event to reach the receiver. */
async function sentEvent(
  api: Awaited<ReturnType<typeof setup>>["api"],
  received: Received[],
  to: string,
): Promise<Received> {
  const sent = await api.post("/api/v1/messages", { to, text: "Halo" });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const of = () =>
    received.find((r) => r.body.data.message.id === sent.body.id && r.body.data.status === "sent");
  await waitUntil(() => of() !== undefined, `the sent event of ${to}`);
  return of()!;
}

Deno.test("a delivery signed with a new whsec_ secret verifies with the standardwebhooks library", async () => {
  await using receiver = startReceiver();
  await using t = await startTestApp();
  const { api, hook } = await setup(t, receiver.url);
  assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{32}$/, "standard base64 of 24 bytes");

  const delivery = await sentEvent(api, receiver.received, "0812-3456-7890");
  const { headers } = delivery;
  assert.equal(headers["webhook-id"], headers["x-kabar-delivery"], "the delivery id");
  assert.equal(headers["webhook-timestamp"], headers["x-kabar-timestamp"], "Unix seconds");
  assert.match(headers["webhook-signature"], /^v1,[A-Za-z0-9+/]{43}=$/, "one signature");
  assert.deepEqual(verify(t, hook.secret, delivery), delivery.body);
  assert.equal(
    headers["x-kabar-signature"],
    kabarSignature(hook.secret, headers["x-kabar-timestamp"], delivery.raw),
    "the X-Kabar signature still checks",
  );
  assert.throws(
    () => verify(t, hook.secret, { ...delivery, raw: delivery.raw + " " }),
    /No matching signature/,
    "tied to the body",
  );
  assert.throws(
    () =>
      verify(t, hook.secret, {
        ...delivery,
        headers: { ...headers, "webhook-id": `${headers["webhook-id"]}0` },
      }),
    /No matching signature/,
    "tied to the id",
  );
});

Deno.test("an older base64url secret still signs both ways, its bytes decoded as they are", async () => {
  await using receiver = startReceiver();
  await using t = await startTestApp();
  const { api, hook } = await setup(t, receiver.url);
  // A secret of the form Kabar made before: whsec_ + base64url, here with both - and _ in it.
  const bytes = new Uint8Array(24).map((_, i) => (i < 3 ? [0xfb, 0xef, 0xff][i] : i * 7));
  const old = `whsec_${base64url(bytes)}`;
  assert.match(old, /[-_]/);
  await t.deps.db.update(webhooks).set({ secret: await t.deps.secretBox.seal(old) })
    .where(eq(webhooks.id, hook.id));

  const delivery = await sentEvent(api, receiver.received, "0812-3456-7890");
  const { headers } = delivery;
  assert.equal(
    headers["x-kabar-signature"],
    kabarSignature(old, headers["x-kabar-timestamp"], delivery.raw),
  );
  assert.throws(() => new Webhook(old), "the library reads standard base64 only");
  assert.deepEqual(verify(t, bytes, delivery), delivery.body, "the secret's bytes verify");
  const asStandard = `whsec_${old.slice(6).replaceAll("-", "+").replaceAll("_", "/")}`;
  assert.deepEqual(verify(t, asStandard, delivery), delivery.body, "or it rewritten as base64");
});

Deno.test("after a rotation both secrets verify for 24 hours, then only the new one", async () => {
  await using receiver = startReceiver();
  await using t = await startTestApp();
  const { api, hook } = await setup(t, receiver.url);
  const old = hook.secret;
  const rotatedAt = t.clock.now();
  const rotated = await api.post(`/api/v1/webhooks/${hook.id}/secret`);
  assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
  assert.deepEqual(Object.keys(rotated.body).sort(), ["previous_expires_at", "secret"]);
  const fresh = rotated.body.secret as string;
  assert.match(fresh, /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.notEqual(fresh, old);
  assert.equal(
    rotated.body.previous_expires_at,
    new Date(rotatedAt + PREVIOUS_SECRET_MS).toISOString(),
  );

  // Both secrets stay sealed in the database.
  const [row] = await t.deps.db.select().from(webhooks).where(eq(webhooks.id, hook.id));
  for (const sealed of [row.secret, row.previousSecret!]) {
    assert.match(sealed, /^v1\./);
    assert.ok(!sealed.includes(old) && !sealed.includes(fresh.slice(6)));
  }
  assert.equal(await t.deps.secretBox.open(row.previousSecret!), old);

  const audit = await t.deps.db.$client.execute(
    "SELECT action, target FROM audit_log WHERE action = 'webhook.rotate_secret'",
  );
  assert.equal(audit.rows.length, 1, "the rotation is in the audit log");
  assert.equal(audit.rows[0].target, receiver.url);

  const both = await sentEvent(api, receiver.received, "0811-1111-1111");
  const signatures = both.headers["webhook-signature"].split(" ");
  assert.equal(signatures.length, 2, "v1,<new> v1,<old>");
  assert.ok(signatures.every((s) => /^v1,[A-Za-z0-9+/]{43}=$/.test(s)));
  assert.ok(verifies(t, fresh, both), "the new secret verifies");
  assert.ok(verifies(t, old, both), "the old secret verifies");
  assert.equal(
    both.headers["x-kabar-signature"],
    kabarSignature(fresh, both.headers["x-kabar-timestamp"], both.raw),
    "X-Kabar-Signature uses the new secret",
  );

  t.clock.advance(PREVIOUS_SECRET_MS - 1000);
  const lastDay = await sentEvent(api, receiver.received, "0822-2222-2222");
  assert.ok(verifies(t, fresh, lastDay) && verifies(t, old, lastDay), "a second before expiry");

  t.clock.advance(1000);
  const after = await sentEvent(api, receiver.received, "0833-3333-3333");
  assert.equal(after.headers["webhook-signature"].split(" ").length, 1);
  assert.ok(verifies(t, fresh, after), "the new secret verifies");
  assert.ok(!verifies(t, old, after), "the old one no longer does");
});

Deno.test("POST /api/v1/webhooks/{id}/secret: unknown id 404, no webhooks:write 403, Wappin 409", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t);
  const hook = await api.post("/api/v1/webhooks", { url: "https://hooks.example/kabar" });
  assert.equal(hook.status, 201);
  for (const id of ["999", "abc"]) {
    const missing = await api.post(`/api/v1/webhooks/${id}/secret`);
    assert.equal(missing.status, 404, id);
    assert.equal(missing.body.error.code, "not_found");
    assert.match(missing.body.error.message, new RegExp(`No webhook with id ${id}`));
  }
  const { api: reader } = await apiKey(t, ["webhooks:read"]);
  const refused = await reader.post(`/api/v1/webhooks/${hook.body.id}/secret`);
  assert.equal(refused.status, 403);
  const [row] = await t.deps.db.select().from(webhooks).where(eq(webhooks.id, hook.body.id));
  assert.equal(await t.deps.secretBox.open(row.secret), hook.body.secret, "nothing changed");
  assert.equal(row.previousSecret, null);

  // A Wappin integration's callbacks are not signed: nothing to rotate.
  const channel = await sandbox(t, { name: "Notifikasi" });
  const wappin = await api.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "RS Sehat Notifikasi",
    environment: "PRODUCTION",
  });
  assert.equal(wappin.status, 201, JSON.stringify(wappin.body));
  const managed = await api.post(`/api/v1/webhooks/${wappin.body.callback_webhook}/secret`);
  assert.equal(managed.status, 409, JSON.stringify(managed.body));
  assert.match(managed.body.error.message, /Wappin integration/);
});

Deno.test("an admin rotates a secret on the webhook's page and sees the new one once; others may not", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/settings/webhooks");
  const added = await admin.post("/settings/webhooks", {
    url: "https://hooks.example/kabar",
    events: ["*"],
  });
  assert.equal(added.status, 200);
  const page = await admin.get("/settings/webhooks/1");
  assert.match(visibleText(page.text), /Rotate the signing secret/);
  assert.doesNotMatch(page.text, /previous-secret/, "no previous secret yet");

  const rotated = await admin.post("/settings/webhooks/1/secret");
  assert.equal(rotated.status, 200);
  assert.match(rotated.headers.get("cache-control") ?? "", /no-store/);
  const shown = rotated.text.match(/id="rotated-secret-value-0"[^>]*value="([^"]+)"/)?.[1];
  assert.ok(shown, "the new secret is shown");
  assert.match(shown, /^whsec_[A-Za-z0-9+/]{32}$/);
  const [row] = await t.deps.db.select().from(webhooks).where(eq(webhooks.id, 1));
  assert.equal(await t.deps.secretBox.open(row.secret), shown, "the one now signing");
  assert.match(visibleText(rotated.text), /New signing secret for https:\/\/hooks\.example\/kabar/);
  assert.match(visibleText(rotated.text), /The previous secret also signs until/);

  const again = await admin.get("/settings/webhooks/1");
  assert.ok(!again.text.includes(shown), "shown once");
  assert.doesNotMatch(again.text, /rotated-secret/);
  assert.match(visibleText(again.text), /The previous secret also signs until/);

  for (const role of ["supervisor", "agent"] as const) {
    const other = await signedIn(t, role);
    await other.get("/inbox");
    const refused = await other.post("/settings/webhooks/1/secret");
    assert.equal(refused.status, 403, role);
  }
  const [after] = await t.deps.db.select().from(webhooks).where(eq(webhooks.id, 1));
  assert.equal(after.secret, row.secret, "their attempts changed nothing");
});
