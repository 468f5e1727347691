/**
 * What a file is, decided by its bytes on every way in: an upload, base64 in
 * a message, and a file received on a channel; what each message type
 * accepts; and how a stored file is answered (never as a page that runs).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { messages } from "../../db/schema.ts";
import { startFakeTelegram } from "../fakes/telegram_api.ts";
import { apiClient } from "../support/api_client.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { type SampleName, SAMPLES } from "../support/media_samples.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { apiKey } from "../support/api_key.ts";

type MediaType = "image" | "document" | "audio" | "video";

interface Row {
  sample: SampleName;
  as: MediaType;
  /** The type the sender claims. */
  declared: string;
  fileName: string;
  /** The stored type, or the words of the refusal. */
  expect: string | RegExp;
}

const NOT_A_PICTURE = "not a picture WhatsApp can show (JPEG or PNG): send it as a document";
const NOT_A_VIDEO = "not a video WhatsApp can play (MP4 or 3GP): send it as a document";
const NOT_A_SOUND =
  "not a sound WhatsApp can play (MP3, M4A, AAC, AMR or OGG Opus): send it as a document";

const TABLE: Row[] = [
  { sample: "png", as: "image", declared: "image/png", fileName: "a.png", expect: "image/png" },
  { sample: "jpeg", as: "image", declared: "", fileName: "foto", expect: "image/jpeg" },
  {
    sample: "svg",
    as: "image",
    declared: "image/png",
    fileName: "logo.png",
    expect: `the file is an SVG image (image/svg+xml), though labelled image/png, ${NOT_A_PICTURE}`,
  },
  {
    sample: "svgWithXmlDeclaration",
    as: "image",
    declared: "image/svg+xml",
    fileName: "logo.svg",
    expect: `the file is an SVG image (image/svg+xml), ${NOT_A_PICTURE}`,
  },
  {
    sample: "svg",
    as: "document",
    declared: "image/png",
    fileName: "logo.svg",
    expect: "image/svg+xml",
  },
  {
    sample: "html",
    as: "image",
    declared: "image/jpeg",
    fileName: "x.jpg",
    expect: `the file is an HTML page (text/html), though labelled image/jpeg, ${NOT_A_PICTURE}`,
  },
  {
    sample: "threeBytes",
    as: "image",
    declared: "image/png",
    fileName: "kecil.png",
    expect: "the file is 3 bytes of data Kabar does not recognise (application/octet-stream), " +
      `though labelled image/png, ${NOT_A_PICTURE}`,
  },
  {
    sample: "threeBytes",
    as: "document",
    declared: "image/png",
    fileName: "kecil.png",
    expect: "application/octet-stream",
  },
  {
    sample: "gif",
    as: "image",
    declared: "image/gif",
    fileName: "a.gif",
    expect: `the file is a GIF animation (image/gif), ${NOT_A_PICTURE}`,
  },
  { sample: "gif", as: "document", declared: "", fileName: "a.gif", expect: "image/gif" },
  {
    sample: "webp",
    as: "image",
    declared: "image/webp",
    fileName: "a.webp",
    expect: `the file is a WebP picture (image/webp), ${NOT_A_PICTURE}`,
  },
  {
    sample: "heic",
    as: "image",
    declared: "image/jpeg",
    fileName: "IMG_0001.jpg",
    expect: `the file is a HEIC photo (image/heic), though labelled image/jpeg, ${NOT_A_PICTURE}`,
  },
  { sample: "heic", as: "document", declared: "", fileName: "IMG.heic", expect: "image/heic" },
  { sample: "avif", as: "document", declared: "", fileName: "a.avif", expect: "image/avif" },
  {
    sample: "pdf",
    as: "image",
    declared: "image/jpeg",
    fileName: "x.jpg",
    expect:
      `the file is a PDF document (application/pdf), though labelled image/jpeg, ${NOT_A_PICTURE}`,
  },
  {
    sample: "pdf",
    as: "document",
    declared: "text/plain",
    fileName: "hasil.pdf",
    expect: "application/pdf",
  },
  { sample: "csv", as: "document", declared: "text/csv", fileName: "pasien", expect: "text/csv" },
  {
    sample: "csv",
    as: "document",
    declared: "application/octet-stream",
    fileName: "pasien.CSV",
    expect: "text/csv",
  },
  {
    sample: "csv",
    as: "document",
    declared: "text/plain",
    fileName: "pasien.txt",
    expect: "text/plain",
  },
  {
    sample: "text",
    as: "document",
    declared: "text/html",
    fileName: "jadwal.html",
    expect: "text/plain",
  },
  {
    sample: "junk",
    as: "document",
    declared: "application/pdf",
    fileName: "hasil.pdf",
    expect: "application/octet-stream",
  },
  { sample: "mp4", as: "video", declared: "video/mp4", fileName: "a.mp4", expect: "video/mp4" },
  { sample: "threeGp", as: "video", declared: "", fileName: "a.3gp", expect: "video/3gpp" },
  {
    sample: "mov",
    as: "video",
    declared: "video/mp4",
    fileName: "a.mp4",
    expect:
      `the file is a QuickTime (MOV) video (video/quicktime), though labelled video/mp4, ${NOT_A_VIDEO}`,
  },
  { sample: "mov", as: "document", declared: "", fileName: "a.mov", expect: "video/quicktime" },
  {
    sample: "webm",
    as: "video",
    declared: "video/webm",
    fileName: "a.webm",
    expect: `the file is a WebM video (video/webm), ${NOT_A_VIDEO}`,
  },
  { sample: "webm", as: "document", declared: "", fileName: "a.webm", expect: "video/webm" },
  {
    sample: "heic",
    as: "video",
    declared: "video/mp4",
    fileName: "a.mp4",
    expect: `the file is a HEIC photo (image/heic), though labelled video/mp4, ${NOT_A_VIDEO}`,
  },
  { sample: "aac", as: "audio", declared: "audio/mpeg", fileName: "a.mp3", expect: "audio/aac" },
  { sample: "mp3", as: "audio", declared: "", fileName: "a.mp3", expect: "audio/mpeg" },
  { sample: "m4a", as: "audio", declared: "video/mp4", fileName: "a.m4a", expect: "audio/mp4" },
  {
    sample: "oggOpus",
    as: "audio",
    declared: "audio/ogg",
    fileName: "a.ogg",
    expect: "audio/ogg; codecs=opus",
  },
  {
    sample: "oggVorbis",
    as: "audio",
    declared: "audio/ogg",
    fileName: "a.ogg",
    expect: `the file is an OGG sound that is not Opus (audio/ogg), ${NOT_A_SOUND}`,
  },
  { sample: "oggVorbis", as: "document", declared: "", fileName: "a.ogg", expect: "audio/ogg" },
  {
    sample: "png",
    as: "audio",
    declared: "audio/mpeg",
    fileName: "a.mp3",
    expect: `the file is a PNG picture (image/png), though labelled audio/mpeg, ${NOT_A_SOUND}`,
  },
  {
    sample: "exe",
    as: "document",
    declared: "application/pdf",
    fileName: "hasil.pdf",
    expect: "the file is a Windows program (application/x-msdownload): programs cannot be sent",
  },
];

