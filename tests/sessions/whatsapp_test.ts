/**
 * The WhatsApp adapter against a fake Baileys socket: connection states and
 * close reasons, inbound mapping (LID and phone senders, media), receipts,
 * sending, number checks and pairing codes.
 */
import assert from "node:assert/strict";
import { initAuthCreds, type WAMessage, type WAMessageKey } from "@whiskeysockets/baileys";
import { ManualClock } from "../../core/clock.ts";
import type { AuthStore, ChannelStatus, StatusReason } from "../../core/channel_types.ts";
import { type LogFields, type Logger, silentLogger } from "../../core/log.ts";
import type {
  ChannelAdapter,
  ChannelCallbacks,
  ChannelIdentity,
  InboundMessage,
  Receipt,
  RestartPolicy,
} from "../../sessions/channel.ts";
import {
  baileysLogger,
  disconnectOutcome,
  PAIRING_READY_TIMEOUT_MS,
  parseJid,
  phoneJid,
  readAtMost,
  whatsappAdapter,
} from "../../sessions/whatsapp.ts";
import { decodeAuthValue, encodeAuthValue } from "../../sessions/whatsapp_auth_state.ts";
import { type FakeBaileysSocket, fakeSocketMaker } from "../fakes/baileys_socket.ts";
import { SAMPLES } from "../support/media_samples.ts";

const PHONE = "6281234567890";
const LID = "123456789012345";
const CHANNEL_PHONE = "6281100000001";
const OTHER_LID = "987654321098765";
const OTHER_PHONE = "6281299990000";

/** An in-memory auth store that counts clears. */
function memoryAuthStore(): AuthStore & { data: Map<string, string>; clears: number } {
  const data = new Map<string, string>();
  const store = {
    data,
    clears: 0,
    get(type: string, ids: string[]) {
      const found = new Map<string, string>();
      for (const id of ids) {
        const value = data.get(`${type}/${id}`);
        if (value !== undefined) found.set(id, value);
      }
      return Promise.resolve(found);
    },
    set(entries: { type: string; id: string; value: string | null }[]) {
      for (const { type, id, value } of entries) {
        if (value === null) data.delete(`${type}/${id}`);
        else data.set(`${type}/${id}`, value);
      }
      return Promise.resolve();
    },
    clear() {
      store.clears++;
      data.clear();
      return Promise.resolve();
    },
  };
  return store;
}

interface Harness {
  adapter: ChannelAdapter;
  socket(): FakeBaileysSocket;
  clock: ManualClock;
  authStore: ReturnType<typeof memoryAuthStore>;
  statuses: [ChannelStatus, StatusReason?, string?][];
  qrs: string[];
  pairingCodes: string[];
  identities: ChannelIdentity[];
  lidMappings: { lid: string; phone: string }[];
  inbound: InboundMessage[];
  receipts: Receipt[];
  closed: RestartPolicy[];
  downloads: WAMessage[];
}

function harness(
  options: {
    phone?: string | null;
    download?: (message: WAMessage) => Promise<Uint8Array>;
    /** External ids whose `onInbound` rejects (after recording them). */
    inboundFails?: Set<string>;
    mediaMaxBytes?: number;
  } = {},
): Harness {
  const { makeSocket, sockets } = fakeSocketMaker();
  const h: Omit<Harness, "adapter"> = {
    socket: () => {
      assert.equal(sockets.length, 1, "one socket per adapter");
      return sockets[0];
    },
    clock: new ManualClock(),
    authStore: memoryAuthStore(),
    statuses: [],
    qrs: [],
    pairingCodes: [],
    identities: [],
    lidMappings: [],
    inbound: [],
    receipts: [],
    closed: [],
    downloads: [],
  };
  const callbacks: ChannelCallbacks = {
    onQr: (qr) => h.qrs.push(qr),
    onPairingCode: (code) => h.pairingCodes.push(code),
    onStatus: (status, reason, detail) => {
      const entry: [ChannelStatus, StatusReason?, string?] = [status];
      if (reason !== undefined) entry.push(reason);
      if (detail !== undefined) entry.push(detail);
      h.statuses.push(entry);
    },
    onIdentity: (identity) => h.identities.push(identity),
    onLidMapping: (mapping) => h.lidMappings.push(mapping),
    onInbound: (message) => {
      h.inbound.push(message);
      return options.inboundFails?.has(message.externalId)
        ? Promise.reject(new Error("database is locked"))
        : Promise.resolve();
    },
    onReceipt: (receipt) => {
      h.receipts.push(receipt);
      return Promise.resolve();
    },
    onClosed: (policy) => h.closed.push(policy),
  };
  const sentTexts = new Map([["3EB0SENT0001", "Pesanan Anda sudah dikirim"]]);
  const adapter = whatsappAdapter({
    makeSocket,
    downloadMedia: options.download ?? ((message) => {
      h.downloads.push(message);
      return Promise.resolve(new TextEncoder().encode(`bytes of ${message.key.id}`));
    }),
  })({
    channel: {
      id: 1,
      kind: "whatsapp",
      name: "Toko",
      phone: options.phone === undefined ? CHANNEL_PHONE : options.phone,
      secret: null,
      options: {},
    },
    callbacks,
    clock: h.clock,
    log: silentLogger,
    authStore: h.authStore,
    findSentText: (id) => Promise.resolve(sentTexts.get(id)),
    mediaMaxBytes: options.mediaMaxBytes ?? 16 * 1024 * 1024,
    ledger: {
      record: () => Promise.reject(new Error("not used")),
      awaitingReceipts: () => Promise.reject(new Error("not used")),
    },
  });
  return { ...h, adapter };
}

