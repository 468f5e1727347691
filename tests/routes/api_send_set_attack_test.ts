/**
 * Attacks on the set-wise queueing of POST /api/v1/messages (db/enqueue.ts,
 * GroupCommit.writeSet): bursts of real HTTP requests that mix the same
 * number in several forms, contact ids, reused idempotency keys, long and
 * awkward texts, metadata, templates, two keys and two channels, and a
 * channel deleted in the middle. After each burst the database must hold
 * exactly the accepted messages, each answer naming its own row.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { deleteChannel } from "../../db/channels.ts";
import { templates } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { sandbox } from "../support/sandbox.ts";
import { apiKey } from "../support/api_key.ts";
import { enqueueSetSizes } from "../support/enqueue_sets.ts";

/** What the API answers about a message (or an error, where `id` is missing). */
interface MessageAnswer {
  id: number;
  text: string;
  channel: number;
  metadata?: unknown;
}

interface Ask {
  key: string;
  body: Record<string, unknown>;
  /** What the stored row must say. */
  expect: { phone: string; channel: number; text: string; metadata?: unknown; keyId: number };
}

interface Answer {
  status: number;
  body: MessageAnswer;
}

/** Runs a burst; asserts some of its messages were queued together in one set. */
async function burst<T>(fn: () => Promise<T>): Promise<T> {
  let out: T | undefined;
  const sizes = await enqueueSetSizes(async () => {
    out = await fn();
  });
  assert.ok(Math.max(0, ...sizes) > 1, "the burst was written in merged sets");
  return out!;
}

function post(base: string, key: string, body: unknown): Promise<Answer> {
  return fetch(`${base}/api/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: await res.json() }));
}

interface StoredRow {
  id: number;
  channel_id: number;
  body: string | null;
  phone: string | null;
  metadata: string | null;
  api_key_id: number | null;
  idempotency_key: string | null;
}

async function allRows(t: TestApp): Promise<Map<number, StoredRow>> {
  const { rows } = await t.deps.db.$client.execute(
    `SELECT m.id, m.channel_id, m.body, c.phone, m.metadata, m.api_key_id, m.idempotency_key
     FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE m.direction = 'out'`,
  );
  return new Map(rows.map((r) => [Number(r.id), {
    id: Number(r.id),
    channel_id: Number(r.channel_id),
    body: r.body === null ? null : String(r.body),
    phone: r.phone === null ? null : String(r.phone),
    metadata: r.metadata === null ? null : String(r.metadata),
    api_key_id: r.api_key_id === null ? null : Number(r.api_key_id),
    idempotency_key: r.idempotency_key === null ? null : String(r.idempotency_key),
  }]));
}

/**
 * Checks a burst's answers against the database: no 5xx; every 202/200 names
 * a row holding what its request asked; a 202 id is never given twice; a
 * 200 is a replay of a row with the same key and fingerprint; 409s only for a
 * key that another body holds.
 */
function check(asks: Ask[], answers: Answer[], rows: Map<number, StoredRow>) {
  const accepted = new Map<number, number>();
  answers.forEach((a, i) => {
    const ask = asks[i];
    const what = `request ${i} ${JSON.stringify(ask.body).slice(0, 120)}: ${a.status} ${
      JSON.stringify(a.body).slice(0, 300)
    }`;
    assert.ok(a.status < 500, `no 5xx: ${what}`);
    if (a.status === 409) {
      assert.ok(ask.body.idempotency_key !== undefined, `409 only for a used key: ${what}`);
      const holder = [...rows.values()].find((r) =>
        r.api_key_id === ask.expect.keyId && r.idempotency_key === ask.body.idempotency_key
      );
      assert.ok(holder, `the key is held by a row: ${what}`);
      assert.ok(
        holder.body !== ask.expect.text || holder.channel_id !== ask.expect.channel ||
          holder.phone !== ask.expect.phone,
        `409 only when the holder differs: ${what}`,
      );
      return;
    }
    assert.ok(a.status === 202 || a.status === 200, `accepted: ${what}`);
    const row = rows.get(a.body.id);
    assert.ok(row, `the answer's id is a row: ${what}`);
    assert.equal(row.body, ask.expect.text, `the row's text is the request's: ${what}`);
    assert.equal(row.phone, ask.expect.phone, `the row's number is the request's: ${what}`);
    assert.equal(row.channel_id, ask.expect.channel, `the row's channel: ${what}`);
    assert.equal(row.api_key_id, ask.expect.keyId, `the row's key: ${what}`);
    assert.equal(a.body.text, ask.expect.text, `the answer's text: ${what}`);
    assert.equal(a.body.channel, ask.expect.channel, `the answer's channel: ${what}`);
    if (ask.expect.metadata !== undefined) {
      assert.deepEqual(JSON.parse(row.metadata!), ask.expect.metadata, `metadata: ${what}`);
      assert.deepEqual(a.body.metadata, ask.expect.metadata, `answer metadata: ${what}`);
    }
    if (a.status === 202) {
      assert.ok(!accepted.has(a.body.id), `a 202 id given once: ${what}`);
      accepted.set(a.body.id, i);
    } else {
      assert.ok(ask.body.idempotency_key !== undefined, `200 only as a replay: ${what}`);
      assert.equal(row.idempotency_key, ask.body.idempotency_key, `replay's key: ${what}`);
    }
  });
  return accepted;
}

