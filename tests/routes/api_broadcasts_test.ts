/**
 * `/api/v1/broadcasts` as a hospital's system drives it: a draft from a list
 * or an uploaded workbook (each row judged), the steps with a 409 that says
 * why, recipients and the CSV report, scopes and channel-limited keys, and a
 * broadcast that runs to its end on a sandbox channel.
 */
import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { auditLog } from "../../db/schema.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createLabel } from "../../db/labels.ts";
import { QUEUE_AHEAD } from "../../sessions/broadcasts.ts";
import { apiKey, type TestApiKey } from "../support/api_key.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { startFakeTelegram } from "../fakes/telegram_api.ts";

const LIST = [
  { phone: "0812-3456-7001", name: "Ani", variables: { tanggal: "Senin" } },
  { phone: "+62 812 3456 7002", name: "Budi" },
  { phone: "6281234567001", name: "Ani lagi" },
  { phone: "12", name: "Salah" },
  { phone: "=HYPERLINK(1)", name: "@jahat" },
];

function draftBody(channel: number, extra: Record<string, unknown> = {}) {
  return {
    name: "Pengingat kontrol",
    channel,
    template: undefined,
    text: "Halo {{nama}}, kontrol Anda {{tanggal}}.",
    recipients: LIST,
    ...extra,
  };
}

/**
 * A broadcast of five recipients more than a running one keeps in the
 * outbox, started through `api`, once the runner has written what it keeps.
 */
async function startedBeyondLead(t: TestApp, api: TestApiKey["api"], channel: number) {
  const recipients = Array.from({ length: QUEUE_AHEAD + 5 }, (_, i) => ({
    phone: `081230${String(i + 1).padStart(6, "0")}`,
    name: `Pasien ${i + 1}`,
    variables: { tanggal: "Senin" },
  }));
  const { body: b } = await api.post("/api/v1/broadcasts", draftBody(channel, { recipients }));
  await api.post(`/api/v1/broadcasts/${b.id}/confirm`);
  const started = await api.post(`/api/v1/broadcasts/${b.id}/start`);
  await t.deps.broadcastRunner.settled();
  return { b, started: started.body };
}