/** Started and connected as CHANNEL_PHONE. */
async function connected(h: Harness): Promise<FakeBaileysSocket> {
  await h.adapter.start();
  const socket = h.socket();
  socket.open(`${CHANNEL_PHONE}:7@s.whatsapp.net`);
  return socket;
}

/** Lets queued inbound and receipt handling finish. */
async function drain(h: Harness): Promise<void> {
  await h.adapter.stop();
}

let seq = 0;
function incoming(
  key: Partial<WAMessageKey>,
  message: WAMessage["message"],
  extra: Partial<WAMessage> = {},
): WAMessage {
  return {
    key: { remoteJid: `${PHONE}@s.whatsapp.net`, fromMe: false, id: `3A${++seq}`, ...key },
    message,
    messageTimestamp: 1_767_225_600,
    pushName: "Budi",
    ...extra,
  };
}

Deno.test("a QR, then connected: the QR strings, statuses in order and the paired number", async () => {
  const h = harness();
  await h.adapter.start();
  const socket = h.socket();
  assert.deepEqual(h.statuses, [["connecting"]]);

  socket.update({ connection: "connecting" });
  socket.showQr("2@qr-one");
  socket.showQr("2@qr-two");
  socket.update({ isNewLogin: true, qr: undefined });
  socket.open(`${CHANNEL_PHONE}:12@s.whatsapp.net`);

  assert.deepEqual(h.qrs, ["2@qr-one", "2@qr-two"]);
  assert.deepEqual(h.statuses, [["connecting"], ["qr"], ["connected"]]);
  assert.deepEqual(h.identities, [{ phone: CHANNEL_PHONE }]);
  assert.deepEqual(h.closed, []);
  await h.adapter.stop();
});

Deno.test("the socket is made with fresh creds, quietly, without going online", async () => {
  const h = harness();
  await h.adapter.start();
  const { config } = h.socket();
  assert.equal(config.markOnlineOnConnect, false);
  assert.equal(config.auth.creds.registered, false);
  assert.equal(typeof config.auth.creds.advSecretKey, "string");
  assert.equal("printQRInTerminal" in config, false);
  assert.ok(config.logger, "a logger is given so Baileys does not use its own");

  const getMessage = config.getMessage;
  assert.ok(getMessage);
  assert.deepEqual(await getMessage({ id: "3EB0SENT0001" }), {
    conversation: "Pesanan Anda sudah dikirim",
  });
  assert.equal(await getMessage({ id: "unknown" }), undefined);
  await h.adapter.stop();
});

Deno.test("creds updates are saved in the auth store", async () => {
  const h = harness();
  await h.adapter.start();
  const socket = h.socket();
  socket.ev.emit("creds.update", {
    registered: true,
    me: { id: `${CHANNEL_PHONE}:7@s.whatsapp.net` },
  });
  await h.adapter.stop();
  const saved = decodeAuthValue(h.authStore.data.get("creds/")!) as { registered: boolean };
  assert.equal(saved.registered, true);
});

Deno.test("stored creds are used again", async () => {
  const h = harness();
  const creds = { ...initAuthCreds(), registered: true };
  await h.authStore.set([{ type: "creds", id: "", value: encodeAuthValue(creds) }]);
  await h.adapter.start();
  const used = h.socket().config.auth.creds;
  assert.equal(used.registered, true);
  assert.equal(used.registrationId, creds.registrationId);
  assert.deepEqual(
    new Uint8Array(used.noiseKey.private),
    new Uint8Array(creds.noiseKey.private),
  );
  await h.adapter.stop();
});

