/** The broadcast pages: who may open them, the form, the review, the steps and the recipients. */
import assert from "node:assert/strict";
import { queueRecipients } from "../support/queue_recipients.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { getBroadcast, listBroadcasts, stepBroadcast } from "../../db/broadcasts.ts";
import { setUserLanguage } from "../../db/users.ts";
import { createTemplate } from "../../db/templates.ts";
import { createLabel } from "../../db/labels.ts";
import { visibleText } from "../support/browser_client.ts";
import { liveParts } from "../support/event_stream_parser.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";
import { signedIn } from "../support/signed_in.ts";
import { broadcastDraft } from "../support/broadcast_draft.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

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
  assert.match(text, /Progress Nothing has been sent yet\./);
  assert.doesNotMatch(text, /Waiting|handled/, "a draft has no progress to count");
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
  // The step's message stays only while the state it speaks of does (the page drops it after).
  const confirmed = (await sari.get(`/broadcasts/${id}`)).text;
  assert.match(
    confirmed,
    /<div class="flash success" role="status" data-until-change="broadcast-state">Confirmed\./,
  );
  assert.match(confirmed, /<div id="broadcast-state" class="status-line" data-state="confirmed">/);
  // Cancelled before it ever started, its progress says nothing went.
  assert.equal((await sari.post(`/broadcasts/${id}/cancel`)).status, 303);
  const cancelled = visibleText((await sari.get(`/broadcasts/${id}`)).text);
  assert.match(cancelled, /Progress It was cancelled before it started: nothing was sent\./);
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

Deno.test("a confirmed broadcast changed on its form goes back to draft and keeps its rows", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  await sari.post("/broadcasts/new", {
    ...FORM,
    channel: String(channel.id),
    schedule_date: "2026-01-05",
    schedule_time: "09:30",
  });
  const id = (await listBroadcasts(t.deps.db, { limit: 1 })).broadcasts[0].id;
  await sari.get(`/broadcasts/${id}`);
  await sari.post(`/broadcasts/${id}/confirm`);
  assert.equal((await getBroadcast(t.deps.db, id))?.status, "scheduled");
  const form = await sari.get(`/broadcasts/${id}/edit`);
  assert.match(form.text, /value="2026-01-05"/);
  assert.match(form.text, /value="09:30"/);
  assert.match(visibleText(form.text), /Keep the list it has \(4 rows\)/);
  const saved = await sari.post(`/broadcasts/${id}/edit`, {
    ...FORM,
    name: "Pengingat Poli Anak (revisi)",
    channel: String(channel.id),
    recipients: "keep",
    any_time: "on",
  });
  assert.equal(saved.status, 303);
  const after = await getBroadcast(t.deps.db, id);
  assert.equal(after?.status, "draft");
  assert.equal(after?.name, "Pengingat Poli Anak (revisi)");
  assert.equal(after?.windowStart, null);
  assert.equal(after?.scheduledAt, null);
  assert.match(visibleText((await sari.get(`/broadcasts/${id}`)).text), /Will receive it 2/);
});

Deno.test("an uploaded CSV goes through the column step; an old .xls is refused beside its field", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const upload = (name: string, content: string) => {
    const body = new FormData();
    body.append("_csrf", sari.csrfToken);
    for (
      const [k, v] of Object.entries({ ...FORM, recipients: "file", channel: String(channel.id) })
    ) {
      body.append(k, v);
    }
    body.append("file", new File([content], name));
    return sari.request("/broadcasts/new", { method: "POST", body });
  };
  const old = await upload("daftar.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really");
  assert.equal(old.status, 422);
  assert.match(old.text, /id="file-error"/);
  assert.match(old.text, /Pengingat Poli Anak/);
  const step = await upload(
    "daftar.csv",
    "telepon;nama;tanggal\n0812-1111-2222;Siti;Selasa\n0812-3333-4444;Budi;Rabu\n",
  );
  assert.equal(step.status, 200);
  assert.match(visibleText(step.text), /Which column is what\?/);
  assert.match(
    step.text,
    /<td class="mono" data-label="Column A: telepon">0812-1111-2222/,
    "on a phone, each value is labelled with its column's letter and head",
  );
  const fileId = step.text.match(/name="file_id" value="([0-9a-f]{32})"/)?.[1];
  assert.ok(fileId);
  const hidden = [...step.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)];
  const fields = Object.fromEntries(
    hidden.filter(([, k]) => k !== "_csrf").map(([, k, v]) => [k, v.replaceAll("&#10;", "\n")]),
  );
  const missing = await sari.post("/broadcasts/new", { ...fields, col_phone: "" });
  assert.equal(missing.status, 422);
  assert.match(visibleText(missing.text), /Choose the column that holds the number/);
  const saved = await sari.post("/broadcasts/new", {
    ...fields,
    ...FORM,
    channel: String(channel.id),
    recipients: "file",
    header: "on",
    col_phone: "0",
    col_name: "1",
    "col_var.tanggal": "2",
  });
  assert.equal(saved.status, 303);
  const review = visibleText((await sari.get(saved.headers.get("location")!)).text);
  assert.match(review, /Will receive it 2/);
  assert.match(review, /Halo Siti, jadwal kontrol Anda Selasa\./);
});