Deno.test("a draft from a list: every row judged, counted, and shown with its reason", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api, key } = await apiKey(t, ["broadcasts:*"]);
  const made = await api.post("/api/v1/broadcasts", draftBody(channel.id));
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const b = made.body;
  assert.equal(b.status, "draft");
  assert.deepEqual(b.counts, {
    rows: 5,
    valid: 1,
    invalid: 3,
    duplicates: 1,
    opted_out: 0,
    not_on_whatsapp: 0,
  });
  assert.deepEqual(b.send_window, { start: "08:00", end: "20:00" }, "the default window");
  assert.equal(b.progress.queued, 1);
  assert.ok(b.estimated_seconds >= 0);

  const rows = await api.get(`/api/v1/broadcasts/${b.id}/recipients`);
  assert.equal(rows.status, 200);
  assert.deepEqual(
    rows.body.data.map((r: { row: number; status: string; error_code: string | null }) => [
      r.row,
      r.status,
      r.error_code,
    ]),
    [
      [1, "pending", null],
      [2, "invalid", "variable_missing"],
      [3, "duplicate", "duplicate"],
      [4, "invalid", "too_short"],
      [5, "invalid", "not_digits"],
    ],
  );
  const invalid = await api.get(`/api/v1/broadcasts/${b.id}/recipients?status=invalid&limit=1`);
  assert.equal(invalid.body.data.length, 1);
  assert.equal(invalid.body.has_more, true);
  const next = await api.get(
    `/api/v1/broadcasts/${b.id}/recipients?status=invalid&cursor=${invalid.body.next_cursor}`,
  );
  assert.deepEqual(next.body.data.map((r: { row: number }) => r.row), [4, 5]);
  const leftOut = await api.get(`/api/v1/broadcasts/${b.id}/recipients?status=left_out`);
  assert.deepEqual(leftOut.body.data.map((r: { row: number }) => r.row), [2, 3, 4, 5]);
  const unknown = await api.get(`/api/v1/broadcasts/${b.id}/recipients?status=gone`);
  assert.equal(unknown.status, 422);
  assert.match(JSON.stringify(unknown.body), /left_out/);

  // With the shared value, the second row is complete.
  const shared = await api.patch(`/api/v1/broadcasts/${b.id}`, {
    template: undefined,
    text: "Halo {{nama}}, kontrol Anda {{tanggal}}.",
    recipients: LIST.slice(0, 2).map((r) => ({ ...r, variables: { tanggal: "Selasa" } })),
  });
  assert.equal(shared.status, 200, JSON.stringify(shared.body));
  assert.equal(shared.body.counts.valid, 2);

  const report = await t.app.request(`/api/v1/broadcasts/${b.id}/report.csv`, {
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(report.status, 200);
  assert.match(report.headers.get("content-type") ?? "", /^text\/csv/);
  const bytes = new Uint8Array(await report.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a BOM, for Excel");
  const csv = new TextDecoder().decode(bytes);
  assert.ok(csv.startsWith("row,number_as_written,phone,name,status"), csv.slice(0, 60));
  assert.equal(csv.trim().split("\r\n").length, 3);
  const first = await api.patch(`/api/v1/broadcasts/${b.id}`, { recipients: LIST.slice(3) });
  assert.equal(first.status, 200);
  const hostile = await t.app.request(`/api/v1/broadcasts/${b.id}/report.csv`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const lines = (await hostile.text()).trim().split("\r\n");
  assert.match(lines[2], /^2,'=HYPERLINK\(1\),,'@jahat,invalid,/, "cells are never formulas");
  const audit = await t.deps.db.select().from(auditLog);
  assert.ok(audit.some((a) => a.action === "broadcast.report"));
});

Deno.test("each step answers the broadcast, or a 409 saying which statuses allow it", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const { body: b } = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      recipients: LIST.slice(0, 1),
    }),
  );
  const step = (action: string) => api.post(`/api/v1/broadcasts/${b.id}/${action}`);
  const early = await step("start");
  assert.equal(early.status, 409);
  assert.match(
    early.body.error.message,
    /is draft: only a broadcast that is confirmed or scheduled/,
  );
  assert.equal((await step("confirm")).body.status, "confirmed");
  const edited = await api.patch(`/api/v1/broadcasts/${b.id}`, { name: "Pengingat Senin" });
  assert.equal(edited.body.status, "draft", "editing a confirmed one takes it back to draft");
  assert.equal(edited.body.name, "Pengingat Senin");
  assert.equal(edited.body.counts.rows, 1, "its rows kept");
  await step("confirm");
  assert.equal((await step("start")).body.status, "running");
  assert.equal((await api.delete(`/api/v1/broadcasts/${b.id}`)).status, 409);
  assert.equal((await step("pause")).body.status, "paused");
  assert.equal((await api.patch(`/api/v1/broadcasts/${b.id}`, { name: "x" })).status, 409);
  assert.equal((await step("resume")).body.status, "running");
  const cancelled = await step("cancel");
  assert.equal(cancelled.body.status, "cancelled");
  assert.equal(cancelled.body.progress.cancelled, 1);
  assert.equal((await api.delete(`/api/v1/broadcasts/${b.id}`)).status, 204);
  assert.equal((await api.get(`/api/v1/broadcasts/${b.id}`)).status, 404);
});

