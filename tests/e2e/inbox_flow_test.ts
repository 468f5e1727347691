/**
 * The inbox as an agent works it, in Chromium, against Kabar on 127.0.0.1
 * with two sandbox channels: Rina narrows the list by a label and by days of
 * last activity, opens a patient, types `/` and picks the `/jadwal` quick
 * reply (its {{nama}} and {{petugas}} already filled), sends it with
 * Ctrl+Enter and sees its tick reach Read without reloading; Budi, with the
 * same thread open in his own browser, sees "Rina … replying…" while she
 * types, then her reply and its ticks, without reloading.
 *
 * Then screenshots of the inbox, a search, a full thread (a picture, a
 * private note, system lines, a failed message with Retry, the reply box and
 * its quick-reply list), a new conversation, the contact list and a contact,
 * in Indonesian and English at 1366×768 and 390×844, into /tmp/kabar-shots/
 * to look at; none of them is wider than its screen.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { Clock } from "../../core/clock.ts";
import { parseConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { updateChannelOptions } from "../../db/channels.ts";
import { closeDb } from "../../db/client.ts";
import { createLabel } from "../../db/labels.ts";
import { failedStatements } from "../../db/outbox.ts";
import { createTemplate } from "../../db/templates.ts";
import { createUser } from "../../db/users.ts";
import { boot, createApp } from "../../main.ts";
import type { Deps } from "../../routes/app_env.ts";
import type { ReplyTarget } from "../../services/inbox.ts";
import {
  assertVisible,
  ignoreBrowserTests as ignore,
  launchChromium,
  screenshot,
} from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { testNetwork } from "../support/test_network.ts";
import { waitUntil } from "../support/wait_until.ts";

const SHOTS = "/tmp/kabar-shots";
const PASSWORD = "kata-sandi-rahasia";
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const DAY = 24 * 60 * 60 * 1000;
const TIME_ZONE = "Asia/Jakarta";

/**
 * The wall clock, shifted by `offset`: the conversations of last week are
 * written with the clock set back, everything else runs in real time, so the
 * pages' live updates and the sandbox's receipts come by themselves.
 */
class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  }
}

/** A day as the date fields take it (YYYY-MM-DD), in Kabar's time zone. */
const dayOf = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(ms);

/**
 * `ms` ago for a patient who wrote today: shortened, in proportion, when today in Jakarta
 * (UTC+7 all year) began less than an hour ago, so the message is still today's.
 */
function agoToday(ms: number): number {
  const now = Date.now();
  const sinceMidnight = now - Date.parse(`${dayOf(now)}T00:00:00+07:00`);
  return Math.floor(ms * Math.max(0, Math.min(1, (sinceMidnight - 1_000) / (60 * 60_000))));
}

const JADWAL = "Halo {{nama}}, jadwal poli gigi: Senin–Jumat pukul 08.00–14.00. " +
  "Mohon datang 30 menit lebih awal dan bawa kartu BPJS. Salam, {{petugas}} – RS Sehat Sentosa";
const JADWAL_FILLED = JADWAL.replace("{{nama}}", "Siti Rahmawati").replace(
  "{{petugas}}",
  "Rina Wulandari",
);

