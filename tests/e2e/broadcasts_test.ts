/**
 * A broadcast from an uploaded workbook in a browser: the form, the step
 * that maps its columns, the review, confirm and start, and the progress
 * reaching 100 % on a sandbox channel; on a laptop and a phone
 * (screenshots in /tmp/kabar-shots/broadcast-*.png).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import {
  assertVisible,
  ignoreBrowserTests as ignore,
  launchChromium,
  screenshot,
} from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";

const SHOTS = "/tmp/kabar-shots";

async function workbook(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Jadwal kontrol");
  sheet.addRow(["No", "Nomor HP", "Nama", "Poli"]);
  const rows = [
    ["0812-3456-7801", "Siti Rahmawati", "Poli Anak"],
    ["0812-3456-7802", "Budi Santoso", "Poli Gigi"],
    ["0812-3456-7803", "Dewi Lestari", "Poli Mata"],
    ["12345", "Ahmad Fauzi", "Poli Anak"],
    ["0812-3456-7801", "Siti (lagi)", "Poli Anak"],
  ];
  rows.forEach((r, i) => sheet.addRow([i + 1, ...r]));
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function signIn(page: Page, url: string) {
  await page.goto(`${url}/login`);
  await page.fill("#username", "dewi");
  await page.fill("#password", TEST_PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${url}/inbox`);
}

async function fillForm(page: Page, file: Uint8Array) {
  await page.fill("#name", "Pengingat kontrol Senin");
  await page.fill("#text", "Halo {{nama}}, jangan lupa kontrol di {{poli}} pada {{tanggal}}.");
  await page.fill("#variables", "tanggal = Senin, 12 Januari 2026");
  // A typed list is the first choice: its box shows; choosing a file shows the file's field.
  assert.ok(await page.isVisible("#recipients_text"), "the box for a typed list");
  assert.ok(!await page.isVisible("#file"));
  await page.click("label[for=recipients_typed]");
  assert.ok(await page.isChecked("#recipients_typed"), "its label chooses it");
  await page.check("#recipients_file");
  assert.ok(!await page.isVisible("#recipients_text"));
  assert.ok(await page.isVisible("#file"));
  await page.setInputFiles("#file", {
    name: "jadwal-kontrol.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: Buffer.from(file),
  });
  assert.ok(await page.isVisible(".hint.when-window"), "what the sending hours do");
  await page.check("#any_time");
  assert.ok(!await page.isVisible(".hint.when-window"), "not said of hours no longer asked");
}

Deno.test({
  name: "a supervisor sends a broadcast from an uploaded workbook and watches it finish",
  ignore,
  async fn() {
    await using t = await startTestApp();
    await sandbox(t, { name: "Poli Anak" });
    await t.addUser("dewi", "supervisor");
    const url = t.serve();
    const file = await workbook();
    await Deno.mkdir(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await signIn(page, url);
      await page.goto(`${url}/broadcasts`);
      await assertVisible(page.getByText("No broadcasts yet"), "the empty list");
      await screenshot(page, SHOTS, "broadcast-empty-desktop");
      await page.click("text=New broadcast");
      await page.waitForURL(`${url}/broadcasts/new`);
      await fillForm(page, file);
      await screenshot(page, SHOTS, "broadcast-form-desktop");
      await page.click("form.form button[type=submit]");
      await assertVisible(page.getByRole("heading", { name: "Which column is what?" }), "mapping");
      assert.equal(await page.inputValue("#col_phone"), "1", "the number column guessed");
      assert.equal(await page.inputValue("#col_name"), "2", "the name column guessed");
      await page.selectOption("[name='col_var.poli']", "3");
      await screenshot(page, SHOTS, "broadcast-mapping-desktop");
      await page.click("form.form button[type=submit]:not([name])");
      await page.waitForURL(/\/broadcasts\/\d+$/);
      await assertVisible(
        page.getByText(
          "Halo Siti Rahmawati, jangan lupa kontrol di Poli Anak pada Senin, 12 Januari 2026.",
        ),
        "the first preview",
      );
      const facts = await page.locator("#broadcast-counts + dl").innerText();
      assert.match(facts, /Will receive it\s+3/);
      assert.match(facts, /Numbers that cannot be used\s+1/);
      assert.match(facts, /Listed twice\s+1/);
      await screenshot(page, SHOTS, "broadcast-review-desktop");
      await page.click("#broadcast-actions button:text('Confirm')");
      await assertVisible(page.getByText("Confirmed.", { exact: true }), "confirmed");
      await page.click("#broadcast-actions button:text('Start')");
      // "Sending has started." shows until the state changes: here it may finish at once.
      await page.waitForURL(/\/broadcasts\/\d+$/);
      await waitUntil(
        async () => {
          t.clock.advance(2_000);
          return (await page.locator(".progress-text").innerText()).includes("(100 %)");
        },
        "every message sent",
        20_000,
      );
      // Once it has finished, the open page says how long it took, without a reload.
      await waitUntil(
        async () => {
          t.clock.advance(2_000);
          return (await page.locator("#broadcast-estimate").innerText()).includes(
            "From start to end",
          );
        },
        "the review to say how long it took",
        20_000,
      );
      assert.equal(
        await page.getByText("Sending has started.").count(),
        0,
        "the message about the start goes once it has finished",
      );
      assert.match(await page.locator("#broadcast-state").innerText(), /Finished/);
      assert.match(
        await page.locator("#broadcast-details-facts").innerText(),
        /Started\s+1 Jan 2026, 07:\d\d WIB\s+Ended\s+1 Jan 2026, 07:\d\d WIB/,
        "when it ended, also without a reload",
      );
      assert.match(await page.locator("#broadcast-valid").innerText(), /Recipients\s+3/);
      assert.match(
        await page.locator("#broadcast-preview").innerText(),
        /What recipients were sent/,
      );
      await screenshot(page, SHOTS, "broadcast-progress-desktop");
      const id = page.url().split("/").pop();
      await page.goto(`${url}/broadcasts/${id}/recipients`);
      await assertVisible(page.getByText("“12345” is too short for a number"), "the reason");
      await screenshot(page, SHOTS, "broadcast-recipients-desktop");
      await page.goto(`${url}/broadcasts`);
      await assertVisible(page.getByText("Pengingat kontrol Senin"), "in the list");
      await screenshot(page, SHOTS, "broadcast-list-desktop");
      await page.close();

      const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(phone, url);
      for (
        const [path, name] of [
          ["/broadcasts", "list"],
          [`/broadcasts/${id}`, "progress"],
          [`/broadcasts/${id}/recipients`, "recipients"],
          ["/broadcasts/new", "form"],
        ]
      ) {
        await phone.goto(`${url}${path}`);
        await screenshot(phone, SHOTS, `broadcast-${name}-phone`);
        const overflow = await phone.evaluate(
          "document.documentElement.scrollWidth > document.documentElement.clientWidth",
        );
        assert.equal(overflow, false, `${path} fits the phone`);
      }
      await fillForm(phone, file);
      await phone.click("form.form button[type=submit]");
      await assertVisible(phone.getByRole("heading", { name: "Which column is what?" }), "mapping");
      await screenshot(phone, SHOTS, "broadcast-mapping-phone");
      await phone.close();
    } finally {
      await browser.close();
    }
  },
});
