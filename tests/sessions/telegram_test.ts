import assert from "node:assert/strict";
import { waitUntil } from "../support/wait_until.ts";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import type {
  AdapterContext,
  ChannelAdapter,
  ChannelCallbacks,
  InboundMessage,
} from "../../sessions/channel.ts";
import { checkTelegramToken, telegramAdapter } from "../../sessions/telegram.ts";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram_api.ts";
import { bytesOf, SAMPLES } from "../support/media_samples.ts";

const TOKEN = "7000001:AAHk3vJ9mQ2xR7tY5uW8zB1cD4eF6gH0iJk";
const OTHER_TOKEN = "7000001:AAH00000000000000000000000000000000";

interface Harness {
  adapter: ChannelAdapter;
  clock: ManualClock;
  /** `connecting`, `error:unreachable`, … in the order reported. */
  statuses: string[];
  identities: (string | undefined)[];
  closed: string[];
  inbound: InboundMessage[];
}

function harness(
  fake: FakeTelegram,
  {
    token = TOKEN,
    pollTimeoutSeconds = 1,
    onInbound,
  }: {
    token?: string;
    pollTimeoutSeconds?: number;
    onInbound?: (message: InboundMessage) => Promise<void>;
  } = {},
): Harness {
  const clock = new ManualClock();
  const statuses: string[] = [];
  const identities: (string | undefined)[] = [];
  const closed: string[] = [];
  const inbound: InboundMessage[] = [];
  const callbacks: ChannelCallbacks = {
    onQr() {},
    onPairingCode() {},
    onStatus: (status, reason) => statuses.push(reason ? `${status}:${reason}` : status),
    onIdentity: (identity) => identities.push(identity.botUsername),
    onLidMapping() {},
    async onInbound(message) {
      await onInbound?.(message);
      inbound.push(message);
    },
    onReceipt: () => Promise.resolve(),
    onClosed: (policy) => closed.push(policy),
  };
  const context: AdapterContext = {
    channel: { id: 1, kind: "telegram", name: "Bot", phone: null, secret: token, options: {} },
    callbacks,
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
  const adapter = telegramAdapter(fake.apiRoot, { pollTimeoutSeconds })(context);
  return { adapter, clock, statuses, identities, closed, inbound };
}

const offsets = (fake: FakeTelegram) =>
  fake.calls.filter((c) => c.method === "getUpdates").map((c) => Number(c.params.offset ?? 0));

Deno.test("checkTelegramToken tells a good token from a bad or unreachable one", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  try {
    const malformed = await checkTelegramToken("not-a-token", fake.apiRoot);
    assert.equal(malformed.ok, false);
    assert.match(!malformed.ok ? malformed.reason : "", /does not look like a bot token/);
    assert.equal(!malformed.ok && malformed.problem, "format");
    assert.equal(fake.calls.length, 0);

    const rejected = await checkTelegramToken(OTHER_TOKEN, fake.apiRoot);
    assert.equal(rejected.ok, false);
    assert.match(!rejected.ok ? rejected.reason : "", /does not accept this bot token/);
    assert.equal(!rejected.ok && rejected.problem, "rejected");

    assert.deepEqual(await checkTelegramToken(TOKEN, `${fake.apiRoot}/`), {
      ok: true,
      username: "kabar_test_bot",
      id: 7000001,
    });
  } finally {
    await fake.close();
  }
  const unreachable = await checkTelegramToken(TOKEN, fake.apiRoot);
  assert.equal(unreachable.ok, false);
  assert.ok(!unreachable.ok && unreachable.problem === "unreachable");
  assert.match(
    !unreachable.ok ? unreachable.reason : "",
    new RegExp(`^cannot reach the Telegram Bot API at ${fake.apiRoot}: .+`),
    "the reason names the failure too",
  );
});

