/**
 * Webhooks end to end: Kabar on a real database with a sandbox channel, a
 * receiver (hooks.example, served on 127.0.0.1) that is down at first. Every event arrives signed,
 * in order per conversation, none lost, repeated only under its delivery id.
 */
import assert from "node:assert/strict";
import type { InArgs } from "@libsql/client";
import { waitUntil } from "../support/wait_until.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createWebhook, recoverDeliveries } from "../../db/webhooks.ts";
import { DEFAULT_WEBHOOK_OPTIONS } from "../../sessions/webhooks.ts";
import { webhookSignature } from "../../sessions/webhook_formats.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

interface Received {
  delivery: string;
  event: string;
  signatureOk: boolean;
  body: { id: string; type: string; data: { status?: string; message?: { id: number } } };
}

/** A webhook receiver that answers 503 to the first `failFirst` requests. */
function startReceiver(failFirst: number, secret: () => string) {
  const received: Received[] = [];
  let calls = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    calls++;
    if (calls <= failFirst) return new Response("busy", { status: 503 });
    const timestamp = req.headers.get("x-kabar-timestamp")!;
    received.push({
      delivery: req.headers.get("x-kabar-delivery")!,
      event: req.headers.get("x-kabar-event")!,
      signatureOk:
        req.headers.get("x-kabar-signature") === webhookSignature(secret(), timestamp, body),
      body: JSON.parse(body),
    });
    return new Response("ok");
  });
  return {
    url: `http://hooks.example:${server.addr.port}/hook`,
    received,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A started sandbox channel and an API client with a `*` key. */
async function sandboxApi(t: TestApp) {
  await sandbox(t, { name: "S" });
  return (await apiKey(t)).api;
}

Deno.test("a receiver down at first still gets every event, signed and in order", async () => {
  let secret = "";
  await using receiver = startReceiver(4, () => secret);
  await using t = await startTestApp();
  const api = await sandboxApi(t);
  const hook = await api.post("/api/v1/webhooks", {
    url: receiver.url,
    events: ["message.status"],
  });
  assert.equal(hook.status, 201);
  secret = hook.body.secret;
  assert.match(secret, /^whsec_/);

  const ids: number[] = [];
  for (const to of ["0811111111", "0822222222", "0833333333"]) {
    ids.push((await api.post("/api/v1/messages", { to, text: `Pengingat untuk ${to}` })).body.id);
  }
  // sent, delivered, read for each of the three.
  const expected = ids.length * 3;
  const pending = async () =>
    Number(
      (await t.deps.db.$client.execute(
        "SELECT count(*) AS n FROM webhook_deliveries WHERE status != 'delivered'",
      )).rows[0].n,
    );
  const total = async () =>
    Number(
      (await t.deps.db.$client.execute("SELECT count(*) AS n FROM webhook_deliveries")).rows[0].n,
    );
  const inFlight = async () =>
    Number(
      (await t.deps.db.$client.execute(
        "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivering'",
      )).rows[0].n,
    );
  await waitUntil(async () => {
    if (await total() === expected && await pending() === 0) return true;
    // Retries wait on the clock: it moves on whenever nothing is being delivered.
    if (await inFlight() === 0) t.clock.advance(15_000);
    return false;
  }, "every event delivered");
  assert.equal(await total(), expected);
  assert.equal(await pending(), 0, "every delivery done");

  assert.ok(receiver.received.every((r) => r.signatureOk), "every signature verifies");
  const byEvent = new Map<string, Set<string>>();
  for (const r of receiver.received) {
    byEvent.set(r.body.id, (byEvent.get(r.body.id) ?? new Set()).add(r.delivery));
  }
  assert.equal(byEvent.size, expected, "no event lost");
  assert.ok(
    [...byEvent.values()].every((d) => d.size === 1),
    "a repeat carries the same delivery id",
  );
  for (const id of ids) {
    const statuses = receiver.received.filter((r) => r.body.data.message?.id === id)
      .map((r) => r.body.data.status);
    assert.deepEqual(
      [...new Set(statuses)],
      ["sent", "delivered", "read"],
      `order of message ${id}`,
    );
  }
  const log = await api.get(`/api/v1/webhooks/${hook.body.id}/deliveries?limit=100`);
  assert.equal(log.body.data.length, expected);
  assert.ok(log.body.data.some((d: { attempts: number }) => d.attempts > 1), "some were retried");
});

Deno.test("a slow endpoint does not hold up another one", async () => {
  const { promise: release, resolve: releaseSlow } = Promise.withResolvers<void>();
  let slowCalls = 0;
  await using slow = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async () => {
    slowCalls++;
    await release;
    return new Response("late");
  });
  await using fast = startReceiver(0, () => "");
  await using t = await startTestApp({ KABAR_WEBHOOK_TIMEOUT_S: "1" });
  // First thing at the end: the slow endpoint answers, so that the app and the servers stop.
  using answered = new DisposableStack();
  answered.defer(releaseSlow);
  await sandbox(t, { name: "S" });
  const { api } = await apiKey(t);
  await api.post("/api/v1/webhooks", {
    url: `http://hooks.example:${slow.addr.port}/`,
    events: ["*"],
  });
  await api.post("/api/v1/webhooks", { url: fast.url, events: ["*"] });
  for (let i = 0; i < 5; i++) {
    await api.post("/api/v1/messages", { to: `081200000${i}1`, text: "x" });
  }
  // Every event of the five messages (a conversation's beginning, each status) reaches the
  // fast endpoint while the slow one still holds its first delivery.
  await waitUntil(() => fast.received.length >= 5, "the fast endpoint got five events or more");
  assert.ok(slowCalls >= 1, "the slow one is still being tried");
  assert.ok(fast.received.length >= 5);
});