const CLOSES: {
  name: string;
  code: number | undefined;
  afterQr?: boolean;
  status: [ChannelStatus, StatusReason, string?];
  policy: RestartPolicy;
  cleared?: boolean;
}[] = [
  {
    name: "515 restart required",
    code: 515,
    status: ["connecting", "restarting"],
    policy: "now",
  },
  {
    name: "401 logged out",
    code: 401,
    status: ["logged_out", "logged_out"],
    policy: "never",
    cleared: true,
  },
  { name: "440 replaced", code: 440, status: ["error", "replaced"], policy: "never" },
  {
    name: "500 bad session",
    code: 500,
    status: ["error", "bad_session"],
    policy: "backoff",
    cleared: true,
  },
  { name: "403 forbidden", code: 403, status: ["error", "forbidden"], policy: "never" },
  {
    name: "408 with the QR never scanned",
    code: 408,
    afterQr: true,
    status: ["error", "qr_timeout"],
    policy: "backoff",
  },
  {
    name: "408 connection lost",
    code: 408,
    status: ["error", "unreachable", "Connection closed (408)"],
    policy: "backoff",
  },
  {
    name: "428 connection closed",
    code: 428,
    status: ["error", "unreachable", "Connection closed (428)"],
    policy: "backoff",
  },
  {
    name: "503 unavailable",
    code: 503,
    status: ["error", "unreachable", "Connection closed (503)"],
    policy: "backoff",
  },
  {
    name: "a network error without a status",
    code: undefined,
    status: [
      "error",
      "unreachable",
      "WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)",
    ],
    policy: "backoff",
  },
];

for (const c of CLOSES) {
  Deno.test(`closed by ${c.name}: ${c.status.slice(0, 2).join("/")}, restart ${c.policy}`, async () => {
    const h = harness();
    await h.adapter.start();
    const socket = h.socket();
    await h.authStore.set([{ type: "session", id: "x", value: "{}" }]);
    if (c.afterQr) socket.showQr("2@qr");
    else if (c.code !== undefined && c.code !== 428) socket.open();

    await socket.close(c.code);
    await h.adapter.stop();

    assert.deepEqual(h.statuses.at(-1), c.status);
    assert.deepEqual(h.closed, [c.policy], "reported once");
    assert.equal(h.authStore.clears, c.cleared ? 1 : 0);
    assert.equal(h.authStore.data.size, c.cleared ? 0 : 1);
  });
}

Deno.test("a second close event is not reported again", async () => {
  const h = harness();
  await h.adapter.start();
  const socket = h.socket();
  const close = {
    connection: "close" as const,
    lastDisconnect: { error: undefined, date: new Date() },
  };
  socket.update(close);
  socket.update(close);
  await h.adapter.stop();
  assert.deepEqual(h.closed, ["backoff"]);
});

Deno.test("stop ends the socket without reporting a close, and hears nothing afterwards", async () => {
  const h = harness();
  const socket = await connected(h);
  await h.adapter.stop();
  assert.deepEqual(socket.ends, [undefined]);
  assert.deepEqual(h.closed, []);
  assert.deepEqual(h.statuses, [["connecting"], ["connected"]]);

  socket.showQr("2@late");
  socket.receive([incoming({}, { conversation: "late" })]);
  await h.adapter.stop();
  assert.deepEqual(h.qrs, []);
  assert.deepEqual(h.inbound, []);
  await assert.rejects(h.adapter.send({ to: PHONE, type: "text", text: "x" }), {
    message: "WhatsApp is not connected",
  });
});

Deno.test("logout logs the device out, deletes the auth state, and reports no close", async () => {
  const h = harness();
  const socket = await connected(h);
  socket.ev.emit("creds.update", { registered: true });
  await h.adapter.logout();
  assert.equal(socket.logouts, 1);
  assert.equal(h.authStore.clears, 1);
  assert.equal(h.authStore.data.size, 0, "the creds saved just before are gone too");
  assert.deepEqual(h.closed, []);
  assert.deepEqual(h.statuses, [["connecting"], ["connected"]]);
});

