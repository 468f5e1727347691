/**
 * An agent in a browser: the patient's message is in the inbox, the thread
 * opens from it, and a reply typed and sent with Ctrl+Enter shows in the
 * thread; a colleague with the same thread open sees the reply and its ticks
 * come in without reloading, while what she is typing stays.
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
    await t.addUser("dewi", "supervisor");
    const url = t.serve();
    const browser = await launchChromium();
    const signIn = async (username: string) => {
      const page = await browser.newPage();
      await page.goto(`${url}/login`);
      await page.fill("#username", username);
      await page.fill("#password", TEST_PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForURL(`${url}/inbox`);
      return page;
    };
    try {
      const page = await signIn("rina");
      const colleague = await signIn("dewi");
      await colleague.click("text=Siti Rahma");
      await colleague.waitForSelector("text=Jadwal dokter gigi hari Senin?");
      await colleague.fill("textarea[name=text]", "Setengah diketik");
      await page.click("text=Siti Rahma");
      await page.waitForSelector("text=Jadwal dokter gigi hari Senin?");
      await page.fill("textarea[name=text]", "Poli gigi buka Senin pukul 08.00.");
      await page.press("textarea[name=text]", "Control+Enter");
      const reply = page.locator(".bubble.out");
      await reply.waitFor();
      assert.match(await reply.innerText(), /Poli gigi buka Senin pukul 08\.00\./);
      assert.match(await reply.innerText(), /Sent by Rina/);
      assert.equal(await page.inputValue("textarea[name=text]"), "", "the box is empty again");

      // The colleague's open thread shows the reply, then its ticks, without a reload. Live
      // updates and the sandbox's receipts run on the test's clock: it moves a little at a time.
      const bubble = colleague.locator(".bubble.out");
      const until = async (text: RegExp) => {
        for (let step = 0; step < 200; step++) {
          if ((await bubble.count()) > 0 && text.test(await bubble.innerText())) return;
          t.clock.advance(100);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`the colleague's page never showed ${text}`);
      };
      await until(/Poli gigi buka Senin pukul 08\.00\./);
      await until(/Read|Dibaca/);
      assert.equal(
        await colleague.inputValue("textarea[name=text]"),
        "Setengah diketik",
        "what she was typing stays",
      );

      // The list keeps itself up to date too: a new patient appears without a reload.
      await page.goto(`${url}/inbox`);
      await t.deps.registry.simulateInbound(channel.id, {
        phone: "6281298765432",
        name: "Budi Santoso",
        text: "Apakah poli anak buka hari Sabtu?",
      });
      const row = page.locator(".conversation", { hasText: "Budi Santoso" });
      for (let step = 0; step < 200 && (await row.count()) === 0; step++) {
        t.clock.advance(100);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(await row.innerText(), /Apakah poli anak buka hari Sabtu\?/);
    } finally {
      await browser.close();
    }
  },
});
