/**
 * What a supervisor does on a draft broadcast's review page besides
 * confirming it, in a browser: "Check numbers on WhatsApp" on a WhatsApp
 * channel (a fake Baileys socket that knows two of three numbers) leaves the
 * unknown one out, with the notice, the counts, its row on the recipients page
 * and in the database; and the report links download a CSV and an .xlsx with
 * one line per recipient, a formula-looking name made harmless, each download
 * written to the audit log. On a laptop and a phone (screenshots in
 * /tmp/kabar-shots/broadcast-check-numbers-*.png).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { whatsappAdapter } from "../../sessions/whatsapp.ts";
import { fakeSocketMaker } from "../fakes/baileys_socket.ts";
import {
  assertVisible,
  ignoreBrowserTests as ignore,
  launchChromium,
  screenshot,
} from "../support/chromium.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";

const SHOTS = "/tmp/kabar-shots";
const CHANNEL_PHONE = "6281100000001";
const FORMULA = '=HYPERLINK("x")';
/** The list: the third number is not on WhatsApp. */
const LIST = [
  { phone: "0812-3456-7801", name: "Siti Rahmawati", on: true },
  { phone: "0812-3456-7802", name: FORMULA, on: true },
  { phone: "0812-3456-7803", name: "Dewi Lestari", on: false },
];
const e164 = (phone: string) => `62${phone.replace(/\D/g, "").slice(1)}`;

