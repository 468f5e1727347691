/**
 * The channels pages in Chromium. Kabar runs in this process on a real HTTP
 * server (127.0.0.1), so the WhatsApp adapter can be a scripted fake: the test
 * decides when a QR code rotates and when the phone "scans" it, and the page
 * must follow without a reload.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { systemClock } from "../../core/clock.ts";
import { parseConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { closeDb } from "../../db/client.ts";
import { createUser } from "../../db/users.ts";
import { boot, createApp } from "../../main.ts";
import type { AdapterFactory, ChannelCallbacks } from "../../sessions/channel.ts";
import {
  assertVisible,
  DESKTOP,
  heading,
  ignoreBrowserTests as ignore,
  launchChromium,
  PHONE,
  screenshot,
} from "../support/chromium.ts";

const PASSWORD = "kata-sandi-rahasia";

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

Deno.test({
  name: "channels in a browser: a sandbox connects; a WhatsApp QR rotates and connects live",
  ignore,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "kabar-e2e-channels-" });
  const screens = `${dir}/screens`;
  await Deno.mkdir(screens);
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
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createApp(deps).fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "en-GB" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${url}/login`);
    await page.getByLabel("Nama pengguna").fill("siti");
    await page.getByLabel("Kata sandi").fill(PASSWORD);
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.waitForURL("**/inbox");

    await page.goto(`${url}/channels`);
    await assertVisible(heading(page, "No channels yet"), "the empty channel list");
    await screenshot(page, screens, "channels-1-empty");
    await page.getByRole("link", { name: "Add channel" }).click();
    await assertVisible(heading(page, "Add channel"), "the add page");
    await screenshot(page, screens, "channels-2-choose-kind");

    // A sandbox: connected at once.
    await page.getByRole("link", { name: /^Sandbox/ }).click();
    await page.getByLabel("Channel name").fill("Latihan");
    await page.getByRole("button", { name: "Save" }).click();
    await assertVisible(page.getByText("Channel “Latihan” added."), "the added message");
    await assertVisible(page.locator("#live [data-status=connected]"), "the sandbox connected");
    await screenshot(page, screens, "channels-3-sandbox");

    // A person writes to the sandbox; the simulated phone shows it.
    await page.getByRole("link", { name: "Open the simulated phones" }).click();
    await page.getByLabel("From number").fill("0812 3456 7890");
    await page.getByLabel("Name (optional)").fill("Budi");
    await page.getByLabel("Message", { exact: true }).fill("Selamat pagi, poli anak buka?");
    await page.getByRole("button", { name: "Send to Kabar" }).click();
    await assertVisible(page.getByText("Selamat pagi, poli anak buka?"), "the simulated message");
    await screenshot(page, screens, "channels-4-sandbox-phones");

    // WhatsApp: a wrong number first, then the QR code.
    await page.goto(`${url}/channels/new?kind=whatsapp`);
    await page.getByLabel("Channel name").fill("Pendaftaran");
    await page.getByLabel("WhatsApp number").fill("0812-ABCD");
    await page.getByRole("button", { name: "Save" }).click();
    await assertVisible(page.getByText("A phone number has only digits"), "the number error");
    await screenshot(page, screens, "channels-5-whatsapp-error");
    await page.getByLabel("WhatsApp number").fill("0812 3456 7890");
    await page.getByRole("button", { name: "Save" }).click();
    await assertVisible(page.getByRole("img", { name: "QR code to link WhatsApp" }), "the QR");
    await assertVisible(page.getByText("Waiting for scan"), "the waiting status");
    const firstQr = await qrPath(page);
    await screenshot(page, screens, "channels-6-whatsapp-qr");
    await page.setViewportSize(PHONE);
    await screenshot(page, screens, "channels-6-whatsapp-qr-phone");
    await page.setViewportSize(DESKTOP);

    whatsapp.rotate();
    await assertVisible(
      page.locator(`svg.qr path:not([d=${JSON.stringify(firstQr)}])`),
      "the next QR code, without a reload",
    );
    whatsapp.scan();
    await assertVisible(page.locator("#live [data-status=connected]"), "connected, no reload");
    assert.equal(await page.locator("svg.qr").count(), 0, "the QR is gone once connected");
    await screenshot(page, screens, "channels-7-whatsapp-connected");

    await page.goto(`${url}/channels`);
    await assertVisible(page.getByRole("cell", { name: "+6281234567890" }), "the number");
    await screenshot(page, screens, "channels-8-list");
    await page.setViewportSize(PHONE);
    await screenshot(page, screens, "channels-8-list-phone");
    await page.setViewportSize(DESKTOP);

    await page.getByRole("link", { name: "Latihan" }).click();
    await page.getByRole("link", { name: "Delete channel" }).click();
    await assertVisible(heading(page, "Delete “Latihan”?"), "the delete question");
    await screenshot(page, screens, "channels-9-delete");

    // An API key for the hospital's system: shown once.
    await page.goto(`${url}/settings/api-keys`);
    await page.getByLabel("Name", { exact: true }).fill("SIMRS notifications");
    await page.getByLabel("Only from these addresses (optional)").fill("10.20.0.0/16");
    await page.getByRole("button", { name: "Make a key" }).click();
    await assertVisible(heading(page, "Key “SIMRS notifications” is made"), "the new key");
    assert.match(await page.locator("#new-key-value-0").inputValue(), /^kbr_/);
    await screenshot(page, screens, "settings-api-keys");

    // A Wappin-compatible integration for a system written for Wappin: its keys shown once.
    await page.goto(`${url}/settings/integrations`);
    await page.getByLabel("Channel").selectOption({ label: "Pendaftaran (WhatsApp)" });
    await page.getByLabel("Project name").fill("RS Sehat Notifikasi");
    await page.getByLabel("Environment").selectOption("UAT");
    await page.getByRole("button", { name: "Add a Wappin integration" }).click();
    await assertVisible(
      page.getByText("A UAT integration needs a sandbox channel."),
      "the UAT error",
    );
    await page.getByLabel("Environment").selectOption("PRODUCTION");
    await page.getByLabel("Callback URL (optional)").fill("https://simrs.rs.local/wappin");
    await page.getByLabel("IP whitelist (optional)").fill("10.20.0.0/16");
    await page.getByRole("button", { name: "Add a Wappin integration" }).click();
    // The hospital's own system is on its private network: that must be said out loud.
    await assertVisible(
      page.getByText("This address is on a private network (the hospital's own systems)"),
      "the private network error",
    );
    await screenshot(page, screens, "settings-integrations-private-network");
    await page.getByLabel("The address is on the hospital's own network").check();
    await page.getByRole("button", { name: "Add a Wappin integration" }).click();
    await assertVisible(
      heading(page, "Integration RS Sehat Notifikasi is ready"),
      "the new integration",
    );
    assert.equal(await page.getByLabel("Client ID").inputValue(), "0001");
    assert.match(await page.getByLabel("Secret key").inputValue(), /^[0-9a-f]{40}$/);
    await assertVisible(page.getByRole("cell", { name: "0001 / 1" }), "the integration row");
    await screenshot(page, screens, "settings-integrations");
    await page.setViewportSize(PHONE);
    await screenshot(page, screens, "settings-integrations-phone");
    await page.setViewportSize(DESKTOP);
    await page.getByRole("link", { name: "Callback log" }).click();
    await assertVisible(heading(page, "Deliveries"), "the callback log");
    await page.goto(`${url}/settings/webhooks`);
    await assertVisible(
      page.getByText("Wappin callback of RS Sehat Notifikasi"),
      "the callback among the webhooks",
    );
    await screenshot(page, screens, "settings-webhooks-wappin");
    await page.getByLabel("Address (URL)").fill("http://10.20.0.5/kabar");
    await page.getByLabel("The address is on the hospital's own network").check();
    await page.getByRole("button", { name: "Add a webhook" }).click();
    await assertVisible(
      heading(page, "Webhook for http://10.20.0.5/kabar is added"),
      "the webhook",
    );
    await screenshot(page, screens, "settings-webhooks-private-network");

    await page.goto(`${url}/api/docs`);
    await assertVisible(heading(page, "Authentication and errors"), "the API docs");
    await screenshot(page, screens, "api-docs");
    await context.close();
  } finally {
    await browser.close();
    deps.events.close();
    await server.shutdown();
    await deps.registry.stopAll();
    closeDb(deps.db);
    await Deno.remove(dir, { recursive: true });
  }
});

function qrPath(page: Page): Promise<string | null> {
  return page.locator("svg.qr path").getAttribute("d");
}
