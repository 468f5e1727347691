/**
 * Pages show times in KABAR_TIMEZONE, whatever zone the server runs in (a
 * test machine runs in UTC, seven hours behind Jakarta), with the zone's
 * short name and the exact instant in a <time> element.
 */
import assert from "node:assert/strict";
import { visibleText } from "../support/browser_client.ts";
import { startTestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

// 14 March 2026, 23:43 UTC: 06:43 on the 15th in Jakarta, 08:43 in Jayapura.
const AT = Date.UTC(2026, 2, 14, 23, 43, 5);

async function auditPageSignedInAt(env: Record<string, string>) {
  await using t = await startTestApp(env);
  t.clock.advance(AT - t.clock.now());
  const admin = await signedIn(t, "admin"); // the audit log records the sign-in at AT
  const page = await admin.get("/settings/audit");
  assert.equal(page.status, 200);
  return page.text;
}

Deno.test("the audit log shows the sign-in at Jakarta's time, WIB, not the server's", async () => {
  const html = await auditPageSignedInAt({});
  const text = visibleText(html);
  assert.ok(text.includes("15 Mar 2026, 06:43:05 WIB"), text);
  assert.ok(!text.includes("23:43"), "not the UTC wall time");
  assert.ok(!text.includes("GMT+7"), "WIB, not Intl's English name");
  assert.match(html, /<time datetime="2026-03-15T06:43:05\+07:00"/);
});

Deno.test("KABAR_TIMEZONE=Asia/Jayapura: the same moment is 08:43 WIT", async () => {
  const html = await auditPageSignedInAt({ KABAR_TIMEZONE: "Asia/Jayapura" });
  assert.ok(visibleText(html).includes("15 Mar 2026, 08:43:05 WIT"));
  assert.match(html, /<time datetime="2026-03-15T08:43:05\+09:00"/);
});
