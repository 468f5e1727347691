/**
 * What no request waits on, through a full disk: receipts, the outbox's
 * record of a send, WhatsApp messages (never delivered again) are kept and
 * stored once space is back, without a restart; a Telegram update is left
 * for Telegram to deliver again, file and all. Retries run on the injected
 * clock. The receipt and the outbox run on a real small disk too, where this
 * machine lets a test mount one.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import type { WAMessage } from "@whiskeysockets/baileys";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, getChannel, updateChannelOptions } from "../../db/channels.ts";
import { asDiskFull, DiskFullError } from "../../db/errors.ts";
import { messageEvents, messages } from "../../db/schema.ts";
import type { AdapterContext, AdapterFactory, InboundMessage } from "../../sessions/channel.ts";
import { telegramAdapter } from "../../sessions/telegram.ts";
import { whatsappAdapter } from "../../sessions/whatsapp.ts";
import { startFakeTelegram } from "../fakes/telegram_api.ts";
import { fakeSocketMaker } from "../fakes/baileys_socket.ts";
import { testRegistry } from "../support/channel_kit.ts";
import { type DiskVariant, INJECTED, realSmallDisk } from "../support/small_disk.ts";
import { withTempDb } from "../support/temp_db.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { apiKey } from "../support/api_key.ts";

/** Runs `fn` on a test app with a sandbox channel whose timing is `options`, on `variant`'s disk. */
async function onDisk(
  variant: DiskVariant,
  options: Record<string, number>,
  fn: (
    t: TestApp,
    disk: ReturnType<DiskVariant["switchFor"]>,
    send: (text: string) => Promise<number>,
  ) => Promise<void>,
): Promise<void> {
  await using place = await variant.setUp();
  await using t = await startTestApp(place.dataDir ? { KABAR_DATA_DIR: place.dataDir } : {});
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Latihan",
  });
  await updateChannelOptions(t.deps.db, t.clock, CLI_ACTOR, channel.id, options);
  await t.deps.registry.start(channel.id);
  const { api } = await apiKey(t);
  const send = async (text: string) => {
    const answer = await api.post("/api/v1/messages", { to: "081234567890", text });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    return answer.body.id as number;
  };
  const disk = variant.switchFor(t.deps.db);
  try {
    await fn(t, disk, send);
  } finally {
    // A test that failed with the disk full must not leave Kabar to stop on it.
    await disk.free();
  }
}

async function statusOf(t: TestApp, id: number): Promise<string> {
  const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, id));
  return row.status;
}

for (const variant of [INJECTED, realSmallDisk()]) {
  Deno.test({
    name: `a receipt refused by a full disk is applied once space is back, ` +
      `without a restart (${variant.name})`,
    ignore: variant.ignore,
    fn: () =>
      onDisk(variant, { deliverAfterMs: 1000, readAfterMs: 3_600_000 }, async (t, disk, send) => {
        const id = await send("Jadwal kontrol Anda: Senin 09.00.");
        await waitUntil(async () => await statusOf(t, id) === "sent", "the message sent");

        await disk.fill();
        t.clock.advance(1000); // the sandbox reports it delivered
        await waitUntil(() => t.deps.writer.kept.size === 1, "the receipt kept");
        assert.equal(await statusOf(t, id), "sent");

        await disk.free();
        t.clock.advance(1000); // the kept receipt's first retry
        await waitUntil(async () => await statusOf(t, id) === "delivered", "the receipt applied");
        await waitUntil(() => t.deps.writer.kept.size === 0, "nothing left kept");
        const history = await t.deps.db.select().from(messageEvents)
          .where(eq(messageEvents.messageId, id));
        assert.deepEqual(history.map((e) => e.status), ["queued", "sent", "delivered"]);
      }),
  });

  Deno.test({
    name: `a send's record refused by a full disk is kept: the message ends sent, ` +
      `not left sending (${variant.name})`,
    ignore: variant.ignore,
    fn: () =>
      onDisk(variant, { acceptAfterMs: 1000, deliverAfterMs: 3_600_000 }, async (t, disk, send) => {
        const id = await send("Hasil lab sudah keluar.");
        // The simulated phone has it; the network takes it a second later.
        await waitUntil(async () => {
          const { rows } = await t.deps.db.$client.execute(
            "SELECT count(*) AS n FROM sandbox_inbox",
          );
          return Number(rows[0].n) === 1;
        }, "the message handed over");
        // The phone shows it before the network's timer is set: advancing the clock in
        // between would leave the timer behind (a loaded machine gets there).
        await waitUntil(
          () => t.clock.nextTimerAt === t.clock.now() + 1000,
          "the network's timer set",
        );
        assert.equal(await statusOf(t, id), "sending");

        await disk.fill();
        t.clock.advance(1000); // the sandbox network takes it
        await waitUntil(() => t.deps.writer.kept.size === 1, "the record kept");
        assert.equal(await statusOf(t, id), "sending");

        await disk.free();
        t.clock.advance(1000);
        await waitUntil(async () => await statusOf(t, id) === "sent", "the record stored");
        const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, id));
        assert.match(row.externalId ?? "", /^SBX/);
        assert.equal(row.attempts, 1, "sent once");
      }),
  });
}

