/**
 * The dispatcher on a real database file with the registry and an injected
 * clock: priority order, pacing, a channel that is down holding its queue,
 * retries then a readable failure, and what a restart finds in `sending`.
 */
import assert from "node:assert/strict";
import { waitUntil } from "../support/wait_until.ts";
import { eq } from "drizzle-orm";
import { PRIORITY } from "../../core/priority.ts";
import { updateChannelOptions } from "../../db/channels.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { enqueueMessage, type OutboundRequest } from "../../db/outbox.ts";
import { messageEvents, messages } from "../../db/schema.ts";
import type { ChannelKind } from "../../core/channel_types.ts";
import type { AdapterFactory, OutboundMessage } from "../../sessions/channel.ts";
import { PermanentSendError } from "../../sessions/channel.ts";
import { Outbox } from "../../sessions/outbox.ts";
import { testRegistry } from "../support/channel_kit.ts";
import { type TempDb, withTempDb } from "../support/temp_db.ts";

/** A channel adapter that records sends and fails as told. */
function recordingAdapter() {
  const sent: OutboundMessage[] = [];
  const failures: (Error | undefined)[] = [];
  let connected = true;
  let callbacks: Parameters<AdapterFactory>[0]["callbacks"] | undefined;
  const factory: AdapterFactory = (context) => {
    callbacks = context.callbacks;
    return {
      start() {
        if (connected) context.callbacks.onStatus("connected");
        return Promise.resolve();
      },
      stop: () => Promise.resolve(),
      logout: () => Promise.resolve(),
      send(message) {
        const failure = failures.shift();
        if (failure) return Promise.reject(failure);
        sent.push(message);
        return Promise.resolve({ externalId: message.externalId ?? `TG${sent.length}` });
      },
    };
  };
  return {
    factory,
    sent,
    failures,
    startDisconnected: () => connected = false,
    connect: () => callbacks!.onStatus("connected"),
  };
}

async function setup(
  t: TempDb,
  kind: ChannelKind,
  adapter: ReturnType<typeof recordingAdapter>,
  options: { idleCheckMs?: number } = {},
) {
  const { registry, events } = await testRegistry(t.db, t.clock, t.dir, {
    [kind]: adapter.factory,
  });
  const channel = await t.addChannel(
    kind === "whatsapp" ? { kind, phone: "6281100000001" } : { kind, name: "Kanal" },
  );
  const writer = new GroupCommit(t.db);
  const outbox = new Outbox({
    db: t.db,
    writer,
    clock: t.clock,
    log: {
      debug() {},
      info() {},
      warn() {},
      error() {},
      with() {
        return this;
      },
    },
    events,
    registry,
    dataDir: t.dir,
    timeZone: "Asia/Jakarta",
    random: () => 0.5,
    idleCheckMs: options.idleCheckMs,
  });
  outbox.start();
  /** Queues a message as another process would that stopped before telling anyone. */
  const queueUnheard = async (text: string) =>
    (await enqueueMessage(t.db, writer, t.clock, {
      channelId: channel.id,
      channelKind: kind,
      to: kind === "telegram" ? { telegramChatId: "4242" } : { phone: "6281234567890" },
      type: "text",
      body: text,
      source: "api",
      priority: PRIORITY.api,
    })).message;
  const queue = async (text: string, extra: Partial<OutboundRequest> = {}) => {
    const { message } = await enqueueMessage(t.db, writer, t.clock, {
      channelId: channel.id,
      channelKind: kind,
      to: kind === "telegram" ? { telegramChatId: "4242" } : { phone: "6281234567890" },
      type: "text",
      body: text,
      source: "api",
      priority: PRIORITY.api,
      ...extra,
    });
    events.publish({
      type: "message.queued",
      channelId: channel.id,
      conversationId: message.conversationId,
      messageId: message.id,
    });
    return message;
  };
  const close = async () => {
    await outbox.stop();
    await registry.stopAll();
  };
  return { registry, events, channel, outbox, writer, queue, queueUnheard, close };
}

const statusOf = async (t: TempDb, id: number) =>
  (await t.db.select().from(messages).where(eq(messages.id, id)))[0].status;

