/**
 * GET /api/v1/messages as a developer pages through it: filters by channel,
 * status and time, cursor pages newest first without duplicates or gaps, a
 * key limited to one channel, and the 4xx answers to wrong query values.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel } from "../../db/channels.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { waitUntil } from "../support/wait_until.ts";
import { apiKey } from "../support/api_key.ts";

interface Listed {
  id: number;
  channel: number;
  status: string;
  created_at: string;
}

/**
 * Channel A (running, so its messages go to `sent`) and channel B (never
 * started, so its messages stay `queued`), and a key that may do everything.
 * A gets 3 messages (read a minute later), then B gets 4 and A one more (sent).
 */
async function setup(t: TestApp) {
  const a = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "A" });
  const b = await createChannel(t.deps.db, t.clock, CLI_ACTOR, { kind: "sandbox", name: "B" });
  await t.deps.registry.start(a.id);
  const { api } = await apiKey(t);
  const send = async (channel: number, to: string) => {
    const answer = await api.post("/api/v1/messages", { to, text: `Halo ${to}`, channel });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    return answer.body.id as number;
  };
  const countOf = async (query: string) =>
    (await api.get(`/api/v1/messages?${query}`)).body.data.length as number;
  const early = [];
  for (const to of ["0811000001", "0811000002", "0811000003"]) early.push(await send(a.id, to));
  await waitUntil(async () => await countOf("status=sent") === 3, "the first three sent");
  // A minute on: the sandbox phones have read them.
  t.clock.advance(60_000);
  await waitUntil(async () => await countOf("status=read") === 3, "the first three read");
  const later = t.clock.now();
  const queuedOnB = [];
  for (const to of ["0822000001", "0822000002", "0822000003", "0822000004"]) {
    queuedOnB.push(await send(b.id, to));
  }
  const lastOnA = await send(a.id, "0811000004");
  await waitUntil(async () => await countOf("status=sent") === 1, "the fourth sent");
  const onA = [...early, lastOnA];
  return { a, b, api, early, later, lastOnA, queuedOnB, onA, all: [...onA, ...queuedOnB] };
}

const newestFirst = (ids: number[]) => [...ids].sort((x, y) => y - x);
const idsOf = (data: Listed[]) => data.map((m) => m.id);

Deno.test("filters: channel, status and since, each newest first", async () => {
  await using t = await startTestApp();
  const { a, b, api, early, later, lastOnA, queuedOnB, onA } = await setup(t);

  const onChannelA = await api.get(`/api/v1/messages?channel=${a.id}`);
  assert.equal(onChannelA.status, 200);
  assert.deepEqual(idsOf(onChannelA.body.data), newestFirst(onA));
  assert.ok(onChannelA.body.data.every((m: Listed) => m.channel === a.id));
  assert.equal(onChannelA.body.next_cursor, null);

  const onChannelB = await api.get(`/api/v1/messages?channel=${b.id}`);
  assert.deepEqual(idsOf(onChannelB.body.data), newestFirst(queuedOnB));

  const queued = await api.get("/api/v1/messages?status=queued");
  assert.equal(queued.status, 200);
  assert.deepEqual(idsOf(queued.body.data), newestFirst(queuedOnB));
  assert.ok(queued.body.data.every((m: Listed) => m.status === "queued"));

  const read = await api.get("/api/v1/messages?status=read");
  assert.deepEqual(idsOf(read.body.data), newestFirst(early));
  const sent = await api.get("/api/v1/messages?status=sent");
  assert.deepEqual(idsOf(sent.body.data), [lastOnA]);
  const sentOnB = await api.get(`/api/v1/messages?status=sent&channel=${b.id}`);
  assert.deepEqual(sentOnB.body.data, [], "both filters apply");
  const failed = await api.get("/api/v1/messages?status=failed");
  assert.deepEqual(failed.body.data, []);

  // `since` as an ISO time and as milliseconds: the messages made at or after it.
  const sinceIso = await api.get(
    `/api/v1/messages?since=${encodeURIComponent(new Date(later).toISOString())}`,
  );
  assert.equal(sinceIso.status, 200);
  assert.deepEqual(idsOf(sinceIso.body.data), newestFirst([...queuedOnB, lastOnA]));
  assert.ok(sinceIso.body.data.every((m: Listed) => Date.parse(m.created_at) >= later));
  const sinceMs = await api.get(`/api/v1/messages?since=${later}`);
  assert.deepEqual(idsOf(sinceMs.body.data), idsOf(sinceIso.body.data));
  const sinceOnA = await api.get(`/api/v1/messages?since=${later}&channel=${a.id}`);
  assert.deepEqual(idsOf(sinceOnA.body.data), [lastOnA]);
  const future = await api.get(`/api/v1/messages?since=${later + 1}`);
  assert.deepEqual(future.body.data, []);
});