/** A sandbox channel that is not running (what is queued stays queued), and a key. */
async function setup(t: TestApp, channelId: number | null = null) {
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Lab",
  });
  const { key } = await apiKey(t, ["messages:send", "messages:read"], { channelId });
  return { channel, key, api: apiClient(t.app, key) };
}

const label = (row: Row) => `${row.sample} as ${row.as} (labelled "${row.declared}")`;

Deno.test("POST /api/v1/media: the bytes decide the type and whether it fits the message type", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  for (const row of TABLE) {
    const form = new FormData();
    form.append("file", new File([SAMPLES[row.sample]], row.fileName, { type: row.declared }));
    form.append("type", row.as);
    const answer = await api.post("/api/v1/media", form);
    if (typeof row.expect === "string" && !row.expect.startsWith("the file is")) {
      assert.equal(answer.status, 201, `${label(row)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.mimetype, row.expect, label(row));
    } else {
      assert.equal(answer.status, 422, `${label(row)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, "invalid_input");
      assert.equal(answer.body.error.details.file, row.expect, label(row));
      assert.equal(answer.body.error.message, `file: ${row.expect}`, label(row));
    }
  }
});

Deno.test("POST /api/v1/messages with media.base64: the same table, the same answers", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  for (const row of TABLE) {
    const answer = await api.post("/api/v1/messages", {
      to: "0812-3456-7890",
      type: row.as,
      media: {
        base64: Buffer.from(SAMPLES[row.sample]).toString("base64"),
        filename: row.fileName,
        mimetype: row.declared || "application/octet-stream",
      },
    });
    if (typeof row.expect === "string" && !row.expect.startsWith("the file is")) {
      assert.equal(answer.status, 202, `${label(row)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.media.mimetype, row.expect, label(row));
      assert.equal(answer.body.type, row.as);
    } else {
      assert.equal(answer.status, 422, `${label(row)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.details["media.base64"], row.expect, label(row));
    }
  }
  const queued = await t.deps.db.select().from(messages);
  assert.equal(
    queued.length,
    TABLE.filter((r) => typeof r.expect === "string" && !r.expect.startsWith("the file is"))
      .length,
    "a refused file queued nothing",
  );
});

