/**
 * The labels page and a channel's departments in a browser, on a desktop
 * and a phone: a label added with its colour, a rename onto a taken name
 * named beside its field, and the departments ticked on a channel's page.
 * Screenshots go to $KABAR_SCREENSHOTS when it is set.
 */
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createDepartment } from "../../db/departments.ts";
import {
  assertVisible,
  ignoreBrowserTests as ignore,
  launchChromium,
  PHONE,
  screenshot,
} from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";

const LAPTOP = { width: 1366, height: 768 };

Deno.test({
  name: "labels and channel departments in a browser, on a laptop and a phone",
  ignore,
}, async () => {
  await using t = await startTestApp();
  const screens = await Deno.makeTempDir({ prefix: "kabar-e2e-labels-" });
  await t.addUser("siti", "admin");
  for (const name of ["Farmasi", "Laboratorium", "Pendaftaran", "Poli Anak"]) {
    await createDepartment(t.deps.db, t.clock, CLI_ACTOR, name);
  }
  const channel = await sandbox(t, { name: "Pendaftaran WA" });
  const url = t.serve();
  const browser = await launchChromium();
  try {
    for (const [screen, viewport] of [["laptop", LAPTOP], ["phone", PHONE]] as const) {
      const context = await browser.newContext({ viewport, locale: "en-GB" });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${url}/login`);
      await page.getByLabel("Nama pengguna").fill("siti");
      await page.getByLabel("Kata sandi").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL("**/inbox");

      await page.goto(`${url}/settings/labels`);
      if (screen === "laptop") {
        for (
          const [name, color] of [["BPJS", "#16a34a"], ["Lab", "#2563eb"], ["Urgent", "#dc2626"]]
        ) {
          await page.getByLabel("Name", { exact: true }).first().fill(name);
          await page.locator("#new-label-color").fill(color);
          await page.getByRole("button", { name: "Add label" }).click();
          await assertVisible(page.getByText(`Label ${name} is added.`), `${name} added`);
        }
      }
      await screenshot(page, screens, `labels-${screen}`);
      // A rename onto another label's name, in another case: named beside the field.
      const row = page.locator("form.label-edit").filter({
        has: page.locator("input[value=Urgent]"),
      });
      await row.locator("input[name=name]").fill("lab");
      await row.getByRole("button", { name: "Save" }).click();
      await assertVisible(page.getByText("A label named “lab” already exists"), "the taken name");
      await screenshot(page, screens, `labels-taken-${screen}`);

      await page.goto(`${url}/channels/${channel.id}`);
      if (screen === "laptop") {
        await page.getByLabel("Farmasi").check();
        await page.getByLabel("Poli Anak").check();
        await page.getByRole("button", { name: "Save departments" }).click();
        await assertVisible(
          page.getByText("The departments of Pendaftaran WA are saved."),
          "departments saved",
        );
      }
      await assertVisible(page.locator("#channel-departments"), "the departments fact");
      await screenshot(page, screens, `channel-departments-${screen}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
