/**
 * A full disk as the HTTP surfaces show it: the JSON API answers 507
 * `disk_full` and stores nothing of the request, pages get an error page
 * saying so, the compatible APIs their own shapes, and `/healthz` says
 * degraded with the free space until writes succeed again, by itself.
 * Each runs on the injected failure, and on a real small disk filled up
 * where this machine lets a test mount one.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createTemplate } from "../../db/templates.ts";
import type { Db } from "../../db/client.ts";
import { apiClient } from "../support/api_client.ts";
import { visibleText } from "../support/browser_client.ts";
import { type DiskVariant, INJECTED, realSmallDisk } from "../support/small_disk.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

async function setup(t: TestApp) {
  const channel = await sandbox(t, { name: "Latihan" });
  const { key, api } = await apiKey(t);
  return { channel, key, api };
}

async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`));
  return Number(row.n);
}

async function health(t: TestApp) {
  const res = await t.app.request("/healthz");
  return { status: res.status, body: await res.json() };
}

/** Runs `fn` on a test app whose data folder is where `variant` wants it. */
async function onDisk(
  variant: DiskVariant,
  fn: (t: TestApp, disk: ReturnType<DiskVariant["switchFor"]>) => Promise<void>,
): Promise<void> {
  await using place = await variant.setUp();
  await using t = await startTestApp(place.dataDir ? { KABAR_DATA_DIR: place.dataDir } : {});
  // The small disk has a few megabytes: only a full one counts here.
  t.deps.db.$disk.lowBytes = 64 * 1024;
  const disk = variant.switchFor(t.deps.db);
  try {
    await fn(t, disk);
  } finally {
    // A test that failed with the disk full must not leave Kabar to stop on it.
    await disk.free();
  }
}

for (const variant of [INJECTED, realSmallDisk()]) {
  Deno.test({
    name: `a send refused by a full disk is 507 disk_full, leaves no row, ` +
      `and /healthz is degraded until writes succeed again (${variant.name})`,
    ignore: variant.ignore,
    fn: () =>
      onDisk(variant, async (t, disk) => {
        const { api } = await setup(t);
        assert.equal((await health(t)).body.status, "ok");
        const before = {
          messages: await count(t.deps.db, "messages"),
          contacts: await count(t.deps.db, "contacts"),
          conversations: await count(t.deps.db, "conversations"),
        };

        await disk.fill();
        const refused = await api.post("/api/v1/messages", {
          to: "0812-3456-7890",
          text: "Hasil laboratorium Anda sudah dapat diambil.",
        });
        assert.equal(refused.status, 507, JSON.stringify(refused.body));
        assert.deepEqual(Object.keys(refused.body), ["error"]);
        assert.equal(refused.body.error.code, "disk_full");
        assert.match(refused.body.error.message, /the disk of the data folder is full/);
        assert.match(refused.body.error.message, /Nothing was saved/);
        assert.equal(typeof refused.body.error.details.free_bytes, "number");
        assert.ok(refused.body.error.details.free_bytes < 64 * 1024);
        assert.match(refused.body.error.details.reason, /^SQLITE_(FULL|IOERR)/);
        assert.deepEqual(
          {
            messages: await count(t.deps.db, "messages"),
            contacts: await count(t.deps.db, "contacts"),
            conversations: await count(t.deps.db, "conversations"),
          },
          before,
          "nothing of the refused request was stored",
        );

        // Degraded answers 200: Kabar still serves what needs no write.
        const sick = await health(t);
        assert.equal(sick.status, 200);
        assert.equal(sick.body.status, "degraded");
        assert.equal(sick.body.database, "ok");
        assert.equal(sick.body.disk.full, true);
        assert.equal(typeof sick.body.disk.free_bytes, "number");
        assert.ok(sick.body.disk.free_bytes < 64 * 1024);
        assert.match(
          sick.body.disk.reason,
          /writes are refused: the disk of the data folder is full/,
        );
        assert.equal((await api.get("/api/v1/messages")).status, 200, "reads still work");

        await disk.free();
        // Nothing else writes: /healthz tries a write itself (at most every 5 s) and sees room.
        t.clock.advance(5_000);
        const well = await health(t);
        assert.equal(well.status, 200);
        assert.equal(well.body.status, "ok");
        assert.equal(well.body.disk.full, false);
        assert.equal(well.body.disk.reason, undefined);
        assert.ok(well.body.disk.free_bytes > 64 * 1024);

        const accepted = await api.post("/api/v1/messages", {
          to: "0812-3456-7890",
          text: "Hasil laboratorium Anda sudah dapat diambil.",
        });
        assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
        assert.equal(await count(t.deps.db, "messages"), before.messages + 1);
      }),
  });
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await filesUnder(path));
    else found.push(path);
  }
  return found;
}

