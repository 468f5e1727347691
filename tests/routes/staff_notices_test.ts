/**
 * Every page's one live stream also tells its member of staff the count of
 * unread conversations they may see (the tab title) and notices: a new
 * conversation they may answer, one given to them, a note naming them —
 * and, after a reconnect (`Last-Event-ID`), what they missed meanwhile.
 */
import assert from "node:assert/strict";
import { EventStreamParser, type ParsedEvent } from "../support/event_stream_parser.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { recordEvents } from "../support/record_events.ts";
import { sandbox } from "../support/sandbox.ts";
import { type SignedIn, signedIn } from "../support/signed_in.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";

/** The staff events of `browser`'s `/live` stream, read as they come. */
async function staffStream(t: TestApp, browser: SignedIn, headers: Record<string, string> = {}) {
  const stop = new AbortController();
  const raw = await fetchStream(t, browser, headers, stop.signal);
  const reader = raw.body!.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  const events: ParsedEvent[] = [];
  return {
    /** The next event of `type`, advancing the clock past the stream's coalescing as it waits. */
    async next(type: "unread" | "notice"): Promise<ParsedEvent> {
      for (;;) {
        const i = events.findIndex((e) => e.type === type);
        if (i >= 0) return events.splice(i, 1)[0];
        t.clock.advance(1_000);
        const { value, done } = await reader.read();
        assert.ok(!done, "the stream stayed open");
        events.push(...parser.push(value ?? ""));
      }
    },
    stop: () => stop.abort(),
  };
}

async function fetchStream(
  t: TestApp,
  browser: SignedIn,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Response> {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await t.app.request("http://kabar.test/live", {
    headers: { cookie, ...headers },
    signal,
  }, { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } });
  assert.equal(res.status, 200);
  return res;
}

async function patientWrites(t: TestApp, channelId: number, phone: string, name: string) {
  const arrived = nextEvent(t.deps.events, (e) => e.type === "message.inbound");
  await t.deps.registry.simulateInbound(channelId, {
    phone,
    name,
    text: "Selamat pagi, saya mau tanya",
  });
  await arrived;
}

Deno.test("a new conversation brings a notice and the unread count, to those who may see it", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Farmasi" });
  await t.deps.db.$client.execute(
    "INSERT INTO departments (id, name, created_at) VALUES (3, 'Farmasi', 0), (4, 'Gigi', 0)",
  );
  await t.deps.db.$client.execute({
    sql: "INSERT INTO channel_departments (channel_id, department_id) VALUES (?, 3)",
    args: [channel.id],
  });
  const rina = await signedIn(t, "agent", { username: "rina" });
  const budi = await signedIn(t, "agent", { username: "budi" });
  await t.deps.db.$client.execute({
    sql: "INSERT INTO user_departments (user_id, department_id) VALUES (?, 3), (?, 4)",
    args: [rina.user.id, budi.user.id],
  });
  const rinaLive = await staffStream(t, rina);
  const budiLive = await staffStream(t, budi);
  assert.equal((await rinaLive.next("unread")).data, "0");
  assert.equal((await budiLive.next("unread")).data, "0");

  const hostile = "<script>alert(1)</script><img src=x onerror=alert(1)>";
  await patientWrites(t, channel.id, "6281234567001", hostile);
  const notice = JSON.parse((await rinaLive.next("notice")).data);
  assert.equal(notice.kind, "opened");
  assert.equal(notice.title, `New conversation: ${hostile}`, "the name as text, for textContent");
  assert.match(notice.href, /^\/inbox\/\d+$/);
  assert.equal((await rinaLive.next("unread")).data, "1");

  // Budi's department has nothing to do with the pharmacy: his count stays, no notice.
  await patientWrites(t, channel.id, "6281234567002", "Ani");
  assert.equal((await rinaLive.next("unread")).data, "2");
  assert.equal((await budiLive.next("unread")).data, "0");
  rinaLive.stop();
  budiLive.stop();
});

Deno.test("being given a conversation and being mentioned in a note are notices, also after a reconnect", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  await patientWrites(t, channel.id, "6281234567001", "Siti Rahma");
  const { rows } = await t.deps.db.$client.execute("SELECT id FROM conversations");
  const id = Number(rows[0].id);
  const supervisor = await signedIn(t, "supervisor", { username: "rina" });
  const budi = await signedIn(t, "agent", { username: "budi" });
  const live = await staffStream(t, budi);
  await live.next("unread");
  const opened = t.clock.now();

  await supervisor.get(`/inbox/${id}`);
  await supervisor.post(`/inbox/${id}/assign`, { assignee: String(budi.user.id) });
  const assigned = JSON.parse((await live.next("notice")).data);
  assert.equal(assigned.kind, "assigned");
  assert.match(assigned.title, /gave you the conversation with Siti Rahma/);

  await supervisor.post(`/inbox/${id}/notes`, { text: "@budi pasien ini minta dihubungi" });
  const mention = JSON.parse((await live.next("notice")).data);
  assert.equal(mention.kind, "mention");
  assert.match(mention.title, /mentioned you about Siti Rahma/);
  assert.equal(mention.body, "Selamat pagi, saya mau tanya");
  live.stop();

  // Budi's connection dropped before both: reconnecting with the last id he saw, he is told.
  const again = await staffStream(t, budi, { "last-event-id": String(opened) });
  const missed = [
    JSON.parse((await again.next("notice")).data),
    JSON.parse((await again.next("notice")).data),
  ];
  assert.deepEqual(missed.map((n) => n.kind), ["assigned", "mention"]);
  again.stop();

  // Taking a conversation oneself is no notice.
  using seen = recordEvents(t);
  await supervisor.post(`/inbox/${id}/assign`, { assignee: "me" });
  assert.equal(seen.of("conversation.changed").length, 1);
  assert.equal(seen.of("staff.assigned").length, 0);
});

Deno.test("an agent taken out of a department stops seeing its conversations on open pages", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t, { name: "Farmasi" });
  await t.deps.db.$client.execute(
    "INSERT INTO departments (id, name, created_at) VALUES (3, 'Farmasi', 0)",
  );
  await t.deps.db.$client.execute({
    sql: "INSERT INTO channel_departments (channel_id, department_id) VALUES (?, 3)",
    args: [channel.id],
  });
  const rina = await signedIn(t, "agent", { username: "rina" });
  await t.deps.db.$client.execute({
    sql: "INSERT INTO user_departments (user_id, department_id) VALUES (?, 3)",
    args: [rina.user.id],
  });
  await patientWrites(t, channel.id, "6281234567001", "Ani");
  const live = await staffStream(t, rina);
  assert.equal((await live.next("unread")).data, "1");
  await t.deps.db.$client.execute({
    sql: "DELETE FROM user_departments WHERE user_id = ?",
    args: [rina.user.id],
  });
  t.clock.advance(31_000);
  await patientWrites(t, channel.id, "6281234567002", "Budi");
  assert.equal((await live.next("unread")).data, "0", "her count forgets the pharmacy");
  live.stop();
});

Deno.test("a conversation that began while the page was away is told when it reconnects", async () => {
  await using t = await startTestApp();
  const channel = await sandbox(t);
  const rina = await signedIn(t, "agent", { username: "rina" });
  const away = t.clock.now();
  t.clock.advance(5_000);
  await patientWrites(t, channel.id, "6281234567009", "Wati");
  const again = await staffStream(t, rina, { "last-event-id": String(away) });
  const notice = JSON.parse((await again.next("notice")).data);
  assert.equal(notice.kind, "opened");
  assert.match(notice.title, /New conversation: Wati/);
  again.stop();
});
