/**
 * Files through the API with KABAR_MEDIA_MAX_MB=1: uploads, base64 and URLs
 * over the limit answer 413, a file of exactly the limit is taken, and a
 * `media: {url}` is downloaded from a public name (`files.example`) that the
 * test's network leads to a server on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { loadMedia } from "../../db/media.ts";
import { media, messages } from "../../db/schema.ts";
import { type ApiAnswer, apiClient } from "../support/api_client.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { publicUrl } from "../support/test_network.ts";
import { apiKey } from "../support/api_key.ts";

const MB = 1024 * 1024;
const LIMITED = { KABAR_MEDIA_MAX_MB: "1" };

/** A PDF of exactly `size` bytes: a real header, then padding in a comment. */
function pdfOf(size: number): Uint8Array<ArrayBuffer> {
  const head = new TextEncoder().encode("%PDF-1.4\n%");
  const bytes = new Uint8Array(size);
  bytes.fill(0x61);
  bytes.set(head);
  return bytes;
}

const SMALL_PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

/**
 * A sandbox channel that is not running (what is queued stays queued), and a
 * key that may send.
 */
async function setup(t: TestApp) {
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Lab",
  });
  const { api } = await apiKey(t, ["messages:send", "messages:read"]);
  return { channel, api };
}

function assertErrorShape(answer: ApiAnswer, status: number, code: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body).slice(0, 300));
  assert.deepEqual(Object.keys(answer.body), ["error"]);
  assert.equal(answer.body.error.code, code);
  assert.equal(typeof answer.body.error.message, "string");
  assert.ok(answer.body.error.message.length > 0);
  assert.equal(typeof answer.body.error.details, "object");
  assert.notEqual(answer.body.error.details, null);
}

const messageCount = async (t: TestApp) => (await t.deps.db.select().from(messages)).length;

const upload = (
  api: ReturnType<typeof apiClient>,
  bytes: Uint8Array<ArrayBuffer>,
  name: string,
) => {
  const form = new FormData();
  form.append("file", new File([bytes], name, { type: "application/pdf" }));
  form.append("type", "document");
  return api.post("/api/v1/media", form);
};

Deno.test("POST /api/v1/media: a file over KABAR_MEDIA_MAX_MB answers 413; one at the limit is taken", async () => {
  await using t = await startTestApp(LIMITED);
  const { api } = await setup(t);

  const justOver = await upload(api, pdfOf(MB + 1), "besar.pdf");
  assertErrorShape(justOver, 413, "too_large");
  assert.equal(justOver.body.error.message, "The file is larger than 1 MB");
  assert.deepEqual(justOver.body.error.details, { file: "over 1 MB" });

  const farOver = await upload(api, pdfOf(3 * MB), "sangat-besar.pdf");
  assertErrorShape(farOver, 413, "too_large");

  const atLimit = await upload(api, pdfOf(MB), "pas.pdf");
  assert.equal(atLimit.status, 201, JSON.stringify(atLimit.body));
  assert.equal(atLimit.body.size, MB);
  assert.equal(atLimit.body.mimetype, "application/pdf");
});