Deno.test("a message from a LID with its phone, and one from the phone with its LID, name the same person", async () => {
  const h = harness();
  const socket = await connected(h);
  socket.receive([
    incoming(
      { remoteJid: `${LID}@lid`, remoteJidAlt: `${PHONE}@s.whatsapp.net`, id: "3AFROMLID" },
      { conversation: "Halo, stok masih ada?" },
    ),
    incoming(
      { remoteJid: `${PHONE}@s.whatsapp.net`, remoteJidAlt: `${LID}@lid`, id: "3AFROMPN" },
      { extendedTextMessage: { text: "Saya mau pesan 2" } },
      { messageTimestamp: 1_767_225_660 },
    ),
    incoming({ remoteJid: `${LID}@lid`, id: "3ALIDONLY" }, { conversation: "tanpa nomor" }, {
      pushName: null,
    }),
    incoming({ remoteJid: `${OTHER_LID}@lid`, id: "3ALIDSTORE" }, { conversation: "dari toko" }, {
      pushName: null,
    }),
  ]);
  // Baileys' own mapping store knows the phone of OTHER_LID (learned earlier).
  socket.lidToPhone.set(OTHER_LID, OTHER_PHONE);
  await drain(h);
  assert.deepEqual(h.inbound, [
    {
      externalId: "3AFROMLID",
      from: { phone: PHONE, waLid: LID, pushName: "Budi" },
      type: "text",
      text: "Halo, stok masih ada?",
      at: 1_767_225_600_000,
    },
    {
      externalId: "3AFROMPN",
      from: { phone: PHONE, waLid: LID, pushName: "Budi" },
      type: "text",
      text: "Saya mau pesan 2",
      at: 1_767_225_660_000,
    },
    {
      externalId: "3ALIDONLY",
      from: { waLid: LID },
      type: "text",
      text: "tanpa nomor",
      at: 1_767_225_600_000,
    },
    {
      externalId: "3ALIDSTORE",
      from: { waLid: OTHER_LID, phone: OTHER_PHONE },
      type: "text",
      text: "dari toko",
      at: 1_767_225_600_000,
    },
  ]);
});

Deno.test("only live messages from people are taken; other kinds are skipped", async () => {
  const h = harness();
  const socket = await connected(h);
  socket.receive([
    incoming({ fromMe: true }, { conversation: "sent from Kabar" }),
    incoming({ remoteJid: "120363041234567890@g.us", participant: `${PHONE}@s.whatsapp.net` }, {
      conversation: "in a group",
    }),
    incoming({ remoteJid: "status@broadcast", participant: `${PHONE}@s.whatsapp.net` }, {
      conversation: "a status",
    }),
    incoming({}, { reactionMessage: { text: "👍", key: { id: "3EB0SENT0001" } } }),
    incoming({}, { protocolMessage: { type: 0 } }),
    incoming({}, { stickerMessage: { mimetype: "image/webp" } }),
    incoming({}, undefined, { messageStubType: 2 }),
    incoming({ id: "3AVISIBLE" }, { ephemeralMessage: { message: { conversation: "hilang" } } }),
  ]);
  // What arrived while Kabar was offline comes as `append`, already acknowledged: it is taken.
  socket.receive([
    incoming({ id: "3AOFFLINE" }, { conversation: "sent while Kabar was down" }),
    incoming({ id: "3AFROMPHONE", fromMe: true }, { conversation: "typed on the phone" }),
  ], "append");
  await drain(h);
  assert.deepEqual(h.inbound.map((m) => [m.externalId, m.text]), [
    ["3AVISIBLE", "hilang"],
    ["3AOFFLINE", "sent while Kabar was down"],
  ]);
});

Deno.test("a stop while the keys are still loading leaves no socket behind", async () => {
  const h = harness();
  const starting = h.adapter.start();
  await h.adapter.stop();
  await starting;
  assert.deepEqual(h.statuses, [], "nothing reported after the stop");
  assert.throws(() => h.socket(), /one socket per adapter/, "no socket was made");
});