Deno.test("a cancelled broadcast's rows read alike, whether their message was in the outbox or not yet written", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const { b, started } = await startedBeyondLead(t, api, channel.id);
  assert.equal(started.progress.queued, QUEUE_AHEAD + 5, "every row counts as queued");
  const cancelled = await api.post(`/api/v1/broadcasts/${b.id}/cancel`);
  assert.equal(cancelled.body.progress.cancelled, QUEUE_AHEAD + 5);
  const last = await api.get(
    `/api/v1/broadcasts/${b.id}/recipients?cursor=${QUEUE_AHEAD - 1}&limit=2`,
  );
  type Row = { row: number; status: string; error: string; error_code: string; message_id: null };
  assert.deepEqual(
    last.body.data.map((r: Row) => [r.row, r.status, r.error, r.error_code, r.message_id !== null]),
    [
      [QUEUE_AHEAD, "cancelled", "cancelled with its broadcast", "cancelled", true],
      [QUEUE_AHEAD + 1, "cancelled", "cancelled with its broadcast", "cancelled", false],
    ],
  );
});

Deno.test("wrong input is a 422 naming the field", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const cases: [Record<string, unknown>, string][] = [
    [{ template: { name: "x" } }, "template"],
    [{ recipients: undefined }, "recipients"],
    [{ label: 1 }, "label"],
    [{ send_window: { start: "08:00", end: "08:00" } }, "send_window"],
    [{ send_window: { start: "25:00", end: "08:00" } }, "send_window.start"],
    [{ scheduled_at: "besok" }, "scheduled_at"],
    [{ name: "\u200b" }, "name"],
    [{ recipients: Array(10_001).fill({ phone: "081234567001" }) }, "recipients"],
    [{ channel: 999 }, "channel"],
  ];
  for (const [extra, field] of cases) {
    const answer = await api.post("/api/v1/broadcasts", draftBody(channel.id, extra));
    assert.equal(answer.status, 422, `${field}: ${JSON.stringify(answer.body).slice(0, 200)}`);
    assert.ok(field in answer.body.error.details, `${field} named: ${answer.body.error.message}`);
  }
});

Deno.test("a draft from an uploaded workbook: columns by header text, numbers stored as numbers", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["broadcasts:*", "messages:send"]);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Pasien");
  sheet.addRow(["Nama", "Nomor HP", "Tanggal"]);
  sheet.addRow(["Ani", 6281234567001, "Senin"]);
  sheet.addRow(["Budi", "0812-3456-7002", "Selasa"]);
  sheet.addRow([]);
  sheet.addRow(["Citra", "6.28123E+12", "Rabu"]);
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  const form = new FormData();
  form.append("file", new File([bytes], "pasien.xlsx"));
  const uploaded = await api.post("/api/v1/media", form);
  assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  const made = await api.post("/api/v1/broadcasts", {
    name: "Dari Excel",
    channel: channel.id,
    text: "Halo {{nama}}, jadwal Anda {{tanggal}}.",
    recipients_file: {
      media_id: uploaded.body.id,
      sheet: "pasien",
      phone_column: "nomor hp",
      name_column: "A",
      variables: { tanggal: "Tanggal" },
    },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.counts.valid, 2);
  assert.equal(made.body.counts.invalid, 1);
  const rows = await api.get(`/api/v1/broadcasts/${made.body.id}/recipients`);
  assert.deepEqual(
    rows.body.data.map((r: { phone: string; status: string; error_code: string }) => [
      r.phone,
      r.status,
      r.error_code,
    ]),
    [
      ["6281234567001", "pending", null],
      ["6281234567002", "pending", null],
      [null, "invalid", "scientific"],
    ],
  );
  const badColumn = await api.post("/api/v1/broadcasts", {
    name: "Salah kolom",
    channel: channel.id,
    text: "Halo",
    recipients_file: { media_id: uploaded.body.id, phone_column: "Telepon" },
  });
  assert.equal(badColumn.status, 422);
  assert.match(badColumn.body.error.message, /Telepon/);
});

