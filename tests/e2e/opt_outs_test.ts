/**
 * The opt-out list in a browser, on a laptop and a phone: a patient's STOP
 * on the list, a number added by hand, a stop word list refused beside its
 * field, and a contact's page saying the number gets no broadcasts.
 * Screenshots go to the test's temp dir, /tmp/kabar-shots and
 * $KABAR_SCREENSHOTS when it is set.
 */
import {
  assertVisible,
  ignoreBrowserTests as ignore,
  launchChromium,
  PHONE,
  screenshot,
} from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";

const LAPTOP = { width: 1366, height: 768 };
const SHOTS = "/tmp/kabar-shots";

Deno.test({
  name: "opt-outs in Settings and on a contact's page, on a laptop and a phone",
  ignore,
}, async () => {
  await using t = await startTestApp();
  const screens = await Deno.makeTempDir({ prefix: "kabar-e2e-optouts-" });
  await Deno.mkdir(SHOTS, { recursive: true });
  await t.addUser("siti", "admin");
  const channel = await sandbox(t, { name: "Pendaftaran WA" });
  await t.deps.registry.simulateInbound(channel.id, {
    phone: "6281234560001",
    name: "Bu Ratna",
    text: "STOP",
  });
  await waitUntil(
    () => t.deps.services.optOuts.isOptedOut("6281234560001"),
    "the STOP reply on the list",
  );
  const { rows } = await t.deps.db.$client.execute(
    "SELECT id FROM contacts WHERE phone = '6281234560001'",
  );
  const contactId = Number(rows[0].id);
  const url = t.serve();
  const browser = await launchChromium();
  const shot = async (page: Parameters<typeof screenshot>[0], name: string) => {
    await screenshot(page, screens, name);
    await Deno.copyFile(`${screens}/${name}.png`, `${SHOTS}/${name}.png`);
  };
  try {
    for (const [screen, viewport] of [["laptop", LAPTOP], ["phone", PHONE]] as const) {
      const context = await browser.newContext({ viewport, locale: "en-GB" });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on("dialog", (dialog) => dialog.accept());
      await page.goto(`${url}/login`);
      await page.getByLabel("Nama pengguna").fill("siti");
      await page.getByLabel("Kata sandi").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL("**/inbox");

      await page.goto(`${url}/settings/opt-outs`);
      if (screen === "laptop") {
        await page.getByLabel("Phone number").fill("0813-9876-5432");
        await page.getByRole("button", { name: "Add to the list" }).click();
        await assertVisible(
          page.getByText("+6281398765432 gets no more broadcasts."),
          "the number added",
        );
      }
      await assertVisible(page.getByText("Replied a stop word"), "how the patient opted out");
      await assertVisible(page.getByText("Added by siti").first(), "who added by hand");
      await shot(page, `optout-settings-${screen}`);

      await page.getByRole("textbox", { name: "Stop words" }).fill("STOP\nstop");
      await page.getByRole("button", { name: "Save stop words" }).click();
      await assertVisible(
        page.getByText("“stop” is in the list twice (case does not count)."),
        "the duplicate named",
      );
      await shot(page, `optout-settings-error-${screen}`);

      await page.goto(`${url}/contacts/${contactId}`);
      await assertVisible(page.getByText("Opted out: gets no broadcasts"), "the contact's status");
      await shot(page, `optout-contact-${screen}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