/** Kabar with its channels, patients, labels, staff and a quick reply, served on 127.0.0.1. */
async function start() {
  const dir = await Deno.makeTempDir({ prefix: "kabar-e2e-inbox-flow-" });
  const clock = new ShiftedClock();
  const config = parseConfig(
    { KABAR_DATA_DIR: `${dir}/data`, KABAR_TIMEZONE: TIME_ZONE },
    {},
    "/",
  );
  const deps = await boot(config, silentLogger, clock, { outbound: testNetwork() });
  deps.outbox.start();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createApp(deps).fetch,
  );
  const close = async () => {
    deps.events.close();
    await server.shutdown();
    await deps.writer.kept.stop();
    await Promise.all([deps.outbox.stop(), deps.registry.stopAll()]);
    deps.outbound.close();
    await deps.writer.flush();
    closeDb(deps.db);
    await Deno.remove(dir, { recursive: true });
  };
  try {
    return {
      deps,
      clock,
      url: `http://127.0.0.1:${server.addr.port}`,
      close,
      ...await seed(deps, clock),
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function seed(deps: Deps, clock: ShiftedClock) {
  const { db, registry } = deps;
  // Receipts a second apart: slow enough to see the reply's tick change on the open page.
  const pendaftaran = await sandbox({ deps }, { name: "Pendaftaran", start: false });
  await updateChannelOptions(db, clock, CLI_ACTOR, pendaftaran.id, {
    deliverAfterMs: 1000,
    readAfterMs: 1000,
  });
  await registry.start(pendaftaran.id);
  const farmasi = await sandbox({ deps }, { name: "Farmasi" });
  await waitConnected(deps, pendaftaran.id);

  const staff = async (username: string, displayName: string, role: "agent" | "supervisor") => {
    const user = await createUser(db, clock, CLI_ACTOR, {
      username,
      displayName,
      role,
      language: "id",
      departmentIds: [],
      password: PASSWORD,
    });
    return { id: user.id, userId: user.id, name: displayName };
  };
  const rina = await staff("rina", "Rina Wulandari", "agent");
  const budi = await staff("budi", "Budi Hartono", "agent");
  const dewi = await staff("dewi", "Dewi Lestari", "supervisor");
  const bpjs = await createLabel(db, clock, CLI_ACTOR, { name: "BPJS", color: "#0ea5e9" });
  const kontrol = await createLabel(db, clock, CLI_ACTOR, {
    name: "Kontrol ulang",
    color: "#f59e0b",
  });
  await createTemplate(db, clock, CLI_ACTOR, {
    name: "jadwal_poli_gigi",
    body: JADWAL,
    kind: "quick_reply",
    shortcut: "/jadwal",
    active: true,
  });
  await createTemplate(db, clock, CLI_ACTOR, {
    name: "salam_penutup",
    body: "Terima kasih sudah menghubungi RS Sehat Sentosa, {{nama}}. Semoga lekas sembuh.",
    kind: "quick_reply",
    shortcut: "/salam",
    active: true,
  });

  const target = async (name: string): Promise<ReplyTarget> => {
    const { rows } = await db.$client.execute({
      sql: `SELECT c.id, c.channel_id, c.contact_id FROM conversations c
        JOIN contacts k ON k.id = c.contact_id WHERE k.push_name = ?`,
      args: [name],
    });
    assert.equal(rows.length, 1, `one conversation with ${name}`);
    return {
      id: Number(rows[0].id),
      channelId: Number(rows[0].channel_id),
      contactId: Number(rows[0].contact_id),
    };
  };
  const patient = async (
    channelId: number,
    phone: string,
    name: string,
    text: string,
    agoMs: number,
  ) => {
    clock.offset = -agoMs;
    try {
      await registry.simulateInbound(channelId, { phone, name, text });
    } finally {
      clock.offset = 0;
    }
    return await target(name);
  };

  // Last week: two patients the date filter finds.
  const ahmad = await patient(
    pendaftaran.id,
    "6281311112222",
    "Ahmad Fauzi",
    "Hasil lab darah saya sudah keluar belum, Bu?",
    9 * DAY + 3_600_000,
  );
  await deps.services.inbox.label(dewi, ahmad, { labelId: kontrol.id });
  const wati = await patient(
    pendaftaran.id,
    "6281322223333",
    "Wati Susanti",
    "Berapa biaya rawat inap kelas 2 kalau pakai BPJS?",
    9 * DAY,
  );
  await deps.services.inbox.label(dewi, wati, { labelId: bpjs.id });
  // Today.
  const putri = await patient(
    pendaftaran.id,
    "6281333334444",
    "Putri Handayani",
    "Apakah poli anak buka hari Sabtu? Anak saya demam sejak kemarin.",
    agoToday(40 * 60_000),
  );
  await deps.services.inbox.label(dewi, putri, { labelId: bpjs.id });
  const yusuf = await patient(
    farmasi.id,
    "6281344445555",
    "Yusuf Prasetyo",
    "Obat racikan untuk ibu saya sudah bisa diambil di apotek?",
    agoToday(25 * 60_000),
  );
  await deps.services.inbox.assign(dewi, yusuf, budi.id);
  const siti = await patient(
    pendaftaran.id,
    "6281234567810",
    "Siti Rahmawati",
    "Selamat pagi. Saya mau daftar ke poli gigi hari Senin. Jadwal dokter giginya jam berapa ya?",
    agoToday(5 * 60_000),
  );
  await deps.services.inbox.label(dewi, siti, { labelId: bpjs.id });
  await deps.services.inbox.assign(dewi, siti, rina.id);
  await db.$client.execute({
    sql: `UPDATE contacts SET name = push_name, email = 'siti.rahma@example.com',
      notes = 'Alergi penisilin. Kontrol gigi tiap 3 bulan.',
      attributes = '{"No. RM":"00123456","Poli":"Gigi"}' WHERE id = ?`,
    args: [siti.contactId],
  });
  return { pendaftaran, farmasi, rina, budi, dewi, bpjs, siti, wati, putri };
}

/** Until the channel is connected (it starts in the background). */
async function waitConnected(deps: Deps, channelId: number) {
  for (let i = 0; i < 500; i++) {
    if (deps.registry.adapter(channelId)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`channel ${channelId} never started`);
}

/** A picture to send: a small map of the dental clinic, drawn by the browser itself. */
async function clinicMap(browser: Browser): Promise<Uint8Array> {
  const page = await browser.newPage({ viewport: { width: 480, height: 300 } });
  await page.setContent(`<body style="margin:0;font:600 18px sans-serif;background:#f8fafc">
    <div style="position:absolute;inset:16px;border:3px solid #334155;border-radius:8px"></div>
    <div style="position:absolute;left:32px;top:32px;width:180px;height:110px;background:#bae6fd;
      border-radius:6px;padding:10px">Poli Gigi<br><small>Gedung B, lantai 2</small></div>
    <div style="position:absolute;left:260px;top:32px;width:180px;height:110px;background:#fde68a;
      border-radius:6px;padding:10px">Apotek</div>
    <div style="position:absolute;left:32px;top:170px;width:408px;height:80px;background:#bbf7d0;
      border-radius:6px;padding:10px">Pintu masuk &amp; pendaftaran</div></body>`);
  const png = await page.screenshot({ type: "png" });
  await page.close();
  return new Uint8Array(png);
}

async function signIn(page: Page, url: string, username: string) {
  await page.goto(`${url}/login`);
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${url}/inbox`);
}

/** Whether the page is wider than its screen (something cut off or scrolling sideways). */
function overflows(page: Page): Promise<boolean> {
  return page.evaluate(
    "document.documentElement.scrollWidth > document.documentElement.clientWidth",
  ) as Promise<boolean>;
}

Deno.test({
  name: "an agent filters the inbox, answers with a quick reply and sees it read; " +
    "a colleague on the same thread sees her typing and her reply",
  ignore,
  async fn() {
    const kabar = await start();
    const { deps, url, siti, rina } = kabar;
    await Deno.mkdir(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const picture = await clinicMap(browser);
      const rinaContext = await browser.newContext({ viewport: DESKTOP, locale: "id-ID" });
      const budiContext = await browser.newContext({ viewport: DESKTOP, locale: "en-GB" });
      const page = await rinaContext.newPage();
      const colleague = await budiContext.newPage();
      page.setDefaultTimeout(10_000);
      colleague.setDefaultTimeout(10_000);
      await signIn(page, url, "rina");
      await signIn(colleague, url, "budi");
      await colleague.getByLabel("Menu akun").click();
      await colleague.getByLabel("Bahasa").selectOption("en");
      await colleague.getByRole("heading", { name: "Inbox", exact: true }).waitFor();

      // Rina narrows the list: BPJS patients whose last message came last week.
      const now = Date.now();
      await page.getByText("Saring percakapan").click();
      const filters = page.locator("form.filters");
      await filters.getByRole("checkbox", { name: "BPJS" }).check();
      await filters.locator("input[name=since]").fill(dayOf(now - 12 * DAY));
      await filters.locator("input[name=until]").fill(dayOf(now - 6 * DAY));
      await filters.getByRole("button", { name: "Terapkan" }).click();
      await page.waitForURL(/until=/);
      const rows = page.locator("li.conversation");
      assert.deepEqual(
        await rows.locator(".conversation-name").allInnerTexts(),
        ["Wati Susanti"],
        "last week's BPJS patient only",
      );
      // ...then today's BPJS patients: Siti (newest) and Putri, not Ahmad, Wati or Yusuf.
      await filters.locator("input[name=since]").fill(dayOf(now));
      await filters.locator("input[name=until]").fill("");
      await filters.getByRole("button", { name: "Terapkan" }).click();
      await page.waitForURL((u) => !u.searchParams.get("until") && u.searchParams.has("since"));
      assert.deepEqual(
        await rows.locator(".conversation-name").allInnerTexts(),
        ["Siti Rahmawati", "Putri Handayani"],
        "today's BPJS patients, newest first",
      );
      const checked = await filters.getByRole("checkbox", { name: "BPJS" }).isChecked();
      assert.ok(checked, "the label stays ticked in the form");

      // Budi has Siti's thread open; Rina opens it from her filtered list.
      await colleague.goto(`${url}/inbox/${siti.id}`);
      await colleague.getByText("Jadwal dokter giginya jam berapa ya?").waitFor();
      await colleague.evaluate("globalThis.neverReloaded = true");
      await rows.filter({ hasText: "Siti Rahmawati" }).click();
      await page.waitForURL(`${url}/inbox/${siti.id}`);
      await assertVisible(
        colleague.locator("#thread-presence", { hasText: "Also here: Rina Wulandari" }),
        "Rina on Budi's page",
      );

      // A slash opens the quick replies; typing narrows them; Enter picks, filled in.
      const box = page.locator("textarea[name=text]");
      const list = page.locator("#quick-reply-list");
      await box.click();
      await box.pressSequentially("/");
      await assertVisible(list.locator("li[data-shortcut='/jadwal']"), "the /jadwal quick reply");
      assert.equal(await list.locator("li:visible").count(), 2, "both quick replies offered");
      await box.pressSequentially("jad");
      await assertVisible(
        colleague.locator("#thread-presence", { hasText: "Rina Wulandari replying…" }),
        "Budi sees Rina typing",
      );
      assert.equal(await list.locator("li:visible").count(), 1, "only /jadwal left");
      await box.press("Enter");
      await list.waitFor({ state: "hidden" });
      assert.equal(await box.inputValue(), JADWAL_FILLED, "the patient's and Rina's names filled");

      // Ctrl+Enter sends; the tick walks to Read on the page as it is.
      await box.press("Control+Enter");
      await page.waitForURL(/#message-\d+$/);
      await page.evaluate("globalThis.neverReloaded = true");
      const mine = page.locator(".bubble.out", { hasText: "Halo Siti Rahmawati" });
      await mine.waitFor();
      assert.match(await mine.innerText(), /Rina Wulandari/);
      const statusThen = await mine.locator(".ticks").getAttribute("class");
      assert.doesNotMatch(statusThen ?? "", /status-read/, "not read yet when the page opened");
      await assertVisible(mine.locator(".ticks.status-read", { hasText: "Dibaca" }), "Read");
      assert.equal(
        await page.evaluate("globalThis.neverReloaded"),
        true,
        "Rina's page not reloaded",
      );
      assert.equal(await box.inputValue(), "", "the box is empty again");

      // Budi's page shows the reply and its ticks by itself.
      const theirs = colleague.locator(".bubble.out", { hasText: "Halo Siti Rahmawati" });
      await assertVisible(theirs.locator(".ticks.status-read", { hasText: "Read" }), "Read");
      assert.match(await theirs.innerText(), /Rina Wulandari/);
      assert.equal(
        await colleague.evaluate("globalThis.neverReloaded"),
        true,
        "Budi's page not reloaded",
      );
      await budiContext.close();

      // The rest of a working morning, for the screenshots: a picture, resolved, reopened by
      // the patient, a private note, and a reply the channel could not send.
      const staff = { id: rina.id, name: rina.name };
      const map = await deps.services.inbox.reply(staff, siti, {
        text: "Denah poli gigi: gedung B lantai 2, di sebelah apotek.",
        file: { bytes: picture, fileName: "denah-poli-gigi.png", mimeType: "image/png" },
      });
      await waitUntil(async () => {
        const { rows } = await deps.db.$client.execute({
          sql: "SELECT status FROM messages WHERE id = ?",
          args: [map.message.id],
        });
        return rows[0]?.status === "read";
      }, "the picture read");
      await deps.services.inbox.setStatus(rina, siti, "resolved");
      await deps.registry.simulateInbound(siti.channelId, {
        phone: "6281234567810",
        name: "Siti Rahmawati",
        text: "Maaf, satu lagi: apakah perlu bawa surat rujukan dari puskesmas?",
      });
      await deps.services.inbox.note(
        { userId: staff.id, name: staff.name },
        siti,
        "Rujukan dari Puskesmas Cempaka. @budi tolong cek kuota drg. Ratna hari Senin.",
      );
      await deps.registry.stop(siti.channelId);
      const failed = await deps.services.inbox.reply(staff, siti, {
        text: "Ya, bawa surat rujukan dan kartu BPJS asli.",
      });
      await deps.db.$client.batch(
        failedStatements(failed.message.id, "WhatsApp did not accept the message", Date.now()),
        "write",
      );
      await page.reload();
      const failedBubble = page.locator(`#message-${failed.message.id}`);
      await assertVisible(failedBubble.getByRole("button", { name: "Kirim ulang" }), "Retry");
      await assertVisible(page.locator(".bubble-image img"), "the picture");
      await assertVisible(page.locator(".bubble.note"), "the note");

      await shootAll(browser, page, url, kabar.siti, kabar.bpjs.id);
      await rinaContext.close();
    } finally {
      await browser.close();
      await kabar.close();
    }
  },
});