Deno.test("receipts kept through a full disk are retried 1 s, then 2 s later, and land in order", async () => {
  await onDisk(INJECTED, { deliverAfterMs: 1000, readAfterMs: 1000 }, async (t, disk, send) => {
    const id = await send("Obat sudah bisa diambil.");
    await waitUntil(async () => await statusOf(t, id) === "sent", "the message sent");
    await disk.fill();
    t.clock.advance(1000); // delivered
    await waitUntil(() => t.deps.writer.kept.size === 1, "delivered kept");
    t.clock.advance(1000); // read, and the first retry of delivered: both refused again
    await waitUntil(() => t.deps.writer.kept.size === 2, "read kept behind it");
    t.clock.advance(1999);
    assert.equal(t.deps.writer.kept.size, 2);
    await disk.free();
    t.clock.advance(1); // 2 s after the last try
    await waitUntil(async () => await statusOf(t, id) === "read", "both applied");
    const history = await t.deps.db.select().from(messageEvents)
      .where(eq(messageEvents.messageId, id));
    assert.deepEqual(history.map((e) => e.status), ["queued", "sent", "delivered", "read"]);
  });
});

let seq = 0;
function incoming(text: string): WAMessage {
  return {
    key: { remoteJid: "6281234567890@s.whatsapp.net", fromMe: false, id: `3AFULL${++seq}` },
    message: { conversation: text },
    messageTimestamp: 1_767_225_600,
    pushName: "Budi",
  };
}

Deno.test("WhatsApp messages that arrive on a full disk are stored once space is back, in order", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    const { makeSocket, sockets } = fakeSocketMaker();
    const { registry, writer } = await testRegistry(db, clock, dir, {
      whatsapp: whatsappAdapter({ makeSocket }),
    });
    const channel = await addChannel({ kind: "whatsapp", name: "WA", phone: "6281100000001" });
    await registry.start(channel.id);
    sockets[0].open("6281100000001:7@s.whatsapp.net");
    await waitUntil(async () => {
      const stored = await getChannel(db, channel.id);
      return stored?.status === "connected" && stored.pairedAt !== null;
    }, "connected and paired, as stored");
    const disk = INJECTED.switchFor(db);

    await disk.fill();
    // WhatsApp has these already acknowledged: they will not come again.
    sockets[0].receive([incoming("Selamat pagi, saya mau daftar.")]);
    sockets[0].receive([incoming("Untuk poli gigi.")]);
    await waitUntil(() => writer.kept.size === 2, "both messages kept");
    assert.equal((await db.select().from(messages)).length, 0);

    await disk.free();
    clock.advance(1000);
    await waitUntil(async () => (await db.select().from(messages)).length === 2, "both stored");
    const stored = await db.select().from(messages).orderBy(messages.id);
    assert.deepEqual(stored.map((m) => m.body), [
      "Selamat pagi, saya mau daftar.",
      "Untuk poli gigi.",
    ]);
    await registry.stopAll();
  });
});

Deno.test("a simulated reply refused by a full disk is refused to its caller, nothing stored", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    const { registry } = await testRegistry(db, clock, dir);
    const channel = await addChannel();
    await registry.start(channel.id);
    await INJECTED.switchFor(db).fill();
    await assert.rejects(
      registry.simulateInbound(channel.id, { phone: "6281234567890", text: "Halo" }),
      (e) => asDiskFull(e)?.status === 507,
    );
    assert.equal((await db.select().from(messages)).length, 0);
    await INJECTED.switchFor(db).free();
    await registry.stopAll();
  });
});

