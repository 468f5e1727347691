/**
 * Settings → Audit log filtered by days: a day is a whole day in
 * KABAR_TIMEZONE (Jakarta), whatever zone the server runs in; a wrong date
 * is named on the page.
 */
import assert from "node:assert/strict";
import { createDepartment } from "../../db/departments.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { visibleText } from "../support/browser_client.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp } from "../support/test_app.ts";

Deno.test("since/until days pick the entries of those days in Jakarta, and pages keep the filter", async () => {
  await using t = await startTestApp();
  const at = async (ms: number, name: string) => {
    t.clock.advance(ms - t.clock.now());
    await createDepartment(t.deps.db, t.clock, CLI_ACTOR, name);
  };
  // 14 March in Jakarta is 13 March 17:00 UTC up to 14 March 17:00 UTC.
  await at(Date.UTC(2026, 2, 13, 16, 59, 59, 999), "Unit 13 malam");
  await at(Date.UTC(2026, 2, 13, 17), "Unit 14 pagi");
  await at(Date.UTC(2026, 2, 14, 16, 59, 59, 999), "Unit 14 malam");
  await at(Date.UTC(2026, 2, 14, 17), "Unit 15 pagi");
  const admin = await signedIn(t, "admin");

  const day = visibleText(
    (await admin.get("/settings/audit?since=2026-03-14&until=2026-03-14")).text,
  );
  assert.match(day, /Unit 14 pagi/);
  assert.match(day, /Unit 14 malam/);
  assert.doesNotMatch(day, /Unit 13 malam|Unit 15 pagi|auth\.login/);
  assert.match(day, /14 Mar 2026, 00:00:00 WIB/);
  assert.match(day, /14 Mar 2026, 23:59:59 WIB/);
  assert.match(day, /Whole days in WIB/);

  const from15 = visibleText((await admin.get("/settings/audit?since=2026-03-15")).text);
  assert.match(from15, /Unit 15 pagi/);
  assert.match(from15, /auth\.login/);
  assert.doesNotMatch(from15, /Unit 14/);

  const none = visibleText((await admin.get("/settings/audit?until=2026-03-12")).text);
  assert.match(none, /Nothing recorded on these days/);

  // 50 more on 14 March: the second page of that day is one link away, still that day.
  t.clock.advance(Date.UTC(2026, 2, 14, 3) - t.clock.now());
  for (let i = 0; i < 50; i++) {
    await createDepartment(t.deps.db, t.clock, CLI_ACTOR, `Bangsal ${i}`);
  }
  const first = await admin.get("/settings/audit?since=2026-03-14&until=2026-03-14");
  const older = first.text.match(
    /href="(\/settings\/audit\?since=2026-03-14&amp;until=2026-03-14&amp;before=\d+)"/,
  );
  assert.ok(older, "the Older link keeps the days");
  const second = visibleText((await admin.get(older[1].replaceAll("&amp;", "&"))).text);
  assert.match(second, /Unit 14 pagi/);
  assert.doesNotMatch(second, /Unit 13 malam|Bangsal 49\b/);
});

Deno.test("a wrong date is named beside its field; an end before the start is refused", async () => {
  await using t = await startTestApp();
  const admin = await signedIn(t, "admin");
  const wrong = await admin.get("/settings/audit?since=2026-02-30");
  assert.equal(wrong.status, 400);
  assert.match(visibleText(wrong.text), /“2026-02-30” is not a date/);
  assert.match(
    wrong.text,
    /id="since"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="since"/,
  );
  const backwards = await admin.get("/settings/audit?since=2026-03-15&until=2026-03-14");
  assert.equal(backwards.status, 400);
  assert.match(visibleText(backwards.text), /The last day is before the first one/);
});