Deno.test("start refuses a token Telegram rejects and asks not to restart", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  try {
    const h = harness(fake, { token: OTHER_TOKEN });
    await assert.rejects(h.adapter.start(), /Telegram rejected the bot token/);
    assert.deepEqual(h.statuses, ["connecting", "error:bad_token"]);
    assert.deepEqual(h.closed, ["never"]);
    await h.adapter.stop();

    const callsBefore = fake.calls.length;
    const malformed = harness(fake, { token: "12345" });
    await assert.rejects(malformed.adapter.start(), /no valid bot token/);
    assert.deepEqual(malformed.statuses, ["error:bad_token"]);
    assert.deepEqual(malformed.closed, ["never"]);
    assert.equal(fake.calls.length, callsBefore);
  } finally {
    await fake.close();
  }
});

Deno.test("a good token connects, reports the bot and takes in text and media", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  try {
    await h.adapter.start();
    assert.deepEqual(h.identities, ["kabar_test_bot"]);
    assert.ok(fake.calls.some((c) => c.method === "deleteWebhook"));
    await waitUntil(() => h.statuses.includes("connected"));
    assert.deepEqual(h.statuses, ["connecting", "connected"]);

    const text = fake.pushText(42, "Halo, apakah toko buka?");
    await waitUntil(() => h.inbound.length === 1);
    assert.deepEqual(h.inbound[0], {
      externalId: `42:${text.message_id}`,
      from: { telegramChatId: "42", pushName: "Siti Rahma" },
      type: "text",
      text: "Halo, apakah toko buka?",
      at: (1767225600 + text.message_id) * 1000,
    });

    const jpeg = bytesOf(SAMPLES.jpeg, crypto.getRandomValues(new Uint8Array(4096)));
    const photo = fake.pushPhoto(42, jpeg, "foto struk", {
      id: 42,
      first_name: "",
      username: "budi",
    });
    await waitUntil(() => h.inbound.length === 2);
    const image = h.inbound[1];
    assert.equal(image.externalId, `42:${photo.message_id}`);
    assert.equal(image.type, "image");
    assert.equal(image.text, "foto struk");
    assert.equal(image.from.pushName, "budi");
    assert.equal(image.media?.mimeType, "image/jpeg");
    assert.deepEqual(image.media?.data, jpeg);

    const pdf = new TextEncoder().encode("%PDF-1.7 invoice");
    fake.pushDocument(42, pdf, "invoice 12.pdf", "application/pdf");
    fake.pushVoice(42, SAMPLES.oggOpus);
    await waitUntil(() => h.inbound.length === 4);
    assert.equal(h.inbound[2].type, "document");
    assert.deepEqual(h.inbound[2].media, {
      data: pdf,
      mimeType: "application/pdf",
      fileName: "invoice 12.pdf",
    });
    assert.equal(h.inbound[3].type, "audio");
    assert.equal(h.inbound[3].media?.mimeType, "audio/ogg; codecs=opus");
    assert.deepEqual(h.inbound[3].media?.data, SAMPLES.oggOpus);
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});

Deno.test("group messages are skipped and confirmed", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  try {
    await h.adapter.start();
    const group = fake.pushText(-1001234, "halo grup");
    fake.pushText(42, "pribadi");
    await waitUntil(() => h.inbound.length === 1);
    assert.equal(h.inbound[0].text, "pribadi");
    await waitUntil(() => offsets(fake).some((o) => o > group.update_id + 1));
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});

Deno.test("an update whose storing fails is polled again, not dropped", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  let attempts = 0;
  const h = harness(fake, {
    onInbound() {
      attempts++;
      return attempts === 1 ? Promise.reject(new Error("database is locked")) : Promise.resolve();
    },
  });
  try {
    await h.adapter.start();
    const pushed = fake.pushText(42, "jangan hilang");
    await waitUntil(() => attempts === 1 && h.clock.pendingTimers === 1);
    assert.equal(h.inbound.length, 0);
    assert.ok(offsets(fake).every((o) => o <= pushed.update_id));

    h.clock.advance(1000);
    await waitUntil(() => h.inbound.length === 1);
    assert.equal(attempts, 2);
    assert.equal(h.inbound[0].externalId, `42:${pushed.message_id}`);
    await waitUntil(() => offsets(fake).includes(pushed.update_id + 1));
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});