Deno.test("a file uploaded as a document cannot then go out by id as an image", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  const form = new FormData();
  form.append("file", new File([SAMPLES.svg], "logo.png", { type: "image/png" }));
  const uploaded = await api.post("/api/v1/media", form);
  assert.equal(uploaded.status, 201);
  assert.equal(uploaded.body.mimetype, "image/svg+xml");
  const asImage = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    type: "image",
    media: { id: uploaded.body.id },
  });
  assert.equal(asImage.status, 422, JSON.stringify(asImage.body));
  assert.equal(
    asImage.body.error.details["media.id"],
    `the file is an SVG image (image/svg+xml), ${NOT_A_PICTURE}`,
  );
});

Deno.test("GET /api/v1/messages/{id}/media: pictures inline, anything a browser could run as a download, never sniffed", async () => {
  await using t = await startTestApp();
  const { api, channel, key: sender } = await setup(t);
  const send = async (type: MediaType, sample: SampleName, filename: string) => {
    const answer = await api.post("/api/v1/messages", {
      to: "0812-3456-7890",
      type,
      media: {
        base64: Buffer.from(SAMPLES[sample]).toString("base64"),
        filename,
        mimetype: "application/octet-stream",
      },
    });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    return answer.body.id as number;
  };
  const cases: Array<[MediaType, SampleName, string, string, string]> = [
    ["image", "png", "struk.png", "image/png", 'inline; filename="struk.png"'],
    ["document", "svg", "logo.svg", "image/svg+xml", 'attachment; filename="logo.svg"'],
    ["document", "html", "a.html", "text/html", 'attachment; filename="a.html"'],
    [
      "document",
      "svgWithXmlDeclaration",
      "b.xml",
      "image/svg+xml",
      'attachment; filename="b.xml"',
    ],
    [
      "document",
      "pdf",
      "hasil lab.pdf",
      "application/pdf",
      'attachment; filename="hasil lab.pdf"',
    ],
    ["document", "csv", "pasien.csv", "text/csv", 'attachment; filename="pasien.csv"'],
    [
      "document",
      "junk",
      'a"b\r\nX-Evil: 1;é.bin',
      "application/octet-stream",
      `attachment; filename="a_b__X-Evil: 1__.bin"; filename*=UTF-8''a%22b%0D%0AX-Evil%3A%201%3B%C3%A9.bin`,
    ],
  ];
  for (const [type, sample, filename, mime, disposition] of cases) {
    const id = await send(type, sample, filename);
    const res = await t.app.request(`/api/v1/messages/${id}/media`, {
      headers: { authorization: `Bearer ${sender}` },
    });
    assert.equal(res.status, 200, `${sample}: ${res.status}`);
    assert.equal(res.headers.get("content-type"), mime, sample);
    const got = res.headers.get("content-disposition") ?? "";
    assert.ok(got.startsWith(disposition), `${sample}: ${got}`);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", sample);
    assert.equal(res.headers.get("content-security-policy"), "default-src 'none'; sandbox");
    assert.equal(res.headers.get("x-evil"), null);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), SAMPLES[sample], sample);
  }

  const text = await api.post("/api/v1/messages", { to: "0812-3456-7890", text: "Halo" });
  const none = await api.get(`/api/v1/messages/${text.body.id}/media`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.message, `Message ${text.body.id} has no file`);
  const missing = await api.get("/api/v1/messages/999999/media");
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.message, "No message with id 999999");
  const bad = await api.get("/api/v1/messages/abc/media");
  assert.equal(bad.status, 404);

  // A key limited to another channel sees no such message.
  const other = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Poli",
  });
  const { key } = await apiKey(t, ["messages:read"], { channelId: other.id });
  const [first] = await t.deps.db.select().from(messages).where(
    eq(messages.channelId, channel.id),
  ).limit(1);
  const elsewhere = await apiClient(t.app, key).get(`/api/v1/messages/${first.id}/media`);
  assert.equal(elsewhere.status, 404);
  const readOnly = await apiKey(t, ["messages:send"]);
  const noScope = await apiClient(t.app, readOnly.key).get(`/api/v1/messages/${first.id}/media`);
  assert.equal(noScope.status, 403);
  assert.equal(noScope.body.error.code, "missing_scope");
});