Deno.test("a file sent with every message is kept in the media store; a program is refused", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const send = (name: string, bytes: Uint8Array<ArrayBuffer>) => {
    const body = new FormData();
    body.append("_csrf", sari.csrfToken);
    for (const [k, v] of Object.entries({ ...FORM, channel: String(channel.id) })) {
      body.append(k, v);
    }
    body.append("attachment", new File([bytes], name));
    return sari.request("/broadcasts/new", { method: "POST", body });
  };
  const program = await send("setup.exe", new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]));
  assert.equal(program.status, 422);
  assert.match(visibleText(program.text), /Programs cannot be sent/);
  const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
  const saved = await send("jadwal.pdf", pdf);
  assert.equal(saved.status, 303);
  const id = (await listBroadcasts(t.deps.db, { limit: 1 })).broadcasts[0].id;
  assert.ok((await getBroadcast(t.deps.db, id))?.mediaId);
  assert.match(visibleText((await sari.get(`/broadcasts/${id}`)).text), /File jadwal\.pdf/);
  const form = await sari.get(`/broadcasts/${id}/edit`);
  assert.match(visibleText(form.text), /Attached: jadwal\.pdf/);
  await sari.post(`/broadcasts/${id}/edit`, {
    ...FORM,
    channel: String(channel.id),
    recipients: "keep",
    media_id: (await getBroadcast(t.deps.db, id))!.mediaId!,
    remove_media: "on",
  });
  assert.equal((await getBroadcast(t.deps.db, id))?.mediaId, null);
});

Deno.test("the previews fill the text when the list carries a value the text does not use", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Poli Anak" });
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const made = await sari.post("/broadcasts/new", {
    ...FORM,
    channel: String(channel.id),
    variables: "tanggal = Senin 12 Maret\nruang = 4B",
  });
  assert.equal(made.status, 303);
  const text = visibleText((await sari.get(made.headers.get("location")!)).text);
  assert.match(text, /Halo Siti, jadwal kontrol Anda Senin 12 Maret\./);
  assert.doesNotMatch(text, /\{\{nama\}\}/);
});

/** A supervisor's broadcast made on the form from FORM, confirmed, started, its rows queued. */
async function runningFromForm(t: TestApp) {
  const { db, writer, clock } = t.deps;
  const channel = await sandbox(t, { name: "Poli Anak" });
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const made = await sari.post("/broadcasts/new", { ...FORM, channel: String(channel.id) });
  const id = Number(made.headers.get("location")!.split("/").pop());
  await stepBroadcast(db, writer, clock, CLI_ACTOR, id, "confirm");
  const running = await stepBroadcast(db, writer, clock, CLI_ACTOR, id, "start");
  const queued = await queueRecipients(db, writer, clock, running, "sandbox", { limit: 10 });
  return { sari, id, queued };
}

