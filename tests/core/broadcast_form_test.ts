/** The broadcast form read: variables, hours, local dates, and where the recipients come from. */
import assert from "node:assert/strict";
import {
  localFields,
  localInstant,
  parseVariableLines,
  readBroadcastForm,
} from "../../core/broadcast_form.ts";

const JAKARTA = "Asia/Jakarta";
const NOW = Date.UTC(2026, 0, 1, 0, 0); // 07:00 in Jakarta

Deno.test("variables are read one a line, with = or :, braces allowed", () => {
  assert.deepEqual(parseVariableLines("tanggal = Senin, 12 Januari\n{{poli}}: Poli Anak\n\n"), {
    ok: true,
    variables: { tanggal: "Senin, 12 Januari", poli: "Poli Anak" },
  });
  assert.deepEqual(parseVariableLines("tanggal Senin"), { ok: false, line: "tanggal Senin" });
});

Deno.test("a local date and time is the hospital's, and back", () => {
  const at = localInstant("2026-01-05", "09:30", JAKARTA)!;
  assert.equal(at, Date.UTC(2026, 0, 5, 2, 30));
  assert.deepEqual(localFields(at, JAKARTA), { date: "2026-01-05", time: "09:30" });
  assert.equal(localInstant("2026-02-30", "09:30", JAKARTA), undefined);
  assert.equal(localInstant("2026-01-05", "25:00", JAKARTA), undefined);
});

Deno.test("the form: each field that does not pass has its error; a good one is ready to send", () => {
  const base = {
    name: "Pengingat",
    channel: "1",
    message_kind: "text",
    text: "Halo {{nama}}",
    recipients: "text",
    recipients_text: "08123456789",
    window_start: "08:00",
    window_end: "20:00",
  };
  const bad = readBroadcastForm(
    { ...base, name: "", window_end: "08:00", schedule_date: "2025-12-31", schedule_time: "10:00" },
    { timeZone: JAKARTA, now: NOW },
  );
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.deepEqual(bad.errors, {
      name: "err.broadcast_name",
      window_end: "err.broadcast_window_same",
      schedule_date: "err.broadcast_past",
    });
  }
  const good = readBroadcastForm(
    { ...base, any_time: "on", stop_date: "2026-01-01", stop_time: "12:00" },
    { timeZone: JAKARTA, now: NOW },
  );
  assert.ok(good.ok);
  if (good.ok) {
    assert.equal(good.form.window, null);
    assert.equal(good.form.stopAfter, Date.UTC(2026, 0, 1, 5, 0));
    assert.deepEqual(good.form.recipients, { kind: "text", text: "08123456789" });
  }
  const file = readBroadcastForm({ ...base, recipients: "file" }, { timeZone: JAKARTA, now: NOW });
  assert.deepEqual(file.ok ? undefined : file.errors, { file: "err.broadcast_file" });
  const upload = readBroadcastForm({ ...base, recipients: "file" }, {
    timeZone: JAKARTA,
    now: NOW,
    uploaded: true,
  });
  assert.deepEqual(upload.ok ? upload.form.recipients : undefined, { kind: "upload" });
});
