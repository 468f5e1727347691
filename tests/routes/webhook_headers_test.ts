/**
 * What a webhook receiver gets: X-Kabar-Event equal to the body's type,
 * X-Kabar-Delivery, X-Kabar-Timestamp in Unix seconds and a signature it can
 * check itself, and the message's metadata echoed in every status event.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

interface Received {
  headers: Headers;
  raw: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** A receiver at hooks.example (on 127.0.0.1) that keeps every request's headers and raw body. */
function startReceiver() {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const raw = await req.text();
    received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
    return new Response("ok");
  });
  return {
    url: `http://hooks.example:${server.addr.port}/kabar/events`,
    received,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** How a receiver checks a delivery, written from the README, not from Kabar's code. */
function signatureOf(secret: string, timestamp: string, rawBody: string): string {
  return "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
}

async function setup(t: TestApp, receiverUrl: string, events: string[]) {
  const { api } = await apiKey(t);
  const hook = await api.post("/api/v1/webhooks", { url: receiverUrl, events });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const channel = await sandbox(t, { name: "Latihan" });
  return { api, hook: hook.body as { id: number; secret: string }, channel };
}

const statusEvents = (received: Received[]) =>
  received.filter((r) => r.body.type === "message.status");

Deno.test("every delivery carries X-Kabar-Event, -Delivery, -Timestamp and a valid signature", async () => {
  await using receiver = startReceiver();
  await using t = await startTestApp();
  const startedAt = Math.floor(t.clock.now() / 1000);
  const { api, hook } = await setup(t, receiver.url, ["*"]);
  const sent = await api.post("/api/v1/messages", { to: "0812-3456-7890", text: "Halo" });
  assert.equal(sent.status, 202);
  await waitUntil(() => statusEvents(receiver.received).length === 1, "sent");
  t.clock.advance(3000); // the sandbox phone: delivered after 1 s, read 2 s later
  await waitUntil(() => statusEvents(receiver.received).length === 3, "delivered and read");
  const endedAt = Math.floor(t.clock.now() / 1000);

  const types = new Set(receiver.received.map((r) => r.body.type));
  assert.ok(types.has("channel.status"), "the channel's connection was reported too");
  assert.ok(types.has("message.status"));
  const deliveryIds = new Set<string>();
  for (const { headers, raw, body } of receiver.received) {
    const what = `${body.type} ${body.id}`;
    assert.match(headers.get("content-type") ?? "", /^application\/json/, what);
    assert.equal(headers.get("x-kabar-event"), body.type, `${what}: X-Kabar-Event is the type`);

    const delivery = headers.get("x-kabar-delivery");
    assert.match(delivery ?? "", /^\S+$/, `${what}: X-Kabar-Delivery`);
    assert.ok(!deliveryIds.has(delivery!), `${what}: one delivery id per delivery`);
    deliveryIds.add(delivery!);

    const timestamp = headers.get("x-kabar-timestamp") ?? "";
    assert.match(timestamp, /^\d{10}$/, `${what}: Unix seconds, not milliseconds`);
    assert.ok(
      Number(timestamp) >= startedAt && Number(timestamp) <= endedAt,
      `${what}: ${timestamp} is Kabar's time of sending (${startedAt}…${endedAt})`,
    );

    const signature = headers.get("x-kabar-signature") ?? "";
    assert.match(signature, /^sha256=[0-9a-f]{64}$/, what);
    assert.equal(signature, signatureOf(hook.secret, timestamp, raw), `${what}: signature`);
    assert.notEqual(
      signature,
      signatureOf(hook.secret, timestamp, raw + " "),
      "tied to the body",
    );
    assert.notEqual(
      signature,
      signatureOf(hook.secret, String(Number(timestamp) + 1), raw),
      "tied to the timestamp",
    );
    assert.notEqual(
      signature,
      signatureOf("whsec_someone-else", timestamp, raw),
      "and the secret",
    );
  }

  // The delivery ids are the ones the delivery log shows, once it has recorded the answers.
  const deliveries = () => api.get(`/api/v1/webhooks/${hook.id}/deliveries?limit=100`);
  await waitUntil(
    async () =>
      (await deliveries()).body.data.every((d: { status: string }) => d.status === "delivered"),
    "every answer recorded",
  );
  const log = await deliveries();
  assert.equal(log.status, 200);
  assert.deepEqual(
    new Set(log.body.data.map((d: { id: number }) => String(d.id))),
    deliveryIds,
  );
});

Deno.test("the metadata given to POST /api/v1/messages comes back in each message.status webhook", async () => {
  await using receiver = startReceiver();
  await using t = await startTestApp();
  const { api, channel } = await setup(t, receiver.url, ["message.status"]);
  const metadata = {
    order: "RJ-77",
    patient: { mrn: "00-12-34", ward: "Anggrek" },
    attempt: 2,
    urgent: true,
    tags: ["lab", "kontrol"],
  };
  const withMetadata = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    text: "Hasil lab Anda sudah siap.",
    metadata,
  });
  assert.equal(withMetadata.status, 202);
  const without = await api.post("/api/v1/messages", { to: "0813-0000-1111", text: "Halo" });
  assert.equal(without.status, 202);
  await waitUntil(() => receiver.received.length === 2, "both sent");
  t.clock.advance(3000);
  await waitUntil(() => receiver.received.length === 6, "both delivered and read");

  assert.ok(receiver.received.every((r) => r.body.type === "message.status"), "only asked-for");
  const about = (id: number) =>
    receiver.received.filter((r) => r.body.data.message.id === id).map((r) => r.body);
  const events = about(withMetadata.body.id);
  assert.deepEqual(events.map((e) => e.data.status), ["sent", "delivered", "read"]);
  for (const event of events) {
    assert.deepEqual(event.data.message.metadata, metadata, `${event.data.status}: metadata`);
    assert.equal(event.data.message.to, "6281234567890");
    assert.equal(event.data.message.channel, channel.id);
    assert.equal(event.data.message.text, "Hasil lab Anda sudah siap.");
    assert.match(event.id, /^evt_\d+$/);
    assert.ok(!Number.isNaN(Date.parse(event.created_at)));
    assert.ok(!Number.isNaN(Date.parse(event.data.at)));
  }
  const plain = about(without.body.id);
  assert.equal(plain.length, 3);
  assert.ok(plain.every((e) => e.data.message.metadata === null), "none given, none echoed");
});
