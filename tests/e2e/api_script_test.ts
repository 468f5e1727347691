/**
 * What a hospital system's script does, against Kabar as a real process: an
 * API key from the command line; a sandbox channel, a webhook, a template and
 * a PDF made through the API; a text, a template message and the PDF sent;
 * the statuses followed to read through signed webhooks — with Kabar killed
 * (SIGKILL) and started again in the middle.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startKabar } from "../support/kabar_process.ts";
import { waitUntil } from "../support/wait_until.ts";

const MAIN_TS = fileURLToPath(new URL("../../main.ts", import.meta.url));
const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

interface Delivery {
  id: string;
  event: string;
  timestamp: string;
  signature: string;
  body: string;
}

/** `kabar apikey create …` as an install script runs it: the key is the last line. */
async function createKeyByCli(dataDir: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN_TS, "apikey", "create", "--name", "SIMRS", "--scopes", "*"],
    env: { KABAR_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return stdout.trim().split("\n").at(-1)!;
}

Deno.test("a script sends a text, a template and a PDF and follows them to read across a kill -9", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kabar-script-" });
  const deliveries: Delivery[] = [];
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      deliveries.push({
        id: req.headers.get("x-kabar-delivery") ?? "",
        event: req.headers.get("x-kabar-event") ?? "",
        timestamp: req.headers.get("x-kabar-timestamp") ?? "",
        signature: req.headers.get("x-kabar-signature") ?? "",
        body: await req.text(),
      });
      return new Response("ok");
    },
  );
  let kabar = await startKabar(dir);
  try {
    const key = await createKeyByCli(dir);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${kabar.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body instanceof FormData ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined
          ? undefined
          : body instanceof FormData
          ? body
          : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };

    const channel = await call("POST", "/api/v1/channels", { kind: "sandbox", name: "Uji SIMRS" });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    const webhook = await call("POST", "/api/v1/webhooks", {
      url: `http://127.0.0.1:${receiver.addr.port}/kabar`,
      events: ["message.status"],
      private_network: true,
    });
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));
    const secret: string = webhook.body.secret;
    const template = await call("POST", "/api/v1/templates", {
      name: "jadwal_kontrol",
      body: "Halo {{nama}}, jadwal kontrol Anda {{tanggal}}.",
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const form = new FormData();
    form.append("file", new Blob([PDF], { type: "application/pdf" }), "hasil-lab.pdf");
    const upload = await call("POST", "/api/v1/media", form);
    assert.equal(upload.status, 201, JSON.stringify(upload.body));

    const to = "0812-3456-7890";
    const sends = [
      { to, text: "Hasil lab Anda sudah siap." },
      {
        to,
        template: {
          name: "jadwal_kontrol",
          variables: { nama: "Bu Siti", tanggal: "Senin 09.00" },
        },
      },
      { to, type: "document", media: { id: upload.body.id }, caption: "Hasil lab" },
    ];
    const ids: number[] = [];
    for (const send of sends) {
      const answer = await call("POST", "/api/v1/messages", send);
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      ids.push(answer.body.id);
    }

    const statusesOf = (id: number) =>
      new Set(
        deliveries.map((d) => JSON.parse(d.body)).filter((e) => e.data.message.id === id)
          .map((e) => e.data.status),
      );
    // The sandbox reads a message 3 s after it is sent: the kill lands before that.
    await waitUntil(() => deliveries.length > 0, "a first webhook");
    await kabar.kill();
    assert.ok(ids.some((id) => !statusesOf(id).has("read")), "killed before everything was read");

    kabar = await startKabar(dir);
    await waitUntil(
      () => ids.every((id) => statusesOf(id).has("read")),
      "every message read, by webhook",
      30_000,
    );

    for (const d of deliveries) {
      const expected = "sha256=" +
        createHmac("sha256", secret).update(`${d.timestamp}.${d.body}`).digest("hex");
      assert.equal(d.signature, expected, `signature of delivery ${d.id}`);
      assert.equal(d.event, JSON.parse(d.body).type);
    }
    const byId = Map.groupBy(deliveries, (d) => d.id);
    for (const [id, copies] of byId) {
      assert.ok(copies.every((c) => c.body === copies[0].body), `delivery ${id} sent alike`);
    }
    for (const id of ids) {
      assert.deepEqual([...statusesOf(id)].sort(), ["delivered", "read", "sent"], `message ${id}`);
    }

    const [text, filled, pdf] = await Promise.all(
      ids.map((id) => call("GET", `/api/v1/messages/${id}`)),
    );
    for (const m of [text, filled, pdf]) {
      assert.equal(m.body.status, "read");
      assert.deepEqual(
        m.body.history.map((h: { status: string }) => h.status).filter((s: string) =>
          s !== "retry"
        ),
        ["queued", "sent", "delivered", "read"],
      );
    }
    assert.equal(filled.body.text, "Halo Bu Siti, jadwal kontrol Anda Senin 09.00.");
    assert.equal(pdf.body.type, "document");
    assert.equal(pdf.body.media.mimetype, "application/pdf");
    assert.equal(pdf.body.text, "Hasil lab");
  } finally {
    await kabar.stop();
    await receiver.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
