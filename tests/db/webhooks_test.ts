/**
 * Claiming webhook deliveries: two workers (two processes on one database)
 * that choose the same deliveries at the same moment never both take one.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { claimDeliveries, createWebhook, type UnbuiltDelivery } from "../../db/webhooks.ts";
import { startTestApp } from "../support/test_app.ts";

Deno.test("two workers claiming at once never take one delivery twice", async () => {
  const t = await startTestApp();
  try {
    await t.deps.webhooks.stop(); // the two claimers below are the only workers
    const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
      kind: "sandbox",
      name: "S",
    });
    await t.deps.registry.start(channel.id);
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
  } finally {
    await t.close();
  }
});
