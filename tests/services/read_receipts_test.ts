/**
 * Read receipts when staff open a conversation: the patient's unread
 * messages are marked read on WhatsApp (the fake Baileys socket sees the
 * keys), on the sandbox (it records them), never when the channel turns
 * them off, and a failure never touches the page.
 */
import assert from "node:assert/strict";
import type { WAMessage } from "@whiskeysockets/baileys";
import type { LogFields, Logger } from "../../core/log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, getChannel, parseChannelOptions } from "../../db/channels.ts";
import { getConversation } from "../../db/conversations.ts";
import { ReadReceiptService } from "../../services/read_receipts.ts";
import { isSandboxAdapter } from "../../sessions/sandbox.ts";
import { readReceiptJid, whatsappAdapter } from "../../sessions/whatsapp.ts";
import { fakeSocketMaker } from "../fakes/baileys_socket.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";

const CHANNEL_PHONE = "6281100000001";
const PHONE = "6281234567890";
const OTHER_PHONE = "6281299990000";
const LID = "123456789012345";

function incoming(remoteJid: string, id: string, text: string, remoteJidAlt?: string): WAMessage {
  return {
    key: { remoteJid, fromMe: false, id, ...(remoteJidAlt ? { remoteJidAlt } : {}) },
    message: { conversation: text },
    messageTimestamp: 1_767_225_600,
    pushName: "Pasien",
  };
}

/** A test app whose WhatsApp channel runs on fake sockets, connected. */
async function whatsappApp() {
  const { makeSocket, sockets } = fakeSocketMaker();
  const t = await startTestApp({}, { factories: { whatsapp: whatsappAdapter({ makeSocket }) } });
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "whatsapp",
    name: "Pendaftaran",
    phone: CHANNEL_PHONE,
  });
  const connect = async () => {
    const before = sockets.length;
    await t.deps.registry.start(channel.id);
    await waitUntil(() => sockets.length > before, "a socket made");
    sockets.at(-1)!.open(`${CHANNEL_PHONE}:7@s.whatsapp.net`);
    await waitUntil(() => t.deps.registry.live(channel.id)?.status === "connected", "connected");
    return sockets.at(-1)!;
  };
  return { t, channel, connect, sockets };
}

async function stored(t: TestApp, n: number) {
  await waitUntil(async () => {
    const { rows } = await t.deps.db.$client.execute("SELECT count(*) AS n FROM messages");
    return Number(rows[0].n) >= n;
  }, `${n} messages stored`);
}

async function conversationOf(t: TestApp, externalId: string): Promise<number> {
  const { rows } = await t.deps.db.$client.execute({
    sql: "SELECT conversation_id FROM messages WHERE external_id = ?",
    args: [externalId],
  });
  return Number(rows[0].conversation_id);
}

Deno.test("opening a WhatsApp thread reads the patient's unread messages, and only those", async () => {
  const { t, channel, connect, sockets } = await whatsappApp();
  await using _ = t;
  const socket = await connect();
  socket.receive([
    incoming(`${PHONE}@s.whatsapp.net`, "3APN1", "Selamat pagi"),
    incoming(`${PHONE}@s.whatsapp.net`, "3APN2", "Mau daftar poli gigi"),
    incoming(`${LID}@lid`, "3ALID1", "Hasil lab?", `${OTHER_PHONE}@s.whatsapp.net`),
  ]);
  await stored(t, 3);
  const byPhone = await conversationOf(t, "3APN1");
  const byLid = await conversationOf(t, "3ALID1");
  const admin = await signedIn(t, "admin");

  assert.equal((await admin.get(`/inbox/${byPhone}`)).status, 200);
  await t.deps.services.readReceipts.idle();
  assert.deepEqual(socket.reads, [[
    { remoteJid: `${PHONE}@s.whatsapp.net`, id: "3APN1", fromMe: false },
    { remoteJid: `${PHONE}@s.whatsapp.net`, id: "3APN2", fromMe: false },
  ]]);

  // Read already: opening it again sends nothing; the next message alone is read next time.
  await admin.get(`/inbox/${byPhone}`);
  await admin.get(`/inbox/${byPhone}?before=999999`);
  await t.deps.services.readReceipts.idle();
  assert.equal(socket.reads.length, 1);
  socket.receive([incoming(`${PHONE}@s.whatsapp.net`, "3APN3", "Jam berapa?")]);
  await stored(t, 4);
  await admin.get(`/inbox/${byPhone}`);
  await t.deps.services.readReceipts.idle();
  assert.deepEqual(socket.reads[1], [
    { remoteJid: `${PHONE}@s.whatsapp.net`, id: "3APN3", fromMe: false },
  ]);

  // A chat WhatsApp addresses by LID is read on the LID, as the message came.
  await admin.get(`/inbox/${byLid}`);
  await t.deps.services.readReceipts.idle();
  assert.deepEqual(socket.reads[2], [{ remoteJid: `${LID}@lid`, id: "3ALID1", fromMe: false }]);

  // Received before a reconnect: the chat is found from the contact (its LID when known).
  socket.receive([
    incoming(`${PHONE}@s.whatsapp.net`, "3APN4", "Halo?"),
    incoming(`${LID}@lid`, "3ALID2", "Halo?", `${OTHER_PHONE}@s.whatsapp.net`),
  ]);
  await stored(t, 6);
  const again = await connect();
  assert.equal(sockets.length, 2);
  await admin.get(`/inbox/${byPhone}`);
  await admin.get(`/inbox/${byLid}`);
  await t.deps.services.readReceipts.idle();
  assert.deepEqual(again.reads, [
    [{ remoteJid: `${PHONE}@s.whatsapp.net`, id: "3APN4", fromMe: false }],
    [{ remoteJid: `${LID}@lid`, id: "3ALID2", fromMe: false }],
  ]);
  assert.equal(socket.reads.length, 3, "nothing on the old socket");
  assert.ok(channel.id > 0);
});