Deno.test("media messages come with their bytes, type, name and caption; a location as lat,lng", async () => {
  const files: Record<string, Uint8Array> = {
    "3AIMG": SAMPLES.jpeg,
    "3ADOC": SAMPLES.pdf,
    "3AAUDIO": SAMPLES.oggOpus,
    "3AVIDEO": SAMPLES.mp4,
  };
  const h = harness({
    download: (message) => {
      h.downloads.push(message);
      return Promise.resolve(files[message.key.id!]);
    },
  });
  const socket = await connected(h);
  const bytes = (id: string) => files[id];
  socket.receive([
    incoming({ id: "3AIMG" }, {
      imageMessage: { mimetype: "image/jpeg", caption: "Foto produk", url: "https://mmg" },
    }),
    incoming({ id: "3ADOC" }, {
      documentWithCaptionMessage: {
        message: {
          documentMessage: {
            mimetype: "application/pdf",
            fileName: "invoice.pdf",
            caption: "Invoice",
            url: "https://mmg",
          },
        },
      },
    }),
    incoming({ id: "3AAUDIO" }, {
      audioMessage: { mimetype: "audio/ogg; codecs=opus", ptt: true, url: "https://mmg" },
    }),
    incoming({ id: "3AVIDEO" }, { videoMessage: { url: "https://mmg" } }),
    incoming({ id: "3ALOC" }, {
      locationMessage: { degreesLatitude: -6.2, degreesLongitude: 106.816666 },
    }),
  ]);
  await drain(h);

  const byId = new Map(h.inbound.map((m) => [m.externalId, m]));
  assert.deepEqual(byId.get("3AIMG"), {
    externalId: "3AIMG",
    from: { phone: PHONE, pushName: "Budi" },
    type: "image",
    text: "Foto produk",
    media: { data: bytes("3AIMG"), mimeType: "image/jpeg" },
    at: 1_767_225_600_000,
  });
  assert.deepEqual(byId.get("3ADOC")?.media, {
    data: bytes("3ADOC"),
    mimeType: "application/pdf",
    fileName: "invoice.pdf",
  });
  assert.equal(byId.get("3ADOC")?.type, "document");
  assert.equal(byId.get("3ADOC")?.text, "Invoice");
  assert.deepEqual(byId.get("3AAUDIO")?.media, {
    data: bytes("3AAUDIO"),
    mimeType: "audio/ogg; codecs=opus",
  });
  assert.equal(byId.get("3AAUDIO")?.text, undefined);
  assert.deepEqual(byId.get("3AVIDEO")?.media?.mimeType, "video/mp4");
  assert.deepEqual(byId.get("3ALOC"), {
    externalId: "3ALOC",
    from: { phone: PHONE, pushName: "Budi" },
    type: "location",
    text: "-6.2,106.816666",
    at: 1_767_225_600_000,
  });
  assert.deepEqual(h.downloads.map((m) => m.key.id), ["3AIMG", "3ADOC", "3AAUDIO", "3AVIDEO"]);
});

Deno.test("a received file's type is what its bytes are, whatever WhatsApp's label says", async () => {
  const received: Array<[string, Record<string, unknown>, Uint8Array, string]> = [
    ["3AHEIC", { imageMessage: { mimetype: "image/jpeg" } }, SAMPLES.heic, "image/heic"],
    ["3AAVIF", { imageMessage: {} }, SAMPLES.avif, "image/avif"],
    ["3AMOV", { videoMessage: { mimetype: "video/mp4" } }, SAMPLES.mov, "video/quicktime"],
    ["3A3GP", { videoMessage: { mimetype: "video/mp4" } }, SAMPLES.threeGp, "video/3gpp"],
    ["3AWEBM", { videoMessage: {} }, SAMPLES.webm, "video/webm"],
    ["3AAAC", { audioMessage: { mimetype: "audio/mpeg" } }, SAMPLES.aac, "audio/aac"],
    ["3AM4A", { audioMessage: { mimetype: "audio/ogg" } }, SAMPLES.m4a, "audio/mp4"],
    [
      "3ASVG",
      { documentMessage: { mimetype: "image/png", fileName: "logo.png" } },
      SAMPLES.svg,
      "image/svg+xml",
    ],
    [
      "3ACSV",
      { documentMessage: { mimetype: "application/octet-stream", fileName: "pasien.csv" } },
      SAMPLES.csv,
      "text/csv",
    ],
    [
      "3AJUNK",
      { documentMessage: { mimetype: "application/pdf", fileName: "hasil.pdf" } },
      SAMPLES.junk,
      "application/octet-stream",
    ],
  ];
  const files = new Map(received.map(([id, , data]) => [id, data]));
  const h = harness({ download: (message) => Promise.resolve(files.get(message.key.id!)!) });
  const socket = await connected(h);
  socket.receive(received.map(([id, content]) => {
    const [kind, fields] = Object.entries(content)[0];
    return incoming({ id }, { [kind]: { ...(fields as object), url: "https://mmg" } });
  }));
  await drain(h);
  assert.deepEqual(
    h.inbound.map((m) => [m.externalId, m.media?.mimeType]),
    received.map(([id, , , mime]) => [id, mime]),
  );
  assert.deepEqual(h.inbound.map((m) => m.type), [
    "image",
    "image",
    "video",
    "video",
    "video",
    "audio",
    "audio",
    "document",
    "document",
    "document",
  ]);
});

Deno.test("media that cannot be downloaded still comes in, without the file", async () => {
  const h = harness({ download: () => Promise.reject(new Error("403 from media host")) });
  const socket = await connected(h);
  socket.receive([incoming({ id: "3AIMG" }, { imageMessage: { caption: "Foto" } })]);
  await drain(h);
  assert.deepEqual(h.inbound.map((m) => [m.type, m.text, m.media]), [["image", "Foto", undefined]]);
});