const FORMS = [
  (n: string) => `0812${n}`,
  (n: string) => `+62 812 ${n.slice(0, 4)} ${n.slice(4)}`,
  (n: string) => `62812-${n}`,
  (n: string) => `(0812) ${n.slice(0, 4)}-${n.slice(4)}`,
];

const AWKWARD = [
  `Kutip "ganda" dan 'tunggal'; \\ backslash, ); DROP TABLE messages; --`,
  "Emoji 👩‍⚕️🏥 dan aksara ꦗꦮ, 中文, العربية",
  "Baris\r\nbaru\tdan \u0001\u001f\u007f\u2028\u2029 \uFEFF",
  "?, ?, :now, $1, @k",
];

function text(i: number): string {
  if (i % 9 === 0) {
    // Right at the limit, in UTF-16 code units, ending in a surrogate pair.
    const tail = `#${i}😀`;
    return "é".repeat(4096 - tail.length) + tail;
  }
  return `${AWKWARD[i % AWKWARD.length]} #${i}`;
}

async function twoChannelsTwoKeys(t: TestApp) {
  const a = await sandbox(t, { name: "A" });
  const b = await sandbox(t, { name: "B" });
  const wide = await apiKey(t, ["*"], { rateLimit: 0, name: "wide" });
  const onlyB = await apiKey(t, ["*"], { rateLimit: 0, channelId: b.id, name: "onlyB" });
  return { a, b, wide, onlyB };
}

