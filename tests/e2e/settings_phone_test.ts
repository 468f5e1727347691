/**
 * The settings pages on a phone (390 px wide), in Chromium: the API keys and
 * webhooks pages, with long names and addresses in their tables, never
 * scroll sideways, and the Copy button of a secret shown once puts the
 * secret on the clipboard and says so; a form sent back with a mistake opens
 * at the wrong field.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createUser } from "../../db/users.ts";
import {
  assertVisible,
  heading,
  ignoreBrowserTests as ignore,
  launchChromium,
  PHONE,
  screenshot,
} from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp } from "../support/test_app.ts";
import { PUBLIC_TEST_ADDRESS, testNetwork } from "../support/test_network.ts";

const PASSWORD = "kata-sandi-rahasia";
const LONG_URL = "https://simrs.rs-sehat.co.id/api/integrasi/whatsapp/kabar-webhook-penerima";

/** How far the page is wider than the window (0: no sideways scrolling). */
function sidewaysOverflow(page: Page): Promise<number> {
  // A string is evaluated in the page (these tests have no DOM types).
  return page.evaluate<number>("document.scrollingElement.scrollWidth - innerWidth");
}

/** What the page's clipboard holds. */
function clipboardText(page: Page): Promise<string> {
  return page.evaluate<string>("navigator.clipboard.readText()");
}

/** Clicks the Copy button of secret field `fieldId`: it says "Disalin", the clipboard holds it. */
async function copyWorks(page: Page, fieldId: string): Promise<void> {
  const secret = await page.locator(`#${fieldId}`).inputValue();
  assert.ok(secret.length > 20, `a secret in #${fieldId}`);
  const button = page.locator(`button[data-copy="${fieldId}"]`);
  assert.equal((await button.textContent())?.trim(), "Salin");
  await button.click();
  await assertVisible(
    page.locator(`button[data-copy="${fieldId}"]`, { hasText: "Disalin" }),
    "Copied",
  );
  assert.equal(await clipboardText(page), secret);
}

Deno.test({
  name: "settings on a phone: API keys and webhooks fit 390 px; Copy copies the secret",
  ignore,
}, async () => {
  await using t = await startTestApp({}, {
    outbound: testNetwork({ "simrs.rs-sehat.co.id": [PUBLIC_TEST_ADDRESS] }),
  });
  const screens = `${t.dir}/screens`;
  await Deno.mkdir(screens);
  await createUser(t.deps.db, t.clock, CLI_ACTOR, {
    username: "siti",
    displayName: "Siti Rahma",
    role: "admin",
    language: "id",
    departmentIds: [],
    password: PASSWORD,
  });
  const url = t.serve();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: PHONE,
      locale: "id-ID",
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${url}/login`);
    await page.getByLabel("Nama pengguna").fill("siti");
    await page.getByLabel("Kata sandi").fill(PASSWORD);
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.waitForURL("**/inbox");

    // An API key limited to two addresses: its secret shown once, with Copy.
    await page.goto(`${url}/settings/api-keys`);
    await page.getByLabel("Nama", { exact: true }).fill("SIMRS notifikasi pendaftaran rawat jalan");
    await page.getByLabel("Hanya dari alamat ini (opsional)").fill("10.20.0.0/16\n10.30.5.12");
    await page.getByRole("button", { name: "Buat kunci" }).click();
    await assertVisible(
      heading(page, "Kunci “SIMRS notifikasi pendaftaran rawat jalan” sudah dibuat"),
      "the new key",
    );
    assert.equal(await sidewaysOverflow(page), 0, "the API keys page with its new key");
    await copyWorks(page, "new-key-value-0");
    assert.match(await clipboardText(page), /^kbr_/);
    await screenshot(page, screens, "phone-api-key-copied");

    // A webhook with a long address: its signing secret shown once, with Copy.
    await page.goto(`${url}/settings/webhooks`);
    await page.getByLabel("Alamat (URL)").fill(LONG_URL);
    await page.getByRole("button", { name: "Tambah webhook" }).click();
    await assertVisible(
      heading(page, `Webhook untuk ${LONG_URL} sudah ditambahkan`),
      "the webhook",
    );
    assert.equal(await sidewaysOverflow(page), 0, "the webhooks page with its new secret");
    await copyWorks(page, "new-secret-value-0");
    assert.match(await clipboardText(page), /^whsec_/);
    await screenshot(page, screens, "phone-webhook-copied");

    // Over plain http:// on the hospital network a page has no navigator.clipboard:
    // the button selects the secret and copies it the old way, and still says so.
    await page.evaluate(`(async () => {
      const clipboard = navigator.clipboard;
      await clipboard.writeText("something else");
      globalThis.readClipboard = () => clipboard.readText();
      Object.defineProperty(navigator, "clipboard", { value: undefined });
    })()`);
    await page.locator('button[data-copy="new-secret-value-0"]').click();
    await assertVisible(
      page.locator("#new-secret-value-0-copied", { hasText: "Disalin" }),
      "Copied",
    );
    assert.equal(
      await page.evaluate<string>("globalThis.readClipboard()"),
      await page.locator("#new-secret-value-0").inputValue(),
      "the secret is on the clipboard without navigator.clipboard",
    );

    // The lists on their own, and the other settings pages.
    for (
      const path of [
        "/settings/api-keys",
        "/settings/webhooks",
        "/settings/users",
        "/settings/audit",
      ]
    ) {
      await page.goto(url + path);
      await assertVisible(page.locator(".data-table").first(), `${path}: the table`);
      assert.equal(await sidewaysOverflow(page), 0, `${path} scrolls sideways at 390 px`);
    }
    await assertVisible(page.getByText(LONG_URL).first(), "the whole address, wrapped");

    // A mistake in a form far down a page: it comes back open at the wrong field.
    const channel = await sandbox(t, { name: "Latihan" });
    await page.goto(`${url}/channels/${channel.id}`);
    await page.locator("[name=dailyCap]").fill("-5");
    await page.locator("[name=dailyCap]").press("Enter");
    await page.waitForURL(`**/channels/${channel.id}**`);
    assert.deepEqual(
      await page.evaluate(`(() => {
        const field = document.activeElement;
        const box = field.getBoundingClientRect();
        return [field.name, field.getAttribute("aria-invalid"), box.top >= 0 && box.bottom <= innerHeight];
      })()`),
      ["dailyCap", "true", true],
      "the wrong field has the focus, in sight",
    );
    await screenshot(page, screens, "phone-pace-mistake");
    await context.close();
  } finally {
    await browser.close();
  }
});