async function signIn(page: Page, url: string) {
  await page.goto(`${url}/login`);
  await page.fill("#username", "dewi");
  await page.fill("#password", TEST_PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${url}/inbox`);
}

/** The value the review's list facts show beside `label`. */
function fact(page: Page, label: string): Promise<string> {
  return page.locator("dt", { hasText: label }).first()
    .locator("xpath=following-sibling::dd[1]").innerText();
}

/** A CSV file's rows (RFC 4180 quoting), without a BOM or the empty line at its end. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Clicks the link named `name` and answers the file the browser saved. */
async function download(page: Page, name: string): Promise<{ file: string; bytes: Uint8Array }> {
  const [saved] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name, exact: true }).click(),
  ]);
  const path = await saved.path();
  assert.ok(path, `${name} was saved`);
  return { file: saved.suggestedFilename(), bytes: await Deno.readFile(path) };
}

/**
 * A test app with a connected WhatsApp channel on a fake socket that knows
 * the numbers of LIST marked `on`, a supervisor "dewi", and a draft to LIST.
 */
async function draftOnWhatsApp() {
  const { makeSocket, sockets } = fakeSocketMaker();
  const t = await startTestApp({}, {
    factories: { whatsapp: whatsappAdapter({ makeSocket }) },
  });
  try {
    const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
      kind: "whatsapp",
      name: "Pendaftaran",
      phone: CHANNEL_PHONE,
    });
    await t.deps.registry.start(channel.id);
    await waitUntil(() => sockets.length > 0, "a socket made");
    const socket = sockets[0];
    socket.open(`${CHANNEL_PHONE}:7@s.whatsapp.net`);
    await waitUntil(() => t.deps.registry.live(channel.id)?.status === "connected", "connected");
    for (const r of LIST) if (r.on) socket.onWhatsAppUsers.set(e164(r.phone), e164(r.phone));

    await t.addUser("dewi", "supervisor");
    const draft = await t.deps.services.broadcasts.createFrom(CLI_ACTOR, {
      name: "Pengingat kontrol Senin",
      channelId: channel.id,
      message: { text: "Halo {{nama}}, jangan lupa kontrol Senin." },
      variables: {},
      mediaId: null,
      window: null,
      stopAfter: null,
      scheduledAt: null,
      recipients: { kind: "list", recipients: LIST.map(({ phone, name }) => ({ phone, name })) },
    });
    return { t, draft, socket, [Symbol.asyncDispose]: () => t.close() };
  } catch (e) {
    await t.close();
    throw e;
  }
}

Deno.test({
  name: "a supervisor checks a draft's numbers on WhatsApp and downloads its report",
  ignore,
  async fn() {
    await using app = await draftOnWhatsApp();
    const { t, draft, socket } = app;
    const url = t.serve();
    await Deno.mkdir(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1366, height: 768 },
        acceptDownloads: true,
      });
      await signIn(page, url);
      await page.goto(`${url}/broadcasts/${draft.id}`);
      assert.equal((await fact(page, "Will receive it")).trim(), "3", "all three before the check");
      assert.equal((await fact(page, "Not on WhatsApp")).trim(), "0");

      // 1. Check numbers on WhatsApp.
      await page.getByRole("button", { name: "Check numbers on WhatsApp" }).click();
      await assertVisible(
        page.getByText(/Numbers checked on WhatsApp: 3\. Newly left out as not on WhatsApp: 1\./),
        "the notice after the check",
      );
      assert.deepEqual(
        socket.lookups.flat().sort(),
        LIST.map((r) => `${e164(r.phone)}@s.whatsapp.net`).sort(),
        "WhatsApp was asked about the three numbers",
      );
      assert.equal((await fact(page, "Will receive it")).trim(), "2");
      assert.equal((await fact(page, "Not on WhatsApp")).trim(), "1");
      await screenshot(page, SHOTS, "broadcast-check-numbers-desktop");
      const { rows: stored } = await t.deps.db.$client.execute({
        sql: "SELECT phone, status FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY row",
        args: [draft.id],
      });
      assert.deepEqual(
        stored.map((r) => [String(r.phone), String(r.status)]),
        [
          [e164(LIST[0].phone), "pending"],
          [e164(LIST[1].phone), "pending"],
          [e164(LIST[2].phone), "not_on_whatsapp"],
        ],
      );

      // The count links to the row left out, with its reason.
      await page.locator("dd a", { hasText: "1" }).first().click();
      await page.waitForURL(/\/recipients\?status=not_on_whatsapp$/);
      const left = page.getByRole("row").filter({ hasText: "Dewi Lestari" });
      await assertVisible(left, "the row left out");
      assert.match(await left.innerText(), /Not on WhatsApp/);
      assert.equal(
        await page.getByRole("row").filter({ hasText: "Siti Rahmawati" }).count(),
        0,
        "only the row left out is listed",
      );

      // 2. The report links.
      await page.goto(`${url}/broadcasts/${draft.id}`);
      const csv = await download(page, "CSV");
      assert.equal(csv.file, `broadcast-${draft.id}.csv`);
      const lines = parseCsv(new TextDecoder().decode(csv.bytes));
      const header = lines[0];
      // Headed in the page's language.
      const heads: Record<string, string> = {
        row: "Row",
        number_as_written: "Number as written",
        phone: "Phone",
        name: "Name",
        status: "Status",
        error: "Reason",
      };
      for (const column of Object.values(heads)) {
        assert.ok(header.includes(column), `the CSV has a ${column} column: ${header}`);
      }
      const col = (name: string) => header.indexOf(heads[name]);
      const expected = [
        ["1", LIST[0].phone, e164(LIST[0].phone), "Siti Rahmawati", "Not sent yet"],
        ["2", LIST[1].phone, e164(LIST[1].phone), `'${FORMULA}`, "Not sent yet"],
        ["3", LIST[2].phone, e164(LIST[2].phone), "Dewi Lestari", "Not on WhatsApp"],
      ];
      assert.equal(lines.length, 1 + LIST.length, "a header and one line per recipient");
      assert.deepEqual(
        lines.slice(1).map((l) =>
          ["row", "number_as_written", "phone", "name", "status"].map((c) => l[col(c)])
        ),
        expected,
      );
      assert.equal(lines[3][col("error")], "Not on WhatsApp", "the reason in the CSV");

      const xlsx = await download(page, "Excel (.xlsx)");
      assert.equal(xlsx.file, `broadcast-${draft.id}.xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ExcelJS.Buffer);
      const sheet = book.worksheets[0];
      const cells: string[][] = [];
      sheet.eachRow((row) => {
        const values = (row.values as unknown[]).slice(1);
        cells.push(header.map((_, i) => values[i] == null ? "" : String(values[i])));
      });
      assert.deepEqual(cells[0], header, "the same header as the CSV");
      assert.equal(cells.length, 1 + LIST.length, "a header and one row per recipient");
      assert.deepEqual(
        cells.slice(1).map((l) =>
          ["row", "number_as_written", "phone", "name", "status"].map((c) => l[col(c)])
        ),
        expected,
      );
      assert.equal(cells[3][col("error")], "Not on WhatsApp", "the reason in the workbook");
      sheet.eachRow((row) =>
        row.eachCell((cell) => assert.notEqual(cell.type, ExcelJS.ValueType.Formula, "no formula"))
      );

      const { rows: audited } = await t.deps.db.$client.execute({
        sql:
          "SELECT actor, target, details FROM audit_log WHERE action = 'broadcast.report' ORDER BY id",
        args: [],
      });
      assert.deepEqual(
        audited.map((a) => [String(a.actor), String(a.target), JSON.parse(String(a.details))]),
        [
          ["dewi", "Pengingat kontrol Senin", { format: "csv", broadcast: draft.id }],
          ["dewi", "Pengingat kontrol Senin", { format: "xlsx", broadcast: draft.id }],
        ],
        "each download left a line in the audit log",
      );
      await page.close();

      const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await signIn(phone, url);
      await phone.goto(`${url}/broadcasts/${draft.id}`);
      // Checked again on a phone: nothing more is left out, and the count stays.
      await phone.getByRole("button", { name: "Check numbers on WhatsApp" }).click();
      await assertVisible(
        phone.getByText(/Numbers checked on WhatsApp: 2\. Newly left out as not on WhatsApp: 0\./),
        "the notice of the second check",
      );
      assert.equal((await fact(phone, "Not on WhatsApp")).trim(), "1");
      await assertVisible(phone.getByRole("link", { name: "CSV", exact: true }), "the CSV link");
      await screenshot(phone, SHOTS, "broadcast-check-numbers-phone");
      const overflow = await phone.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth",
      );
      assert.equal(overflow, false, "the review fits the phone");
      await phone.close();
    } finally {
      await browser.close();
    }
  },
});

Deno.test({
  name: "the left-out link lists every row left out, here a number WhatsApp does not know",
  ignore,
  async fn() {
    await using app = await draftOnWhatsApp();
    const { t, draft } = app;
    await t.deps.services.broadcasts.checkNumbers(draft.id);
    const url = t.serve();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await signIn(page, url);
      await page.goto(`${url}/broadcasts/${draft.id}`);
      await page.getByRole("link", { name: "See who is left out, and why" }).click();
      await assertVisible(
        page.getByRole("row").filter({ hasText: "Dewi Lestari" }),
        "the row left out, behind the left-out link",
      );
    } finally {
      await browser.close();
    }
  },
});
