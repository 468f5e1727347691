/**
 * What /metrics tells an operator about sending: the queue of a channel that
 * is turned off, failed sends (a Telegram chat that does not exist, and a
 * Telegram hiccup that is retried), and a webhook whose receiver answers 500.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { messages } from "../../db/schema.ts";
import { startFakeTelegram } from "../fakes/telegram_api.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { signedIn } from "../support/signed_in.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";

const TOKEN = "7000001:AAHm3tR1csQ9xY2wE5rT7uI0oP4aS6dF8gH";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Scrapes /metrics and parses the samples (label order does not matter). */
async function scrape(t: TestApp): Promise<Sample[]> {
  const res = await t.app.request("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  const samples: Sample[] = [];
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of `name` with exactly `labels`, or undefined when there is no such sample. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string>) {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find((s) =>
    s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted
  )?.value;
}

async function keyFor(t: TestApp) {
  return (await apiKey(t)).api;
}

Deno.test("kabar_outbox_messages shows what waits on a channel that is turned off, and drains", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Pendaftaran" });
  const admin = await signedIn(t, "admin");
  await admin.get(`/channels/${channel.id}`);
  const off = await admin.post(`/channels/${channel.id}/disable`);
  assert.equal(off.status, 303);

  const api = await keyFor(t);
  for (const to of ["0811111111", "0822222222", "0833333333"]) {
    const answer = await api.post("/api/v1/messages", { to, text: "Pengingat kontrol" });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
  }
  const labels = { channel: String(channel.id), status: "queued" };
  const waiting = await scrape(t);
  assert.equal(valueOf(waiting, "kabar_outbox_messages", labels), 3);
  assert.equal(
    valueOf(waiting, "kabar_outbox_messages", { channel: String(channel.id), status: "sending" }),
    undefined,
    "nothing is being sent",
  );
  assert.equal(
    valueOf(waiting, "kabar_messages_sent_total", { channel: String(channel.id) }),
    0,
  );
  const rows = await t.deps.db.select().from(messages);
  assert.deepEqual(rows.map((m) => m.status), ["queued", "queued", "queued"]);

  // Turned on again: the queue goes out and the gauge empties.
  await admin.get(`/channels/${channel.id}`);
  assert.equal((await admin.post(`/channels/${channel.id}/enable`)).status, 303);
  await waitUntil(async () => {
    const now = await scrape(t);
    return valueOf(now, "kabar_messages_sent_total", { channel: String(channel.id) }) === 3;
  }, "the three sent");
  const drained = await scrape(t);
  assert.equal(valueOf(drained, "kabar_outbox_messages", labels), undefined);
});

