/**
 * The inbox on a large database: `kabar demo seed --contacts 100000
 * --messages 2000000` (about 200,000 conversations), then
 *
 * - server time of the inbox's pages through `app.request` in this process
 *   (200 runs each, p50 / p95), each beside the bare SQL the page ran (its
 *   statements recorded during one request, then run again by themselves);
 * - 50 agents with the inbox list open (`GET /inbox/live`) on a real
 *   `kabar serve` while patients' messages arrive at 100 a second through
 *   the sandbox channel: how long each message takes to show in every
 *   stream, whether any is missing, Kabar's CPU and memory.
 *
 * Each figure is printed beside the cost of one commit on this disk and a
 * CPU reference, measured in the same run. The database is built once under
 * `KABAR_BENCH_INBOX_DIR` (default /tmp/kabar-bench-inbox) and reused while
 * it is complete; delete the folder to build it again.
 *
 *   deno run --allow-all bench/inbox.ts
 */
import { commitCostMs, cpuReferenceMs, loadAverage } from "./machine.ts";
import type { InStatement } from "@libsql/client";
import { fileURLToPath } from "node:url";
import { systemClock } from "../core/clock.ts";
import { parseConfig } from "../core/config.ts";
import { readInboxQuery } from "../core/inbox_query.ts";
import { silentLogger } from "../core/log.ts";
import { createApiKey } from "../db/api_keys.ts";
import { CLI_ACTOR } from "../db/audit_log.ts";
import { closeDb, type Db } from "../db/client.ts";
import { createLoginSession } from "../db/login_sessions.ts";
import { indexNewMessages } from "../db/search_index.ts";
import { createUser, findUserByUsername } from "../db/users.ts";
import { boot, createApp } from "../main.ts";
import { EventStreamParser } from "../tests/support/event_stream_parser.ts";

const CONTACTS = 100_000;
const MESSAGES = 2_000_000;
const SEED_TARGET_S = 150;
const RUNS = 200;
/** A page slower than this in all stops early (its runs are printed). */
const PAGE_BUDGET_MS = 30_000;
const PAGE_TARGET_MS = 50;
const OVER_SQL_TARGET_MS = 10;
const THREAD_MESSAGES = 500;
const AGENTS = 50;
const RATE = 100;
const LOAD_S = 15;
const LATENCY_TARGET_MS = 1000;
const RSS_TARGET_MB = 400;

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const dir = Deno.env.get("KABAR_BENCH_INBOX_DIR") ?? "/tmp/kabar-bench-inbox";
const marker = `${dir}/bench-seeded.json`;
const password = "bench-agent-password";
const tz = "Asia/Jakarta";

// --- references: one commit, CPU -------------------------------------------------

// --- the database ------------------------------------------------------------------

/** Builds the database with `kabar demo seed` unless a complete one is there. */
async function ensureDatabase(): Promise<{ seconds: number; reused: boolean; cpuS?: number }> {
  try {
    const done = JSON.parse(await Deno.readTextFile(marker));
    if (done.contacts === CONTACTS && done.messages === MESSAGES) {
      return { seconds: done.seconds, cpuS: done.cpu_s, reused: true };
    }
  } catch {
    // Not built yet, or not finished: build it again.
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  console.log(
    `building the database in ${dir}: kabar demo seed ` +
      `--contacts ${CONTACTS} --messages ${MESSAGES} (load average ${await loadAverage()})`,
  );
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      MAIN,
      "demo",
      "seed",
      "--contacts",
      String(CONTACTS),
      "--messages",
      String(MESSAGES),
      "--seed",
      "1",
    ],
    env: { KABAR_DATA_DIR: dir, KABAR_LOG_LEVEL: "error" },
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  let cpu = 0;
  const sampler = setInterval(async () => {
    cpu = (await cpuSeconds(child.pid).catch(() => undefined)) ?? cpu;
  }, 200);
  const status = await child.status;
  clearInterval(sampler);
  if (!status.success) throw new Error(`kabar demo seed failed (exit code ${status.code})`);
  const seconds = (performance.now() - started) / 1000;
  await Deno.writeTextFile(
    marker,
    JSON.stringify({ contacts: CONTACTS, messages: MESSAGES, seconds, cpu_s: cpu }),
  );
  return { seconds, reused: false, cpuS: cpu };
}

const clockTicks = 100;