for (const variant of [INJECTED, realSmallDisk()]) {
  Deno.test({
    name: `a send with a file refused by a full disk is 507 and leaves no message ` +
      `nor media row (${variant.name})`,
    ignore: variant.ignore,
    fn: () =>
      onDisk(variant, async (t, disk) => {
        const { api } = await setup(t);
        const pdf = new TextEncoder().encode(
          "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        );
        await disk.fill();
        const refused = await api.post("/api/v1/messages", {
          to: "08123456789",
          type: "document",
          caption: "Hasil laboratorium",
          media: {
            base64: btoa(String.fromCharCode(...pdf)),
            filename: "hasil.pdf",
            mimetype: "application/pdf",
          },
        });
        assert.equal(refused.status, 507, JSON.stringify(refused.body));
        assert.equal(refused.body.error.code, "disk_full");
        // Files are refused while the disk has less than the room kept for the database.
        assert.equal(refused.body.error.details.reason, "LOW_SPACE");
        assert.match(refused.body.error.message, /kept for messages and receipts/);
        assert.equal(await count(t.deps.db, "messages"), 0);
        assert.equal(await count(t.deps.db, "media"), 0);
        if (variant !== INJECTED) {
          // The disk refused the file itself: nothing of it is left, not even a part.
          // (When only the database refuses, the file stays, named by its content, as
          // after any send that fails after storing its file.)
          assert.deepEqual(await filesUnder(`${t.deps.config.dataDir}/media`), []);
        }
        assert.equal((await health(t)).body.status, "degraded");
        await disk.free();
      }),
  });
}

Deno.test("/healthz is degraded, still 200, while free space is under the threshold", async () => {
  await using t = await startTestApp();
  const disk = t.deps.db.$disk;
  const threshold = disk.lowBytes;
  disk.lowBytes = Number.MAX_SAFE_INTEGER;
  const low = await health(t);
  assert.equal(low.status, 200);
  assert.equal(low.body.status, "degraded");
  assert.equal(low.body.disk.full, false);
  assert.equal(low.body.disk.low_bytes, Number.MAX_SAFE_INTEGER);
  assert.match(
    low.body.disk.reason,
    new RegExp(
      `has ${low.body.disk.free_bytes} bytes free, less than ${Number.MAX_SAFE_INTEGER}`,
    ),
  );
  disk.lowBytes = threshold;
  const ok = await health(t);
  assert.equal(ok.body.status, "ok");
  assert.equal(ok.body.disk.low_bytes, 64 * 1024 * 1024);
});

Deno.test("a page form refused by a full disk gets a 507 page saying so; htmx a fragment", async () => {
  await using t = await startTestApp();
  const browser = await signedIn(t, "admin");
  await browser.get("/settings/departments");
  const disk = INJECTED.switchFor(t.deps.db);
  await disk.fill();

  const page = await browser.post("/settings/departments", { name: "Farmasi" });
  assert.equal(page.status, 507);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  const text = visibleText(page.text);
  assert.match(text, /The disk is full/);
  assert.match(text, /Nothing was saved: the disk of Kabar's data folder is full/);

  const fragment = await browser.post("/settings/departments", { name: "Farmasi" }, {
    "hx-request": "true",
    "x-csrf-token": browser.csrfToken,
  });
  assert.equal(fragment.status, 507);
  assert.doesNotMatch(fragment.text, /<html/);
  assert.match(visibleText(fragment.text), /the disk of Kabar's data folder is full/);
  assert.equal(await count(t.deps.db, "departments"), 0);

  await disk.free();
  const saved = await browser.post("/settings/departments", { name: "Farmasi" });
  assert.equal(saved.status, 303);
  assert.equal(await count(t.deps.db, "departments"), 1);
});

Deno.test("the compatible APIs say a full disk in their own shapes", async () => {
  await using t = await startTestApp();
  const { key } = await setup(t);
  const template = await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "order_received",
    body: "Halo {{fullname}}, pesanan #{{order_id}} sudah kami terima.",
    kind: "message",
    shortcut: null,
    active: true,
  });
  const admin = apiClient(t.app, key);
  const channel = (await admin.get("/api/v1/channels")).body.data[0].id;
  const made = await admin.post("/api/v1/integrations/wappin", {
    channel,
    project_name: "RS Sehat Notifikasi",
    environment: "PRODUCTION",
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  await INJECTED.switchFor(t.deps.db).fill();

  const indoshopster = await t.app.request("http://kabar.test/sendWhatsappMessage", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      api_key: key,
      template_id: template.id,
      phone_number: "6281234567890",
      data: { fullname: "Budi", order_id: "77" },
    }),
  }, { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } });
  assert.equal(indoshopster.status, 507);
  assert.match(indoshopster.headers.get("content-type")!, /^text\/plain/);
  assert.match(await indoshopster.text(), /the disk of the data folder is full/);

  const { client_id, secret_key } = made.body;
  const wappin = await t.app.request("http://kabar.test/v1/token/get", {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${client_id}:${secret_key}`)}` },
  }, { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } });
  assert.equal(wappin.status, 200, "Wappin answers HTTP 200, the code in the body");
  const answer = await wappin.json();
  assert.equal(answer.status, "507");
  assert.match(answer.message, /the disk of the data folder is full/);
  assert.equal(await count(t.deps.db, "messages"), 0);
});
