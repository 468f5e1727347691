/**
 * The channels pages as an admin uses them: adding a sandbox, a Telegram bot
 * (against the fake Bot API) and a WhatsApp number, the form errors for bad
 * input, live updates over SSE, and deleting with messages still queued.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { listAudit } from "../../db/audit_log.ts";
import { getChannel, listChannels } from "../../db/channels.ts";
import { loadMedia } from "../../db/media.ts";
import { channels, contacts, conversations, messages } from "../../db/schema.ts";
import type { AdapterFactory } from "../../sessions/channel.ts";
import { apiKey } from "../support/api_key.ts";
import { startFakeTelegram } from "../fakes/telegram_api.ts";
import { visibleText } from "../support/browser_client.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { liveParts } from "../support/event_stream_parser.ts";
import { startTestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

const TOKEN = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";

/** A WhatsApp adapter that only reports a QR code: no phone or network involved. */
const qrOnlyWhatsApp: AdapterFactory = (context) => ({
  start() {
    context.callbacks.onQr("2@fake-qr-reference,abc,def,ghi");
    return Promise.resolve();
  },
  stop: () => Promise.resolve(),
  logout: () => Promise.resolve(),
  send: () => Promise.reject(new Error("not connected")),
});

Deno.test("an admin adds a sandbox channel; it connects and takes simulated replies", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  const added = await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
  assert.equal(added.status, 303);
  const [channel] = await listChannels(t.deps.db);
  assert.equal(added.location, `/channels/${channel.id}`);
  assert.equal(channel.status, "connected");
  assert.equal(channel.isDefault, true);

  const list = visibleText((await admin.get("/channels")).text);
  assert.match(list, /Latihan default Sandbox — Connected/);

  const phonesPage = await admin.get(`/channels/${channel.id}/sandbox`);
  assert.match(
    phonesPage.text,
    /<form[^>]*class="form reply-form"[\s\S]*<textarea id="text" name="text"/,
    "several lines can be typed, and Ctrl+Enter sends",
  );
  const replied = await admin.post(`/channels/${channel.id}/sandbox`, {
    phone: "0812-3456-7890",
    name: "Siti",
    text: "Apakah poli gigi buka hari Sabtu?",
  });
  assert.equal(replied.status, 303);
  assert.equal(replied.location, `/channels/${channel.id}/sandbox?phone=6281234567890&name=Siti`);
  const next = await admin.get(replied.location!);
  assert.match(
    next.text,
    /name="phone"[^>]*value="6281234567890"/,
    "the sender stays in the form",
  );
  const page = visibleText(next.text);
  assert.match(page, /Siti \+6281234567890 Apakah poli gigi buka hari Sabtu\?/);
  const [contact] = await t.deps.db.select().from(contacts);
  assert.equal(contact.phone, "6281234567890");

  await admin.get(`/channels/${channel.id}`);
  const wrongDelay = await admin.post(`/channels/${channel.id}/sandbox-timing`, {
    deliverAfter: "soon",
    readAfter: "2",
  });
  assert.equal(wrongDelay.status, 422);
  assert.match(visibleText(wrongDelay.text), /“soon” is not a number of seconds from 0 to 3600/);
  await admin.post(`/channels/${channel.id}/sandbox-timing`, {
    deliverAfter: "0.5",
    readAfter: "1",
  });
  let options = JSON.parse((await getChannel(t.deps.db, channel.id))!.options);
  assert.deepEqual(options, { acceptAfterMs: 0, deliverAfterMs: 500, readAfterMs: 1000 });
  await admin.post(`/channels/${channel.id}/sandbox-timing`, {
    acceptAfter: "0.25",
    deliverAfter: "0.5",
    readAfter: "1",
  });
  options = JSON.parse((await getChannel(t.deps.db, channel.id))!.options);
  assert.deepEqual(options, { acceptAfterMs: 250, deliverAfterMs: 500, readAfterMs: 1000 });
  const shown = visibleText((await admin.get(`/channels/${channel.id}`)).text);
  assert.match(shown, /Sent \(taken by the network\) after \(seconds\)/);

  await admin.get(`/channels/${channel.id}/sandbox`);
  const bad = await admin.post(`/channels/${channel.id}/sandbox`, { phone: "abc", text: "" });
  assert.equal(bad.status, 422);
  assert.match(visibleText(bad.text), /A phone number has only digits/);
  assert.match(visibleText(bad.text), /Write a message of at most 4096 characters/);
});