/** A process's CPU time (user + system) so far, in seconds. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** A process's resident memory, in MB. */
async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

async function scalar(db: Db, sql: string, args: (string | number)[] = []): Promise<number> {
  return Number((await db.$client.execute({ sql, args })).rows[0]?.[0] ?? 0);
}

/** An agent in the registration department (which the demo's first channel belongs to). */
async function agent(db: Db, username: string): Promise<number> {
  const found = await findUserByUsername(db, username);
  if (found) return found.id;
  const department = await scalar(db, "SELECT id FROM departments WHERE name = 'Demo Pendaftaran'");
  const user = await createUser(db, systemClock, CLI_ACTOR, {
    username,
    displayName: username,
    role: "agent",
    language: "en",
    departmentIds: [department],
    password,
  });
  return user.id;
}

/** A cookie for a new session of `userId`. */
async function sessionCookie(db: Db, userId: number): Promise<string> {
  const { token } = await createLoginSession(db, systemClock, {
    userId,
    stage: "full",
    ip: "127.0.0.1",
    userAgent: "bench",
  });
  return `kabar_session=${token}`;
}

/** A conversation of the agent's department with `THREAD_MESSAGES` messages, made once. */
async function longThread(db: Db): Promise<number> {
  const phone = "6281100000500";
  const existing = await scalar(
    db,
    "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ?",
    [phone],
  );
  if (existing) return existing;
  const now = Date.now();
  const [channel, department] = [
    await scalar(db, "SELECT id FROM channels WHERE name = 'Demo RS Sehat'"),
    await scalar(db, "SELECT id FROM departments WHERE name = 'Demo Pendaftaran'"),
  ];
  await db.$client.batch([
    {
      sql:
        `INSERT INTO contacts (phone, name, created_at, updated_at) VALUES (?, 'Pasien Setia', ?, ?)`,
      args: [phone, now, now],
    },
    {
      sql: `INSERT INTO conversations (channel_id, contact_id, status, department_id, unread_count,
          last_message_at, last_inbound_at, last_activity_at, created_at, updated_at)
        SELECT ?, id, 'open', ?, 0, ?, ?, ?, ?, ? FROM contacts WHERE phone = ?`,
      args: [channel, department, now, now, now, now - 30 * 86_400_000, now, phone],
    },
    {
      sql:
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${THREAD_MESSAGES})
        INSERT INTO messages (channel_id, conversation_id, contact_id, direction, type, body, status,
          source, created_at, updated_at)
        SELECT c.channel_id, c.id, c.contact_id, CASE i % 2 WHEN 1 THEN 'in' ELSE 'out' END, 'text',
          CASE i % 2 WHEN 1 THEN 'Pertanyaan kontrol ke-' || i || ': jadwal dokter minggu ini?'
            ELSE 'Jawaban ke-' || i || ': jadwal dokter Senin pukul 08.00 WIB.' END,
          CASE i % 2 WHEN 1 THEN 'received' ELSE 'read' END,
          CASE i % 2 WHEN 1 THEN NULL ELSE 'inbox' END,
          ? - (${THREAD_MESSAGES} - i) * 3600000, ?
        FROM n, conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ?`,
      args: [now, now, phone],
    },
  ], "write");
  await indexNewMessages(db);
  return await longThread(db);
}

/** The day `daysAgo` days before now, as the inbox's filters take it (YYYY-MM-DD, in `tz`). */
function day(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toLocaleDateString("en-CA", { timeZone: tz });
}

// --- pages -------------------------------------------------------------------------

interface Timing {
  p50: number;
  p95: number;
}

function percentiles(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: at(0.5), p95: at(0.95) };
}

/**
 * Records the statements `db` runs through its client while `run` runs
 * (session lookups on the embedded connection aside).
 */
async function recordStatements(db: Db, run: () => Promise<void>): Promise<InStatement[]> {
  const client = db.$client as unknown as Record<string, unknown>;
  const proto = Object.getPrototypeOf(db.$client);
  const recorded: InStatement[] = [];
  client.execute = function (this: unknown, statement: InStatement | string, args?: unknown) {
    recorded.push(
      typeof statement === "string"
        ? {
          sql: statement,
          args: (args ?? []) as InStatement extends { args?: infer A } ? A : never,
        }
        : statement,
    );
    return proto.execute.call(this, statement, args);
  };
  client.batch = function (this: unknown, statements: InStatement[], mode?: string) {
    recorded.push(...statements);
    return proto.batch.call(this, statements, mode);
  };
  try {
    await run();
  } finally {
    delete client.execute;
    delete client.batch;
  }
  return recorded;
}

interface PageResult {
  name: string;
  path: string;
  page?: Timing;
  sql?: Timing;
  statements?: number;
  runs?: number;
  note?: string;
}

// --- run ------------------------------------------------------------------------

await Deno.mkdir(dir, { recursive: true });
const seed = await ensureDatabase();
console.log(
  seed.reused
    ? `reusing ${dir} (built in ${seed.seconds.toFixed(1)} s)`
    : `built in ${seed.seconds.toFixed(1)} s (CPU ${seed.cpuS?.toFixed(1)} s)`,
);
const commitMs = await commitCostMs(`${dir}/..`);
const cpuMs = cpuReferenceMs();
console.log(
  `one single-row commit: ${commitMs.toFixed(3)} ms; CPU reference: ${cpuMs.toFixed(0)} ms; ` +
    `load average ${await loadAverage()}`,
);

const config = parseConfig({ KABAR_DATA_DIR: dir, KABAR_LOG_LEVEL: "error" }, {}, "/");
const deps = await boot(config, silentLogger, systemClock);
const app = createApp(deps);
const db = deps.db;
const agentId = await agent(db, "bench.agent");
const cookie = await sessionCookie(db, agentId);
const threadId = await longThread(db);
const labId = await scalar(db, "SELECT id FROM labels WHERE name = 'Lab'");
const counts = {
  conversations: await scalar(db, "SELECT count(*) FROM conversations"),
  messages: await scalar(db, "SELECT count(*) FROM messages"),
};
const searchable = "query" in readInboxQuery({ q: ["jadwal"] }, tz).filter;
const rareWord = "hemodialisa";
const rareCount = await scalar(
  db,
  "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?",
  [rareWord],
);
const commonCount = await scalar(
  db,
  "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'jadwal'",
);
const contactName = "Siti";

const pages: { name: string; path: string }[] = [
  { name: "inbox, first page (agent)", path: "/inbox" },
  {
    name: "inbox, label + date range",
    path: `/inbox?status=all&label=${labId}&since=${day(40)}&until=${day(10)}`,
  },
  { name: `inbox, search common word (${commonCount} msgs)`, path: "/inbox?q=jadwal" },
  { name: `inbox, search rare word (${rareCount} msgs)`, path: `/inbox?q=${rareWord}` },
  { name: `thread of ${THREAD_MESSAGES} messages`, path: `/inbox/${threadId}` },
  { name: "contacts, search", path: `/contacts?q=${contactName}` },
];

const results: PageResult[] = [];
for (const { name, path } of pages) {
  const get = async () => {
    const res = await app.request(path, { headers: { cookie } });
    await res.text();
    return res.status;
  };
  if (path.includes("?q=") && path.startsWith("/inbox") && !searchable) {
    results.push({ name, path, note: "no search in the inbox yet" });
    continue;
  }
  const status = await get();
  if (status !== 200) {
    results.push({ name, path, note: `answered ${status}` });
    continue;
  }
  const statements = await recordStatements(db, async () => void (await get()));
  for (let i = 0; i < 5; i++) await get();
  const pageTimes: number[] = [];
  const sqlTimes: number[] = [];
  const budget = performance.now() + PAGE_BUDGET_MS;
  for (let i = 0; i < RUNS && performance.now() < budget; i++) {
    let t = performance.now();
    await get();
    pageTimes.push(performance.now() - t);
    t = performance.now();
    for (const s of statements) await db.$client.execute(s);
    sqlTimes.push(performance.now() - t);
  }
  results.push({
    name,
    path,
    page: percentiles(pageTimes),
    sql: percentiles(sqlTimes),
    statements: statements.length,
    runs: pageTimes.length,
  });
  const r = results.at(-1)!;
  console.log(
    `${name} (${r.runs} runs): p50 ${r.page!.p50.toFixed(1)} / p95 ${
      r.page!.p95.toFixed(1)
    } ms; bare SQL ` +
      `(${r.statements} statements) p50 ${r.sql!.p50.toFixed(1)} / p95 ${r.sql!.p95.toFixed(1)} ms`,
  );
}

// --- 50 agents on the live list while messages arrive ----------------------------------

const agentCookies: string[] = [];
for (let i = 1; i <= AGENTS; i++) {
  agentCookies.push(await sessionCookie(db, await agent(db, `bench.agent${i}`)));
}
const channelId = await scalar(db, "SELECT id FROM channels WHERE name = 'Demo RS Sehat'");
const { key } = await createApiKey(db, systemClock, CLI_ACTOR, {
  name: "bench inbox",
  scopes: ["messages:send"],
  ipAllowlist: [],
  channelId: null,
  rateLimit: 0,
});
deps.events.close();
closeDb(db);

const port = 20_000 + Math.floor(Math.random() * 20_000);
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "--allow-all", MAIN, "serve"],
  env: {
    KABAR_DATA_DIR: dir,
    KABAR_PORT: String(port),
    KABAR_HOST: "127.0.0.1",
    KABAR_LOG_LEVEL: "error",
  },
  stdout: "null",
  stderr: "inherit",
}).spawn();
const base = `http://127.0.0.1:${port}`;

interface Live {
  seen: Map<number, number>;
  opened: boolean;
  controller: AbortController;
  done: Promise<void>;
}

let live: Live[] = [];
let load: {
  sent: number;
  accepted: number;
  failed: number;
  latencies: number[];
  missing: number;
  perStreamP95: number[];
  cpuCores: number;
  rssMaxMb: number;
  rssIdleMb: number;
  answerP95: number;
} | undefined;
try {
  for (let i = 0;; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (i > 600) throw new Error("kabar serve did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const inbound = (text: string, phone: string) =>
    fetch(`${base}/api/v1/sandbox/${channelId}/inbound`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ from: phone, name: "Pasien Bench", text }),
    });
  // The sandbox channel starts with the server: wait until it takes messages.
  for (let i = 0;; i++) {
    const res = await inbound("Halo, tes", "6289900000000");
    await res.body?.cancel();
    if (res.status === 201) break;
    if (i > 300) throw new Error(`the sandbox channel did not start (${res.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const idleRss = await rssMb(server.pid);

  const sentAt = new Map<number, number>();
  live = agentCookies.map((agentCookie) => {
    const controller = new AbortController();
    const stream: Live = { seen: new Map(), opened: false, controller, done: Promise.resolve() };
    stream.done = (async () => {
      const res = await fetch(`${base}/inbox/live`, {
        headers: { cookie: agentCookie },
        signal: controller.signal,
      });
      if (res.status !== 200) throw new Error(`/inbox/live answered ${res.status}`);
      const parser = new EventStreamParser();
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body!) {
          const now = performance.now();
          for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
            if (event.type !== "parts") continue;
            stream.opened = true;
            for (const m of event.data.matchAll(/benchsse(\d+)/g)) {
              const n = Number(m[1]);
              if (!stream.seen.has(n)) stream.seen.set(n, now);
            }
          }
        }
      } catch (e) {
        if (!controller.signal.aborted) throw e;
      }
    })();
    return stream;
  });
  while (!live.every((s) => s.opened)) await new Promise((r) => setTimeout(r, 50));

  const run = Date.now() % 10_000;
  const total = RATE * LOAD_S;
  const answers: number[] = [];
  let accepted = 0;
  let failed = 0;
  const rss: number[] = [];
  const cpuBefore = await cpuSeconds(server.pid);
  const started = performance.now();
  const sampler = setInterval(async () => rss.push(await rssMb(server.pid)), 250);
  const requests: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    sentAt.set(i, t);
    const phone = `62899${String(run).padStart(4, "0")}${String(i).padStart(4, "0")}`;
    requests.push(
      inbound(`Selamat pagi, mau tanya jadwal dokter anak benchsse${i}`, phone).then(
        async (res) => {
          await res.body?.cancel();
          answers.push(performance.now() - t);
          if (res.status === 201) accepted++;
          else failed++;
        },
        () => void failed++,
      ),
    );
  }
  await Promise.all(requests);
  const loadSeconds = (performance.now() - started) / 1000;
  const cpuAfter = await cpuSeconds(server.pid);
  // Let the last updates arrive.
  await new Promise((r) => setTimeout(r, 3000));
  clearInterval(sampler);

  const latencies: number[] = [];
  let missing = 0;
  const perStreamP95: number[] = [];
  for (const stream of live) {
    const mine: number[] = [];
    for (let i = 0; i < total; i++) {
      const at = stream.seen.get(i);
      if (at === undefined) missing++;
      else mine.push(at - sentAt.get(i)!);
    }
    latencies.push(...mine);
    if (mine.length) perStreamP95.push(percentiles(mine).p95);
  }
  load = {
    sent: total,
    accepted,
    failed,
    latencies,
    missing,
    perStreamP95,
    cpuCores: (cpuAfter - cpuBefore) / loadSeconds,
    rssMaxMb: Math.max(...rss),
    rssIdleMb: idleRss,
    answerP95: percentiles(answers).p95,
  };
} finally {
  for (const stream of live) stream.controller.abort();
  // An aborted stream's read may never settle: wait a little, not for ever.
  await Promise.race([
    Promise.allSettled(live.map((s) => s.done)),
    new Promise((r) => setTimeout(r, 5_000)),
  ]);
  server.kill("SIGTERM");
  await server.status;
}

// --- report ------------------------------------------------------------------------

const fixed = (n: number | undefined, digits = 1) => (n === undefined ? "—" : n.toFixed(digits));
const table = [
  ["page", "p50 ms", "p95 ms", "SQL p50", "SQL p95", "target"],
  ...results.map((r) => {
    const met = r.page && r.sql
      ? r.page.p95 <= PAGE_TARGET_MS && r.page.p95 <= r.sql.p95 + OVER_SQL_TARGET_MS
      : undefined;
    return [
      r.name,
      fixed(r.page?.p50),
      fixed(r.page?.p95),
      fixed(r.sql?.p50),
      fixed(r.sql?.p95),
      met === undefined ? r.note ?? "" : met ? "met" : "NOT met",
    ];
  }),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (r: string[]) =>
  r.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
    .join("  ");
console.log();
console.log(
  `inbox on ${counts.conversations} conversations, ${counts.messages} messages ` +
    `(seeded in ${fixed(seed.seconds)} s${seed.cpuS ? `, CPU ${fixed(seed.cpuS)} s` : ""}; ` +
    `target ≤ ${SEED_TARGET_S} s: ${seed.seconds <= SEED_TARGET_S ? "met" : "NOT met"})`,
);
console.log(
  `one single-row commit ${fixed(commitMs, 3)} ms; CPU reference ${fixed(cpuMs, 0)} ms; ` +
    `${RUNS} runs per page; targets: p95 ≤ ${PAGE_TARGET_MS} ms and ≤ SQL p95 + ${OVER_SQL_TARGET_MS} ms`,
);
console.log(line(table[0]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table.slice(1)) console.log(line(r));
if (load) {
  const l = percentiles(load.latencies);
  console.log();
  console.log(
    `${AGENTS} agents on /inbox/live, ${RATE} inbound messages/s for ${LOAD_S} s ` +
      `(${load.accepted} of ${load.sent} accepted, API answer p95 ${fixed(load.answerP95)} ms):`,
  );
  const rows = [
    [
      "shown in every stream, p50 / p95",
      `${fixed(l.p50, 0)} / ${fixed(l.p95, 0)} ms`,
      `p95 ≤ ${LATENCY_TARGET_MS} ms`,
      l.p95 <= LATENCY_TARGET_MS ? "met" : "NOT met",
    ],
    ["worst stream's p95", `${fixed(Math.max(...load.perStreamP95), 0)} ms`, "", ""],
    [
      "missing (message × stream)",
      `${load.missing} of ${load.sent * AGENTS}`,
      "0",
      load.missing === 0 ? "met" : "NOT met",
    ],
    [
      "Kabar CPU while serving",
      `${fixed(load.cpuCores, 2)} cores`,
      "< 1 core",
      load.cpuCores < 1 ? "met" : "NOT met",
    ],
    [
      "Kabar RSS idle / max",
      `${fixed(load.rssIdleMb, 0)} / ${fixed(load.rssMaxMb, 0)} MB`,
      `≤ ${RSS_TARGET_MB} MB`,
      load.rssMaxMb <= RSS_TARGET_MB ? "met" : "NOT met",
    ],
  ];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join("  "));
}
// Aborted streams may still hold the event loop: the report is out, so end here.
Deno.exit(0);