Deno.test("a file larger than the media limit is not downloaded; the message still comes in", async () => {
  const h = harness({
    mediaMaxBytes: 1000,
    download: (message) => {
      h.downloads.push(message);
      return Promise.resolve(SAMPLES.jpeg);
    },
  });
  const socket = await connected(h);
  socket.receive([
    incoming({ id: "3ABIG" }, {
      videoMessage: { caption: "Rekaman", fileLength: 5_000_000, url: "https://mmg" },
    }),
    incoming({ id: "3ASMALL" }, {
      imageMessage: { caption: "Foto", fileLength: 900, url: "https://mmg" },
    }),
  ]);
  await drain(h);
  assert.deepEqual(h.inbound.map((m) => [m.externalId, m.text, m.media?.mimeType]), [
    ["3ABIG", "Rekaman", undefined],
    ["3ASMALL", "Foto", "image/jpeg"],
  ]);
  assert.deepEqual(h.downloads.map((m) => m.key.id), ["3ASMALL"], "the big one was not fetched");
});

Deno.test("a download stops as soon as it passes the limit, whatever size was declared", async () => {
  async function* chunks() {
    yield new Uint8Array(600);
    yield new Uint8Array(600);
    throw new Error("read past the limit");
  }
  await assert.rejects(readAtMost(chunks(), 1000), /larger than 1000 bytes/);
  async function* small() {
    yield Uint8Array.of(1, 2);
    yield Uint8Array.of(3);
  }
  assert.deepEqual(await readAtMost(small(), 1000), Uint8Array.of(1, 2, 3));
});

Deno.test("an inbound message the registry fails to store does not stop the next one", async () => {
  const h = harness({ inboundFails: new Set(["3AONE"]) });
  const socket = await connected(h);
  socket.receive([incoming({ id: "3AONE" }, { conversation: "one" })]);
  socket.receive([incoming({ id: "3ATWO" }, { conversation: "two" })]);
  await drain(h);
  assert.deepEqual(h.inbound.map((m) => m.externalId), ["3AONE", "3ATWO"]);
});

Deno.test("status updates of sent messages become receipts", async () => {
  const h = harness();
  const socket = await connected(h);
  h.clock.advance(5_000);
  const key = (id: string, fromMe = true) => ({
    remoteJid: `${PHONE}@s.whatsapp.net`,
    fromMe,
    id,
  });
  socket.updateMessages([
    { key: key("M1"), update: { status: 1 } },
    { key: key("M1"), update: { status: 2 } },
    { key: key("M1"), update: { status: 3 } },
    { key: key("M1"), update: { status: 4 } },
    { key: key("M2"), update: { status: 5 } },
    { key: key("M3"), update: { status: 0, messageStubParameters: ["463"] } },
    { key: key("M4", false), update: { status: 4 } },
    { key: key("M5"), update: { starred: true } },
  ]);
  await drain(h);
  const at = h.clock.now();
  assert.deepEqual(h.receipts, [
    { externalId: "M1", status: "sent", at },
    { externalId: "M1", status: "delivered", at },
    { externalId: "M1", status: "read", at },
    { externalId: "M2", status: "played", at },
    { externalId: "M3", status: "failed", at, error: "WhatsApp refused the message (error 463)" },
  ]);
});

Deno.test("LID to phone mappings are passed on as user parts", async () => {
  const h = harness();
  const socket = await connected(h);
  socket.mapLid({ lid: `${LID}@lid`, pn: `${PHONE}@s.whatsapp.net` });
  socket.mapLid({ lid: `${LID}:3@lid`, pn: `${PHONE}:3@s.whatsapp.net` });
  socket.mapLid({ lid: `${PHONE}@s.whatsapp.net`, pn: `${LID}@lid` });
  socket.ev.emit("messaging-history.set", {
    chats: [],
    contacts: [],
    messages: [],
    lidPnMappings: [{ lid: "999@lid", pn: "6289900000000@s.whatsapp.net" }],
  });
  await h.adapter.stop();
  assert.deepEqual(h.lidMappings, [
    { lid: LID, phone: PHONE },
    { lid: LID, phone: PHONE },
    { lid: "999", phone: "6289900000000" },
  ]);
});

Deno.test("sending needs a connection", async () => {
  const h = harness();
  await assert.rejects(h.adapter.send({ to: PHONE, type: "text", text: "x" }), {
    message: "WhatsApp is not connected",
  });
  await h.adapter.start();
  h.socket().showQr("2@qr");
  await assert.rejects(h.adapter.send({ to: PHONE, type: "text", text: "x" }), {
    message: "WhatsApp is not connected",
  });
  await h.adapter.stop();
});