Deno.test("kabar_send_failures_total counts a Telegram chat that does not exist (final) and a retried hiccup", async () => {
  await using fake = startFakeTelegram({ token: TOKEN });
  await using t = await startTestApp({ KABAR_TELEGRAM_API_ROOT: fake.apiRoot });
  const api = await keyFor(t);
  const added = await api.post("/api/v1/channels", {
    kind: "telegram",
    name: "Bot RS",
    bot_token: TOKEN,
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const channel = String(added.body.id);

  const answer = await api.post("/api/v1/messages", { to: "404", text: "Halo" });
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  // (The counter moves once the failure is committed, so wait on what the operator sees.)
  await waitUntil(async () => {
    const now = await scrape(t);
    return valueOf(now, "kabar_send_failures_total", { channel, final: "true" }) === 1;
  }, "the message to a chat that does not exist counted as failed");
  const [row] = await t.deps.db.select().from(messages).where(eq(messages.id, answer.body.id));
  assert.equal(row.status, "failed");
  const got = await api.get(`/api/v1/messages/${answer.body.id}`);
  assert.equal(got.body.status, "failed");
  assert.match(got.body.error, /chat not found/);
  assert.equal(got.body.attempts, 1, "not retried: it cannot change");
  assert.equal(fake.sent.length, 0, "Telegram accepted nothing");

  const failed = await scrape(t);
  assert.equal(valueOf(failed, "kabar_send_failures_total", { channel, final: "true" }), 1);
  assert.equal(
    valueOf(failed, "kabar_send_failures_total", { channel, final: "false" }),
    0,
  );
  assert.equal(valueOf(failed, "kabar_messages_sent_total", { channel }), 0);
  assert.equal(
    valueOf(failed, "kabar_outbox_messages", { channel, status: "queued" }),
    undefined,
  );

  // Telegram answers 500 once: counted as a failure that is not final, then sent on the retry.
  fake.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
  const sendCalls = () => fake.calls.filter((c) => c.method === "sendMessage").length;
  assert.equal(sendCalls(), 1, "the refused one");
  const retried = await api.post("/api/v1/messages", { to: "5551234", text: "Halo lagi" });
  assert.equal(retried.status, 202);
  // Telegram's pace (40 ms) holds the next send: the clock moves on until it is tried.
  await waitUntil(() => {
    if (sendCalls() < 2) t.clock.advance(20);
    return sendCalls() === 2;
  }, "the second message tried");
  await waitUntil(async () => {
    const now = await scrape(t);
    return valueOf(now, "kabar_send_failures_total", { channel, final: "false" }) === 1;
  }, "the first attempt failed");
  const retrying = await scrape(t);
  assert.equal(valueOf(retrying, "kabar_outbox_messages", { channel, status: "queued" }), 1);
  assert.equal(fake.sent.length, 0);
  // The first retry comes 30 s later.
  await waitUntil(() => {
    if (fake.sent.length === 0) t.clock.advance(1000);
    return fake.sent.length === 1;
  }, "sent on the retry");
  assert.equal(sendCalls(), 3, "tried twice, no more");
  await waitUntil(async () => {
    const now = await scrape(t);
    return valueOf(now, "kabar_messages_sent_total", { channel }) === 1;
  }, "counted as sent");
  const after = await scrape(t);
  assert.equal(valueOf(after, "kabar_send_failures_total", { channel, final: "false" }), 1);
  assert.equal(valueOf(after, "kabar_send_failures_total", { channel, final: "true" }), 1);
  assert.equal(fake.sent[0].chat_id, "5551234");
  assert.equal(fake.sent[0].text, "Halo lagi");
});

Deno.test("kabar_webhook_backlog and kabar_webhook_attempts_total for a receiver that answers 500", async () => {
  let requests = 0;
  await using receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      await req.text();
      requests++;
      return new Response("rusak", { status: 500 });
    },
  );
  await using t = await startTestApp({ KABAR_WEBHOOK_RETRY_HOURS: "1" });
  await sandbox(t, { name: "S" });
  const api = await keyFor(t);
  const hook = await api.post("/api/v1/webhooks", {
    url: `http://hooks.example:${receiver.addr.port}/kabar`,
    events: ["message.status"],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const webhook = String(hook.body.id);
  const backlog = (samples: Sample[], state: string) =>
    valueOf(samples, "kabar_webhook_backlog", { webhook, state });
  const attempts = (samples: Sample[], result: string) =>
    valueOf(samples, "kabar_webhook_attempts_total", { webhook, result });

  const sent = await api.post("/api/v1/messages", { to: "0811111111", text: "Halo" });
  assert.equal(sent.status, 202);
  // The clock stands still: only "sent" happens, and its delivery is refused once.
  await waitUntil(async () => attempts(await scrape(t), "retry") === 1, "one refused attempt");
  const first = await scrape(t);
  assert.equal(requests, 1);
  assert.equal(backlog(first, "pending"), 1);
  assert.equal(backlog(first, "failed"), 0);
  assert.equal(attempts(first, "delivered"), 0);
  assert.equal(attempts(first, "given_up"), 0);

  // Time passes (the phone also reports delivered and read): every delivery is retried
  // until KABAR_WEBHOOK_RETRY_HOURS is over, then given up.
  const delivering = async () =>
    Number(
      (await t.deps.db.$client.execute(
        "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivering'",
      )).rows[0].n,
    );
  await waitUntil(
    async () => {
      const now = await scrape(t);
      if (backlog(now, "failed") === 3 && attempts(now, "given_up") === 3) return true;
      if (await delivering() === 0) t.clock.advance(5 * 60_000);
      return false;
    },
    "all three deliveries given up",
    60_000,
  );
  const last = await scrape(t);
  assert.equal(backlog(last, "pending"), 0);
  assert.equal(backlog(last, "failed"), 3);
  assert.equal(attempts(last, "given_up"), 3);
  assert.equal(attempts(last, "delivered"), 0);
  assert.ok(attempts(last, "retry")! > 3, "retried before giving up");
  assert.equal(
    attempts(last, "retry")! + attempts(last, "given_up")!,
    requests,
    "one attempt counted per request the receiver got",
  );
  const log = await api.get(`/api/v1/webhooks/${webhook}/deliveries?limit=100`);
  assert.equal(log.status, 200);
  assert.deepEqual(log.body.data.map((d: { status: string }) => d.status), [
    "failed",
    "failed",
    "failed",
  ]);
});