/** Every page to look at, in both languages, on a laptop and a phone. */
async function shootAll(
  browser: Browser,
  desk: Page,
  url: string,
  siti: ReplyTarget,
  labelId: number,
) {
  const phoneContext = await browser.newContext({ viewport: PHONE, locale: "id-ID" });
  const phone = await phoneContext.newPage();
  phone.setDefaultTimeout(10_000);
  await signIn(phone, url, "rina");
  const pages: Array<[string, string, string]> = [
    ["inbox", "/inbox", "li.conversation"],
    ["search", `/inbox?q=${encodeURIComponent("poli gigi")}`, "li.conversation mark"],
    ["filters", `/inbox?status=all&label=${labelId}&unread=1`, "li.conversation"],
    ["thread", `/inbox/${siti.id}`, ".bubble-image img"],
    ["new", "/inbox/new", "form textarea"],
    ["contacts", "/contacts", "table.data-table"],
    ["contact", `/contacts/${siti.contactId}`, "h1"],
  ];
  for (const lang of ["id", "en"] as const) {
    if (lang === "en") {
      await desk.goto(`${url}/inbox`);
      await desk.getByLabel("Menu akun").click();
      await desk.getByLabel("Bahasa").selectOption("en");
      await desk.getByRole("heading", { name: "Inbox", exact: true }).waitFor();
    }
    for (const [device, page] of [["desktop", desk], ["phone", phone]] as const) {
      for (const [name, path, shows] of pages) {
        await page.goto(`${url}${path}`);
        await page.locator(shows).first().waitFor();
        if (name === "thread") {
          // Pictures load lazily: the whole page is shot, so let each finish first.
          await page.locator(".bubble-image img").evaluate((img) =>
            (img as unknown as { decode(): Promise<void> }).decode()
          );
        }
        await screenshot(page, SHOTS, `inboxflow-${lang}-${device}-${name}`);
        assert.equal(await overflows(page), false, `${name} (${lang}) fits the ${device} screen`);
      }
      // The quick replies open under the reply box.
      await page.goto(`${url}/inbox/${siti.id}`);
      const box = page.locator("textarea[name=text]");
      await box.click();
      await box.pressSequentially("/");
      await page.locator("#quick-reply-list").waitFor();
      await box.evaluate((el) =>
        (el as unknown as { scrollIntoView(o: unknown): void }).scrollIntoView({ block: "center" })
      );
      await page.screenshot({
        path: `${SHOTS}/inboxflow-${lang}-${device}-quick-replies.png`,
      });
    }
  }
  await phoneContext.close();
}