Deno.test("a hostile burst: same numbers in many forms, keys reused, two keys and channels", async () => {
  await using t = await startTestApp();
  const { a, b, wide, onlyB } = await twoChannelsTwoKeys(t);
  const base = t.serve();
  const asks: Ask[] = [];
  for (let i = 0; i < 150; i++) {
    const n = String(10000000 + (i % 5));
    const phone = `62812${n}`;
    const useB = i % 3 === 0;
    const key = useB ? onlyB : wide;
    const channel = useB ? b.id : i % 2 === 0 ? a.id : b.id;
    const body: Record<string, unknown> = { to: FORMS[i % FORMS.length](n), text: text(i) };
    if (!useB) body.channel = channel;
    if (i % 4 === 0) body.metadata = { i, nested: { q: `"${i}"`, list: [1, null, "x"] } };
    const expect = {
      phone,
      channel,
      text: body.text as string,
      metadata: body.metadata,
      keyId: key.id,
    };
    asks.push({ key: key.key, body, expect });
    if (i % 6 === 1) {
      // The same key twice in the burst with the same body: one message, the other a replay.
      const again = { ...body, idempotency_key: `same-${i}` };
      asks[asks.length - 1] = { key: key.key, body: again, expect };
      asks.push({ key: key.key, body: { ...again }, expect });
    }
    if (i % 6 === 2) {
      // The same key with another text (and the other form of the number).
      const k = `clash-${i}`;
      asks[asks.length - 1] = { key: key.key, body: { ...body, idempotency_key: k }, expect };
      const other = { ...body, idempotency_key: k, text: `lain ${i}` };
      asks.push({ key: key.key, body: other, expect: { ...expect, text: `lain ${i}` } });
    }
  }
  const answers = await burst(() => Promise.all(asks.map((ask) => post(base, ask.key, ask.body))));
  const rows = await allRows(t);
  const accepted = check(asks, answers, rows);
  assert.equal(rows.size, accepted.size, "every row is one accepted message, none lost or extra");
  // Each pair with one key: both answered with one id.
  for (let i = 0; i < asks.length; i++) {
    const k = asks[i].body.idempotency_key as string | undefined;
    if (!k?.startsWith("same-")) continue;
    const pair = asks.map((x, j) => [x, j] as const).filter(([x]) => x.body.idempotency_key === k);
    assert.equal(pair.length, 2);
    const ids = pair.map(([, j]) => answers[j].body.id);
    assert.equal(ids[0], ids[1], `one message for ${k}`);
    assert.deepEqual(pair.map(([, j]) => answers[j].status).sort(), [200, 202]);
  }
  for (const k of new Set(asks.map((x) => x.body.idempotency_key).filter(Boolean))) {
    const statuses = asks.flatMap((x, j) =>
      x.body.idempotency_key === k ? [answers[j].status] : []
    );
    assert.equal(statuses.filter((s) => s === 202).length, 1, `one 202 for ${k}: ${statuses}`);
  }

  // A second burst reuses every key (same and other bodies) next to fresh sends.
  const second: Ask[] = asks.filter((x) => x.body.idempotency_key !== undefined).flatMap((
    x,
  ) => [x, { ...x, body: { ...x.body, idempotency_key: undefined, text: `segar ${x.body.text}` } }])
    .map((x) => ({
      ...x,
      expect: { ...x.expect, text: x.body.text as string },
      body: JSON.parse(JSON.stringify(x.body)),
    }));
  const answers2 = await Promise.all(second.map((ask) => post(base, ask.key, ask.body)));
  const rows2 = await allRows(t);
  const accepted2 = check(second, answers2, rows2);
  assert.equal(
    rows2.size,
    accepted.size + accepted2.size,
    "the second burst adds only its new sends",
  );
  second.forEach((x, i) => {
    if (x.body.idempotency_key !== undefined) {
      assert.notEqual(answers2[i].status, 202, "a used key queues nothing new");
    } else assert.equal(answers2[i].status, 202);
  });
});

Deno.test("contact ids and numbers to one contact in one burst, with templates", async () => {
  await using t = await startTestApp();
  const { a, wide } = await twoChannelsTwoKeys(t);
  const base = t.serve();
  await t.deps.db.insert(templates).values({
    name: "kontrol",
    body: "Halo {{nama}}, jadwal {{tanggal}}.",
    createdAt: 0,
    updatedAt: 0,
  });
  const first = await post(base, wide.key, { to: "081299990000", text: "awal", channel: a.id });
  assert.equal(first.status, 202);
  const { rows } = await t.deps.db.$client.execute(
    "SELECT id FROM contacts WHERE phone = '6281299990000'",
  );
  const contactId = Number(rows[0].id);
  const asks: Ask[] = Array.from({ length: 120 }, (_, i) => {
    const to = i % 3 === 0
      ? `contact:${contactId}`
      : i % 3 === 1
      ? "+62 812 9999 0000"
      : "0812-9999-0000";
    const templ = i % 2 === 0;
    const body: Record<string, unknown> = templ
      ? {
        to,
        channel: a.id,
        template: { name: "kontrol", variables: { nama: `"P${i}"`, tanggal: i } },
      }
      : { to, channel: a.id, text: text(i) };
    if (i % 5 === 0) body.idempotency_key = `c-${i % 10}`;
    const t2 = templ ? `Halo "P${i}", jadwal ${i}.` : body.text as string;
    return {
      key: wide.key,
      body,
      expect: { phone: "6281299990000", channel: a.id, text: t2, keyId: wide.id },
    };
  });
  const answers = await burst(() => Promise.all(asks.map((ask) => post(base, ask.key, ask.body))));
  const after = await allRows(t);
  const accepted = check(asks, answers, after);
  assert.equal(after.size, accepted.size + 1, "every row is the first send or an accepted one");
});