Deno.test("WhatsApp numbers: malformed and duplicate numbers are form errors", async () => {
  await using t = await startTestApp({}, { factories: { whatsapp: qrOnlyWhatsApp } });
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=whatsapp");
  const cases: Array<[string, RegExp]> = [
    ["", /Enter a phone number/],
    ["0812-ABC", /A phone number has only digits/],
    ["0812", /This number is too short/],
    ["+62 812 3456 7890 1234", /This number is too long/],
    ["O812 3456 7890", /letters are not, not even O for 0/],
    ["+999 1234 5678", /No country has this code/],
    ["0000000000", /This is not a phone number of its country/],
  ];
  for (const [phone, message] of cases) {
    const page = await admin.post("/channels", { kind: "whatsapp", name: "Pendaftaran", phone });
    assert.equal(page.status, 422, phone);
    assert.match(visibleText(page.text), message, phone);
    assert.match(page.text, /name="name"[^>]*value="Pendaftaran"/, "the name is kept");
  }
  const first = await admin.post("/channels", {
    kind: "whatsapp",
    name: "Pendaftaran",
    phone: "0812 3456 7890",
  });
  assert.equal(first.status, 303);
  const again = await admin.post("/channels", {
    kind: "whatsapp",
    name: "Poli Gigi",
    phone: "+62 812-3456-7890",
  });
  assert.equal(again.status, 422);
  assert.match(visibleText(again.text), /Another channel already uses this number/);

  const [channel] = await listChannels(t.deps.db);
  assert.equal(channel.phone, "6281234567890");
  const page = await admin.get(`/channels/${channel.id}`);
  assert.match(visibleText(page.text), /Waiting for scan/);
  assert.match(page.text, /<svg class="qr"/);
  assert.match(visibleText(page.text), /Link a device/);

  // Logging out a phone that never connected cannot reach it: the page says what to do.
  await admin.post(`/channels/${channel.id}/logout`);
  const after = visibleText((await admin.get(`/channels/${channel.id}`)).text);
  assert.match(after, /The phone was not connected, so also remove the device on the phone/);
  assert.match(after, /Logged out/);
});

Deno.test("Telegram: a wrong token is a form error; a good one receives messages with files", async () => {
  await using fake = startFakeTelegram({ token: TOKEN, username: "rs_sehat_bot" });
  await using t = await startTestApp({ KABAR_TELEGRAM_API_ROOT: fake.apiRoot });
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=telegram");
  const malformed = await admin.post("/channels", {
    kind: "telegram",
    name: "Bot",
    token: "abc",
  });
  assert.equal(malformed.status, 422);
  assert.match(visibleText(malformed.text), /This is not a bot token/);
  const rejected = await admin.post("/channels", {
    kind: "telegram",
    name: "Bot",
    token: "7000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9",
  });
  assert.equal(rejected.status, 422);
  assert.match(visibleText(rejected.text), /Telegram does not accept this token/);
  assert.doesNotMatch(rejected.text, /AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9/, "never echoed");
  assert.equal((await listChannels(t.deps.db)).length, 0);

  const connected = nextEvent(
    t.deps.events,
    (e) => e.type === "channel.status" && e.status === "connected",
  );
  const added = await admin.post("/channels", { kind: "telegram", name: "Bot RS", token: TOKEN });
  assert.equal(added.status, 303);
  await connected;
  const [channel] = await listChannels(t.deps.db);
  assert.equal(channel.botUsername, "rs_sehat_bot");
  assert.notEqual(channel.secret, TOKEN, "the token is stored sealed");
  assert.match(visibleText((await admin.get("/channels")).text), /@rs_sehat_bot Connected/);

  const arrived = nextEvent(t.deps.events, (e) => e.type === "message.inbound");
  fake.pushText(5551234, "Selamat pagi, saya mau daftar");
  await arrived;
  const photoArrived = nextEvent(t.deps.events, (e) => e.type === "message.inbound");
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
  fake.pushPhoto(5551234, photo, "Foto KTP");
  await photoArrived;

  const stored = await t.deps.db.select().from(messages).orderBy(messages.id);
  assert.deepEqual(stored.map((m) => [m.type, m.body, m.status]), [
    ["text", "Selamat pagi, saya mau daftar", "received"],
    ["image", "Foto KTP", "received"],
  ]);
  const file = await loadMedia(t.deps.db, t.dir, stored[1].mediaId!);
  assert.deepEqual(file?.data, photo);
  const [contact] = await t.deps.db.select().from(contacts);
  assert.equal(contact.telegramChatId, "5551234");
  assert.equal((await t.deps.db.select().from(conversations)).length, 1);
});