Deno.test("replies and API messages go before broadcasts, one gap apart on WhatsApp", async () => {
  await withTempDb(async (t) => {
    const adapter = recordingAdapter();
    adapter.startDisconnected();
    const s = await setup(t, "whatsapp", adapter);
    await s.registry.start(s.channel.id);
    await s.queue("broadcast 1", { priority: PRIORITY.broadcast, source: "broadcast" });
    await s.queue("api 1");
    await s.queue("reply 1", { priority: PRIORITY.reply, source: "inbox" });
    assert.equal(adapter.sent.length, 0, "a channel that is down holds its queue");

    adapter.connect();
    await waitUntil(() => adapter.sent.length === 1 && t.clock.pendingTimers === 1);
    // WhatsApp waits 1 s plus jitter (here half of 1.5 s) between sends.
    t.clock.advance(1749);
    assert.equal(t.clock.pendingTimers, 1, "not before the gap");
    t.clock.advance(1);
    await waitUntil(() => adapter.sent.length === 2 && t.clock.pendingTimers === 1);
    t.clock.advance(1750);
    await waitUntil(() => adapter.sent.length === 3);
    assert.deepEqual(adapter.sent.map((m) => m.text), ["reply 1", "api 1", "broadcast 1"]);
    assert.ok(
      adapter.sent.every((m) => m.to === "6281234567890" && m.externalId?.startsWith("3EB0")),
    );
    await s.close();
  });
});

Deno.test("a failing send is retried with backoff, then fails with the reason", async () => {
  await withTempDb(async (t) => {
    const adapter = recordingAdapter();
    const s = await setup(t, "sandbox", adapter);
    await updateChannelOptions(t.db, t.clock, CLI_ACTOR, s.channel.id, {
      pacing: { maxAttempts: 3, retryBaseMs: 1000 },
    });
    await s.registry.start(s.channel.id);
    for (let i = 0; i < 3; i++) adapter.failures.push(new Error("network unreachable"));
    const message = await s.queue("hasil lab siap");
    await waitUntil(async () =>
      (await statusOf(t, message.id)) === "queued" && t.clock.pendingTimers > 0
    );
    t.clock.advance(1000);
    await waitUntil(async () => (await t.db.select().from(messageEvents)).length >= 3);
    await waitUntil(() => t.clock.pendingTimers > 0);
    t.clock.advance(2000);
    await waitUntil(async () => (await statusOf(t, message.id)) === "failed");
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    assert.equal(row.error, "network unreachable");
    assert.equal(row.attempts, 3);
    const history = await t.db.select().from(messageEvents).where(
      eq(messageEvents.messageId, message.id),
    );
    assert.deepEqual(history.map((e) => e.status), ["queued", "retry", "retry", "failed"]);

    adapter.failures.push(new PermanentSendError("Telegram refused the message: chat not found"));
    const refused = await s.queue("tidak terkirim");
    await waitUntil(async () => (await statusOf(t, refused.id)) === "failed");
    assert.equal(adapter.sent.length, 0);
    await s.close();
  });
});

Deno.test("after a crash, sending WhatsApp-like messages go again with their id; Telegram's fail", async () => {
  for (const kind of ["sandbox", "telegram"] as const) {
    await withTempDb(async (t) => {
      const adapter = recordingAdapter();
      adapter.startDisconnected();
      const s = await setup(t, kind, adapter);
      const message = await s.queue("pengingat kontrol");
      // What a crash in the middle of a send leaves behind.
      await t.db.update(messages).set({ status: "sending", attempts: 1 }).where(
        eq(messages.id, message.id),
      );
      // Settled as soon as the channel starts, even while it cannot connect.
      await s.registry.start(s.channel.id);
      const history = async () =>
        (await t.db.select().from(messageEvents).where(eq(messageEvents.messageId, message.id)))
          .map((e) => `${e.status}${e.detail ? `: ${e.detail}` : ""}`);
      if (kind === "sandbox") {
        await waitUntil(async () => (await statusOf(t, message.id)) === "queued");
        assert.deepEqual(await history(), [
          "queued",
          "retry: interrupted by a restart: sent again with the same message id",
        ]);
        adapter.connect();
        await waitUntil(() => adapter.sent.length === 1);
        assert.equal(adapter.sent[0].externalId, message.externalId, "the same id again");
        await waitUntil(async () => (await statusOf(t, message.id)) === "sent");
      } else {
        await waitUntil(async () => (await statusOf(t, message.id)) === "failed");
        const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
        assert.equal(row.error, "unknown after restart");
        assert.deepEqual(await history(), ["queued", "failed: unknown after restart"]);
        adapter.connect();
        await waitUntil(() => t.clock.pendingTimers === 0);
        assert.equal(adapter.sent.length, 0);
      }
      await s.close();
    });
  }
});