Deno.test("a finished broadcast's review speaks of what happened, counting each step a message reached", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { sari, id, queued } = await runningFromForm(t);
  assert.equal(queued, 2);
  t.clock.advance(25 * 60_000);
  // Siti's message was read, Budi's only sent.
  await db.$client.execute({
    sql: `UPDATE messages SET status = CASE WHEN body LIKE '%Siti%' THEN 'read' ELSE 'sent' END
      WHERE broadcast_id = ?`,
    args: [id],
  });
  await stepBroadcast(db, writer, clock, CLI_ACTOR, id, "finish");
  const text = visibleText((await sari.get(`/broadcasts/${id}`)).text);
  assert.match(text, /Recipients 2/);
  assert.doesNotMatch(text, /Will receive it/);
  assert.match(text, /From start to end 25 min/);
  assert.match(text, /What recipients were sent/);
  assert.match(text, /Finished 2 sent, 0 failed, 0 not sent\./, "the outcome beside the state");
  assert.match(text, /Sent 2 Delivered 1 Read 1 Failed 0/);
  assert.ok(text.indexOf("Progress") < text.indexOf("The list"), "what happened comes first");
  assert.match(text, /one that was read was also sent and delivered/);
  const list = visibleText((await sari.get("/broadcasts")).text);
  assert.match(list, /Pengingat Poli Anak/);
  // In the patient's thread the message says it came with a broadcast, in the reader's words.
  const [sent] = (await db.$client.execute({
    sql: "SELECT conversation_id FROM messages WHERE broadcast_id = ? LIMIT 1",
    args: [id],
  })).rows;
  const thread = visibleText((await sari.get(`/inbox/${sent.conversation_id}`)).text);
  assert.match(thread, /Sent by a broadcast/);
});

Deno.test("a running broadcast outside its sending hours says so, and when it goes on, on the review, the list and in the API", async () => {
  await using t = await startTestApp(); // 07:00 in Jakarta: before the 08:00–20:00 window
  const { sari, id } = await runningFromForm(t);
  const review = visibleText((await sari.get(`/broadcasts/${id}`)).text);
  assert.match(
    review,
    /Sending Waiting: outside sending hours \(08:00–20:00 WIB\)\. Goes on by itself at 1 Jan 2026, 08:00 WIB\./,
  );
  assert.match(review, /Sending hours 08:00–20:00 WIB/);
  assert.match(review, /Time left about 1 h \d+ min/, "the hour it waits is part of the time left");
  assert.match(visibleText((await sari.get("/broadcasts")).text), /Waiting: outside sending hours/);
  await setUserLanguage(t.deps.db, sari.user.id, "id");
  assert.match(
    visibleText((await sari.get(`/broadcasts/${id}`)).text),
    /Menunggu: di luar jam kirim \(08\.00–20\.00 WIB\)\. Lanjut sendiri pada 1 Jan 2026, 08\.00 WIB\./,
    "times written the Indonesian way, as everywhere else on the page",
  );
  const { api } = await apiKey(t, ["broadcasts:read"]);
  assert.deepEqual((await api.get(`/api/v1/broadcasts/${id}`)).body.waiting, {
    reason: "window",
    until: "2026-01-01T01:00:00.000Z",
  });

  // With a stop-after time before the opening, it says it stops first instead.
  await t.deps.db.$client.execute({
    sql: "UPDATE broadcasts SET stop_after = ? WHERE id = ?",
    args: [Date.UTC(2026, 0, 1, 0, 30), id],
  });
  await setUserLanguage(t.deps.db, sari.user.id, "en");
  const stopping = visibleText((await sari.get(`/broadcasts/${id}`)).text);
  assert.match(
    stopping,
    /Waiting: outside sending hours \(08:00–20:00 WIB\)\. Its stop-after time comes first, at 1 Jan 2026, 07:30 WIB: messages not sent by then will not be sent\./,
  );
  assert.match(stopping, /Time left about 30 min/);
  await t.deps.db.$client.execute({
    sql: "UPDATE broadcasts SET stop_after = NULL WHERE id = ?",
    args: [id],
  });

  // At 08:00 it may send: the review no longer speaks of waiting.
  t.clock.advance(60 * 60_000);
  await setUserLanguage(t.deps.db, sari.user.id, "en");
  assert.doesNotMatch(visibleText((await sari.get(`/broadcasts/${id}`)).text), /Waiting:/);
});