Deno.test("scopes and a key limited to one channel", async () => {
  await using t = await startTestApp();
  const mine = await sandbox(t, { name: "Poli", start: false });
  const other = await sandbox(t, { name: "Lain", start: false });
  const { api: admin } = await apiKey(t, ["broadcasts:*"]);
  const { body: elsewhere } = await admin.post("/api/v1/broadcasts", draftBody(other.id));
  const { api: reader } = await apiKey(t, ["broadcasts:read"]);
  assert.equal((await reader.get("/api/v1/broadcasts")).status, 200);
  assert.equal((await reader.post("/api/v1/broadcasts", draftBody(mine.id))).status, 403);
  const { api: limited } = await apiKey(t, ["broadcasts:*"], { channelId: mine.id });
  assert.equal((await limited.get(`/api/v1/broadcasts/${elsewhere.id}`)).status, 404);
  assert.equal((await limited.post("/api/v1/broadcasts", draftBody(other.id))).status, 403);
  assert.equal((await limited.post("/api/v1/broadcasts", draftBody(mine.id))).status, 201);
  const listed = await limited.get("/api/v1/broadcasts");
  assert.deepEqual(listed.body.data.map((b: { channel: number }) => b.channel), [mine.id]);
});

Deno.test("a broadcast started through the API runs to its end on a sandbox channel", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const { body: b } = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      send_window: null,
      recipients: LIST.slice(0, 2).map((r) => ({ ...r, variables: { tanggal: "Senin" } })),
    }),
  );
  await api.post(`/api/v1/broadcasts/${b.id}/confirm`);
  await api.post(`/api/v1/broadcasts/${b.id}/start`);
  await waitUntil(
    async () => (await api.get(`/api/v1/broadcasts/${b.id}`)).body.status === "finished",
    "the broadcast to finish",
  );
  const done = (await api.get(`/api/v1/broadcasts/${b.id}`)).body;
  assert.equal(done.progress.queued + done.progress.sending, 0);
  assert.equal(done.progress.sent + done.progress.delivered + done.progress.read, 2);
  assert.ok(done.started_at && done.finished_at);
});

Deno.test("webhooks hear broadcast.progress (at most every 5 s) and broadcast.finished with the counts", async () => {
  await using t = await startTestApp();
  const received: { type: string; data: { broadcast: Record<string, unknown> } }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push(await req.json());
    return new Response("ok");
  });
  try {
    const channel = await sandbox(t);
    const { api } = await apiKey(t, ["*"]);
    const hook = await api.post("/api/v1/webhooks", {
      url: `http://hooks.example:${server.addr.port}/kabar`,
      events: ["broadcast.progress", "broadcast.finished"],
      private_network: true,
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const { body: b } = await api.post(
      "/api/v1/broadcasts",
      draftBody(channel.id, {
        send_window: null,
        recipients: LIST.map((r) => ({ ...r, variables: { tanggal: "Senin" } })),
      }),
    );
    await api.post(`/api/v1/broadcasts/${b.id}/confirm`);
    await api.post(`/api/v1/broadcasts/${b.id}/start`);
    await waitUntil(
      () => received.some((e) => e.type === "broadcast.finished"),
      "the finished event",
    );
    const finished = received.find((e) => e.type === "broadcast.finished")!.data.broadcast;
    assert.equal(finished.id, b.id);
    assert.equal(finished.status, "finished");
    assert.deepEqual(finished.counts, {
      rows: 5,
      valid: 2,
      invalid: 2,
      duplicates: 1,
      opted_out: 0,
      not_on_whatsapp: 0,
    });
    const progress = finished.progress as Record<string, number>;
    assert.equal(progress.queued + progress.sending + progress.failed + progress.cancelled, 0);
    assert.equal(progress.sent + progress.delivered + progress.read, 2);
    const progressEvents = received.filter((e) => e.type === "broadcast.progress");
    assert.ok(progressEvents.length >= 1, "the start is a progress");
    assert.ok(progressEvents.length <= 1, "no more than one within 5 s of (manual) time");
  } finally {
    await server.shutdown();
  }
});

