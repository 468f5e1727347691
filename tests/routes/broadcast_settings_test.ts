/**
 * Settings › Broadcasts: the default sending hours (admins only, checked,
 * audited), taken by the broadcast form and by the API when `send_window`
 * is left out; and a draft's numbers checked on WhatsApp from its review.
 */
import assert from "node:assert/strict";
import { auditLog } from "../../db/schema.ts";
import { apiKey } from "../support/api_key.ts";
import { visibleText } from "../support/browser_client.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp } from "../support/test_app.ts";

Deno.test("the default sending hours: admins set them, checked and audited; form and API take them", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const admin = await signedIn(t, "admin");
  const page = await admin.get("/settings/broadcasts");
  assert.equal(page.status, 200);
  assert.match(page.text, /name="window_start"[^>]*value="08:00"/);
  assert.doesNotMatch(page.text, /name="any_time"[^>]*checked/, "hours are set: not any time");
  const sari = await signedIn(t, "supervisor");
  assert.equal((await sari.get("/settings/broadcasts")).status, 403);
  assert.equal((await sari.post("/settings/broadcasts", { window_start: "07:00" })).status, 403);

  const wrong = await admin.post("/settings/broadcasts", {
    window_start: "25:00",
    window_end: "09:00",
  });
  assert.equal(wrong.status, 422);
  assert.match(visibleText(wrong.text), /Write a time like 08:00/);
  const same = await admin.post("/settings/broadcasts", {
    window_start: "09:00",
    window_end: "09:00",
  });
  assert.equal(same.status, 422);

  const saved = await admin.post("/settings/broadcasts", {
    window_start: "07:30",
    window_end: "17:00",
  });
  assert.equal(saved.status, 303);
  const audit = (await t.deps.db.select().from(auditLog))
    .filter((a) => a.action === "broadcast.settings");
  assert.equal(audit.length, 1);
  assert.deepEqual(JSON.parse(audit[0].details!).to, {
    send_window: { start: "07:30", end: "17:00" },
  });

  const form = await sari.get("/broadcasts/new");
  assert.match(form.text, /name="window_start"[^>]*value="07:30"/);
  assert.match(form.text, /name="window_end"[^>]*value="17:00"/);
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const made = await api.post("/api/v1/broadcasts", {
    name: "Pengingat",
    channel: channel.id,
    text: "Halo",
    recipients: [{ phone: "081234567001" }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(made.body.send_window, { start: "07:30", end: "17:00" });
  const own = await api.post("/api/v1/broadcasts", {
    name: "Sepanjang hari",
    channel: channel.id,
    text: "Halo",
    recipients: [{ phone: "081234567001" }],
    send_window: null,
  });
  assert.equal(own.body.send_window, null);

  await admin.get("/settings/broadcasts");
  assert.equal((await admin.post("/settings/broadcasts", { any_time: "on" })).status, 303);
  const anyTime = await api.post("/api/v1/broadcasts", {
    name: "Kapan saja",
    channel: channel.id,
    text: "Halo",
    recipients: [{ phone: "081234567001" }],
  });
  assert.equal(anyTime.body.send_window, null);
  assert.match((await sari.get("/broadcasts/new")).text, /name="any_time"[^>]*checked/);
});

Deno.test("checking a draft's numbers on WhatsApp from its review: counted, linked, refused politely", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const { body: b } = await api.post("/api/v1/broadcasts", {
    name: "Pengingat",
    channel: channel.id,
    text: "Halo {{nama}}",
    recipients: [
      { phone: "081234560000", name: "Tidak ada" },
      { phone: "081234567001", name: "Ada" },
    ],
  });
  const sari = await signedIn(t, "supervisor");
  const review = await sari.get(`/broadcasts/${b.id}`);
  assert.match(review.text, new RegExp(`action="/broadcasts/${b.id}/check-numbers"`));
  const checked = await sari.post(`/broadcasts/${b.id}/check-numbers`);
  assert.equal(checked.status, 303);
  const after = await sari.get(checked.location!);
  const text = visibleText(after.text);
  assert.match(text, /Numbers checked on WhatsApp: 2\. Newly left out as not on WhatsApp: 1\./);
  assert.match(text, /Not on WhatsApp 1/);
  assert.match(
    after.text,
    new RegExp(`href="/broadcasts/${b.id}/recipients\\?status=not_on_whatsapp"`),
  );

  await sari.post(`/broadcasts/${b.id}/confirm`);
  const late = await sari.post(`/broadcasts/${b.id}/check-numbers`);
  assert.equal(late.status, 303, "a step not allowed is a message, not an error page");
  assert.match(visibleText((await sari.get(late.location!)).text), /is not possible now/);

  const idle = await sandbox(t, { name: "Belum tersambung", start: false });
  const { body: d } = await api.post("/api/v1/broadcasts", {
    name: "Menunggu",
    channel: idle.id,
    text: "Halo",
    recipients: [{ phone: "081234567001" }],
  });
  await sari.get(`/broadcasts/${d.id}`);
  const down = await sari.post(`/broadcasts/${d.id}/check-numbers`);
  assert.equal(down.status, 303, "a channel not connected is a message, not a 500");
  assert.match(visibleText((await sari.get(down.location!)).text), /channel is not connected/);

  const agus = await signedIn(t, "agent");
  assert.equal((await agus.post(`/broadcasts/${d.id}/check-numbers`)).status, 403);
});