Deno.test("the channel list streams the row that changed over SSE, the whole list when one is added", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
  const [channel] = await listChannels(t.deps.db);
  const stop = new AbortController();
  const res = await admin.open("/channels/live", stop.signal);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const stream = liveParts(res.body!);
  const { parser } = stream;
  const nextParts = stream.next;

  // On opening: the whole list, as the page shows it, so nothing since the page was drawn is missed.
  const first = await nextParts();
  assert.equal(first.type, "parts");
  assert.match(first.data, /^<div hx-swap-oob="true" id="channel-list"/);
  assert.equal(parser.retry, 3000);

  // A status changes: only that channel's row.
  await admin.get(`/channels/${channel.id}`);
  await admin.post(`/channels/${channel.id}/disable`);
  t.clock.advance(150);
  const changed = await nextParts();
  assert.equal(changed.type, "parts");
  assert.match(changed.data, new RegExp(`^<tr hx-swap-oob="true" id="channel-${channel.id}"`));
  assert.equal(changed.data.match(/hx-swap-oob/g)?.length, 1, "one part");
  assert.match(visibleText(changed.data), /Latihan default Sandbox — Not connected Turned off/);

  // A channel added: the whole list, with both.
  await admin.get("/channels/new?kind=sandbox");
  await admin.post("/channels", { kind: "sandbox", name: "Uji" });
  t.clock.advance(150);
  const added = await nextParts();
  assert.match(added.data, /^<div hx-swap-oob="true" id="channel-list"/);
  assert.match(visibleText(added.data), /Latihan .* Uji /);

  // Signed out elsewhere: the next update ends the stream instead of sending the page.
  await admin.get("/channels");
  await admin.post("/logout");
  t.deps.events.publish({ type: "channel.changed", channelId: channel.id });
  t.clock.advance(150);
  assert.doesNotMatch(await stream.rest(), /event: parts/);
  stop.abort();
});

Deno.test("deleting a channel with queued messages says how many and asks again if more came", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
  const [channel] = await listChannels(t.deps.db);
  await admin.get(`/channels/${channel.id}/sandbox`);
  await admin.post(`/channels/${channel.id}/sandbox`, { phone: "08123456789", text: "Halo" });
  const [conversation] = await t.deps.db.select().from(conversations);
  // Waiting for a retry an hour away: the running sandbox leaves them queued, so the count holds.
  const queue = (body: string) =>
    t.deps.db.insert(messages).values({
      channelId: channel.id,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      direction: "out",
      type: "text",
      body,
      status: "queued",
      nextAttemptAt: t.clock.now() + 3_600_000,
      createdAt: t.clock.now(),
      updatedAt: t.clock.now(),
    });
  await queue("one");
  await queue("two");

  const ask = await admin.get(`/channels/${channel.id}/delete`);
  const text = visibleText(ask.text);
  assert.match(text, /2 messages still waiting to be sent will not be sent/);
  assert.match(text, /Contacts, conversations and every message already sent or received/);
  assert.match(text, /Delete channel and 2 waiting messages/);

  await queue("three");
  const stale = await admin.post(`/channels/${channel.id}/delete`, { queued: "2" });
  assert.equal(stale.status, 409);
  assert.match(visibleText(stale.text), /Delete channel and 3 waiting messages/);
  assert.ok(await getChannel(t.deps.db, channel.id), "not deleted yet");

  const done = await admin.post(`/channels/${channel.id}/delete`, { queued: "3" });
  assert.equal(done.status, 303);
  assert.match(
    visibleText((await admin.get("/channels")).text),
    /Messages that were still waiting: 3/,
  );
  assert.equal(await getChannel(t.deps.db, channel.id), undefined);
  const kept = await t.deps.db.select().from(messages).where(eq(messages.channelId, channel.id));
  assert.deepEqual(kept.map((m) => [m.body, m.status, m.error]), [
    ["Halo", "received", null],
    ["one", "failed", "channel deleted"],
    ["two", "failed", "channel deleted"],
    ["three", "failed", "channel deleted"],
  ]);
  const [row] = await t.deps.db.select().from(channels);
  assert.ok(row.deletedAt);
  const { rows } = await listAudit(t.deps.db, { limit: 5 });
  assert.deepEqual(rows.map((r) => r.action).slice(0, 2), ["channel.delete", "channel.create"]);
});