Deno.test("numbers WhatsApp does not know are left out when checked first", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const { body: b } = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      text: "Halo {{nama}}",
      recipients: [
        { phone: "081234560000", name: "Tidak ada" },
        { phone: "081234567001", name: "Ada" },
      ],
    }),
  );
  const checked = await api.post(`/api/v1/broadcasts/${b.id}/check-numbers`);
  assert.equal(checked.status, 200, JSON.stringify(checked.body));
  assert.equal(checked.body.counts.not_on_whatsapp, 1);
  assert.equal(checked.body.counts.valid, 1);
  const rows = await api.get(`/api/v1/broadcasts/${b.id}/recipients?status=not_on_whatsapp`);
  assert.deepEqual(rows.body.data.map((r: { name: string }) => r.name), ["Tidak ada"]);
  await api.post(`/api/v1/broadcasts/${b.id}/confirm`);
  assert.equal((await api.post(`/api/v1/broadcasts/${b.id}/check-numbers`)).status, 409);
});

Deno.test("a STOP reply leaves the number out of the next broadcast", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api } = await apiKey(t, ["*"]);
  const stop = await api.post(`/api/v1/sandbox/${channel.id}/inbound`, {
    from: "0812-3456-7001",
    text: "stop",
  });
  assert.equal(stop.status, 201, JSON.stringify(stop.body));
  await waitUntil(
    async () => (await api.get("/api/v1/opt-outs")).body.data.length === 1,
    "the number on the opt-out list",
  );
  const { body: b } = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      text: "Halo {{nama}}",
      recipients: LIST.slice(0, 2),
    }),
  );
  assert.equal(b.counts.opted_out, 1);
  assert.equal(b.counts.valid, 1);
  const rows = await api.get(`/api/v1/broadcasts/${b.id}/recipients?status=opted_out`);
  assert.deepEqual(rows.body.data.map((r: { phone: string }) => r.phone), ["6281234567001"]);
});

Deno.test("hostile bodies: variables beyond the template are dropped, times past or crossed and lists that no longer fit are refused", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["*"]);
  // Every recipient naming its own variable: the list stays as wide as the template.
  const many = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      text: "Halo {{nama}}, kontrol {{tanggal}}",
      recipients: Array.from({ length: 2_000 }, (_, i) => ({
        phone: `0812${10_000_000 + i}`,
        name: `P${i}`,
        variables: { tanggal: "Senin", [`k${i}`]: "x" },
      })),
    }),
  );
  assert.equal(many.status, 201);
  assert.equal(many.body.counts.valid, 2_000);
  const first = await api.get(`/api/v1/broadcasts/${many.body.id}/recipients?limit=1`);
  assert.deepEqual(first.body.data[0].variables, { tanggal: "Senin", nama: "P0" });
  const tooMany = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      recipients: [{
        phone: "081234567001",
        variables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, "x"])),
      }],
    }),
  );
  assert.equal(tooMany.status, 422);

  const now = t.clock.now();
  for (
    const [extra, field] of [
      [{ scheduled_at: new Date(now - 60_000).toISOString() }, "scheduled_at"],
      [{ stop_after: new Date(now - 60_000).toISOString() }, "stop_after"],
      [{
        scheduled_at: new Date(now + 7_200_000).toISOString(),
        stop_after: new Date(now + 3_600_000).toISOString(),
      }, "stop_after"],
    ] as const
  ) {
    const answer = await api.post("/api/v1/broadcasts", draftBody(channel.id, extra));
    assert.equal(answer.status, 422, JSON.stringify(extra));
    assert.ok(answer.body.error.details[field], answer.body.error.message);
  }

  // A list of numbers kept for a draft moved to a Telegram bot: refused, not stuck running.
  const bot = await t.deps.db.$client.execute({
    sql: `INSERT INTO channels (kind, name, status, created_at, updated_at)
      VALUES ('telegram', 'Bot', 'disconnected', 1, 1) RETURNING id`,
    args: [],
  });
  const moved = await api.patch(`/api/v1/broadcasts/${many.body.id}`, {
    channel: Number(bot.rows[0].id),
  });
  assert.equal(moved.status, 422);
  assert.match(moved.body.error.message, /Telegram bot cannot write to the phone numbers/);
});

