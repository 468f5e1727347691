/**
 * Browser end-to-end tests: Kabar runs for real (`main.ts serve` in a
 * subprocess, on a temp data dir) and Chromium drives it through
 * playwright-core. Screenshots of every step and page are saved in the test's
 * temp dir (and copied to $KABAR_SCREENSHOTS when set, for people to look at);
 * the assertions are on visible text only. Without Chromium at /usr/bin/chromium
 * the tests are skipped, unless KABAR_REQUIRE_BROWSER=1 (CI) makes that a failure.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { type Kabar, startKabar } from "../support/kabar_process.ts";
import {
  assertVisible,
  DESKTOP,
  heading,
  ignoreBrowserTests as ignore,
  launchChromium,
  PHONE,
  screenshot,
} from "../support/chromium.ts";

interface Admin {
  displayName: string;
  username: string;
  password: string;
}

const ADMIN: Admin = {
  displayName: "Siti Rahma",
  username: "siti",
  password: "kata-sandi-rahasia",
};

/** A long name, as hospital staff names often are, to stress the top bar. */
const LONG_NAMED_ADMIN: Admin = {
  displayName: "dr. Anindya Kusumawardhani, Sp.A",
  username: "anindya",
  password: "kata-sandi-rahasia",
};

/**
 * A temp dir with a running Kabar and Chromium; `run` gets them, and
 * everything is stopped and removed afterwards, even when `run` fails.
 */