Deno.test("a lost network is reported once and polling resumes with backoff", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  try {
    fake.failNext("getUpdates", "network");
    fake.failNext("getUpdates", "network");
    await h.adapter.start();
    await waitUntil(() => h.clock.pendingTimers === 1);
    assert.deepEqual(h.statuses, ["connecting", "error:unreachable"]);

    h.clock.advance(1000);
    await waitUntil(() => fake.calls.filter((c) => c.method === "getUpdates").length === 2);
    await waitUntil(() => h.clock.pendingTimers === 1);
    assert.deepEqual(h.statuses, ["connecting", "error:unreachable"]);

    h.clock.advance(1999);
    assert.equal(h.clock.pendingTimers, 1);
    h.clock.advance(1);
    await waitUntil(() => h.statuses.length === 3);
    assert.deepEqual(h.statuses, ["connecting", "error:unreachable", "connected"]);
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});

Deno.test("start while Telegram is unreachable keeps retrying instead of failing", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  await fake.close();
  const h = harness(fake);
  await h.adapter.start();
  assert.deepEqual(h.statuses, ["connecting", "error:unreachable"]);
  assert.deepEqual(h.closed, []);
  assert.equal(h.clock.pendingTimers, 1);
  await h.adapter.stop();
  assert.equal(h.clock.pendingTimers, 0);
});

Deno.test("a token revoked while polling closes the channel for good", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  try {
    fake.failNext("getUpdates", { error_code: 401, description: "Unauthorized" });
    await h.adapter.start();
    await waitUntil(() => h.closed.length === 1);
    assert.deepEqual(h.statuses, ["connecting", "error:bad_token"]);
    assert.deepEqual(h.closed, ["never"]);
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
  assert.equal(fake.calls.filter((c) => c.method === "getUpdates").length, 1);
});

Deno.test("send delivers text and files with caption, name and bytes", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  try {
    await h.adapter.start();
    const text = await h.adapter.send({ to: "42", type: "text", text: "Pesanan Anda siap" });
    assert.equal(text.externalId, `42:${fake.sent[0].message_id}`);
    assert.deepEqual(fake.sent[0], {
      method: "sendMessage",
      chat_id: "42",
      text: "Pesanan Anda siap",
      message_id: fake.sent[0].message_id,
    });

    const png = crypto.getRandomValues(new Uint8Array(2048));
    await h.adapter.send({
      to: "42",
      type: "image",
      text: "struk",
      media: { data: png, mimeType: "image/png", fileName: "struk.png" },
    });
    const pdf = new TextEncoder().encode("%PDF-1.7 faktur");
    await h.adapter.send({
      to: "42",
      type: "document",
      media: { data: pdf, mimeType: "application/pdf", fileName: "faktur 7.pdf" },
    });
    const ogg = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1]);
    await h.adapter.send({
      to: "42",
      type: "audio",
      media: { data: ogg, mimeType: "audio/ogg; codecs=opus" },
    });
    const mp3 = new Uint8Array([0x49, 0x44, 0x33]);
    await h.adapter.send({
      to: "42",
      type: "audio",
      media: { data: mp3, mimeType: "audio/mpeg", fileName: "lagu.mp3" },
    });
    const mp4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]);
    await h.adapter.send({
      to: "42",
      type: "video",
      text: "video",
      media: { data: mp4, mimeType: "video/mp4", fileName: "klip.mp4" },
    });

    const [, photo, doc, voice, audio, video] = fake.sent;
    assert.equal(photo.method, "sendPhoto");
    assert.equal(photo.chat_id, "42");
    assert.equal(photo.caption, "struk");
    assert.deepEqual(photo.file, { bytes: png, fileName: "struk.png" });
    assert.equal(doc.method, "sendDocument");
    assert.equal(doc.caption, undefined);
    assert.deepEqual(doc.file, { bytes: pdf, fileName: "faktur 7.pdf" });
    assert.equal(voice.method, "sendVoice");
    assert.deepEqual(voice.file?.bytes, ogg);
    assert.equal(audio.method, "sendAudio");
    assert.deepEqual(audio.file, { bytes: mp3, fileName: "lagu.mp3" });
    assert.equal(video.method, "sendVideo");
    assert.equal(video.caption, "video");
    assert.deepEqual(video.file?.bytes, mp4);

    await assert.rejects(
      h.adapter.send({ to: "404", type: "text", text: "halo" }),
      { message: "Telegram refused the message: Bad Request: chat not found" },
    );
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});