Deno.test("retry-failed makes a new draft of the rows whose message failed", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["broadcasts:*"]);
  const { body: b } = await api.post(
    "/api/v1/broadcasts",
    draftBody(channel.id, {
      text: "Halo {{nama}}",
      send_window: null,
      recipients: LIST.slice(0, 2),
    }),
  );
  await api.post(`/api/v1/broadcasts/${b.id}/confirm`);
  await api.post(`/api/v1/broadcasts/${b.id}/start`);
  await waitUntil(async () => {
    const queued = (await api.get(`/api/v1/broadcasts/${b.id}/recipients?status=queued`)).body.data;
    return queued.filter((r: { message_id: number | null }) => r.message_id !== null).length === 2;
  }, "two messages in the outbox");
  // One message fails for good (a channel's refusal), the other is still waiting.
  await t.deps.db.$client.execute(
    `UPDATE messages SET status = 'failed', error = 'blocked by the user'
    WHERE id = (SELECT min(id) FROM messages WHERE broadcast_id = ${b.id})`,
  );
  const retry = await api.post(`/api/v1/broadcasts/${b.id}/retry-failed`);
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.body.status, "draft");
  assert.equal(retry.body.name, "Pengingat kontrol (retry)");
  assert.equal(retry.body.counts.valid, 1);
  const rows = await api.get(`/api/v1/broadcasts/${retry.body.id}/recipients`);
  assert.deepEqual(rows.body.data.map((r: { phone: string }) => r.phone), ["6281234567001"]);
  // The draft has nothing that failed: nothing to send again.
  const none = await api.post(`/api/v1/broadcasts/${retry.body.id}/retry-failed`);
  assert.equal(none.status, 409, JSON.stringify(none.body));
  assert.match(none.body.error.message, /has no failed message to send again/);
});

Deno.test("a broadcast from a label that does not exist is a 422 naming the label", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const { api } = await apiKey(t, ["*"]);
  const made = await api.post("/api/v1/broadcasts", {
    name: "Label hilang",
    channel: channel.id,
    text: "Halo {{nama}}",
    label: 424242,
  });
  assert.equal(made.status, 422, JSON.stringify(made.body));
  assert.ok(made.body.error.details.label, JSON.stringify(made.body));
});

Deno.test("a Telegram bot broadcasts to the chats of the contacts with a label", async () => {
  await using fake = startFakeTelegram({ token: "7000001:AAHb5rT1csQ9xY2wE5rT7uI0oP4aS6dF8gH" });
  await using t = await startTestApp({ KABAR_TELEGRAM_API_ROOT: fake.apiRoot });
  const { api } = await apiKey(t, ["*"]);
  const bot = await api.post("/api/v1/channels", {
    kind: "telegram",
    name: "Bot RS",
    bot_token: fake.token,
  });
  assert.equal(bot.status, 201, JSON.stringify(bot.body));
  for (const [chat, name] of [[7001, "Siti"], [7002, "Budi"], [7003, "Dewi"]] as const) {
    fake.pushText(chat, "Halo", { id: chat, first_name: name });
  }
  await waitUntil(
    async () => (await api.get("/api/v1/conversations?status=all")).body.data.length === 3,
    "three conversations",
  );
  const conversations = (await api.get("/api/v1/conversations?status=all")).body.data;
  for (
    const c of conversations.filter((c: { contact: { name: string } }) => c.contact.name !== "Dewi")
  ) {
    assert.equal(
      (await api.post(`/api/v1/conversations/${c.id}/labels`, { name: "Vaksin" })).status,
      200,
    );
  }
  const label = (await api.get("/api/v1/labels")).body.data[0];
  const phones = await api.post("/api/v1/broadcasts", draftBody(bot.body.id));
  assert.equal(phones.status, 422, "a bot cannot write to phone numbers");
  const { body: b } = await api.post("/api/v1/broadcasts", {
    name: "Vaksin",
    channel: bot.body.id,
    text: "Halo {{nama}}, jadwal vaksin besok.",
    send_window: null,
    label: label.id,
  });
  assert.equal(b.counts.valid, 2, JSON.stringify(b.counts));
  await api.post(`/api/v1/broadcasts/${b.id}/confirm`);
  await api.post(`/api/v1/broadcasts/${b.id}/start`);
  // A bot's broadcast pace is 100 ms a message: time moves on a second a look.
  await waitUntil(async () => {
    t.clock.advance(1_000);
    return (await api.get(`/api/v1/broadcasts/${b.id}`)).body.status === "finished";
  }, "the broadcast to finish");
  const sent = fake.sent.filter((s) => s.text?.startsWith("Halo ")).map((s) => [s.chat_id, s.text]);
  assert.deepEqual(sent.sort(), [
    ["7001", "Halo Siti, jadwal vaksin besok."],
    ["7002", "Halo Budi, jadwal vaksin besok."],
  ]);
});

