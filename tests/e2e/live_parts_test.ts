/**
 * Live pages in Chromium update in parts: a new message, a tick, a QR code,
 * a status badge is swapped in by id, and what someone is typing meanwhile
 * stays as it is, with the focus where it was. Kabar runs in this process on
 * a real HTTP server, with a scripted WhatsApp adapter and a sandbox.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { systemClock } from "../../core/clock.ts";
import { parseConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/log.ts";
import { sseEvent, sseRetry } from "../../core/sse_event.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { closeDb } from "../../db/client.ts";
import { createUser } from "../../db/users.ts";
import { boot, createApp } from "../../main.ts";
import type { AdapterFactory, ChannelCallbacks } from "../../sessions/channel.ts";
import { ignoreBrowserTests as ignore, launchChromium } from "../support/chromium.ts";
import { waitUntil } from "../support/wait_until.ts";
import { apiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";

const PASSWORD = "kata-sandi-rahasia";
const SHOTS = "/tmp/kabar-shots";
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

/** A WhatsApp adapter whose QR codes and scan the test triggers. */
class ScriptedWhatsApp {
  callbacks?: ChannelCallbacks;
  readonly factory: AdapterFactory = (context) => {
    this.callbacks = context.callbacks;
    return {
      start: () => {
        context.callbacks.onQr("2@first-qr-code,AAAA,BBBB,CCCC");
        return Promise.resolve();
      },
      stop: () => Promise.resolve(),
      logout: () => Promise.resolve(),
      send: () => Promise.reject(new Error("not used")),
    };
  };
  rotate() {
    this.callbacks!.onQr("2@second-qr-code-after-twenty-seconds,DDDD,EEEE,FFFF");
  }
  scan() {
    this.callbacks!.onIdentity({ phone: "6281234567890" });
    this.callbacks!.onStatus("connected");
  }
}

/** Kabar on 127.0.0.1 with an admin, a browser signed in as them, and a way to stop it all. */
async function start() {
  const dir = await Deno.makeTempDir({ prefix: "kabar-e2e-live-" });
  const whatsapp = new ScriptedWhatsApp();
  const config = parseConfig({ KABAR_DATA_DIR: `${dir}/data` }, {}, "/");
  const deps = await boot(config, silentLogger, systemClock, {
    factories: { whatsapp: whatsapp.factory },
  });
  await createUser(deps.db, systemClock, CLI_ACTOR, {
    username: "siti",
    displayName: "Siti Rahma",
    role: "admin",
    language: "en",
    departmentIds: [],
    password: PASSWORD,
  });
  deps.outbox.start();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createApp(deps).fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: DESKTOP, locale: "en-GB" });
  // Counts the live updates a page has received, so a test can wait for its stream's first one.
  await context.addInitScript(() => {
    const counted = globalThis as unknown as {
      EventSource: typeof EventSource;
      liveUpdates: number;
    };
    counted.liveUpdates = 0;
    counted.EventSource = class extends counted.EventSource {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("parts", () => counted.liveUpdates++);
      }
    };
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const warnings: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });
  await page.goto(`${url}/login`);
  await page.getByLabel("Nama pengguna").fill("siti");
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL("**/inbox");
  return {
    deps,
    url,
    page,
    whatsapp,
    warnings,
    async close() {
      await browser.close();
      deps.events.close();
      await server.shutdown();
      await deps.outbox.stop();
      await deps.registry.stopAll();
      closeDb(deps.db);
      await Deno.remove(dir, { recursive: true });
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}

/**
 * Waits for the page's live stream to have sent its first update (every part as it is now), so a
 * change made after this arrives as the parts it changed.
 */
async function streamOpen(page: Page): Promise<void> {
  await waitUntil(
    () => page.evaluate(() => (globalThis as unknown as { liveUpdates: number }).liveUpdates > 0),
    "the live stream's first update",
  );
}

/** Waits until `locator` matches an element that is visible. */
async function visible(locator: Locator, what: string): Promise<void> {
  await locator.first().waitFor({ state: "visible" });
  assert.ok(await locator.first().isVisible(), `${what} is visible`);
}

/** The page's `document`, as far as these tests (which see no DOM types) use it. */
type PageDocument = { document: { activeElement: unknown } };

/** Whether `field` has the focus. */
function focusedIs(field: Locator): Promise<boolean> {
  return field.evaluate((el) =>
    el === (globalThis as unknown as PageDocument).document.activeElement
  );
}

/**
 * Parts as a server could send them, made in the page (a string: these tests
 * see no DOM types): the section holding
 * the form drawn again with a new heading (as `#compose`), a form of another
 * shape (as `#compose-form`), and the list of phones.
 */
const CRAFTED_PARTS = `(() => {
  const section = document.querySelector("section[aria-labelledby=sandbox-reply]");
  section.id = "compose";
  section.querySelector("form").id = "compose-form";
  const again = section.cloneNode(true);
  again.setAttribute("hx-swap-oob", "true");
  again.querySelector("h2").textContent = "Heading sent by the server";
  const other = document.createElement("form");
  other.id = "compose-form";
  other.setAttribute("hx-swap-oob", "true");
  other.innerHTML = '<input name="text" value="from the server">';
  const phones =
    '<div id="sandbox-phones" hx-swap-oob="true"><p>Phones sent by the server</p></div>';
  return again.outerHTML + other.outerHTML + phones;
})()`;

/** Saves the page at desktop and phone sizes in /tmp/kabar-shots. */
async function shoot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(viewport);
    const path = `${SHOTS}/live-${name}-${size}.png`;
    await page.screenshot({ path, fullPage: true });
    assert.ok((await Deno.stat(path)).size > 0, `${path} is written`);
  }
  await page.setViewportSize(DESKTOP);
}

