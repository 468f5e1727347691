/**
 * The sandbox as an integrator tests against it, on a real database with the
 * outbox running and an injected clock: a slow simulated network, and
 * receipts that survive a restart.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { PRIORITY } from "../../core/priority.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, updateChannelOptions } from "../../db/channels.ts";
import { enqueueMessage } from "../../db/outbox.ts";
import { messages, sandboxInbox } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

async function sandboxChannel(t: TestApp, timing: Record<string, number>) {
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Uji",
  });
  await updateChannelOptions(t.deps.db, t.clock, CLI_ACTOR, channel.id, timing);
  return channel;
}

async function queue(t: TestApp, channelId: number, phone: string) {
  const { message } = await enqueueMessage(t.deps.db, t.deps.writer, t.clock, {
    channelId,
    channelKind: "sandbox",
    to: { phone },
    type: "text",
    body: "Hasil lab sudah siap",
    source: "api",
    priority: PRIORITY.api,
  });
  t.deps.events.publish({
    type: "message.queued",
    channelId,
    conversationId: message.conversationId,
    messageId: message.id,
  });
  return message;
}

const statusOf = async (t: TestApp, id: number) =>
  (await t.deps.db.select().from(messages).where(eq(messages.id, id)))[0].status;

Deno.test("a slow sandbox network: the phone has the message while it is still sending", async () => {
  await using t = await startTestApp();
  const channel = await sandboxChannel(t, {
    acceptAfterMs: 500,
    deliverAfterMs: 1000,
    readAfterMs: 2000,
  });
  await t.deps.registry.start(channel.id);
  const message = await queue(t, channel.id, "6281234567890");
  await waitUntil(async () => (await t.deps.db.select().from(sandboxInbox)).length === 1);
  // The phone shows it before the network's timer is set: advancing the clock in between
  // would leave the timer behind (a loaded machine gets there).
  await waitUntil(() => t.clock.nextTimerAt === t.clock.now() + 500, "the network's timer set");
  assert.equal(await statusOf(t, message.id), "sending");
  t.clock.advance(499);
  assert.equal(await statusOf(t, message.id), "sending", "not before the network takes it");
  t.clock.advance(1);
  await waitUntil(async () => (await statusOf(t, message.id)) === "sent");
  t.clock.advance(1000);
  await waitUntil(async () => (await statusOf(t, message.id)) === "delivered");
  t.clock.advance(2000);
  await waitUntil(async () => (await statusOf(t, message.id)) === "read");
});

Deno.test("receipts a restart left owing are given when the sandbox starts again", async () => {
  await using t = await startTestApp();
  const channel = await sandboxChannel(t, { deliverAfterMs: 1000, readAfterMs: 2000 });
  const now = t.clock.now();
  // What a kill -9 leaves: shown on the phones, receipts not given yet.
  const owing = [
    { message: await queue(t, channel.id, "6281100000001"), status: "sent", shownAgo: 1500 },
    { message: await queue(t, channel.id, "6281100000002"), status: "delivered", shownAgo: 5000 },
  ] as const;
  for (const { message, status, shownAgo } of owing) {
    await t.deps.db.update(messages).set({ status }).where(eq(messages.id, message.id));
    await t.deps.db.insert(sandboxInbox).values({
      channelId: channel.id,
      externalId: message.externalId!,
      firstAt: now - shownAgo,
    });
  }
  await t.deps.registry.start(channel.id);
  const [sent, delivered] = owing.map((o) => o.message.id);
  await waitUntil(async () =>
    (await statusOf(t, sent)) === "delivered" && (await statusOf(t, delivered)) === "read"
  );
  t.clock.advance(1499);
  assert.equal(await statusOf(t, sent), "delivered", "read at its own time, not before");
  t.clock.advance(1);
  await waitUntil(async () => (await statusOf(t, sent)) === "read");
});

Deno.test("a message to a number not on WhatsApp (ending 0000) stays sent, as on WhatsApp", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api } = await apiKey(t, ["*"]);
  const sent = await api.post("/api/v1/messages", {
    channel: channel.id,
    to: "081234560000",
    text: "Halo",
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await waitUntil(async () =>
    (await api.get(`/api/v1/messages/${sent.body.id}`)).body.status === "sent"
  );
  t.clock.advance(60_000);
  await t.deps.registry.stop(channel.id);
  await t.deps.registry.start(channel.id);
  t.clock.advance(60_000);
  const after = await api.get(`/api/v1/messages/${sent.body.id}`);
  assert.equal(after.body.status, "sent", "no delivered or read ever comes");
});

Deno.test("a sandbox stopping gives every receipt it owes, each message's in order", async () => {
  await using t = await startTestApp();
  const channel = await sandboxChannel(t, { deliverAfterMs: 1000, readAfterMs: 2000 });
  await t.deps.registry.start(channel.id);
  const queued = [];
  for (let i = 0; i < 40; i++) queued.push(await queue(t, channel.id, `62812345${1000 + i}`));
  await waitUntil(async () => {
    const rows = await t.deps.db.select().from(messages).where(eq(messages.status, "sent"));
    return rows.length === 40;
  }, "all sent");
  await t.deps.registry.stop(channel.id);
  for (const message of queued) assert.equal(await statusOf(t, message.id), "read");
  const { rows } = await t.deps.db.$client.execute(
    `SELECT message_id, group_concat(status, ' ') AS steps
      FROM (SELECT message_id, status FROM message_events ORDER BY id) GROUP BY message_id`,
  );
  assert.equal(rows.length, 40);
  for (const row of rows) assert.match(String(row.steps), /sent delivered read$/);
});