Deno.test("pairing a connected channel is refused with a reason; agents cannot open channels", async () => {
  await using t = await startTestApp({}, {
    factories: {
      whatsapp: (context) => ({
        start() {
          context.callbacks.onStatus("connected");
          return Promise.resolve();
        },
        stop: () => Promise.resolve(),
        logout: () => Promise.resolve(),
        send: () => Promise.resolve({ externalId: "x" }),
      }),
    },
  });
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=whatsapp");
  await admin.post("/channels", { kind: "whatsapp", name: "Farmasi", phone: "081234567890" });
  const [channel] = await listChannels(t.deps.db);
  await admin.get(`/channels/${channel.id}`);
  await admin.post(`/channels/${channel.id}/pair`);
  const page = visibleText((await admin.get(`/channels/${channel.id}`)).text);
  assert.match(page, /“Farmasi” is already connected. Log it out first to pair another phone./);

  const agent = await signedIn(t, "agent");
  assert.equal((await agent.get("/channels")).status, 403);
  assert.equal((await agent.get(`/channels/${channel.id}`)).status, 403);
});

Deno.test("the sending pace is set on the channel page in seconds and days", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
  const [channel] = await listChannels(t.deps.db);
  const page = await admin.get(`/channels/${channel.id}`);
  assert.match(visibleText(page.text), /Sending pace/);
  const fields = {
    gap: "1,5",
    jitter: "2",
    broadcastGap: "6",
    broadcastJitter: "4",
    warmupDays: "3",
    dailyCap: "500",
    maxAttempts: "4",
  };
  const wrong = await admin.post(`/channels/${channel.id}/pacing`, {
    ...fields,
    maxAttempts: "0",
  });
  assert.equal(wrong.status, 422);
  const said = visibleText(wrong.text);
  assert.match(said, /“0” is not a whole number from 1 to 50/);
  assert.equal(said.split("is not a").length, 2, "said once, beside the one wrong field");
  assert.match(wrong.text, /name="gap"[^>]*inputmode="decimal"/, "a decimal key on phones");
  assert.match(wrong.text, /name="name"[^>]*value="Latihan"/, "the rename field keeps the name");
  await admin.post(`/channels/${channel.id}/pacing`, fields);
  const options = JSON.parse((await getChannel(t.deps.db, channel.id))!.options);
  assert.deepEqual(options.pacing, {
    gapMs: 1500,
    jitterMs: 2000,
    broadcastGapMs: 6000,
    broadcastJitterMs: 4000,
    warmupDays: 3,
    dailyCap: 500,
    maxAttempts: 4,
  });
});

Deno.test("an empty channel name is asked for; a long one is measured", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  const empty = visibleText((await admin.post("/channels", { kind: "sandbox", name: "  " })).text);
  assert.match(empty, /Give the channel a name, such as Pendaftaran/);
  assert.doesNotMatch(empty, /at most 80/);
  const long = await admin.post("/channels", { kind: "sandbox", name: "x".repeat(81) });
  assert.match(visibleText(long.text), /A channel's name is at most 80 characters/);
});