/** A receiver that keeps every request waiting until `release()`; counts and keeps them. */
function startStuckReceiver() {
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  const bodies: { delivery: string; body: string }[] = [];
  let waiting = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    bodies.push({ delivery: req.headers.get("x-kabar-delivery")!, body });
    waiting++;
    await released;
    waiting--;
    return new Response("late");
  });
  const close = async () => {
    release();
    await server.shutdown();
  };
  return {
    url: `http://hooks.example:${server.addr.port}/hook`,
    bodies,
    waiting: () => waiting,
    release,
    [Symbol.asyncDispose]: close,
  };
}

const countWhere = async (t: TestApp, where: string, args: InArgs = []) =>
  Number(
    (await t.deps.db.$client.execute({
      sql: `SELECT count(*) AS n FROM webhook_deliveries WHERE ${where}`,
      args,
    })).rows[0].n,
  );

Deno.test("an endpoint stuck at its in-flight limit does not hold up another endpoint's deliveries", async () => {
  const { concurrency, perWebhook } = DEFAULT_WEBHOOK_OPTIONS;
  // More conversations waiting for A than the worker used to look at in one claim.
  const CONVERSATIONS = perWebhook + 4 * concurrency + 16;
  let fastSecret = "";
  await using fast = startReceiver(0, () => fastSecret);
  await using t = await startTestApp({ KABAR_WEBHOOK_TIMEOUT_S: "120" });
  // Released and stopped first at the end, so that the app stops without waiting for it.
  await using stuck = startStuckReceiver();
  const channel = await sandbox(t, { name: "S" });
  const input = { events: ["message.received"], channelId: null };
  const a = await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    ...input,
    url: stuck.url,
  });
  for (let i = 0; i < CONVERSATIONS; i += 50) {
    await Promise.all(
      Array.from(
        { length: Math.min(50, CONVERSATIONS - i) },
        (_, j) =>
          t.deps.registry.simulateInbound(channel.id, {
            phone: `62813${String(i + j).padStart(7, "0")}`,
            text: `halo ${i + j}`,
          }),
      ),
    );
  }
  await waitUntil(() => stuck.waiting() === perWebhook, "A at its in-flight limit");
  assert.equal(
    await countWhere(t, "webhook_id = ? AND status = 'pending'", [a.webhook.id]),
    CONVERSATIONS - perWebhook,
    "A's other deliveries are due, each the next of its conversation",
  );

  const b = await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    ...input,
    url: fast.url,
  });
  fastSecret = b.secret;
  const texts = ["satu", "dua", "tiga", "empat", "lima"];
  for (const text of texts) {
    await t.deps.registry.simulateInbound(channel.id, { phone: "6281399999999", text });
  }
  await waitUntil(() => fast.received.length === texts.length, "B got all its events");
  assert.equal(stuck.waiting(), perWebhook, "A is still stuck, and took no more");
  assert.ok(fast.received.every((r) => r.signatureOk));
  const views = await Promise.all(
    fast.received.map((r) =>
      t.deps.db.$client.execute({
        sql: "SELECT body FROM messages WHERE id = ?",
        args: [r.body.data.message!.id],
      })
    ),
  );
  assert.deepEqual(views.map((v) => v.rows[0].body), texts, "B got the conversation in order");

  stuck.release();
  await waitUntil(
    async () => await countWhere(t, "status != 'delivered'") === 0,
    "A got everything once released",
  );
  const toA = new Set(stuck.bodies.map((r) => JSON.parse(r.body).id));
  assert.equal(toA.size, CONVERSATIONS + texts.length, "A lost nothing");
});