const TOKEN = "7000001:AAHk3vJ9mQ2xR7tY5uW8zB1cD4eF6gH0iJk";

Deno.test("Telegram: an update refused by a full disk is polled again and keeps its file", async () => {
  await using fake = startFakeTelegram({ token: TOKEN });
  const clock = new ManualClock();
  const inbound: InboundMessage[] = [];
  let attempts = 0;
  const context: AdapterContext = {
    channel: { id: 1, kind: "telegram", name: "Bot", phone: null, secret: TOKEN, options: {} },
    callbacks: {
      onQr() {},
      onPairingCode() {},
      onStatus() {},
      onIdentity() {},
      onLidMapping() {},
      onInbound(message) {
        if (++attempts <= 5) {
          return Promise.reject(new DiskFullError("SQLITE_FULL", "/var/lib/kabar", 0));
        }
        inbound.push(message);
        return Promise.resolve();
      },
      onReceipt: () => Promise.resolve(),
      onClosed() {},
    },
    clock,
    log: silentLogger,
    authStore: {
      get: () => Promise.reject(new Error("not used")),
      set: () => Promise.reject(new Error("not used")),
      clear: () => Promise.reject(new Error("not used")),
    },
    findSentText: () => Promise.resolve(undefined),
    mediaMaxBytes: 16 * 1024 * 1024,
    ledger: {
      record: () => Promise.reject(new Error("not used")),
      awaitingReceipts: () => Promise.reject(new Error("not used")),
    },
  };
  await using stack = new AsyncDisposableStack();
  const adapter = stack.adopt(
    telegramAdapter(fake.apiRoot, { pollTimeoutSeconds: 1 })(context),
    (adapter) => adapter.stop(),
  );
  const offsets = () =>
    fake.calls.filter((c) => c.method === "getUpdates").map((c) => Number(c.params.offset ?? 0));
  await adapter.start();
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const pushed = fake.pushPhoto(4242, photo, "hasil rontgen");
  // Five refusals, each waited out on the clock (1, 2, 4, 8, 16 s), the offset held back.
  for (const [i, wait] of [1000, 2000, 4000, 8000, 16000].entries()) {
    // The download's own timer is gone by then: the one left is the wait.
    await waitUntil(() => attempts === i + 1 && clock.pendingTimers === 1, `refusal ${i + 1}`);
    assert.equal(inbound.length, 0);
    assert.ok(offsets().every((o) => o <= pushed.update_id), "not confirmed to Telegram");
    clock.advance(wait);
  }
  await waitUntil(() => inbound.length === 1, "the update stored");
  assert.equal(inbound[0].text, "hasil rontgen");
  assert.deepEqual(inbound[0].media?.data, photo, "the file came with it");
  await waitUntil(() => offsets().includes(pushed.update_id + 1), "confirmed once stored");
});

Deno.test("a received photo that does not fit in the room kept for messages comes in without it", async () => {
  await withTempDb(async ({ db, clock, dir, addChannel }) => {
    let context: AdapterContext | undefined;
    const captured: AdapterFactory = (ctx) => {
      context = ctx;
      return {
        start: () => Promise.resolve(),
        stop: () => Promise.resolve(),
        logout: () => Promise.resolve(),
        send: () => Promise.reject(new Error("not sending here")),
      };
    };
    const { registry, lines } = await testRegistry(db, clock, dir, { whatsapp: captured });
    const channel = await addChannel({ kind: "whatsapp", name: "WA", phone: "6281100000002" });
    await registry.start(channel.id);
    db.$disk.lowBytes = Number.MAX_SAFE_INTEGER; // as if the disk were nearly full
    await context!.callbacks.onInbound({
      externalId: "3APHOTO1",
      from: { phone: "6281234567890" },
      type: "image",
      text: "Foto rujukan",
      media: { data: new Uint8Array(1024), mimeType: "image/jpeg" },
      at: clock.now(),
    }, { keep: true });
    const [stored] = await db.select().from(messages);
    assert.equal(stored.body, "Foto rujukan", "the message is stored at once");
    assert.equal(stored.mediaId, null, "without its file");
    assert.ok(lines.some((l) => l.msg === "a received file was not kept: the disk is nearly full"));
    await registry.stopAll();
  });
});