Deno.test("an open review hears of its channel: switched off, it says the channel is what holds it", async () => {
  await using t = await startTestApp(); // 07:00 in Jakarta: before the 08:00–20:00 window
  const { sari, id } = await runningFromForm(t);
  const [{ channel_id: channelId }] = (await t.deps.db.$client.execute({
    sql: "SELECT channel_id FROM broadcasts WHERE id = ?",
    args: [id],
  })).rows;
  const stop = new AbortController();
  const res = await sari.open(`/broadcasts/${id}/live`, stop.signal);
  const stream = liveParts(res.body!);
  assert.match(visibleText((await stream.next()).data), /Waiting: outside sending hours/);

  await t.deps.services.channels.setEnabled(CLI_ACTOR, Number(channelId), false);
  t.clock.advance(150);
  const changed = visibleText((await stream.next()).data);
  assert.match(
    changed,
    /Waiting: the channel is not connected\. Messages go once it is connected again\./,
  );
  stop.abort();
  await stream.cancel();
});

Deno.test("a failed recipient's status and reason are in red", async () => {
  await using t = await startTestApp();
  const { db } = t.deps;
  const { sari, id } = await runningFromForm(t);
  await db.$client.execute({
    sql: `UPDATE messages SET status = 'failed', error = 'WhatsApp is not connected'
      WHERE broadcast_id = ? AND body LIKE '%Budi%'`,
    args: [id],
  });
  const page = (await sari.get(`/broadcasts/${id}/recipients?status=failed`)).text;
  assert.match(page, /<span class="error">Failed<\/span>/);
  assert.match(page, /<span class="error">WhatsApp is not connected<\/span>/);
  assert.match(page, /<td data-label="Why" class="wide"><span class="error">WhatsApp/);
  assert.match(
    visibleText(page),
    /Budi nama: Budi Failed .* WhatsApp is not connected send_failed/,
    "the row's own values, and the reason's code as the API and the report give it",
  );
  const all = (await sari.get(`/broadcasts/${id}/recipients`)).text;
  assert.match(
    all,
    /<td data-label="Why" class="wide blank">—<\/td>/,
    "a row with no reason: left out of its block on a phone",
  );
  // The review says so beside its full bar, and leads to who it was.
  const review = (await sari.get(`/broadcasts/${id}`)).text;
  assert.match(
    visibleText(review),
    /1 of 2 handled \(50 %\) · 1 failed: see who and why/,
  );
  const toFailed = new RegExp(`href="/broadcasts/${id}/recipients\\?status=failed"`, "g");
  assert.equal(review.match(toFailed)?.length, 2, "from the sentence and from its count");
});

Deno.test("Retry failed makes a draft of the failed rows, named in the page's language", async () => {
  await using t = await startTestApp();
  const { db, writer, clock } = t.deps;
  const { sari, id } = await runningFromForm(t);
  await db.$client.execute({
    sql: `UPDATE messages SET status = CASE WHEN body LIKE '%Budi%' THEN 'failed' ELSE 'read' END
      WHERE broadcast_id = ?`,
    args: [id],
  });
  await stepBroadcast(db, writer, clock, CLI_ACTOR, id, "finish");
  await setUserLanguage(db, sari.user.id, "id");
  await sari.get(`/broadcasts/${id}`);
  const made = await sari.post(`/broadcasts/${id}/retry`, {});
  assert.equal(made.status, 303);
  const draftId = Number(made.location!.split("/").pop());
  const draft = await getBroadcast(db, draftId);
  assert.equal(draft?.name, "Pengingat Poli Anak (kirim ulang)");
  assert.equal(draft?.status, "draft");
  const rows = await db.$client.execute({
    sql: "SELECT phone FROM broadcast_recipients WHERE broadcast_id = ?",
    args: [draftId],
  });
  assert.deepEqual(rows.rows.map((r) => r.phone), ["6281298765432"], "only Budi's row");
  // The new draft has nothing that failed: retrying it makes nothing, and says so.
  const drafts = (await listBroadcasts(db, { limit: 10 })).broadcasts.length;
  const none = await sari.post(`/broadcasts/${draftId}/retry`, {});
  assert.equal(none.status, 303);
  assert.match(visibleText((await sari.get(none.location!)).text), /Tidak ada pesan siaran ini/);
  assert.equal((await listBroadcasts(db, { limit: 10 })).broadcasts.length, drafts);
  // However long the name and however often retried, the name stays within 100 characters.
  await db.$client.execute({
    sql: "UPDATE broadcasts SET name = ? WHERE id = ?",
    args: ["x".repeat(100), id],
  });
  const long = await sari.post(`/broadcasts/${id}/retry`, {});
  const longDraft = await getBroadcast(db, Number(long.location!.split("/").pop()));
  assert.equal(longDraft?.name, `${"x".repeat(86)} (kirim ulang)`);
});