Deno.test("POST /api/v1/media over real HTTP: a too-large upload is refused with 413 JSON", async () => {
  await using t = await startTestApp(LIMITED);
  const base = t.serve();
  const { key } = await apiKey(t, ["messages:send"]);
  const form = new FormData();
  form.append("file", new File([pdfOf(3 * MB)], "besar.pdf", { type: "application/pdf" }));
  const res = await fetch(`${base}/api/v1/media`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  assert.equal(res.status, 413);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = await res.json();
  assert.equal(body.error.code, "too_large");
  assert.equal(typeof body.error.message, "string");
  assert.equal(typeof body.error.details, "object");
});

Deno.test("media.base64 over KABAR_MEDIA_MAX_MB answers 413 naming media.base64, and queues nothing", async () => {
  await using t = await startTestApp(LIMITED);
  const { api } = await setup(t);
  const send = (bytes: Uint8Array) =>
    api.post("/api/v1/messages", {
      to: "08123456789",
      type: "document",
      media: {
        base64: Buffer.from(bytes).toString("base64"),
        filename: "hasil.pdf",
        mimetype: "application/pdf",
      },
    });
  const over = await send(pdfOf(MB + 3));
  assertErrorShape(over, 413, "too_large");
  assert.ok("media.base64" in over.body.error.details, JSON.stringify(over.body.error));
  assert.match(over.body.error.message, /larger than 1 MB/);
  assert.equal(await messageCount(t), 0, "nothing queued");

  const small = await send(SMALL_PDF);
  assert.equal(small.status, 202, JSON.stringify(small.body));
  assert.equal(small.body.media.mimetype, "application/pdf");
});

Deno.test("a file of exactly KABAR_MEDIA_MAX_MB is taken by URL and as base64, as it is by upload", async () => {
  await using t = await startTestApp(LIMITED);
  await using files = startFileServer();
  const { api } = await setup(t);
  const byUrl = await api.post("/api/v1/messages", {
    to: "08123456789",
    type: "document",
    media: { url: files.url("/lab/pas.pdf") },
  });
  assert.equal(byUrl.status, 202, JSON.stringify(byUrl.body));
  assert.equal(byUrl.body.media.size, MB);

  const answer = await api.post("/api/v1/messages", {
    to: "08123456789",
    type: "document",
    media: {
      base64: Buffer.from(pdfOf(MB)).toString("base64"),
      filename: "pas.pdf",
      mimetype: "application/pdf",
    },
  });
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.equal(answer.body.media.size, MB);
});

/** A file server at files.example (on 127.0.0.1) that notes every path it was asked for. */
function startFileServer() {
  const asked: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const { pathname } = new URL(req.url);
    asked.push(pathname);
    switch (pathname) {
      case "/lab/hasil%20lab.pdf":
        // Labelled as anything: Kabar goes by the bytes.
        return new Response(SMALL_PDF, { headers: { "content-type": "application/octet-stream" } });
      case "/lab/pas.pdf":
        return new Response(pdfOf(MB), { headers: { "content-type": "application/pdf" } });
      case "/lab/besar.pdf":
        return new Response(pdfOf(MB + 1), { headers: { "content-type": "application/pdf" } });
      case "/lab/besar-tanpa-panjang.pdf": {
        // Streamed without a Content-Length: the limit must hold while reading.
        let sent = 0;
        const chunk = pdfOf(64 * 1024);
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent > 2 * MB) return controller.close();
            controller.enqueue(chunk);
            sent += chunk.byteLength;
          },
        });
        return new Response(body, { headers: { "content-type": "application/pdf" } });
      }
      default:
        return new Response("not here", { status: 404 });
    }
  });
  return {
    url: (path: string) => `${publicUrl(server)}${path}`,
    asked,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("media.url: a PDF from a local server is downloaded and queued as a document", async () => {
  await using t = await startTestApp(LIMITED);
  await using files = startFileServer();
  const { api, channel } = await setup(t);
  const answer = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    type: "document",
    caption: "Hasil laboratorium",
    media: { url: files.url("/lab/hasil%20lab.pdf") },
  });
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.deepEqual(files.asked, ["/lab/hasil%20lab.pdf"], "downloaded once");
  assert.equal(answer.body.status, "queued");
  assert.equal(answer.body.type, "document");
  assert.equal(answer.body.channel, channel.id);
  assert.equal(answer.body.text, "Hasil laboratorium");
  assert.equal(answer.body.media.mimetype, "application/pdf", "decided by the bytes");
  assert.equal(answer.body.media.filename, "hasil lab.pdf", "the URL's last segment");
  assert.equal(answer.body.media.size, SMALL_PDF.byteLength);

  const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, answer.body.id));
  assert.equal(row.status, "queued");
  assert.equal(row.type, "document");
  const stored = await loadMedia(t.deps.db, t.dir, row.mediaId!);
  assert.deepEqual(stored?.data, SMALL_PDF, "the very bytes the server sent");

  const got = await api.get(`/api/v1/messages/${answer.body.id}`);
  assert.equal(got.body.media.mimetype, "application/pdf");

  // A filename given with the URL wins over the URL's.
  const named = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    type: "document",
    media: { url: files.url("/lab/hasil%20lab.pdf"), filename: "Hasil Bu Siti.pdf" },
  });
  assert.equal(named.status, 202);
  assert.equal(named.body.media.filename, "Hasil Bu Siti.pdf");

  // The bytes also decide what the file may go out as.
  const asImage = await api.post("/api/v1/messages", {
    to: "0812-3456-7890",
    type: "image",
    media: { url: files.url("/lab/hasil%20lab.pdf") },
  });
  assertErrorShape(asImage, 422, "invalid_input");
  assert.match(
    asImage.body.error.details["media.url"],
    /^the file is a PDF document \(application\/pdf\).*, not a picture WhatsApp can show/,
  );
});