Deno.test("files received on Telegram are stored as what their bytes are, whatever the label", async () => {
  const TOKEN = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
  await using fake = startFakeTelegram({ token: TOKEN });
  await using t = await startTestApp({ KABAR_TELEGRAM_API_ROOT: fake.apiRoot });
  const { key, api } = await apiKey(t);
  const connected = nextEvent(
    t.deps.events,
    (e) => e.type === "channel.status" && e.status === "connected",
  );
  const added = await api.post("/api/v1/channels", {
    kind: "telegram",
    name: "Bot RS",
    bot_token: TOKEN,
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  await connected;

  const received: Array<[() => void, string, string]> = [
    [
      () => fake.pushDocument(42, SAMPLES.heic, "IMG_0001.HEIC", "video/mp4"),
      "document",
      "image/heic",
    ],
    [() => fake.pushDocument(42, SAMPLES.avif, "a.avif", "video/mp4"), "document", "image/avif"],
    [
      () => fake.pushDocument(42, SAMPLES.webm, "rekaman", "application/octet-stream"),
      "document",
      "video/webm",
    ],
    [
      () => fake.pushDocument(42, SAMPLES.mov, "a.mov", "video/mp4"),
      "document",
      "video/quicktime",
    ],
    [
      () => fake.pushDocument(42, SAMPLES.threeGp, "a.3gp", "video/mp4"),
      "document",
      "video/3gpp",
    ],
    [() => fake.pushDocument(42, SAMPLES.aac, "a.aac", "audio/mpeg"), "document", "audio/aac"],
    [() => fake.pushDocument(42, SAMPLES.svg, "a.png", "image/png"), "document", "image/svg+xml"],
    [
      () => fake.pushDocument(42, SAMPLES.csv, "pasien.csv", "text/plain"),
      "document",
      "text/csv",
    ],
    [
      () => fake.pushDocument(42, SAMPLES.junk, "a.pdf", "application/pdf"),
      "document",
      "application/octet-stream",
    ],
    [() => fake.pushPhoto(42, SAMPLES.jpeg, "Foto KTP"), "image", "image/jpeg"],
    [() => fake.pushVoice(42, SAMPLES.oggOpus), "audio", "audio/ogg; codecs=opus"],
  ];
  const ids = new Map<string, number>();
  for (const [push, type, mime] of received) {
    const arrived = nextEvent(t.deps.events, (e) => e.type === "message.inbound");
    push();
    const event = await arrived;
    const id = (event as { messageId: number }).messageId;
    ids.set(mime, id);
    const got = await api.get(`/api/v1/messages/${id}`);
    assert.equal(got.body.type, type, mime);
    assert.equal(got.body.media?.mimetype, mime, JSON.stringify(got.body.media));
  }

  // What came in is answered with the same care as what went out.
  const res = await t.app.request(`/api/v1/messages/${ids.get("image/svg+xml")}/media`, {
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(res.headers.get("content-type"), "image/svg+xml");
  assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="a\.png"/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), SAMPLES.svg);
});