Deno.test("send waits out a 429 on the clock, then succeeds", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  const sendCalls = () => fake.calls.filter((c) => c.method === "sendMessage");
  try {
    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 5",
      retry_after: 5,
    });
    const sending = h.adapter.send({ to: "42", type: "text", text: "sabar" });
    await waitUntil(() => h.clock.pendingTimers === 1);
    assert.deepEqual(sendCalls().map((c) => c.failedWith), [429]);
    assert.equal(fake.sent.length, 0);

    h.clock.advance(4999);
    assert.equal(h.clock.pendingTimers, 1);
    h.clock.advance(1);
    const { externalId } = await sending;
    assert.deepEqual(sendCalls().map((c) => c.failedWith), [429, undefined]);
    assert.equal(externalId, `42:${fake.sent[0].message_id}`);

    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 3600",
      retry_after: 3600,
    });
    await assert.rejects(
      h.adapter.send({ to: "42", type: "text", text: "nanti" }),
      /Telegram refused the message: Too Many Requests: retry after 3600/,
    );
    assert.equal(h.clock.pendingTimers, 0);
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});

Deno.test("stop returns at once while a long poll is held open", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake, { pollTimeoutSeconds: 30 });
  try {
    await h.adapter.start();
    await waitUntil(() => fake.heldPolls === 1);

    let guard: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<string>((resolve) => {
      guard = setTimeout(() => resolve("timeout"), 2000);
    });
    const started = performance.now();
    const winner = await Promise.race([h.adapter.stop().then(() => "stopped"), timeout]);
    clearTimeout(guard);
    assert.equal(winner, "stopped");
    assert.ok(performance.now() - started < 1000);
  } finally {
    await fake.close();
  }
});

Deno.test("a file that keeps failing to download does not hold up later messages", async () => {
  const fake = startFakeTelegram({ token: TOKEN });
  const h = harness(fake);
  try {
    for (let i = 0; i < 3; i++) {
      fake.failNext("getFile", { error_code: 500, description: "Internal Server Error" });
    }
    await h.adapter.start();
    await waitUntil(() => h.statuses.includes("connected"));
    fake.pushPhoto(4242, new Uint8Array([1, 2, 3]), "hasil lab");
    fake.pushText(4242, "sudah terima?");
    // Three attempts, each after a backoff on the injected clock, then the photo goes in without its file.
    for (const wait of [1000, 2000]) {
      await waitUntil(() => h.clock.pendingTimers === 1);
      h.clock.advance(wait);
    }
    await waitUntil(() => h.clock.pendingTimers === 1);
    h.clock.advance(4000);
    await waitUntil(() => h.inbound.length === 2);
    assert.deepEqual(h.inbound.map((m) => [m.type, m.text, m.media?.data]), [
      ["image", "hasil lab", undefined],
      ["text", "sudah terima?", undefined],
    ]);
  } finally {
    await h.adapter.stop();
    await fake.close();
  }
});
