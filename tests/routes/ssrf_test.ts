/**
 * What Kabar fetches on someone's behalf cannot be turned against the
 * hospital's own network: files by URL, webhook deliveries and Wappin
 * callbacks all go through one guard. A "secret" server on 127.0.0.1 stands
 * for an inside system; names resolve through the test's network, where
 * `files.example` and `hooks.example` are public.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { messages, webhookDeliveries } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { testNetwork } from "../support/test_network.ts";
import { waitUntil } from "../support/wait_until.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

/** A server on 127.0.0.1 that serves a PDF, notes every request, and redirects `/to?u=`. */
function startServer() {
  const asked: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    asked.push(`${req.method} ${url.pathname}`);
    await req.body?.cancel();
    if (url.pathname === "/to") {
      return new Response(null, { status: 302, headers: { location: url.searchParams.get("u")! } });
    }
    return new Response(PDF, { headers: { "content-type": "application/pdf" } });
  });
  return { asked, port: server.addr.port, [Symbol.asyncDispose]: () => server.shutdown() };
}

async function keyClient(t: TestApp, scopes: string[]) {
  return (await apiKey(t, scopes)).api;
}

Deno.test("media.url: a key without * cannot make Kabar fetch from inside, in any form", async () => {
  await using secret = startServer();
  await using outside = startServer();
  await using t = await startTestApp({}, {
    outbound: testNetwork({ "inside.example": ["10.20.0.5"], "loop.example": ["127.0.0.1"] }),
  });
  await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "S" });
  const sender = await keyClient(t, ["messages:send"]);
  const p = secret.port;
  const send = (url: string) =>
    sender.post("/api/v1/messages", { to: "08123456789", type: "document", media: { url } });
  const inside = [
    `http://127.0.0.1:${p}/secret.pdf`,
    `http://localhost:${p}/secret.pdf`,
    `http://0.0.0.0:${p}/secret.pdf`,
    `http://2130706433:${p}/secret.pdf`,
    `http://0x7f000001:${p}/secret.pdf`,
    `http://[::1]:${p}/secret.pdf`,
    `http://[::ffff:127.0.0.1]:${p}/secret.pdf`,
    `http://[64:ff9b::127.0.0.1]:${p}/secret.pdf`,
    `http://169.254.169.254/latest/meta-data/`,
    `http://loop.example:${p}/secret.pdf`,
    `http://inside.example/secret.pdf`,
    `http://files.example:${outside.port}/to?u=${
      encodeURIComponent(`http://127.0.0.1:${p}/secret.pdf`)
    }`,
  ];
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const nothingThere = await send(`http://files.example:${closedPort}/x.pdf`);
  assert.equal(nothingThere.status, 422);
  for (const url of inside) {
    const answer = await send(url);
    assert.equal(answer.status, 422, `${url}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error.details["media.url"], "could not fetch the file");
    assert.deepEqual(
      answer.body.error.details,
      nothingThere.body.error.details,
      "a refused address reads exactly like a closed port",
    );
  }
  assert.deepEqual(secret.asked, [], "the inside server was never asked");
  assert.equal((await t.deps.db.select().from(messages)).length, 0, "nothing was queued");

  // A key with * is the hospital's own system: its files may be inside.
  const trusted = await keyClient(t, ["*"]);
  const own = await trusted.post("/api/v1/messages", {
    to: "08123456789",
    type: "document",
    media: { url: `http://127.0.0.1:${p}/own.pdf` },
  });
  assert.equal(own.status, 202, JSON.stringify(own.body));
  assert.deepEqual(secret.asked, ["GET /own.pdf"]);
});