Deno.test("Telegram out of reach: said beside the token, with the name and token kept", async () => {
  // A port nothing listens on: the check cannot reach Telegram.
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  await using t = await startTestApp({ KABAR_TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` });
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=telegram");
  const page = await admin.post("/channels", {
    kind: "telegram",
    name: "Bot Pendaftaran",
    token: TOKEN,
  });
  assert.equal(page.status, 503);
  assert.match(visibleText(page.text), /Kabar cannot reach Telegram to check the token/);
  assert.doesNotMatch(visibleText(page.text), /reference/);
  assert.match(page.text, /value="Bot Pendaftaran"/);
  assert.match(page.text, new RegExp(`value="${TOKEN}"`), "the token need not be typed again");
  assert.equal((await listChannels(t.deps.db)).length, 0);
});

Deno.test("asking for a pairing code says it was asked, and the code shows", async () => {
  const qrOnly: AdapterFactory = (context) => ({
    start() {
      context.callbacks.onQr("2@scripted-qr,AAA,BBB,CCC");
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
    logout: () => Promise.resolve(),
    send: () => Promise.reject(new Error("not connected")),
    requestPairingCode: () => Promise.resolve("KBR4PA1R"),
  });
  await using t = await startTestApp({}, { factories: { whatsapp: qrOnly } });
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=whatsapp");
  const made = await admin.post("/channels", {
    kind: "whatsapp",
    name: "Pendaftaran",
    phone: "0812-3456-7890",
  });
  const id = made.location!.split("/").pop();
  await admin.get(`/channels/${id}`);
  const asked = await admin.post(`/channels/${id}/pairing-code`);
  assert.equal(asked.location, `/channels/${id}`);
  const page = visibleText((await admin.get(`/channels/${id}`)).text);
  assert.match(page, /Kabar asked WhatsApp for a pairing code/);
  assert.match(page, /KBR4PA1R/);
});

Deno.test("two channels cannot share a name (in any case): they could not be told apart", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  await admin.post("/channels", { kind: "sandbox", name: "Pendaftaran" });
  const again = await admin.post("/channels", { kind: "sandbox", name: "pendaftaran" });
  assert.equal(again.status, 422);
  assert.match(visibleText(again.text), /Another channel already has this name/);
  await admin.post("/channels", { kind: "sandbox", name: "Farmasi" });
  const [first, second] = await listChannels(t.deps.db);
  await admin.get(`/channels/${second.id}`);
  const renamed = await admin.post(`/channels/${second.id}/rename`, { name: first.name });
  assert.match(visibleText(renamed.text), /Another channel already has this name/);
  assert.equal((await listChannels(t.deps.db)).length, 2);
  const { api } = await apiKey(t, ["*"]);
  const viaApi = await api.post("/api/v1/channels", { kind: "sandbox", name: "PENDAFTARAN" });
  assert.equal(viaApi.status, 409, JSON.stringify(viaApi.body));
});

Deno.test("with no channel yet, the page offers the sandbox; pages still to come say so", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  assert.match(
    visibleText((await admin.get("/channels")).text),
    /or add a sandbox to try Kabar without a phone/,
  );
  for (
    const [path, said] of [["/reports", /Reports are coming/]] as const
  ) {
    const page = visibleText((await admin.get(path)).text);
    assert.match(page, said);
    assert.match(page, /This page is not built yet/);
  }
});

Deno.test("64 parallel creates of one channel name make one channel", async () => {
  await using t = await startTestApp();
  const { api } = await apiKey(t, ["*"]);
  const answers = await Promise.all(
    Array.from(
      { length: 64 },
      () => api.post("/api/v1/channels", { kind: "sandbox", name: "Same" }),
    ),
  );
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
  assert.ok(statuses.every((s) => s === 201 || s === 409), JSON.stringify(statuses));
  assert.equal((await listChannels(t.deps.db)).length, 1);
});