async function withKabar(
  run: (env: { kabar: Kabar; browser: Browser; screens: string }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-e2e-" });
  const screens = `${dir}/screens`;
  let kabar: Kabar | undefined;
  let browser: Browser | undefined;
  try {
    await Deno.mkdir(screens);
    kabar = await startKabar(`${dir}/data`);
    browser = await launchChromium();
    try {
      await run({ kabar, browser, screens });
    } catch (e) {
      if (e instanceof Error) e.message += `\n--- Kabar output ---\n${kabar.output()}`;
      throw e;
    }
  } finally {
    try {
      await browser?.close();
    } finally {
      try {
        await kabar?.stop();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  }
}

/** Fills in the first-run form. */
async function fillSetup(page: Page, admin: Admin): Promise<void> {
  await page.getByLabel("Nama lengkap").fill(admin.displayName);
  await page.getByLabel("Nama pengguna").fill(admin.username);
  await page.getByLabel("Kata sandi", { exact: true }).fill(admin.password);
  await page.getByLabel("Ulangi kata sandi").fill(admin.password);
}

Deno.test({
  name: "first run in a browser: setup signs the administrator in, the inbox, switch to English",
  ignore,
}, async () => {
  await withKabar(async ({ kabar, browser, screens }) => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "id-ID" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto(kabar.url + "/");
    await page.waitForURL("**/setup");
    await assertVisible(heading(page, "Selamat datang di Kabar"), "the setup heading");
    await assertVisible(page.getByText("Buat akun administrator."), "the setup intro");
    await screenshot(page, screens, "flow-1-setup");

    await page.getByLabel("Nama lengkap").fill(ADMIN.displayName);
    await page.getByLabel("Nama pengguna").fill(ADMIN.username);
    // Switching the language keeps what was typed (not the passwords).
    await page.getByRole("button", { name: "English" }).click();
    await assertVisible(heading(page, "Welcome to Kabar"), "the setup page in English");
    assert.equal(await page.getByLabel("Full name").inputValue(), ADMIN.displayName);
    assert.equal(await page.getByLabel("Username").inputValue(), ADMIN.username);
    await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
    await assertVisible(heading(page, "Selamat datang di Kabar"), "back in Indonesian");
    await fillSetup(page, ADMIN);
    await screenshot(page, screens, "flow-2-setup-filled");
    await page.getByRole("button", { name: "Buat administrator" }).click();

    await page.waitForURL("**/channels");
    await assertVisible(
      page.getByRole("status").getByText(/Akun administrator siap dan Anda sudah masuk/),
      "the setup success message, signed in already",
    );
    await screenshot(page, screens, "flow-3-channels-after-setup");

    const nav = page.getByRole("navigation", { name: "Kabar" });
    await nav.getByRole("link", { name: "Kotak Masuk" }).click();
    await page.waitForURL("**/inbox");
    await assertVisible(nav.getByRole("link", { name: "Kotak Masuk" }), "the inbox link");
    await assertVisible(nav.getByRole("link", { name: "Pengaturan" }), "the settings link");
    await assertVisible(heading(page, "Kotak Masuk"), "the inbox heading");
    await assertVisible(heading(page, "Belum ada percakapan"), "the empty inbox");
    await screenshot(page, screens, "flow-4-inbox");

    await page.getByLabel("Menu akun").click();
    await assertVisible(page.getByText("Masuk sebagai siti · Administrator"), "who is signed in");
    await assertVisible(page.getByRole("button", { name: "Keluar" }), "the sign-out button");
    await screenshot(page, screens, "flow-5-user-menu");

    await page.getByLabel("Bahasa").selectOption("en");
    await assertVisible(heading(page, "No conversations yet"), "the empty inbox in English");
    await assertVisible(heading(page, "Inbox"), "the inbox heading in English");
    await assertVisible(nav.getByRole("link", { name: "Inbox" }), "the inbox link in English");
    assert.equal(new URL(page.url()).pathname, "/inbox", "the language switch stays on the page");
    await screenshot(page, screens, "flow-6-inbox-english");

    await context.close();
  });
});

/** A page to look at, and a text that shows it rendered. */
interface Stop {
  name: string;
  path: string;
  see: string;
}

const signedInPages = (admin: Admin): Stop[] => [
  { name: "inbox", path: "/inbox", see: "Belum ada percakapan" },
  { name: "contacts", path: "/contacts", see: "Belum ada kontak" },
  { name: "broadcasts", path: "/broadcasts", see: "Belum ada siaran" },
  { name: "templates", path: "/templates", see: "Tambah template" },
  { name: "channels", path: "/channels", see: "Belum ada saluran" },
  { name: "automation", path: "/automation", see: "Balasan otomatis segera hadir" },
  { name: "reports", path: "/reports", see: "Laporan segera hadir" },
  { name: "settings-account", path: "/settings/account", see: "Akun saya" },
  { name: "settings-users", path: "/settings/users", see: "Akun staf" },
  { name: "settings-user-1", path: "/settings/users/1", see: `Ubah ${admin.displayName}` },
  { name: "settings-departments", path: "/settings/departments", see: "Departemen" },
  { name: "settings-api-keys", path: "/settings/api-keys", see: "Buat kunci" },
  { name: "settings-webhooks", path: "/settings/webhooks", see: "Tambah webhook" },
  { name: "settings-audit", path: "/settings/audit", see: "Log audit" },
  { name: "not-found", path: "/tidak-ada", see: "Halaman tidak ditemukan" },
];

Deno.test({
  name: "every page an administrator opens, at desktop and phone width",
  ignore,
}, async () => {
  await withKabar(async ({ kabar, browser, screens }) => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "id-ID" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    // An administrator, a department and a staff account, so the lists have rows.
    const admin = LONG_NAMED_ADMIN;
    await page.goto(kabar.url + "/setup");
    await fillSetup(page, admin);
    await page.getByRole("button", { name: "Buat administrator" }).click();
    await page.waitForURL("**/channels");

    await page.goto(kabar.url + "/settings/departments");
    await page.getByLabel("Nama", { exact: true }).fill("Pendaftaran Rawat Jalan");
    await page.getByRole("button", { name: "Tambah departemen" }).click();
    await assertVisible(
      page.getByText("Departemen Pendaftaran Rawat Jalan telah ditambahkan."),
      "the department added",
    );

    await page.goto(kabar.url + "/settings/users");
    await page.getByLabel("Nama lengkap").fill("Budi Santoso");
    await page.getByLabel("Nama pengguna").fill("budi.santoso");
    await page.getByLabel("Peran").selectOption("agent");
    await page.getByLabel("Pendaftaran Rawat Jalan").check();
    await page.getByLabel("Kata sandi").fill("kata-sandi-budi");
    await page.getByRole("button", { name: "Tambah akun staf" }).click();
    await assertVisible(page.getByText("Akun budi.santoso telah dibuat."), "the account added");

    for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      await page.setViewportSize(viewport);
      for (const stop of signedInPages(admin)) {
        await page.goto(kabar.url + stop.path);
        await assertVisible(heading(page, stop.see), `${stop.path}: ${stop.see}`);
        await screenshot(page, screens, `${size}-${stop.name}`);
      }

      // The 2FA enrolment page, reached with the button on the account page.
      await page.goto(kabar.url + "/settings/account");
      await page.getByRole("button", { name: "Aktifkan verifikasi dua langkah" }).click();
      await page.waitForURL("**/settings/account/2fa");
      await assertVisible(
        page.getByText("1. Pindai kode QR ini dengan aplikasi autentikator Anda."),
        "the QR code instructions",
      );
      await assertVisible(page.getByLabel("2. Masukkan kode 6 digit"), "the code field");
      await screenshot(page, screens, `${size}-settings-2fa-enrol`);
    }

    // Phone width: the navigation menu and the user menu opened.
    await page.goto(kabar.url + "/inbox");
    await page.getByText("Menu", { exact: true }).click();
    await assertVisible(
      page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Laporan" }),
      "the phone navigation",
    );
    await screenshot(page, screens, "phone-inbox-nav-open");
    await page.getByText("Menu", { exact: true }).click();
    await page.getByLabel("Menu akun").click();
    await assertVisible(page.getByRole("button", { name: "Keluar" }), "the sign-out button");
    await screenshot(page, screens, "phone-inbox-user-menu-open");

    // Signed out: the login page, and a 404 in the sign-in layout.
    const visitor = await browser.newContext({ viewport: DESKTOP, locale: "id-ID" });
    const anon = await visitor.newPage();
    anon.setDefaultTimeout(10_000);
    for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      await anon.setViewportSize(viewport);
      await anon.goto(kabar.url + "/login");
      await assertVisible(heading(anon, "Masuk"), "the sign-in heading");
      await assertVisible(anon.getByLabel("Kata sandi"), "the password field");
      await screenshot(anon, screens, `${size}-login`);

      const response = await anon.goto(kabar.url + "/setup");
      assert.equal(response?.status(), 404, "setup is gone once the administrator exists");
      await assertVisible(heading(anon, "Halaman tidak ditemukan"), "the error heading");
      await assertVisible(anon.getByText("Halaman ini tidak ada."), "the not-found message");
      await screenshot(anon, screens, `${size}-not-found-signed-out`);
    }

    await visitor.close();
    await context.close();
  });
});