Deno.test("broadcasts wait out the warm-up after pairing, then go by themselves", async () => {
  await withTempDb(async (t) => {
    const adapter = recordingAdapter();
    adapter.startDisconnected();
    const s = await setup(t, "sandbox", adapter);
    await updateChannelOptions(t.db, t.clock, CLI_ACTOR, s.channel.id, {
      pacing: { warmupDays: 1 },
    });
    const pairedAt = t.clock.now();
    await t.db.$client.execute({
      sql: "UPDATE channels SET paired_at = ? WHERE id = ?",
      args: [pairedAt, s.channel.id],
    });
    await s.registry.start(s.channel.id);
    const broadcast = await s.queue("promo", { priority: PRIORITY.broadcast, source: "broadcast" });
    // A broadcast whose retry time has passed is held all the same.
    const retried = await s.queue("promo lagi", {
      priority: PRIORITY.broadcast,
      source: "broadcast",
    });
    await t.db.update(messages).set({ nextAttemptAt: pairedAt - 1 }).where(
      eq(messages.id, retried.id),
    );
    await s.queue("jadwal");
    adapter.connect();
    await waitUntil(() => adapter.sent.length === 1 && t.clock.pendingTimers === 1);
    assert.equal(adapter.sent[0].text, "jadwal");
    assert.equal(await statusOf(t, broadcast.id), "queued");
    assert.equal(t.clock.nextTimerAt, pairedAt + 86_400_000, "wakes when the warm-up ends");

    t.clock.advance(86_400_000 - 1);
    assert.equal(adapter.sent.length, 1, "not before");
    t.clock.advance(1);
    await waitUntil(() => adapter.sent.length === 3);
    assert.deepEqual(adapter.sent.slice(1).map((m) => m.text).sort(), ["promo", "promo lagi"]);
    await s.close();
  });
});

Deno.test("broadcasts keep their slower pace", async () => {
  await withTempDb(async (t) => {
    const adapter = recordingAdapter();
    const s = await setup(t, "sandbox", adapter);
    await updateChannelOptions(t.db, t.clock, CLI_ACTOR, s.channel.id, {
      pacing: { gapMs: 100, jitterMs: 0, broadcastGapMs: 5_000, broadcastJitterMs: 2_000 },
    });
    await s.queue("promo 1", { priority: PRIORITY.broadcast, source: "broadcast" });
    await s.queue("promo 2", { priority: PRIORITY.broadcast, source: "broadcast" });
    await s.registry.start(s.channel.id);
    await waitUntil(() => adapter.sent.length === 1 && t.clock.pendingTimers === 1);
    // 5 s plus half of the 2 s jitter after a broadcast.
    assert.equal(t.clock.nextTimerAt, t.clock.now() + 6_000);
    t.clock.advance(6_000);
    await waitUntil(() => adapter.sent.length === 2);
    await s.close();
  });
});

Deno.test("a daily cap stops sending until midnight where the hospital is", async () => {
  await withTempDb(async (t) => {
    // 22:00 in Jakarta (UTC+7): two hours before its midnight, seven before UTC's.
    t.clock.advance(Date.UTC(2026, 0, 1, 15) - t.clock.now());
    const adapter = recordingAdapter();
    const s = await setup(t, "sandbox", adapter);
    await updateChannelOptions(t.db, t.clock, CLI_ACTOR, s.channel.id, {
      pacing: { dailyCap: 3 },
    });
    for (let i = 1; i <= 5; i++) await s.queue(`pesan ${i}`);
    await s.registry.start(s.channel.id);
    await waitUntil(() => adapter.sent.length === 3 && t.clock.pendingTimers === 1);
    assert.equal(t.clock.nextTimerAt, Date.UTC(2026, 0, 1, 17), "Jakarta's midnight");
    const waiting = await t.db.select().from(messages).where(eq(messages.status, "queued"));
    assert.equal(waiting.length, 2, "the cap is not overshot by a batch");

    t.clock.advance(2 * 3_600_000);
    await waitUntil(() => adapter.sent.length === 5);
    await s.close();
  });
});

Deno.test("a message another process queued without telling is found by the idle check", async () => {
  await withTempDb(async (t) => {
    const adapter = recordingAdapter();
    const s = await setup(t, "telegram", adapter, { idleCheckMs: 30_000 });
    await s.registry.start(s.channel.id);
    const heard = await s.queue("heard");
    await waitUntil(() => adapter.sent.length === 1);
    // The loop waits out the pause after a send (once the send is recorded); past it, it has
    // nothing left and looks again in 30 s.
    await waitUntil(
      async () =>
        (await statusOf(t, heard.id)) === "sent" && t.clock.nextTimerAt! < t.clock.now() + 30_000,
      "the pause after the send",
    );
    t.clock.advance(10_000);
    await waitUntil(() => t.clock.nextTimerAt === t.clock.now() + 30_000, "the loop to go idle");

    const unheard = await s.queueUnheard("unheard");
    t.clock.advance(29_999);
    assert.equal(await statusOf(t, unheard.id), "queued", "not before the idle check");
    t.clock.advance(1);
    await waitUntil(async () => (await statusOf(t, unheard.id)) === "sent", "the idle check");
    assert.deepEqual(adapter.sent.map((m) => m.text), ["heard", "unheard"]);
    await s.close();
  });
});