Deno.test("send passes the chosen message id and content by type", async () => {
  const h = harness();
  const socket = await connected(h);
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
  const pdf = new TextEncoder().encode("%PDF-1.7");

  assert.deepEqual(
    await h.adapter.send({ to: PHONE, type: "text", text: "Halo", externalId: "3EB0KABAR0001" }),
    { externalId: "3EB0KABAR0001" },
  );
  assert.deepEqual(
    await h.adapter.send({ to: PHONE, type: "text", text: "Halo", externalId: "3EB0KABAR0001" }),
    { externalId: "3EB0KABAR0001" },
    "a retry reuses the id",
  );
  const plain = await h.adapter.send({ to: PHONE, type: "text", text: "no id" });
  assert.match(plain.externalId, /^3EB0FAKE/);
  await h.adapter.send({
    to: PHONE,
    type: "image",
    text: "Katalog",
    media: { data: jpeg, mimeType: "image/jpeg" },
  });
  await h.adapter.send({
    to: PHONE,
    type: "document",
    media: { data: pdf, mimeType: "application/pdf", fileName: "invoice.pdf" },
  });
  await h.adapter.send({
    to: PHONE,
    type: "audio",
    media: { data: jpeg, mimeType: "audio/ogg" },
  });
  await h.adapter.send({
    to: PHONE,
    type: "video",
    text: "Video",
    media: { data: jpeg, mimeType: "video/mp4" },
  });

  const jid = `${PHONE}@s.whatsapp.net`;
  assert.ok(socket.sent.every((call) => call.jid === jid));
  assert.deepEqual(socket.sent.map((call) => call.options), [
    { messageId: "3EB0KABAR0001" },
    { messageId: "3EB0KABAR0001" },
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assert.deepEqual(socket.sent[0].content, { text: "Halo" });
  const image = socket.sent[3].content as { image: Uint8Array; caption: string; mimetype: string };
  assert.deepEqual(new Uint8Array(image.image), jpeg);
  assert.equal(image.caption, "Katalog");
  assert.equal(image.mimetype, "image/jpeg");
  const doc = socket.sent[4].content as Record<string, unknown>;
  assert.deepEqual(new Uint8Array(doc.document as Uint8Array), pdf);
  assert.equal(doc.fileName, "invoice.pdf");
  assert.equal(doc.mimetype, "application/pdf");
  assert.equal("caption" in doc, false);
  assert.deepEqual(Object.keys(socket.sent[5].content).sort(), ["audio", "mimetype"]);
  assert.equal((socket.sent[6].content as { caption: string }).caption, "Video");

  await assert.rejects(h.adapter.send({ to: "+62 812", type: "text", text: "x" }), /E\.164/);
  await assert.rejects(h.adapter.send({ to: PHONE, type: "image" }), /needs a file/);
  socket.sendError = new Error("Connection Closed");
  await assert.rejects(h.adapter.send({ to: PHONE, type: "text", text: "x" }), {
    message: "Connection Closed",
  });
  await h.adapter.stop();
});

Deno.test("checkNumbers answers in the order asked, with the number WhatsApp knows", async () => {
  const h = harness();
  const socket = await connected(h);
  socket.onWhatsAppUsers.set(PHONE, PHONE);
  socket.onWhatsAppUsers.set("5511987654321", "551187654321");

  assert.deepEqual(await h.adapter.checkNumbers!(["6289999999999", PHONE, "5511987654321"]), [
    { phone: "6289999999999", exists: false },
    { phone: PHONE, exists: true, canonical: PHONE },
    { phone: "5511987654321", exists: true, canonical: "551187654321" },
  ]);
  assert.deepEqual(socket.lookups, [
    ["6289999999999@s.whatsapp.net", `${PHONE}@s.whatsapp.net`, "5511987654321@s.whatsapp.net"],
    // The answer 551187654321 matches no number asked: the unmatched ones are asked one by one.
    ["6289999999999@s.whatsapp.net"],
    ["5511987654321@s.whatsapp.net"],
  ]);

  socket.lookups.length = 0;
  assert.deepEqual(await h.adapter.checkNumbers!([PHONE, "5511987654321", PHONE, "12"]), [
    { phone: PHONE, exists: true, canonical: PHONE },
    { phone: "5511987654321", exists: true, canonical: "551187654321" },
    { phone: PHONE, exists: true, canonical: PHONE },
    { phone: "12", exists: false },
  ]);
  assert.equal(socket.lookups.length, 1, "one unmatched number and one other answer pair up");
  assert.deepEqual(socket.lookups[0], [`${PHONE}@s.whatsapp.net`, "5511987654321@s.whatsapp.net"]);

  socket.lookups.length = 0;
  assert.deepEqual(await h.adapter.checkNumbers!([]), []);
  assert.deepEqual(socket.lookups, [], "nothing to ask");
  await h.adapter.stop();
});

Deno.test("a pairing code is asked for the channel's number once WhatsApp is ready", async () => {
  const h = harness();
  await h.adapter.start();
  const socket = h.socket();
  const pending = h.adapter.requestPairingCode!();
  await Promise.resolve();
  assert.deepEqual(socket.pairingRequests, [], "waits for the socket to be ready");
  socket.showQr("2@qr");
  assert.equal(await pending, "KBR4PA1R");
  assert.deepEqual(socket.pairingRequests, [CHANNEL_PHONE]);
  assert.deepEqual(h.pairingCodes, ["KBR4PA1R"]);

  assert.equal(await h.adapter.requestPairingCode!(), "KBR4PA1R", "a new code on request");
  socket.open();
  await assert.rejects(h.adapter.requestPairingCode!(), { message: "already paired" });
  await h.adapter.stop();
});

Deno.test("a pairing code is refused when paired, without a number, or when WhatsApp never gets ready", async () => {
  const paired = harness();
  await paired.authStore.set([{
    type: "creds",
    id: "",
    value: encodeAuthValue({ ...initAuthCreds(), registered: true }),
  }]);
  await paired.adapter.start();
  await assert.rejects(paired.adapter.requestPairingCode!(), { message: "already paired" });
  await paired.adapter.stop();

  const noPhone = harness({ phone: null });
  await noPhone.adapter.start();
  await assert.rejects(noPhone.adapter.requestPairingCode!(), /no phone number/);
  await noPhone.adapter.stop();

  const slow = harness();
  await slow.adapter.start();
  const pending = slow.adapter.requestPairingCode!();
  slow.clock.advance(PAIRING_READY_TIMEOUT_MS);
  await assert.rejects(pending, /did not get ready/);
  assert.equal(slow.clock.pendingTimers, 0);

  const waiting = slow.adapter.requestPairingCode!();
  await slow.adapter.stop();
  await assert.rejects(waiting, /closed/);
  assert.equal(slow.clock.pendingTimers, 0);
  assert.deepEqual(slow.socket().pairingRequests, []);
});

Deno.test("an adapter runs one socket lifetime", async () => {
  const h = harness();
  await h.adapter.start();
  await assert.rejects(h.adapter.start(), /already started/);
  await h.adapter.stop();
});

Deno.test("Baileys' log calls keep only the message and an error's text", () => {
  const lines: { level: string; msg: string; fields?: LogFields }[] = [];
  const recorder = (bound: LogFields): Logger => {
    const at = (level: string) => (msg: string, fields?: LogFields) =>
      lines.push({ level, msg, ...(fields ? { fields: { ...bound, ...fields } } : {}) });
    return {
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      with: (more) => recorder({ ...bound, ...more }),
    };
  };
  const logger = baileysLogger(recorder({}));
  const secret = { private: new Uint8Array(32).fill(7), creds: { advSecretKey: "c2VjcmV0" } };
  logger.trace({ secret }, "recv frame");
  logger.debug({ secret }, "handshake");
  logger.info("offline preview received", JSON.stringify(secret));
  logger.warn({ attrs: secret }, "received error in ack");
  logger.error({
    err: Object.assign(new Error("Bad MAC"), { output: { statusCode: 500 } }),
    secret,
  }, "failed to decrypt");
  logger.child({ class: "ns", key: secret }).error({ error: new Error("closed") }, "noise");
  assert.deepEqual(lines, [
    { level: "debug", msg: "offline preview received" },
    { level: "debug", msg: "received error in ack" },
    { level: "warn", msg: "failed to decrypt", fields: { error: "Bad MAC", status_code: 500 } },
    { level: "warn", msg: "noise", fields: { baileys: "ns", error: "closed" } },
  ]);
  assert.equal(logger.level, "info");
});

Deno.test("JID helpers", () => {
  assert.equal(phoneJid(PHONE), `${PHONE}@s.whatsapp.net`);
  assert.throws(() => phoneJid("0812"), /E\.164/);
  assert.throws(() => phoneJid(`+${PHONE}`), /E\.164/);
  assert.deepEqual(parseJid(`${PHONE}:12@s.whatsapp.net`), { kind: "pn", user: PHONE });
  assert.deepEqual(parseJid(`${LID}@lid`), { kind: "lid", user: LID });
  assert.equal(parseJid("120363041234567890@g.us"), undefined);
  assert.equal(parseJid("status@broadcast"), undefined);
  assert.equal(parseJid(undefined), undefined);
  assert.equal(disconnectOutcome(408, false).reason, "unreachable");
  assert.equal(disconnectOutcome(408, true).reason, "qr_timeout");
  assert.equal(disconnectOutcome(411, false).policy, "backoff");
});
