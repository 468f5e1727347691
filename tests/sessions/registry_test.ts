/**
 * The registry on a real database file: a channel whose adapter cannot start
 * is retried with capped backoff on the injected clock without ever taking
 * the process down; sandbox sends and replies are recorded; a session that
 * ends restarts as its adapter asks.
 */
import assert from "node:assert/strict";
import { waitUntil } from "../support/wait_until.ts";
import { eq } from "drizzle-orm";
import { getChannel } from "../../db/channels.ts";
import { conversations, messageEvents, messages } from "../../db/schema.ts";
import type { AdapterFactory, ChannelCallbacks, RestartPolicy } from "../../sessions/channel.ts";
import { nextEvent, testRegistry } from "../support/channel_kit.ts";
import { withTempDb } from "../support/temp_db.ts";

/** An adapter that fails `failures` times, then connects; counts its starts. */
function flakyFactory(failures: number) {
  const starts: number[] = [];
  let callbacks: ChannelCallbacks | undefined;
  const factory: AdapterFactory = (context) => ({
    start() {
      starts.push(context.clock.now());
      callbacks = context.callbacks;
      if (starts.length <= failures) return Promise.reject(new Error("ECONNREFUSED"));
      context.callbacks.onStatus("connected");
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
    logout: () => Promise.resolve(),
    send: () => Promise.resolve({ externalId: "x" }),
  });
  return { factory, starts, close: (policy: RestartPolicy) => callbacks!.onClosed(policy) };
}

Deno.test("an adapter that throws on start is retried with capped backoff", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    const flaky = flakyFactory(4);
    const { registry, lines, events } = await testRegistry(db, clock, dir, {
      telegram: flaky.factory,
    }, { initialMs: 1000, maxMs: 4000 });
    const channel = await addChannel({ kind: "telegram", name: "Bot" });
    const t0 = clock.now();
    // Each new try time is told to open pages (the status itself stays "error").
    const retryTimes: (number | null | undefined)[] = [];
    events.subscribe((e) => {
      if (e.type === "channel.changed") retryTimes.push(registry.live(channel.id)?.retryAt);
    });

    await registry.start(channel.id);
    assert.equal(flaky.starts.length, 1);
    assert.equal((await getChannel(db, channel.id))?.status, "error");
    assert.equal((await getChannel(db, channel.id))?.statusReason, "start_failed");

    // Each retry waits twice as long as the one before, up to 4 s.
    for (const [attempt, wait] of [1000, 2000, 4000, 4000].entries()) {
      await waitUntil(() => clock.pendingTimers === 1);
      clock.advance(wait - 1);
      assert.equal(flaky.starts.length, attempt + 1, "not yet due");
      clock.advance(1);
      await waitUntil(() => flaky.starts.length === attempt + 2);
    }
    await waitUntil(() => registry.live(channel.id)?.status === "connected");
    assert.deepEqual(flaky.starts.map((t) => t - t0), [0, 1000, 3000, 7000, 11000]);
    assert.deepEqual(retryTimes.map((at) => at! - t0), [1000, 3000, 7000, 11000]);
    assert.equal((await getChannel(db, channel.id))?.status, "connected");
    // One line per state change, not per attempt: retries stay "error" until connected.
    const statusLines = lines.filter((l) => l.msg === "channel status").map((l) =>
      l.channel_status
    );
    assert.deepEqual(statusLines, ["connecting", "error", "connected"]);
    await registry.stopAll();
    assert.equal(clock.pendingTimers, 0);
  });
});

Deno.test("a session that ends restarts at once, after backoff, or never, as asked", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    const flaky = flakyFactory(0);
    const { registry } = await testRegistry(db, clock, dir, { whatsapp: flaky.factory }, {
      initialMs: 500,
      maxMs: 500,
    });
    const channel = await addChannel({ kind: "whatsapp", phone: "6281100000001" });
    await registry.start(channel.id);
    assert.equal(flaky.starts.length, 1);

    flaky.close("now");
    await waitUntil(() => flaky.starts.length === 2);

    flaky.close("backoff");
    await waitUntil(() => clock.pendingTimers === 1);
    assert.equal(flaky.starts.length, 2);
    clock.advance(500);
    await waitUntil(() => flaky.starts.length === 3);

    flaky.close("never");
    await waitUntil(() => registry.adapter(channel.id) === undefined);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(flaky.starts.length, 3);
    await registry.stopAll();
  });
});