Deno.test("a webhook whose name turns to an inside address later gets nothing (DNS rebinding)", async () => {
  await using inside = startServer();
  let rebound = false;
  await using t = await startTestApp({}, {
    outbound: testNetwork({
      "rebind.example": () => (rebound ? ["127.0.0.1"] : ["93.184.215.14"]),
    }),
  });
  await sandbox(t, { name: "S" });
  const hooks = await keyClient(t, ["webhooks:*", "messages:send"]);
  const made = await hooks.post("/api/v1/webhooks", {
    url: `http://rebind.example:${inside.port}/hook`,
    events: ["message.status"],
  });
  assert.equal(made.status, 201, "outside when it was set");
  assert.equal(made.body.private_network, false);
  rebound = true;
  const sent = await hooks.post("/api/v1/messages", { to: "08123456789", text: "halo" });
  assert.equal(sent.status, 202);
  t.clock.advance(5_000);
  const failed = async () =>
    (await t.deps.db.select().from(webhookDeliveries).where(
      eq(webhookDeliveries.webhookId, made.body.id),
    )).filter((d) => d.lastError !== null);
  await waitUntil(async () => (await failed()).length > 0, "a delivery attempt");
  const [attempt] = await failed();
  assert.equal(attempt.status, "pending", "kept for a retry, not delivered");
  assert.match(attempt.lastError ?? "", /network this webhook may not reach/);
  assert.doesNotMatch(attempt.lastError ?? "", /127\.0\.0\.1/, "the address is not told");
  assert.deepEqual(inside.asked, [], "the inside server got no delivery");
});

Deno.test("a webhook marked for the private network reaches the hospital's own system", async () => {
  await using own = startServer();
  await using t = await startTestApp();
  await sandbox(t, { name: "S" });
  const admin = await keyClient(t, ["*"]);
  const made = await admin.post("/api/v1/webhooks", {
    url: `http://127.0.0.1:${own.port}/kabar`,
    events: ["message.status"],
    private_network: true,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.private_network, true);
  await admin.post("/api/v1/messages", { to: "08123456789", text: "halo" });
  t.clock.advance(5_000);
  await waitUntil(() => own.asked.length > 0, "a delivery to 127.0.0.1");
  assert.equal(own.asked[0], "POST /kabar");
});

Deno.test("a Wappin callback whose name turns inside is refused at delivery", async () => {
  await using inside = startServer();
  let rebound = false;
  await using t = await startTestApp({}, {
    outbound: testNetwork({
      "callback.example": () => (rebound ? ["10.0.0.7", "127.0.0.1"] : ["93.184.215.14"]),
    }),
  });
  const channel = await sandbox(t, { name: "Notifikasi" });
  const admin = await keyClient(t, ["*"]);
  const made = await admin.post("/api/v1/integrations/wappin", {
    channel: channel.id,
    project_name: "RS",
    environment: "PRODUCTION",
    callback_url: `http://callback.example:${inside.port}/cb`,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.private_network, false);
  const unmarked = await admin.patch(`/api/v1/integrations/wappin/${made.body.id}`, {
    callback_url: `http://127.0.0.1:${inside.port}/cb`,
  });
  assert.equal(unmarked.status, 422, "an inside callback must be marked");
  assert.match(unmarked.body.error.details.callback_url, /private network/);

  rebound = true;
  const inbound = await admin.post(`/api/v1/sandbox/${channel.id}/inbound`, {
    from: "082315658823",
    text: "halo",
  });
  assert.equal(inbound.status, 201);
  const attempts = async () =>
    (await t.deps.db.select().from(webhookDeliveries).where(
      eq(webhookDeliveries.webhookId, made.body.callback_webhook),
    )).filter((d) => d.lastError !== null);
  await waitUntil(async () => (await attempts()).length > 0, "a callback attempt");
  assert.match((await attempts())[0].lastError ?? "", /network this webhook may not reach/);
  assert.deepEqual(inside.asked, []);

  const marked = await admin.patch(`/api/v1/integrations/wappin/${made.body.id}`, {
    private_network: true,
  });
  assert.equal(marked.status, 200, JSON.stringify(marked.body));
  assert.equal(marked.body.private_network, true);
});
