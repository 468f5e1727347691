/**
 * Webhooks end to end: Kabar on a real database with a sandbox channel, a
 * receiver on 127.0.0.1 that is down at first. Every event arrives signed,
 * in order per conversation, none lost, repeated only under its delivery id.
 */
import assert from "node:assert/strict";
import { waitUntil } from "../support/wait_until.ts";
import { createApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { webhookSignature } from "../../sessions/webhooks.ts";
import { apiClient } from "../support/api_client.ts";
import { startTestApp } from "../support/test_app.ts";

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
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    received,
    close: () => server.shutdown(),
  };
}

Deno.test("a receiver down at first still gets every event, signed and in order", async () => {
  const t = await startTestApp();
  let secret = "";
  const receiver = startReceiver(4, () => secret);
  try {
    const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
      kind: "sandbox",
      name: "S",
    });
    await t.deps.registry.start(channel.id);
    const { key } = await createApiKey(t.deps.db, t.clock, CLI_ACTOR, {
      name: "hooks",
      scopes: ["*"],
      ipAllowlist: [],
      channelId: null,
    });
    const api = apiClient(t.app, key);
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
  } finally {
    await t.close();
    await receiver.close();
  }
});

Deno.test("a slow endpoint does not hold up another one", async () => {
  const t = await startTestApp({ KABAR_WEBHOOK_TIMEOUT_S: "1" });
  const fast = startReceiver(0, () => "");
  const { promise: release, resolve: releaseSlow } = Promise.withResolvers<void>();
  let slowCalls = 0;
  const slow = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async () => {
    slowCalls++;
    await release;
    return new Response("late");
  });
  try {
    const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
      kind: "sandbox",
      name: "S",
    });
    await t.deps.registry.start(channel.id);
    const { key } = await createApiKey(t.deps.db, t.clock, CLI_ACTOR, {
      name: "hooks",
      scopes: ["*"],
      ipAllowlist: [],
      channelId: null,
    });
    const api = apiClient(t.app, key);
    await api.post("/api/v1/webhooks", {
      url: `http://127.0.0.1:${slow.addr.port}/`,
      events: ["*"],
    });
    await api.post("/api/v1/webhooks", { url: fast.url, events: ["*"] });
    for (let i = 0; i < 5; i++) {
      await api.post("/api/v1/messages", { to: `081200000${i}1`, text: "x" });
    }
    await waitUntil(() => fast.received.length === 5, "the fast endpoint got all five");
    assert.ok(slowCalls >= 1, "the slow one is still being tried");
    assert.equal(fast.received.length, 5);
  } finally {
    releaseSlow();
    await t.close();
    await fast.close();
    await slow.shutdown();
  }
});