Deno.test("the sandbox walks a sent message to read and records simulated replies", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    const { registry, events } = await testRegistry(db, clock, dir);
    const channel = await addChannel();
    await registry.start(channel.id);
    assert.equal((await getChannel(db, channel.id))?.status, "connected");

    const inbound = nextEvent(events, (e) => e.type === "message.inbound");
    await registry.simulateInbound(channel.id, {
      phone: "6281234567890",
      name: "Siti",
      text: "Apakah poli gigi buka?",
    });
    await inbound;
    const [conversation] = await db.select().from(conversations);
    const [received] = await db.select().from(messages);
    assert.equal(received.body, "Apakah poli gigi buka?");
    assert.equal(received.status, "received");

    const [out] = await db.insert(messages).values({
      channelId: channel.id,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      direction: "out",
      type: "text",
      body: "Buka jam 8",
      status: "sent",
      externalId: "SBX-1",
      createdAt: clock.now(),
      updatedAt: clock.now(),
    }).returning();
    const adapter = registry.adapter(channel.id)!;
    assert.deepEqual(
      await adapter.send({
        to: "6281234567890",
        type: "text",
        text: "Buka jam 8",
        externalId: "SBX-1",
      }),
      { externalId: "SBX-1" },
    );
    // The same id again (a retry after a crash) is shown once: no second set of receipts.
    await adapter.send({
      to: "6281234567890",
      type: "text",
      text: "Buka jam 8",
      externalId: "SBX-1",
    });
    const delivered = nextEvent(
      events,
      (e) => e.type === "message.status" && e.status === "delivered",
    );
    clock.advance(1000);
    await delivered;
    const read = nextEvent(events, (e) => e.type === "message.status" && e.status === "read");
    clock.advance(2000);
    await read;
    const history = await db.select().from(messageEvents).where(
      eq(messageEvents.messageId, out.id),
    );
    assert.deepEqual(history.map((e) => e.status), ["delivered", "read"]);
    assert.equal(clock.pendingTimers, 0);
    assert.deepEqual(await adapter.checkNumbers!(["6281234567890", "6281200000000"]), [
      { phone: "6281234567890", exists: true, canonical: "6281234567890" },
      { phone: "6281200000000", exists: false },
    ]);
    await registry.stopAll();
  });
});

Deno.test("starts and stops of one channel never overlap: no adapter is left running", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    let running = 0;
    let created = 0;
    const counting: AdapterFactory = () => {
      created++;
      let started = false;
      return {
        async start() {
          await Promise.resolve();
          started = true;
          running++;
        },
        stop() {
          if (started) running--;
          started = false;
          return Promise.resolve();
        },
        logout: () => Promise.resolve(),
        send: () => Promise.resolve({ externalId: "x" }),
      };
    };
    const { registry } = await testRegistry(db, clock, dir, { telegram: counting });
    const channel = await addChannel({ kind: "telegram", name: "Bot" });

    await Promise.all([registry.start(channel.id), registry.start(channel.id)]);
    assert.equal(created, 2);
    assert.equal(running, 1, "a double start leaves one adapter");

    await Promise.all([registry.start(channel.id), registry.stop(channel.id)]);
    assert.equal(running, 0, "a stop during a start leaves none");
    assert.equal(registry.adapter(channel.id), undefined);
    await registry.stopAll();
  });
});

Deno.test("a sandbox stopped before its receipts are due gives them at once", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    const { registry } = await testRegistry(db, clock, dir);
    const channel = await addChannel();
    await registry.start(channel.id);
    await registry.simulateInbound(channel.id, { phone: "6281234567890", text: "Halo" });
    const [conversation] = await db.select().from(conversations);
    await db.insert(messages).values({
      channelId: channel.id,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      direction: "out",
      type: "text",
      body: "Jadwal Anda besok",
      status: "sent",
      externalId: "SBX-2",
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    await registry.adapter(channel.id)!.send({
      to: "6281234567890",
      type: "text",
      externalId: "SBX-2",
    });
    await registry.stop(channel.id);
    assert.equal(clock.pendingTimers, 0);
    const [out] = await db.select().from(messages).where(eq(messages.externalId, "SBX-2"));
    assert.equal(out.status, "read");
    await registry.stopAll();
  });
});