Deno.test("with the channel's read receipts off, opening a thread sends none", async () => {
  const { t, channel, connect } = await whatsappApp();
  await using _ = t;
  const socket = await connect();
  const admin = await signedIn(t, "admin");
  const page = await admin.get(`/channels/${channel.id}`);
  assert.match(page.text, /name="readReceipts" checked/, "on unless turned off");
  const pacing = {
    gap: "1",
    jitter: "1",
    broadcastGap: "5",
    broadcastJitter: "5",
    warmupDays: "0",
    dailyCap: "0",
    maxAttempts: "5",
  };
  assert.equal((await admin.post(`/channels/${channel.id}/pacing`, pacing)).status, 303);
  const options = parseChannelOptions((await getChannel(t.deps.db, channel.id))!.options);
  assert.equal(options.read_receipts, false);
  assert.doesNotMatch(
    (await admin.get(`/channels/${channel.id}`)).text,
    /name="readReceipts" checked/,
  );

  socket.receive([incoming(`${PHONE}@s.whatsapp.net`, "3AOFF1", "Selamat siang")]);
  await stored(t, 1);
  const id = await conversationOf(t, "3AOFF1");
  assert.equal((await admin.get(`/inbox/${id}`)).status, 200);
  await t.deps.services.readReceipts.idle();
  assert.deepEqual(socket.reads, []);

  await admin.get(`/channels/${channel.id}`);
  await admin.post(`/channels/${channel.id}/pacing`, { ...pacing, readReceipts: "on" });
  assert.equal(
    parseChannelOptions((await getChannel(t.deps.db, channel.id))!.options).read_receipts,
    true,
  );
  socket.receive([incoming(`${PHONE}@s.whatsapp.net`, "3AON1", "Masih buka?")]);
  await stored(t, 2);
  await admin.get(`/inbox/${id}`);
  await t.deps.services.readReceipts.idle();
  assert.deepEqual(socket.reads, [[{
    remoteJid: `${PHONE}@s.whatsapp.net`,
    id: "3AON1",
    fromMe: false,
  }]]);
});

Deno.test("a read receipt WhatsApp refuses is logged; the page opened all the same", async () => {
  const { t, connect } = await whatsappApp();
  await using _ = t;
  const socket = await connect();
  socket.readError = new Error("connection reset");
  socket.receive([incoming(`${PHONE}@s.whatsapp.net`, "3AERR1", "Halo")]);
  await stored(t, 1);
  const id = await conversationOf(t, "3AERR1");
  const admin = await signedIn(t, "admin");
  assert.equal((await admin.get(`/inbox/${id}`)).status, 200);
  await t.deps.services.readReceipts.idle();
  assert.equal(socket.reads.length, 1);

  // The same through a service with a logger that keeps its lines.
  const lines: Array<[string, LogFields | undefined]> = [];
  const log: Logger = {
    debug: () => {},
    info: () => {},
    warn: (msg, fields) => lines.push([msg, fields]),
    error: (msg, fields) => lines.push([msg, fields]),
    with: () => log,
  };
  const service = new ReadReceiptService({ db: t.deps.db, registry: t.deps.registry, log });
  const conversation = (await getConversation(t.deps.db, id))!;
  await service.opened({ ...conversation, unreadCount: 1 });
  assert.deepEqual(lines, [["read receipts not sent", {
    conversation_id: id,
    channel_id: conversation.channel.id,
    error: "connection reset",
  }]]);
});

Deno.test("the sandbox records the messages read when a thread is opened", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const first = await t.deps.registry.simulateInbound(channel.id, {
    phone: PHONE,
    name: "Siti",
    text: "Halo",
  });
  const second = await t.deps.registry.simulateInbound(channel.id, {
    phone: PHONE,
    name: "Siti",
    text: "Ada dokter anak?",
  });
  const id = await conversationOf(t, first.externalId);
  const agent = await signedIn(t, "agent");
  assert.equal((await agent.get(`/inbox/${id}`)).status, 200);
  await t.deps.services.readReceipts.idle();
  const adapter = t.deps.registry.adapter(channel.id);
  assert.ok(isSandboxAdapter(adapter));
  assert.deepEqual(adapter.markedRead, [first.externalId, second.externalId]);
  await agent.get(`/inbox/${id}`);
  await t.deps.services.readReceipts.idle();
  assert.equal(adapter.markedRead.length, 2, "read once");
});

Deno.test("a read receipt's chat: the one the message came in, else the LID, else the number", () => {
  const message = { externalId: "3A1", from: { phone: PHONE, waLid: LID } };
  assert.equal(readReceiptJid(message, `${PHONE}@s.whatsapp.net`), `${PHONE}@s.whatsapp.net`);
  assert.equal(readReceiptJid(message, undefined), `${LID}@lid`);
  assert.equal(
    readReceiptJid({ externalId: "3A2", from: { phone: PHONE } }, undefined),
    `${PHONE}@s.whatsapp.net`,
  );
  assert.equal(readReceiptJid({ externalId: "3A3", from: {} }, undefined), undefined);
  assert.equal(readReceiptJid({ externalId: "3A4", from: { phone: "12" } }, undefined), undefined);
});