Deno.test("a channel deleted in the middle of a burst: nothing accepted is lost or misnamed", async () => {
  await using t = await startTestApp();
  const { a, b, wide, onlyB } = await twoChannelsTwoKeys(t);
  const base = t.serve();
  const asks: Ask[] = Array.from({ length: 120 }, (_, i) => {
    const toB = i % 2 === 0;
    const key = toB && i % 4 === 0 ? onlyB : wide;
    const n = String(20000000 + (i % 4));
    const body: Record<string, unknown> = {
      to: FORMS[i % FORMS.length](n),
      text: text(i),
      ...(key === onlyB ? {} : { channel: toB ? b.id : a.id }),
      ...(i % 7 === 0 ? { idempotency_key: `d-${i % 14}` } : {}),
    };
    return {
      key: key.key,
      body,
      expect: {
        phone: `62812${n}`,
        channel: toB ? b.id : a.id,
        text: body.text as string,
        keyId: key.id,
      },
    };
  });
  // The deletion starts when the first answer on B comes back, while the rest of the first
  // wave is in flight; a second wave is sent after it, so both outcomes are seen.
  const half = asks.length / 2;
  let deleted!: Promise<unknown>;
  let started = false;
  const first = await burst(() =>
    Promise.all(
      asks.slice(0, half).map((ask) =>
        post(base, ask.key, ask.body).then((answer) => {
          if (!started && ask.expect.channel === b.id && answer.status === 202) {
            started = true;
            deleted = deleteChannel(t.deps.db, t.deps.clock, CLI_ACTOR, b.id);
          }
          return answer;
        })
      ),
    )
  );
  assert.ok(started, "a first send on B was accepted");
  await deleted;
  const second = await Promise.all(asks.slice(half).map((ask) => post(base, ask.key, ask.body)));
  const answers = [...first, ...second];
  const rows = await allRows(t);
  const statuses = answers.map((x, i) =>
    `${asks[i].expect.channel === b.id ? "B" : "A"}${x.status}`
  );
  assert.ok(statuses.includes("B202") && statuses.includes("B422"), statuses.join(" "));
  const accepted = new Map<number, number>();
  answers.forEach((ans, i) => {
    if (ans.status === 422 || ans.status === 403) {
      assert.equal(asks[i].expect.channel, b.id, `only the deleted channel refuses: ${i}`);
      return;
    }
    const got = check([asks[i]], [ans], rows);
    for (const [id] of got) {
      assert.ok(!accepted.has(id), "a 202 id given once");
      accepted.set(id, i);
    }
  });
  assert.equal(rows.size, accepted.size, "every row is one accepted message");
  const onB = [...rows.values()].filter((r) => r.channel_id === b.id).map((r) => r.id);
  const { rows: waiting } = await t.deps.db.$client.execute(
    `SELECT count(*) AS n FROM messages WHERE channel_id = ${b.id} AND status IN ('queued', 'sending')`,
  );
  assert.equal(
    Number(waiting[0].n),
    0,
    `nothing waits on the deleted channel (${onB.length} rows)`,
  );
});