Deno.test("a bare date is a whole day in KABAR_TIMEZONE: since its first, until its last moment", async () => {
  await using t = await startTestApp(); // KABAR_TIMEZONE: Asia/Jakarta (UTC+7) by default
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "A",
  });
  const { api } = await apiKey(t);
  const sendAt = async (ms: number, to: string) => {
    t.clock.advance(ms - t.clock.now());
    const answer = await api.post("/api/v1/messages", { to, text: "Halo", channel: channel.id });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    return answer.body.id as number;
  };
  // 1 January 2026 in Jakarta ends at 17:00 UTC: one message in its last
  // millisecond, one in the first of 2 January, one at 2 January's end.
  const lastOfFirst = await sendAt(Date.UTC(2026, 0, 1, 16, 59, 59, 999), "0811000001");
  const firstOfSecond = await sendAt(Date.UTC(2026, 0, 1, 17), "0811000002");
  const endOfSecond = await sendAt(Date.UTC(2026, 0, 2, 16, 59, 59, 999), "0811000003");
  const ids = async (query: string) => {
    const answer = await api.get(`/api/v1/messages?${query}`);
    assert.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body)}`);
    return idsOf(answer.body.data);
  };
  assert.deepEqual(await ids("until=2026-01-01"), [lastOfFirst]);
  assert.deepEqual(await ids("since=2026-01-02"), [endOfSecond, firstOfSecond]);
  assert.deepEqual(await ids("since=2026-01-02&until=2026-01-02"), [endOfSecond, firstOfSecond]);
  assert.deepEqual(await ids("since=2026-01-01&until=2026-01-01"), [lastOfFirst]);
  assert.deepEqual(await ids("since=2026-01-03"), []);
  // A time without an offset is Jakarta's wall clock; with one, exactly that instant.
  assert.deepEqual(await ids("since=2026-01-02T00:00"), [endOfSecond, firstOfSecond]);
  assert.deepEqual(await ids("until=2026-01-01T23:59:59.999"), [lastOfFirst]);
  assert.deepEqual(await ids("until=2026-01-01T17:00:00Z"), [firstOfSecond, lastOfFirst]);
});

Deno.test("cursor pages: newest first, next_cursor until the last page, no duplicates or gaps", async () => {
  await using t = await startTestApp();
  const { b, api, all, queuedOnB } = await setup(t);

  const walk = async (query: string, limit: number) => {
    const pages: number[][] = [];
    let cursor: number | null = null;
    do {
      const answer = await api.get(
        `/api/v1/messages?${query}limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`,
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const ids = idsOf(answer.body.data);
      assert.ok(ids.length <= limit, "never more than the limit");
      pages.push(ids);
      cursor = answer.body.next_cursor;
      if (cursor !== null) assert.equal(ids.length, limit, "only the last page is short");
      assert.ok(pages.length <= all.length + 1, "the paging ends");
    } while (cursor !== null);
    return pages;
  };

  // 8 messages, 3 a page: 3 + 3 + 2.
  const pages = await walk("", 3);
  assert.deepEqual(pages.map((p) => p.length), [3, 3, 2]);
  const seen = pages.flat();
  assert.equal(new Set(seen).size, seen.length, "no message on two pages");
  assert.deepEqual(seen, newestFirst(all), "every message, newest first, none skipped");

  // A filtered walk that ends exactly on a full page: the last page says there is no more.
  const onB = await walk(`channel=${b.id}&`, 2);
  assert.deepEqual(onB.map((p) => p.length), [2, 2]);
  assert.deepEqual(onB.flat(), newestFirst(queuedOnB));

  // One page holding everything has no next cursor.
  const whole = await api.get("/api/v1/messages?limit=100");
  assert.deepEqual(idsOf(whole.body.data), newestFirst(all));
  assert.equal(whole.body.next_cursor, null);

  // Without a limit, a page is 50.
  const byDefault = await api.get("/api/v1/messages");
  assert.equal(byDefault.body.data.length, all.length);
});

Deno.test("a key limited to one channel sees only its messages and is refused another channel", async () => {
  await using t = await startTestApp();
  const { a, b, queuedOnB, onA } = await setup(t);
  const { api: limited } = await apiKey(t, ["messages:read"], { channelId: b.id });

  const mine = await limited.get("/api/v1/messages");
  assert.equal(mine.status, 200);
  assert.deepEqual(idsOf(mine.body.data), newestFirst(queuedOnB));
  const read = await limited.get("/api/v1/messages?status=read");
  assert.deepEqual(read.body.data, [], "A's read messages stay hidden");
  const sameChannel = await limited.get(`/api/v1/messages?channel=${b.id}&limit=2`);
  assert.deepEqual(idsOf(sameChannel.body.data), newestFirst(queuedOnB).slice(0, 2));

  const other = await limited.get(`/api/v1/messages?channel=${a.id}`);
  assert.equal(other.status, 403);
  assert.equal(typeof other.body.error.code, "string");
  assert.match(other.body.error.message, new RegExp(`only read channel ${b.id}`));
  assert.equal(typeof other.body.error.details, "object");

  const oneOfA = await limited.get(`/api/v1/messages/${onA[0]}`);
  assert.equal(oneOfA.status, 404, "another channel's message is not there for this key");
  assert.equal((await limited.get(`/api/v1/messages/${queuedOnB[0]}`)).status, 200);
});

Deno.test("wrong query values answer 422 naming the field", async () => {
  await using t = await startTestApp();
  const channel = await createChannel(t.deps.db, t.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "A",
  });
  const { api } = await apiKey(t, ["messages:read"]);
  const cases: Array<[string, string]> = [
    ["status=bogus", "status"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["since=notadate", "since"],
    ["until=2026-02-30", "until"],
    ["until=14/03/2026", "until"],
    ["cursor=garbage", "cursor"],
    ["cursor=-5", "cursor"],
    ["channel=abc", "channel"],
    [`channel=${channel.id}&status=bogus`, "status"],
  ];
  for (const [query, field] of cases) {
    const answer = await api.get(`/api/v1/messages?${query}`);
    assert.equal(answer.status, 422, query);
    const { error } = answer.body;
    assert.deepEqual(Object.keys(answer.body), ["error"], query);
    assert.equal(error.code, "invalid_input", query);
    assert.equal(typeof error.message, "string", query);
    assert.match(error.message, new RegExp(field), `${query}: the message names ${field}`);
    assert.ok(field in error.details, `${query}: ${JSON.stringify(error.details)}`);
    assert.equal(typeof error.details[field], "string", query);
  }
});