Deno.test("a broadcast from a label on a phone channel: each contact once, without a number invalid, opted out left out", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Poli" });
  const other = await sandbox(t, { name: "Farmasi", start: false });
  const { api } = await apiKey(t, ["*"]);
  const label = await createLabel(t.deps.db, t.clock, CLI_ACTOR, {
    name: "Vaksin",
    color: "#16a34a",
  });
  await t.deps.db.$client.executeMultiple(`
    INSERT INTO contacts (id, phone, telegram_chat_id, name, created_at, updated_at) VALUES
      (1, '6281234567001', NULL, 'Siti', 1, 1), (2, '6281234567002', NULL, 'Budi', 1, 1),
      (3, NULL, '7003', 'Dewi', 1, 1), (4, '6281234567004', NULL, 'Rina', 1, 1);
    INSERT INTO conversations (id, channel_id, contact_id, status, last_message_at, created_at,
        updated_at) VALUES
      (1, ${channel.id}, 1, 'open', 1, 1, 1), (2, ${other.id}, 1, 'open', 1, 1, 1),
      (3, ${channel.id}, 2, 'open', 1, 1, 1), (4, ${channel.id}, 3, 'open', 1, 1, 1),
      (5, ${channel.id}, 4, 'open', 1, 1, 1);
    INSERT INTO conversation_labels (conversation_id, label_id) VALUES
      (1, ${label.id}), (2, ${label.id}), (3, ${label.id}), (4, ${label.id});
  `);
  assert.equal((await api.post("/api/v1/opt-outs", { phone: "0812-3456-7002" })).status, 201);
  const made = await api.post("/api/v1/broadcasts", {
    name: "Vaksin",
    channel: channel.id,
    text: "Halo {{nama}}, jadwal vaksin besok.",
    send_window: null,
    label: label.id,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(made.body.counts, {
    rows: 3,
    valid: 1,
    invalid: 1,
    duplicates: 0,
    opted_out: 1,
    not_on_whatsapp: 0,
  }, "Siti labelled on two channels is one row; Rina has no label");
  const rows = (await api.get(`/api/v1/broadcasts/${made.body.id}/recipients`)).body.data;
  assert.deepEqual(
    rows.map((r: { phone: string; name: string; status: string; error_code: string }) => [
      r.phone,
      r.name,
      r.status,
      r.error_code,
    ]),
    [
      ["6281234567001", "Siti", "pending", null],
      ["6281234567002", "Budi", "opted_out", "opted_out"],
      [null, "Dewi", "invalid", "empty"],
    ],
  );
  await api.post(`/api/v1/broadcasts/${made.body.id}/confirm`);
  await api.post(`/api/v1/broadcasts/${made.body.id}/start`);
  await waitUntil(
    async () => (await api.get(`/api/v1/broadcasts/${made.body.id}`)).body.status === "finished",
    "the broadcast to finish",
  );
  const sent = await t.deps.db.$client.execute(
    `SELECT contact_id, body FROM messages WHERE broadcast_id = ${made.body.id}`,
  );
  assert.deepEqual(sent.rows.map((m) => [m.contact_id, m.body]), [
    [1, "Halo Siti, jadwal vaksin besok."],
  ], "sent on the contact Kabar knows");
});

Deno.test("a broadcast from a template, named or by id: its text, the broadcast's values and each row's own", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["*"]);
  const template = await api.post("/api/v1/templates", {
    name: "pengingat_kontrol",
    body: "Halo {{nama}}, kontrol di {{poli}} pada {{tanggal}}.",
  });
  assert.equal(template.status, 201, JSON.stringify(template.body));
  const recipients = [
    { phone: "0812-3456-7001", name: "Siti" },
    { phone: "0812-3456-7002", name: "Budi", variables: { tanggal: "Selasa" } },
  ];
  const byName = await api.post("/api/v1/broadcasts", {
    name: "Kontrol",
    channel: channel.id,
    template: { name: "pengingat_kontrol", variables: { poli: "Poli Anak", tanggal: "Senin" } },
    recipients,
  });
  assert.equal(byName.status, 201, JSON.stringify(byName.body));
  assert.deepEqual(byName.body.template, { id: template.body.id, name: "pengingat_kontrol" });
  assert.equal(byName.body.text, "Halo {{nama}}, kontrol di {{poli}} pada {{tanggal}}.");
  assert.equal(byName.body.counts.valid, 2);
  const byId = await api.post("/api/v1/broadcasts", {
    name: "Kontrol lagi",
    channel: channel.id,
    template: { id: template.body.id },
    recipients,
  });
  assert.equal(byId.status, 201);
  assert.equal(byId.body.counts.invalid, 2, "no value for {{poli}} on any row");
  const why = (await api.get(`/api/v1/broadcasts/${byId.body.id}/recipients`)).body.data;
  assert.match(why[0].error, /\{\{poli\}\}/);

  await api.post(`/api/v1/broadcasts/${byName.body.id}/confirm`);
  await api.post(`/api/v1/broadcasts/${byName.body.id}/start`);
  await t.deps.broadcastRunner.settled();
  const sent = await t.deps.db.$client.execute(
    `SELECT body, template_id FROM messages WHERE broadcast_id = ${byName.body.id} ORDER BY id`,
  );
  assert.deepEqual(sent.rows.map((m) => [m.body, m.template_id]), [
    ["Halo Siti, kontrol di Poli Anak pada Senin.", template.body.id],
    ["Halo Budi, kontrol di Poli Anak pada Selasa.", template.body.id],
  ], "a row's own value wins over the broadcast's");
});

Deno.test("a channel's waiting count takes in its running broadcast's recipients; deleting it asks, then cancels the broadcast", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { start: false });
  const { api } = await apiKey(t, ["*"]);
  const { b } = await startedBeyondLead(t, api, channel.id);
  assert.equal((await api.get(`/api/v1/channels/${channel.id}`)).body.queued, QUEUE_AHEAD + 5);
  const asked = await api.delete(`/api/v1/channels/${channel.id}`);
  assert.equal(asked.status, 409);
  assert.equal(asked.body.error.details.queued, QUEUE_AHEAD + 5);
  assert.match(asked.body.error.message, /a running broadcast is cancelled/);
  const deleted = await api.delete(`/api/v1/channels/${channel.id}?force=true`);
  assert.equal(deleted.body.failed_messages, QUEUE_AHEAD, "the outbox's messages");
  await t.deps.broadcastRunner.settled();
  const after = (await api.get(`/api/v1/broadcasts/${b.id}`)).body;
  assert.equal(after.status, "cancelled");
  assert.equal(after.progress.failed, QUEUE_AHEAD);
  assert.equal(after.progress.cancelled, 5);
  assert.equal(after.progress.queued, 0);
});
