/**
 * Claiming webhook deliveries: two workers (two processes on one database)
 * that choose the same deliveries at the same moment never both take one; an
 * endpoint that is down, however large its backlog, does not keep another
 * one's due deliveries from being claimed; a conversation's next delivery
 * falls due when the one before it is done.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import {
  claimDeliveries,
  type ClaimedDelivery,
  createWebhook,
  deliveryOutcome,
  type UnbuiltDelivery,
} from "../../db/webhooks.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";

const HOUR = 3_600_000;

const bodies = (deliveries: UnbuiltDelivery[]) =>
  Promise.resolve(new Map(deliveries.map((d) => [d.id, `{"id":${d.id}}`])));

/** Stores `count` message events of a channel; `conversation` is the i-th one's, in SQL. */
async function storeEvents(
  t: TestApp,
  channelId: number,
  count: number,
  conversation: string,
): Promise<void> {
  await t.deps.db.$client.execute({
    sql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
      INSERT INTO webhook_events (type, channel_id, conversation_id, created_at)
      SELECT 'message.status', ?, ${conversation}, ? FROM n`,
    args: [count, channelId, t.clock.now()],
  });
}

/** Records an attempt of each delivery: delivered, failed, or to retry at `retryAt`. */
async function record(
  t: TestApp,
  deliveries: ClaimedDelivery[],
  outcome: { result: "delivered" } | { result: "failed" } | { result: "retry"; retryAt: number },
): Promise<void> {
  const now = t.clock.now();
  await t.deps.writer.write(deliveries.map((d) =>
    deliveryOutcome(d.id, {
      payload: d.payload,
      statusCode: outcome.result === "delivered" ? 200 : 503,
      excerpt: null,
      error: outcome.result === "delivered" ? null : "the endpoint answered 503",
      now,
      ...outcome,
    })
  ));
}

/** A webhook's deliveries counted by status and whether they wait for an earlier one or are due. */
async function backlogOf(t: TestApp, webhookId: number) {
  const { rows } = await t.deps.db.$client.execute({
    sql: `SELECT status, next_attempt_at IS NULL AS waiting, next_attempt_at <= ? AS due,
        count(*) AS n
      FROM webhook_deliveries WHERE webhook_id = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    args: [t.clock.now(), webhookId],
  });
  return rows.map((r) => ({
    status: String(r.status),
    waiting: Boolean(r.waiting),
    due: r.due === null ? null : Boolean(r.due),
    n: Number(r.n),
  }));
}

Deno.test("two workers claiming at once never take one delivery twice", async () => {
  await using t = await startTestApp();
  await t.deps.webhooks.stop(); // the two claimers below are the only workers
  const channel = await sandbox(t, { name: "S" });
  await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    url: "http://127.0.0.1:9/never",
    events: ["message.received"],
    channelId: null,
  });
  const CONTACTS = 20;
  for (const round of [1, 2]) {
    await Promise.all(
      Array.from({ length: CONTACTS }, (_, i) =>
        t.deps.registry.simulateInbound(channel.id, {
          phone: `6281300000${String(i).padStart(2, "0")}`,
          text: `pesan ${round}`,
        })),
    );
  }
  // Both choose before either writes: each builds its bodies only once the other has chosen too.
  let chosen = 0;
  const { promise: bothChose, resolve } = Promise.withResolvers<void>();
  const build = (who: string) => async (deliveries: UnbuiltDelivery[]) => {
    if (++chosen === 2) resolve();
    await bothChose;
    return new Map(deliveries.map((d) => [d.id, `${who} ${d.id}`]));
  };
  const [a, b] = await Promise.all([
    claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 100, build("a")),
    claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 100, build("b")),
  ]);
  assert.equal(chosen, 2);
  const ids = [...a, ...b].map((d) => d.id);
  assert.equal(ids.length, CONTACTS, "one delivery per conversation, the first of each");
  assert.equal(new Set(ids).size, ids.length, "none taken twice");
  const { rows } = await t.deps.db.$client.execute(
    "SELECT id, payload, attempts FROM webhook_deliveries WHERE status = 'delivering' ORDER BY id",
  );
  assert.deepEqual(rows.map((r) => Number(r.id)), [...ids].sort((x, y) => x - y));
  for (const d of [...a, ...b]) {
    const stored = rows.find((r) => Number(r.id) === d.id)!;
    assert.equal(d.payload, stored.payload, "the body sent is the body stored");
    assert.equal(d.attempts, 1);
    assert.equal(Number(stored.attempts), 1);
  }
  assert.deepEqual(
    await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 100, build("c")),
    [],
    "the second of each conversation waits for the first",
  );
});

