/** The broadcast pages: who may open them, the form, the review, the steps and the recipients. */
import assert from "node:assert/strict";
import { getBroadcast, listBroadcasts } from "../../db/broadcasts.ts";
import { visibleText } from "../support/browser_client.ts";
import { sandbox } from "../support/sandbox.ts";
import { signedIn } from "../support/signed_in.ts";
import { startTestApp } from "../support/test_app.ts";

const FORM = {
  name: "Pengingat Poli Anak",
  message_kind: "text",
  text: "Halo {{nama}}, jadwal kontrol Anda {{tanggal}}.",
  variables: "tanggal = Senin 12 Maret",
  recipients: "text",
  recipients_text:
    "0812-3456-7890, Siti\n081298765432, Budi\nbukan nomor, Rina\n0812-3456-7890, Siti lagi",
  window_start: "08:00",
  window_end: "20:00",
};

Deno.test("agents are refused every broadcast page; supervisors and admins open them", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Poli Anak" });
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const made = await sari.post("/broadcasts/new", { ...FORM, channel: String(channel.id) });
  assert.equal(made.status, 303);
  const id = (await listBroadcasts(t.deps.db, { limit: 1 })).broadcasts[0].id;
  const agus = await signedIn(t, "agent");
  for (
    const path of [
      "/broadcasts",
      "/broadcasts/new",
      `/broadcasts/${id}`,
      `/broadcasts/${id}/edit`,
      `/broadcasts/${id}/recipients`,
      `/broadcasts/${id}/live`,
    ]
  ) {
    assert.equal((await agus.get(path)).status, 403, path);
  }
  for (const step of ["new", `${id}/edit`, `${id}/confirm`, `${id}/start`, `${id}/delete`]) {
    assert.equal((await agus.post(`/broadcasts/${step}`, {})).status, 403, step);
  }
  assert.equal((await getBroadcast(t.deps.db, id))?.status, "draft");
  const admin = await signedIn(t, "admin");
  assert.equal((await admin.get("/broadcasts")).status, 200);
  assert.equal((await admin.get(`/broadcasts/${id}`)).status, 200);
  assert.equal((await sari.get("/broadcasts/new")).status, 200);
  const nav = visibleText((await agus.get("/inbox")).text);
  assert.doesNotMatch(nav, /Broadcasts/);
});

Deno.test("a POST without the CSRF token changes nothing", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const page = await sari.post("/broadcasts/new", {
    ...FORM,
    channel: String(channel.id),
    _csrf: "",
  });
  assert.equal(page.status, 403);
  assert.equal((await listBroadcasts(t.deps.db, { limit: 5 })).broadcasts.length, 0);
});

Deno.test("a list typed in becomes a draft whose review shows its counts and the message", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Poli Anak" });
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const made = await sari.post("/broadcasts/new", { ...FORM, channel: String(channel.id) });
  assert.equal(made.status, 303);
  const review = await sari.get(made.headers.get("location")!);
  const text = visibleText(review.text);
  assert.match(text, /Will receive it 2/);
  assert.match(text, /Numbers that cannot be used 1/);
  assert.match(text, /Listed twice 1/);
  assert.match(text, /Halo Siti, jadwal kontrol Anda Senin 12 Maret\./);
  assert.match(text, /Halo Budi, jadwal kontrol Anda Senin 12 Maret\./);
  assert.match(text, /08:00–20:00/);
  assert.match(text, /Draft Check the list and the message\./);
  const list = visibleText((await sari.get("/broadcasts")).text);
  assert.match(list, /Pengingat Poli Anak/);
  const id = (await listBroadcasts(t.deps.db, { limit: 1 })).broadcasts[0].id;
  const rows = visibleText((await sari.get(`/broadcasts/${id}/recipients?status=invalid`)).text);
  assert.match(rows, /“bukan nomor” is not a number/);
  assert.doesNotMatch(rows, /Budi/);
});

Deno.test("Start on a draft says why on the page and changes nothing", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  await sari.post("/broadcasts/new", { ...FORM, channel: String(channel.id) });
  const id = (await listBroadcasts(t.deps.db, { limit: 1 })).broadcasts[0].id;
  await sari.get(`/broadcasts/${id}`);
  const start = await sari.post(`/broadcasts/${id}/start`);
  assert.equal(start.status, 303);
  const page = await sari.get(`/broadcasts/${id}`);
  assert.equal(page.status, 200);
  assert.match(visibleText(page.text), /“Start” is not possible now: the broadcast is Draft\./);
  assert.equal((await getBroadcast(t.deps.db, id))?.status, "draft");
  assert.equal((await sari.post(`/broadcasts/${id}/confirm`)).status, 303);
  assert.equal((await getBroadcast(t.deps.db, id))?.status, "confirmed");
});

Deno.test("a field error is said beside its field and keeps what was typed", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const page = await sari.post("/broadcasts/new", {
    ...FORM,
    name: "",
    window_end: "25:00",
    channel: String(channel.id),
  });
  assert.equal(page.status, 422);
  const text = visibleText(page.text);
  assert.match(text, /Give the broadcast a name/);
  assert.match(text, /Until Write a time like 08:00/);
  assert.match(page.text, /0812-3456-7890, Siti/);
  assert.match(page.text, /value="25:00"/);
  assert.match(page.text, /tanggal = Senin 12 Maret/);
  assert.equal((await listBroadcasts(t.deps.db, { limit: 5 })).broadcasts.length, 0);
});