Deno.test("a NUL in the name or the message, or a label that is gone, is named beside its field", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const base = { ...FORM, channel: String(channel.id) };
  const nulName = await sari.post("/broadcasts/new", { ...base, name: "\u0000" });
  assert.equal(nulName.status, 422);
  assert.match(visibleText(nulName.text), /Give the broadcast a name/);
  const nulText = await sari.post("/broadcasts/new", { ...base, text: "Halo\u0000{{nama}}" });
  assert.equal(nulText.status, 422);
  assert.match(visibleText(nulText.text), /invisible NUL character/);
  // Gone while the page was open: said with the recipients when no label is left, else beside it.
  const gone = await sari.post("/broadcasts/new", { ...base, recipients: "label", label: "999" });
  assert.equal(gone.status, 422);
  assert.match(visibleText(gone.text), /That label no longer exists/);
  await createLabel(t.deps.db, t.clock, CLI_ACTOR, { name: "BPJS", color: "#16a34a" });
  const other = await sari.post("/broadcasts/new", { ...base, recipients: "label", label: "999" });
  assert.equal(other.status, 422);
  assert.match(other.text, /id="label-error"[^>]*>That label no longer exists/);
  assert.equal((await listBroadcasts(t.deps.db, { limit: 5 })).broadcasts.length, 0, "none made");
});

Deno.test("sending hours are ticked as they are: the default hours on a new form, a draft's own on its edit form", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  const anyTime = (html: string) => /<input[^>]*id="any_time"[^>]*>/.exec(html)?.[0] ?? "";
  const fresh = (await sari.get("/broadcasts/new")).text;
  assert.doesNotMatch(anyTime(fresh), /checked/, "08:00–20:00 by default, not any time");
  assert.match(fresh, /id="window_start"[^>]*value="08:00"/);
  const made = await sari.post("/broadcasts/new", { ...FORM, channel: String(channel.id) });
  const id = Number(made.location!.split("/").pop());
  const edit = (await sari.get(`/broadcasts/${id}/edit`)).text;
  assert.doesNotMatch(anyTime(edit), /checked/, "its own hours, so saving it keeps them");
  const anyTimeDraft = await sari.post("/broadcasts/new", {
    ...FORM,
    name: "Kapan saja",
    channel: String(channel.id),
    any_time: "on",
  });
  const other = Number(anyTimeDraft.location!.split("/").pop());
  assert.match(anyTime((await sari.get(`/broadcasts/${other}/edit`)).text), /checked/);
});

Deno.test("the message is chosen between text and template only when there is a template", async () => {
  await using t = await startTestApp();
  await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  const bare = (await sari.get("/broadcasts/new")).text;
  assert.doesNotMatch(bare, /id="message_kind_text"/, "no choice of one");
  assert.match(bare, /<input type="hidden" name="message_kind" value="text"/);
  await createTemplate(t.deps.db, t.clock, CLI_ACTOR, {
    name: "pengingat_vaksin",
    body: "Halo {{nama}}, jadwal vaksin besok.",
    kind: "message",
    shortcut: null,
    active: true,
  });
  const choice = (await sari.get("/broadcasts/new")).text;
  assert.match(choice, /id="message_kind_text"[^>]*checked/);
  assert.match(choice, /id="message_kind_template"/);
  assert.match(visibleText(choice), /pengingat_vaksin/);
});

Deno.test("a typed list with no name for a message that uses {{nama}} says so beside the list", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const sari = await signedIn(t, "supervisor");
  await sari.get("/broadcasts/new");
  const answer = await sari.post("/broadcasts/new", {
    ...FORM,
    channel: String(channel.id),
    recipients_text: "081298765432",
  });
  assert.equal(answer.status, 422);
  assert.match(
    answer.text,
    /id="recipients_text-error"[^>]*>The message uses \{\{nama\}\}, and no line gives it/,
  );
});