Deno.test("media.url: a 404, or a file over the limit, is a clear 4xx naming media.url", async () => {
  await using t = await startTestApp(LIMITED);
  await using files = startFileServer();
  const { api } = await setup(t);
  const send = (path: string) =>
    api.post("/api/v1/messages", {
      to: "08123456789",
      type: "document",
      media: { url: files.url(path) },
    });

  const missing = await send("/lab/tidak-ada.pdf");
  assertErrorShape(missing, 422, "invalid_input");
  assert.match(missing.body.error.details["media.url"], /404/);
  assert.match(missing.body.error.message, /Could not download .*tidak-ada\.pdf.*404/);

  const big = await send("/lab/besar.pdf");
  assertErrorShape(big, 413, "too_large");
  assert.match(big.body.error.details["media.url"], /over 1 MB/);

  const streamed = await send("/lab/besar-tanpa-panjang.pdf");
  assertErrorShape(streamed, 413, "too_large");
  assert.match(streamed.body.error.details["media.url"], /over 1 MB/);

  // Nothing listens here: the download fails, and says so in the field.
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const unreachable = await api.post("/api/v1/messages", {
    to: "08123456789",
    type: "document",
    media: { url: `http://files.example:${port}/x.pdf` },
  });
  assertErrorShape(unreachable, 422, "invalid_input");
  assert.equal(unreachable.body.error.details["media.url"], "could not fetch the file");

  assert.deepEqual(files.asked, [
    "/lab/tidak-ada.pdf",
    "/lab/besar.pdf",
    "/lab/besar-tanpa-panjang.pdf",
  ]);
  assert.equal(await messageCount(t), 0, "no message was queued for any of them");
});

Deno.test("a key limited to a channel cannot reuse a file only other channels have sent", async () => {
  await using t = await startTestApp();
  const ward = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "A" });
  const lab = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "B" });
  const keyFor = async (channelId: number | null) =>
    (await apiKey(t, ["messages:send", "messages:read"], { channelId })).api;
  const all = await keyFor(null);
  const wardKey = await keyFor(ward.id);
  const sent = await all.post("/api/v1/messages", {
    to: "081299999999",
    channel: lab.id,
    type: "document",
    media: {
      base64: Buffer.from(SMALL_PDF).toString("base64"),
      filename: "lab-siti-aminah.pdf",
      mimetype: "application/pdf",
    },
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, sent.body.id));
  const reuse = (key: typeof wardKey, id: string) =>
    key.post("/api/v1/messages", { to: "081211111111", type: "document", media: { id } });

  const theirs = await reuse(wardKey, row.mediaId!);
  const missing = await reuse(wardKey, "0".repeat(64));
  assertErrorShape(theirs, 422, "invalid_input");
  assert.deepEqual(theirs.body.error.details, { "media.id": "not uploaded" });
  assert.deepEqual(
    theirs.body.error.details,
    missing.body.error.details,
    "told apart from a file that does not exist by nothing",
  );
  assert.doesNotMatch(JSON.stringify(theirs.body), /siti/);

  // Holding the bytes is another matter: uploaded for its channel, the file is its own too,
  // and the answer says nothing of other channels.
  const same = new FormData();
  same.append("file", new Blob([SMALL_PDF]), "jadwal-saya.pdf");
  const reuploaded = await wardKey.post("/api/v1/media", same);
  assert.equal(reuploaded.status, 201);
  assert.equal(reuploaded.body.id, row.mediaId);
  assert.equal((await reuse(wardKey, row.mediaId!)).status, 202);

  const byAll = new FormData();
  byAll.append("file", new Blob([pdfOf(4096)]), "umum.pdf");
  const unlimitedUpload = await all.post("/api/v1/media", byAll);
  assert.equal(unlimitedUpload.status, 201);
  assert.equal(
    (await reuse(wardKey, unlimitedUpload.body.id)).status,
    422,
    "a file stored for no channel is not a limited key's",
  );

  const upload = new FormData();
  upload.append("file", new Blob([pdfOf(2048)]), "jadwal.pdf");
  const fresh = await wardKey.post("/api/v1/media", upload);
  assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
  const first = await reuse(wardKey, fresh.body.id);
  assert.equal(first.status, 202, "a file just uploaded is the uploader's to send");
  assert.equal((await reuse(wardKey, fresh.body.id)).status, 202, "and again on its channel");
  assert.equal((await reuse(all, row.mediaId!)).status, 202, "a key for every channel may");
});

Deno.test("files are refused before they eat the room kept for messages; texts still go", async () => {
  await using t = await startTestApp();
  const { api } = await setup(t);
  // As if the disk had less free than Kabar keeps for its database.
  t.deps.db.$disk.lowBytes = Number.MAX_SAFE_INTEGER;
  const upload = new FormData();
  upload.append("file", new Blob([SMALL_PDF]), "hasil.pdf");
  const refused = await api.post("/api/v1/media", upload);
  assertErrorShape(refused, 507, "disk_full");
  assert.equal(refused.body.error.details.reason, "LOW_SPACE");
  assert.match(refused.body.error.message, /nearly full .* kept for messages and receipts/);
  const text = await api.post("/api/v1/messages", { to: "08123456789", text: "Jadwal Anda" });
  assert.equal(text.status, 202, "a text message is still taken");
  assert.equal((await t.deps.db.select().from(media)).length, 0);
});
