/**
 * The contact list and a contact's page in a browser, on a desktop screen
 * and a phone: a search finds the patient, their page opens from the list,
 * and nothing is cut off (screenshots in /tmp/kabar-shots/ to look at).
 */
import assert from "node:assert/strict";
import {
  assertVisible,
  ignoreBrowserTests as ignore,
  launchChromium,
  screenshot,
} from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";

const SHOTS = "/tmp/kabar-shots";

Deno.test({
  name: "a supervisor finds a patient in the contact list and opens their page",
  ignore,
  async fn() {
    await using t = await startTestApp();
    const channel = await sandbox(t, { name: "Pendaftaran" });
    const people = ["Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Ahmad Fauzi", "Rina Wijaya"];
    for (const [i, name] of people.entries()) {
      await t.deps.registry.simulateInbound(channel.id, {
        phone: `62812345678${10 + i}`,
        name,
        text: `Halo, saya ${name}`,
      });
      t.clock.advance(60_000);
    }
    await t.deps.db.$client.execute(
      `UPDATE contacts SET name = push_name, email = 'siti.rahma@example.com',
        notes = 'Alergi penisilin. Kontrol gigi tiap 3 bulan.',
        attributes = '{"No. RM":"00123456","Poli":"Gigi"}' WHERE push_name = 'Siti Rahmawati'`,
    );
    await t.deps.db.$client.execute(
      "INSERT INTO labels (name, color, created_at) VALUES ('BPJS', '#0ea5e9', 0)",
    );
    await t.deps.db.$client.execute(
      `INSERT INTO conversation_labels (conversation_id, label_id)
        SELECT c.id, 1 FROM conversations c JOIN contacts k ON k.id = c.contact_id
        WHERE k.name IN ('Siti Rahmawati', 'Dewi Lestari')`,
    );
    await t.addUser("dewi", "supervisor");
    const url = t.serve();
    await Deno.mkdir(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      for (
        const [label, viewport] of [["desktop", { width: 1366, height: 768 }], ["phone", {
          width: 390,
          height: 844,
        }]] as const
      ) {
        const page = await browser.newPage({ viewport });
        await page.goto(`${url}/login`);
        await page.fill("#username", "dewi");
        await page.fill("#password", TEST_PASSWORD);
        await page.click("button[type=submit]");
        await page.waitForURL(`${url}/inbox`);
        await page.goto(`${url}/contacts`);
        await assertVisible(page.getByText("Siti Rahmawati"), "Siti in the list");
        await screenshot(page, SHOTS, `contacts-${label}`);
        await page.fill("input[name=q]", "0812 3456 7810");
        await page.click("form.contact-search button[type=submit]");
        await page.waitForURL(/q=/);
        assert.equal(await page.locator("table.data-table tbody tr").count(), 1);
        await page.click("text=Siti Rahmawati");
        await page.waitForURL(/\/contacts\/\d+$/);
        await assertVisible(page.getByRole("heading", { name: "Siti Rahmawati" }), "her page");
        await screenshot(page, SHOTS, `contact-${label}`);
        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth > document.documentElement.clientWidth",
        );
        assert.equal(overflow, false, `nothing wider than the ${label} screen`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },
});