Deno.test("a running broadcast's progress says how fast it sends now, in the page's language", async () => {
  await using t = await startTestApp();
  const { db } = t.deps;
  const channel = await sandbox(t, { start: false });
  const sari = await signedIn(t, "supervisor");
  const service = t.deps.services.broadcasts;
  const rows = Array.from({ length: 20 }, (_, i) => ({
    row: i + 1,
    input: `0812300000${String(i + 10)}`,
    phone: `62812300000${String(i + 10)}`,
    name: `Pasien ${i + 1}`,
    variables: { nama: `Pasien ${i + 1}` },
    status: "pending" as const,
    error: null,
    errorCode: null,
  }));
  const b = await service.create(
    CLI_ACTOR,
    broadcastDraft(channel.id, { body: "Halo {{nama}}.", variables: {} }),
    rows,
  );
  await service.step(CLI_ACTOR, b.id, "confirm");
  await service.step(CLI_ACTOR, b.id, "start");
  await t.deps.broadcastRunner.settled();
  const rate = async () => {
    const page = (await sari.get(`/broadcasts/${b.id}`)).text;
    return /<p id="broadcast-rate">([^<]*)<\/p>/.exec(page)?.[1];
  };
  const startedAt = t.clock.now();
  // Twelve sent in the first minute; the page looks four minutes after the start.
  await db.$client.execute({
    sql: `UPDATE messages SET status = 'sent', sent_at = ? WHERE id IN (
      SELECT id FROM messages WHERE broadcast_id = ? ORDER BY id LIMIT 12)`,
    args: [startedAt + 60_000, b.id],
  });
  t.clock.advance(4 * 60_000);
  assert.equal(await rate(), "Sending now: 3 a minute (last 4 min)");
  await setUserLanguage(db, sari.user.id, "id");
  assert.equal(await rate(), "Kecepatan saat ini: 3 per menit (4 menit terakhir)");
  await setUserLanguage(db, sari.user.id, "en");
  // Two more in the next twenty minutes: counted an hour, over the last ten minutes.
  await db.$client.execute({
    sql: `UPDATE messages SET status = 'sent', sent_at = ? WHERE id IN (
      SELECT id FROM messages WHERE broadcast_id = ? AND status = 'queued' ORDER BY id LIMIT 2)`,
    args: [startedAt + 20 * 60_000, b.id],
  });
  t.clock.advance(20 * 60_000);
  assert.equal(await rate(), "Sending now: 12 an hour (last 10 min)");
  t.clock.advance(60 * 60_000);
  assert.equal(await rate(), "Sending now: none in the last 10 min");
  await service.step(CLI_ACTOR, b.id, "pause");
  assert.equal(await rate(), undefined, "only while it runs");
});

Deno.test("hostile text in a broadcast's name, message, a row's name or its variables is shown as text", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const sari = await signedIn(t, "supervisor");
  const evil = `<img src=x onerror="alert(1)">`;
  const b = await t.deps.services.broadcasts.create(
    CLI_ACTOR,
    broadcastDraft(channel.id, {
      name: `<script>alert(1)</script>`,
      body: `Halo {{nama}} ${evil} {{poli}}`,
      variables: {},
    }),
    [{
      row: 1,
      input: "081234567001",
      phone: "6281234567001",
      name: evil,
      variables: { nama: evil, poli: `</span><b>${evil}</b>` },
      status: "pending",
      error: null,
      errorCode: null,
    }],
  );
  await t.deps.services.broadcasts.step(CLI_ACTOR, b.id, "confirm");
  await t.deps.services.broadcasts.step(CLI_ACTOR, b.id, "start");
  await t.deps.broadcastRunner.settled();
  for (const path of [`/broadcasts/${b.id}`, `/broadcasts/${b.id}/recipients`, "/broadcasts"]) {
    const page = (await sari.get(path)).text;
    assert.doesNotMatch(page, /<img src=x|<script>alert|<b><img/, path);
    assert.match(page, /&lt;(img|script)/, `${path} shows the text`);
  }
});