/** A receiver that answers 503 while it is down, and keeps every request it saw. */
function startFlakyReceiver(secret: () => string) {
  let up = false;
  const requests: { delivery: string; body: string; signatureOk: boolean; answered: boolean }[] =
    [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    const timestamp = req.headers.get("x-kabar-timestamp")!;
    requests.push({
      delivery: req.headers.get("x-kabar-delivery")!,
      body,
      signatureOk:
        req.headers.get("x-kabar-signature") === webhookSignature(secret(), timestamp, body),
      answered: up,
    });
    return up ? new Response("ok") : new Response("down", { status: 503 });
  });
  return {
    url: `http://hooks.example:${server.addr.port}/hook`,
    requests,
    bringUp: () => up = true,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("a late message.status event carries the message as it was at that event", async () => {
  let secret = "";
  await using receiver = startFlakyReceiver(() => secret);
  await using t = await startTestApp();
  const api = await sandboxApi(t);
  const hook = await api.post("/api/v1/webhooks", {
    url: receiver.url,
    events: ["message.status"],
  });
  secret = hook.body.secret;
  const { id } = (await api.post("/api/v1/messages", { to: "0811111111", text: "Hasil lab" }))
    .body;
  // The sandbox walks it to read on the clock; the receiver is down all along.
  await waitUntil(async () => {
    if ((await api.get(`/api/v1/messages/${id}`)).body.status === "read") return true;
    t.clock.advance(500);
    return false;
  }, "the message read");
  await waitUntil(() => receiver.requests.length > 0, "a first attempt while down");
  assert.ok(receiver.requests.every((r) => !r.answered));

  receiver.bringUp();
  await waitUntil(async () => {
    if (await countWhere(t, "status = 'delivered'") === 3) return true;
    if (await countWhere(t, "status = 'delivering'") === 0) t.clock.advance(15_000);
    return false;
  }, "the three events delivered");

  const bodyOf = (status: string) => {
    const r = receiver.requests.find((r) =>
      r.answered && JSON.parse(r.body).data.status === status
    );
    assert.ok(r, `the ${status} event arrived`);
    return JSON.parse(r.body).data.message;
  };
  const sent = bodyOf("sent");
  assert.equal(sent.status, "sent");
  assert.ok(sent.sent_at);
  assert.equal(sent.delivered_at, null);
  assert.equal(sent.read_at, null);
  const delivered = bodyOf("delivered");
  assert.equal(delivered.status, "delivered");
  assert.equal(delivered.sent_at, sent.sent_at);
  assert.ok(delivered.delivered_at);
  assert.equal(delivered.read_at, null);
  const read = bodyOf("read");
  assert.equal(read.status, "read");
  assert.equal(read.delivered_at, delivered.delivered_at);
  assert.ok(read.read_at);
  const { history: _, ...now } = (await api.get(`/api/v1/messages/${id}`)).body;
  assert.deepEqual(read, now, "the last event shows the message as it is now");
  for (const m of [sent, delivered, read]) assert.equal(m.failed_at, null);

  assert.ok(receiver.requests.every((r) => r.signatureOk), "every attempt is signed");
  const bodies = new Map<string, Set<string>>();
  for (const r of receiver.requests) {
    bodies.set(r.delivery, (bodies.get(r.delivery) ?? new Set()).add(r.body));
  }
  assert.equal(bodies.size, 3);
  assert.ok(
    receiver.requests.length > 3,
    "some delivery was tried more than once",
  );
  assert.ok([...bodies.values()].every((b) => b.size === 1), "every retry sends the same bytes");
});

Deno.test("a delivery sent again after a crash carries the same bytes", async () => {
  await using t = await startTestApp({ KABAR_WEBHOOK_TIMEOUT_S: "120" });
  await using stuck = startStuckReceiver();
  const api = await sandboxApi(t);
  await api.post("/api/v1/webhooks", { url: stuck.url, events: ["message.status"] });
  const { id } = (await api.post("/api/v1/messages", { to: "0811111111", text: "Kontrol" })).body;
  await waitUntil(() => stuck.waiting() === 1, "the sent event in flight");
  // A crash now would leave the delivery `delivering`: the next start puts it back, and it goes
  // again, while the message has moved on (its body emptied, as the retention setting does).
  await t.deps.db.$client.execute({
    sql: "UPDATE messages SET body = NULL WHERE id = ?",
    args: [id],
  });
  assert.equal(await recoverDeliveries(t.deps.db, t.clock), 1);
  t.deps.webhooks.wake();
  await waitUntil(() => stuck.waiting() === 2, "the same delivery sent again");
  const [first, again] = stuck.bodies;
  assert.equal(again.delivery, first.delivery);
  assert.equal(again.body, first.body);
  assert.equal(JSON.parse(first.body).data.message.text, "Kontrol");
});

Deno.test("a worker that could not claim for a full disk looks again by itself once there is room", async () => {
  await using receiver = startReceiver(1, () => "");
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "S" });
  await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    url: receiver.url,
    events: ["message.received"],
    channelId: null,
  });
  await t.deps.registry.simulateInbound(channel.id, { phone: "6281234567890", text: "Halo" });
  const attempted = async () =>
    (await t.deps.db.$client.execute(
      "SELECT last_error FROM webhook_deliveries WHERE attempts = 1 AND status = 'pending'",
    )).rows.length === 1;
  await waitUntil(attempted, "the first attempt answered 503");

  t.deps.db.$disk.simulate = "SQLITE_FULL";
  t.clock.advance(15_000); // the retry falls due, and its claim is refused
  await waitUntil(() => t.deps.db.$disk.failure !== undefined, "the claim refused");
  t.deps.db.$disk.simulate = undefined;
  t.clock.advance(5_000); // no event comes: only the worker's own timer can find it
  await waitUntil(() => receiver.received.length === 1, "the delivery once there is room");
  assert.equal(receiver.received[0].event, "message.received");
});
