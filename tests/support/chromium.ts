/**
 * What the browser tests share: Chromium through playwright-core, screenshots
 * saved for people to look at, and visibility checks. Without Chromium at
 * /usr/bin/chromium the tests are skipped, unless KABAR_REQUIRE_BROWSER=1
 * (CI) makes that a failure.
 */
import assert from "node:assert/strict";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const SCREENS_OUT = Deno.env.get("KABAR_SCREENSHOTS");
const HAS_CHROMIUM = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

/** Browser tests run when Chromium is there, and must run when CI asks for them. */
export const ignoreBrowserTests = !HAS_CHROMIUM &&
  Deno.env.get("KABAR_REQUIRE_BROWSER") !== "1";
if (ignoreBrowserTests) {
  console.warn(`${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium)`);
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Headless Chromium as these machines can run it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a full-page screenshot in `dir` (and $KABAR_SCREENSHOTS), and checks it was written. */
export async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  const path = `${dir}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  const info = await Deno.stat(path);
  assert.ok(info.isFile && info.size > 0, `screenshot ${path} is empty`);
  if (SCREENS_OUT) {
    await Deno.mkdir(SCREENS_OUT, { recursive: true });
    await Deno.copyFile(path, `${SCREENS_OUT}/${name}.png`);
  }
}

/** Waits until `locator` is visible (Playwright's auto-waiting) and asserts it. */
export async function assertVisible(locator: Locator, what: string): Promise<void> {
  await locator.first().waitFor({ state: "visible" });
  assert.ok(await locator.first().isVisible(), `${what} is visible`);
}

/** The heading with exactly this text. */
export function heading(page: Page, name: string): Locator {
  return page.getByRole("heading", { name, exact: true });
}
