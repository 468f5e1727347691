/**
 * An agent in a browser: the patient's message is in the inbox, the thread
 * opens from it, and a reply typed and sent with Ctrl+Enter shows in the
 * thread, queued and then sent on the sandbox.
 */
import assert from "node:assert/strict";
import { ignoreBrowserTests as ignore, launchChromium } from "../support/chromium.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";

Deno.test({
  name: "an agent opens a patient's message from the inbox and replies with Ctrl+Enter",
  ignore,
  async fn() {
    await using t = await startTestApp();
    const channel = await sandbox(t, { name: "Pendaftaran" });
    await t.deps.registry.simulateInbound(channel.id, {
      phone: "6281234567890",
      name: "Siti Rahma",
      text: "Jadwal dokter gigi hari Senin?",
    });
    await t.addUser("rina", "agent");
    const url = t.serve();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/login`);
      await page.fill("#username", "rina");
      await page.fill("#password", TEST_PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForURL(`${url}/inbox`);
      await page.click("text=Siti Rahma");
      await page.waitForSelector("text=Jadwal dokter gigi hari Senin?");
      await page.fill("textarea[name=text]", "Poli gigi buka Senin pukul 08.00.");
      await page.press("textarea[name=text]", "Control+Enter");
      const reply = page.locator(".bubble.out");
      await reply.waitFor();
      assert.match(await reply.innerText(), /Poli gigi buka Senin pukul 08\.00\./);
      assert.match(await reply.innerText(), /Sent by Rina/);
      assert.equal(await page.inputValue("textarea[name=text]"), "", "the box is empty again");
    } finally {
      await browser.close();
    }
  },
});