Deno.test({
  name: "live sandbox page: new messages and ticks come in while a half-typed message stays",
  ignore,
}, async () => {
  await using k = await start();
  const channel = await sandbox(k, { name: "Latihan" });
  await k.deps.registry.simulateInbound(channel.id, {
    phone: "6281234567890",
    name: "Budi",
    text: "Selamat pagi, poli anak buka?",
  });
  const { key } = await apiKey(k);

  const { page } = k;
  await page.goto(`${k.url}/channels/${channel.id}/sandbox`);
  await visible(page.getByText("Selamat pagi, poli anak buka?"), "the first message");
  await streamOpen(page);
  const budi = page.locator("#sandbox-phone-6281234567890");
  const budiBefore = await budi.elementHandle();

  // Someone types half a message as a new person.
  await page.getByLabel("From number").fill("0813 1111 2222");
  const text = page.getByLabel("Message", { exact: true });
  await text.click();
  await page.keyboard.type("Apakah dokter gigi pra");

  // Meanwhile Kabar answers Budi (sent -> delivered -> read) and Ani writes in.
  const reply = await fetch(`${k.url}/api/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ to: "081234567890", text: "Buka jam 08.00–14.00." }),
  });
  assert.equal(reply.status, 202, await reply.text());
  await k.deps.registry.simulateInbound(channel.id, {
    phone: "6285566667777",
    name: "Ani",
    text: "Saya mau daftar untuk besok",
  });

  // The new person's phone shows on top, Kabar's answer is added to Budi's and ticks to read.
  await visible(
    page.locator("#sandbox-phones > section:first-child", {
      hasText: "Saya mau daftar untuk besok",
    }),
    "Ani's phone on top",
  );
  const answer = budi.locator(".bubble", { hasText: "Buka jam 08.00–14.00." });
  await visible(answer, "the answer on Budi's phone");
  await visible(answer.locator('[data-status="read"]'), "the answer's read tick");

  // What was typed is still there, still focused, and typing goes on.
  assert.equal(await text.inputValue(), "Apakah dokter gigi pra");
  assert.ok(await focusedIs(text), "the message field keeps the focus");
  assert.equal(await page.getByLabel("From number").inputValue(), "0813 1111 2222");
  // Budi's phone was added to, not drawn again.
  assert.ok(
    await budiBefore!.evaluate((el) => el.isConnected),
    "Budi's phone is the same element",
  );
  assert.equal(await budi.locator(".bubble").count(), 2);
  await page.keyboard.type("ktek Sabtu?");
  assert.equal(await text.inputValue(), "Apakah dokter gigi praktek Sabtu?");
  await shoot(page, "sandbox");
  assert.deepEqual(k.warnings, []);
});

Deno.test({
  name: "live channel page: the QR code and status change while a half-typed new name stays",
  ignore,
}, async () => {
  await using k = await start();
  const { page } = k;
  await page.goto(`${k.url}/channels/new?kind=whatsapp`);
  await page.getByLabel("Channel name").fill("Pendaftaran");
  await page.getByLabel("WhatsApp number").fill("0812 3456 7890");
  await page.getByRole("button", { name: "Save" }).click();
  const qr = page.locator("#channel-qr svg.qr path");
  await visible(qr, "the QR code");
  await streamOpen(page);
  const firstQr = await qr.getAttribute("d");
  const status = await page.locator("#channel-status").elementHandle();

  const rename = page.getByLabel("Rename");
  await rename.click();
  await rename.press("ControlOrMeta+a");
  await page.keyboard.type("Pendaftaran Pol");

  // The QR code rotates: only it (and its expiry) is swapped, the status stays the same element.
  k.whatsapp.rotate();
  await waitUntil(async () => (await qr.getAttribute("d")) !== firstQr, "the next QR code");
  assert.ok(await status!.evaluate((el) => el.isConnected), "the status was not drawn again");
  assert.match(await page.locator("#channel-qr-expiry").innerText(), /\d:\d\d/);
  assert.equal(await rename.inputValue(), "Pendaftaran Pol");
  assert.ok(await focusedIs(rename), "the name field keeps the focus");
  const logout = page.getByRole("button", { name: "Log out" });
  assert.ok(await logout.isDisabled(), "nothing to log out of yet");
  await shoot(page, "channel-qr");
  await rename.focus();

  // The phone scans it: connected, the QR code gone, the name still being typed.
  k.whatsapp.scan();
  await visible(page.locator('#channel-status [data-status="connected"]'), "connected");
  assert.equal(await page.locator("svg.qr").count(), 0, "the QR code is gone");
  await visible(page.locator("#channel-address", { hasText: "+6281234567890" }), "the number");
  assert.equal(await rename.inputValue(), "Pendaftaran Pol");
  assert.ok(await focusedIs(rename), "the name field keeps the focus");
  assert.ok(await logout.isEnabled(), "now the phone can be logged out");
  await page.keyboard.type("i");
  await shoot(page, "channel");
  await page.getByRole("button", { name: "Rename" }).click();
  await visible(page.getByRole("heading", { name: "Pendaftaran Poli" }), "the new name");

  // The list shows the channel's row; a status change there swaps the row alone.
  await page.goto(`${k.url}/channels`);
  const row = page.locator("#channel-list tr", { hasText: "Pendaftaran Poli" });
  await visible(row.locator('[data-status="connected"]'), "the row, connected");
  await streamOpen(page);
  const list = await page.locator("#channel-list").elementHandle();
  k.whatsapp.callbacks!.onStatus("connecting");
  await visible(row.locator('[data-status="connecting"]'), "the row, connecting");
  assert.ok(await list!.evaluate((el) => el.isConnected), "the list was not drawn again");
  await shoot(page, "channels");
  assert.deepEqual(k.warnings, []);
});

Deno.test({
  name: "a live part that holds the field in use is updated around it, or left as it is",
  ignore,
}, async () => {
  await using k = await start();
  const channel = await sandbox(k, { name: "Latihan" });
  const { page } = k;
  // The server never sends a form as a part; this stream does, to try the page's guard.
  let send = (_parts: string) => {};
  const parts = new Promise<string>((resolve) => send = resolve);
  await page.route("**/sandbox/live", async (route) => {
    const body = sseRetry(600_000) + sseEvent({ event: "parts", data: await parts });
    await route.fulfill({ status: 200, contentType: "text/event-stream", body });
  });
  await page.goto(`${k.url}/channels/${channel.id}/sandbox`);
  await page.getByLabel("From number").fill("0813 1111 2222");
  const text = page.getByLabel("Message", { exact: true });
  await text.click();
  await page.keyboard.type("Setengah kal");
  const field = await text.elementHandle();

  send(String(await page.evaluate(CRAFTED_PARTS)));

  await visible(page.getByText("Phones sent by the server"), "the part without a form");
  await visible(page.getByText("Heading sent by the server"), "the new heading");
  assert.equal(await text.inputValue(), "Setengah kal");
  assert.ok(await focusedIs(text), "the message field keeps the focus");
  assert.ok(await field!.evaluate((el) => el.isConnected), "the field is the same element");
  assert.equal(await page.getByLabel("From number").inputValue(), "0813 1111 2222");
  await waitUntil(
    () => k.warnings.some((w) => w.startsWith("live part left as it is")),
    "a warning for the form of another shape",
  );
  assert.equal(await page.locator("input[value='from the server']").count(), 0);
});