Deno.test("a down endpoint's large backlog does not keep another endpoint's due deliveries from being claimed", async () => {
  await using t = await startTestApp();
  await t.deps.webhooks.stop(); // the claims below are the only ones
  const channelA = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "A",
  });
  const channelB = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "B",
  });
  const { webhook: down } = await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    url: "http://127.0.0.1:9/down",
    events: ["*"],
    channelId: channelA.id,
  });
  // 2,000 conversations with 10 events each for the endpoint that is down.
  const CONVERSATIONS = 2_000;
  await storeEvents(t, channelA.id, 10 * CONVERSATIONS, `i % ${CONVERSATIONS} + 1`);
  const firsts = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 5_000, 5_000, bodies);
  assert.equal(firsts.length, CONVERSATIONS, "the first delivery of each conversation");
  await record(t, firsts, { result: "retry", retryAt: t.clock.now() + HOUR });
  // And, as after a broadcast, 5,000 conversations whose one delivery waits for its retry.
  await t.deps.db.$client.execute({
    sql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 5000)
        INSERT INTO webhook_deliveries (webhook_id, order_key, event, payload, status, attempts,
          next_attempt_at, created_at)
        SELECT ?, 10000 + i, 'message.status', '{}', 'pending', 4, ?, ? FROM n`,
    args: [down.id, t.clock.now() + HOUR, t.clock.now() - HOUR],
  });
  assert.deepEqual(await backlogOf(t, down.id), [
    { status: "pending", waiting: false, due: false, n: CONVERSATIONS + 5_000 },
    { status: "pending", waiting: true, due: null, n: 9 * CONVERSATIONS },
  ]);
  assert.deepEqual(
    await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 64, bodies),
    [],
    "nothing of the endpoint that is down is due",
  );

  const { webhook: up } = await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    url: "http://127.0.0.1:9/up",
    events: ["*"],
    channelId: channelB.id,
  });
  await storeEvents(t, channelB.id, 30, "100000 + i");
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id",
    args: [up.id],
  });
  const ids = rows.map((r) => Number(r.id));
  assert.equal(ids.length, 30);
  const first = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 20, 64, bodies);
  assert.deepEqual(first.map((d) => d.id), ids.slice(0, 20), "the oldest first");
  assert.ok(first.every((d) => d.webhookId === up.id && d.payload === `{"id":${d.id}}`));
  const rest = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 64, bodies);
  assert.deepEqual(rest.map((d) => d.id), ids.slice(20));

  // An hour later the retries are due again: the first of each conversation, nothing behind it.
  t.clock.advance(HOUR);
  const retried = await claimDeliveries(
    t.deps.db,
    t.deps.writer,
    t.clock,
    10_000,
    10_000,
    bodies,
  );
  assert.equal(retried.length, CONVERSATIONS + 5_000);
  assert.deepEqual(
    retried.filter((d) => d.orderKey! <= CONVERSATIONS).map((d) => d.id),
    firsts.map((d) => d.id),
  );
});

Deno.test("a conversation's next delivery falls due when the one before it is done or gone", async () => {
  await using t = await startTestApp();
  await t.deps.webhooks.stop();
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "S",
  });
  const { webhook } = await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
    url: "http://127.0.0.1:9/hook",
    events: ["*"],
    channelId: null,
  });
  const at = t.clock.now();
  // Conversation 1: four events; conversation 2: one.
  await storeEvents(t, channel.id, 4, "1");
  t.clock.advance(1_000);
  await storeEvents(t, channel.id, 1, "2");
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT id, next_attempt_at FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id",
    args: [webhook.id],
  });
  const ids = rows.map((r) => Number(r.id));
  assert.deepEqual(
    rows.map((r) => r.next_attempt_at === null ? null : Number(r.next_attempt_at)),
    [at, null, null, null, at + 1_000],
    "those behind an earlier one have no time yet",
  );
  const take = async (expected: number[], message = "the deliveries claimed") => {
    const claimed = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 64, bodies);
    assert.deepEqual(claimed.map((d) => d.id), expected, message);
    return claimed;
  };

  const [d1, d5] = await take([ids[0], ids[4]]);
  await take([], "the second waits while the first is out");
  await record(t, [d1], { result: "retry", retryAt: t.clock.now() + 10_000 });
  await take([], "and while the first waits for its retry");
  await record(t, [d5], { result: "delivered" });
  t.clock.advance(10_000);
  await record(t, await take([ids[0]]), { result: "delivered" });
  // The second falls due at its event's time, as if it had been waiting due all along.
  const { rows: [second] } = await t.deps.db.$client.execute({
    sql: "SELECT next_attempt_at FROM webhook_deliveries WHERE id = ?",
    args: [ids[1]],
  });
  assert.equal(Number(second.next_attempt_at), at);
  await record(t, await take([ids[1]]), { result: "failed" });
  // The third is deleted before it goes out: the fourth is next.
  await t.deps.db.$client.execute({
    sql: "DELETE FROM webhook_deliveries WHERE id = ?",
    args: [ids[2]],
  });
  await record(t, await take([ids[3]]), { result: "delivered" });
  await take([]);
});

Deno.test("more endpoints than one claiming query takes are all served, oldest first", async () => {
  await using t = await startTestApp();
  await t.deps.webhooks.stop();
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "S",
  });
  const ENDPOINTS = 150;
  for (let i = 0; i < ENDPOINTS; i++) {
    await createWebhook(t.deps.db, t.clock, t.deps.secretBox, CLI_ACTOR, {
      url: `http://127.0.0.1:9/hook${i}`,
      events: ["*"],
      channelId: null,
    });
  }
  // Two events of two conversations: each endpoint gets one delivery of each.
  await storeEvents(t, channel.id, 2, "i + 1");
  const { rows } = await t.deps.db.$client.execute(
    "SELECT id FROM webhook_deliveries ORDER BY id",
  );
  const ids = rows.map((r) => Number(r.id));
  assert.equal(ids.length, 2 * ENDPOINTS);
  const first = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 500, 1, bodies);
  assert.deepEqual(first.map((d) => d.id), ids.slice(0, ENDPOINTS), "one each, the oldest");
  const second = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 2, bodies);
  assert.deepEqual(second.map((d) => d.id), ids.slice(ENDPOINTS, ENDPOINTS + 100));
  const rest = await claimDeliveries(t.deps.db, t.deps.writer, t.clock, 100, 2, bodies);
  assert.deepEqual(rest.map((d) => d.id), ids.slice(ENDPOINTS + 100));
});
