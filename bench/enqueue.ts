/**
 * Enqueue throughput: `POST /api/v1/messages` (API key, validation, group
 * commit) against a baseline route on the same server and database that does
 * one plain insert per request. Both are loaded by wrk over 127.0.0.1 under
 * the same conditions (the dispatcher not sending: the baseline's rows are
 * never sent either), taking turns for a few rounds so that a change in the
 * machine's load hits both alike; then the API once more while the
 * dispatcher sends what is queued, for the figure a busy server gives. The figures are printed and
 * written to bench/results/enqueue.json.
 *
 *   deno run --allow-all bench/enqueue.ts
 *
 * Run by `deno task bench`. Needs wrk, installed with apt-get when missing.
 */
import { systemClock } from "../core/clock.ts";
import { parseConfig } from "../core/config.ts";
import { silentLogger } from "../core/log.ts";
import { createApiKey } from "../db/api_keys.ts";
import { CLI_ACTOR } from "../db/audit_log.ts";
import { createChannel, updateChannelOptions } from "../db/channels.ts";
import { closeDb } from "../db/client.ts";
import { WriterThread } from "../db/writer_thread.ts";
import { boot, createApp, VERSION } from "../main.ts";

/** wrk and Kabar share the machine: one wrk thread leaves the rest to the server. */
const THREADS = 1;
const CONNECTIONS = 64;
/** The baseline and the API take turns, so a change in the machine's load hits both alike. */
const ROUNDS = 3;
const DURATION_S = 5;
const WARMUP_S = 3;
const TARGET_RATIO = 2.0;
const TARGET_P99_MS = 50;
/** Long enough that wrk measures every answer instead of counting slow ones as errors. */
const WRK_TIMEOUT_S = 30;
/** How long the outbox may take to send what a run queued before the next run starts. */
const DRAIN_TIMEOUT_MS = 120_000;

const RESULTS_DIR = new URL("./results/", import.meta.url);

interface WrkResult {
  requests: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
}

interface RouteResult extends WrkResult {
  route: string;
  path: string;
}

/** Whether every send Kabar acknowledged during its run is a row in `messages`. */
interface Durability {
  route: string;
  rows_added: number;
  accepted_server: number;
  accepted_wrk: number;
  unread_by_wrk: number;
  ok: boolean;
}

// --- wrk -----------------------------------------------------------------------

async function run(cmd: string, args: string[], quiet = false): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd, {
    args,
    stdout: quiet ? "piped" : "inherit",
    stderr: quiet ? "piped" : "inherit",
  }).output();
}

async function hasWrk(): Promise<boolean> {
  return (await run("which", ["wrk"], true)).success;
}

/** Installs wrk from Debian when it is not on the PATH. */
async function ensureWrk(): Promise<string> {
  if (!(await hasWrk())) {
    console.log("wrk not found: apt-get install -y wrk");
    const env = { ...Deno.env.toObject(), DEBIAN_FRONTEND: "noninteractive" };
    const aptGet = (...args: string[]) =>
      new Deno.Command("apt-get", { args, env, stdout: "inherit", stderr: "inherit" }).output();
    if (!(await aptGet("install", "-y", "wrk")).success) {
      console.log("apt-get install failed: apt-get update, then install again");
      await aptGet("update");
      await aptGet("install", "-y", "wrk");
    }
    if (!(await hasWrk())) {
      throw new Error("wrk is not installed and apt-get could not install it (run as root?)");
    }
  }
  // `wrk -v` prints its version and exits with an error code.
  const out = await run("wrk", ["-v"], true);
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return text.match(/wrk\s+\S+/)?.[0] ?? "wrk";
}

/**
 * The request (a text message to a random 0812 number, with the key) and a
 * `done` hook that prints the figures as one JSON line, latencies in µs.
 */
function wrkScript(apiKey: string): string {
  return `
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ${apiKey}"

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
end

function request()
  -- Never ending in 0000: the sandbox takes those for numbers not on WhatsApp, left "sent".
  local body = string.format('{"to":"0812%07d","text":"Bench message"}', math.random(0, 999999) * 10 + 1)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
`;
}

async function wrk(script: string, url: string, seconds: number): Promise<WrkResult> {
  const out = await run("wrk", [
    `-t${THREADS}`,
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    `--timeout=${WRK_TIMEOUT_S}s`,
    "-s",
    script,
    url,
  ], true);
  const text = new TextDecoder().decode(out.stdout);
  const line = text.split("\n").find((l) => l.startsWith("WRK_RESULT "));
  if (!out.success || !line) {
    throw new Error(`wrk failed:\n${text}\n${new TextDecoder().decode(out.stderr)}`);
  }
  const r = JSON.parse(line.slice("WRK_RESULT ".length));
  const durationS = r.duration_us / 1e6;
  return {
    requests: r.requests,
    durationS,
    rps: r.requests / durationS,
    p50Ms: r.p50_us / 1000,
    p99Ms: r.p99_us / 1000,
    non2xx: r.status,
    socketErrors: { connect: r.connect, read: r.read, write: r.write, timeout: r.timeout },
  };
}

// --- Kabar in this process -------------------------------------------------------

const wrkVersion = await ensureWrk();
const dir = await Deno.makeTempDir({ prefix: "kabar-bench-" });
const config = parseConfig({ KABAR_DATA_DIR: dir }, {}, "/");
const deps = await boot(config, silentLogger, systemClock);
// As `kabar serve` runs: group commits and checkpoints on the writer thread.
const writerThread = await WriterThread.start(deps.db, silentLogger);
// As `kabar serve` runs: events shared with other processes through the event log.
await deps.events.share({
  db: deps.db,
  writer: deps.writer,
  log: silentLogger,
  origin: "bench",
});
const kabar = createApp(deps);

const channel = await createChannel(deps.db, deps.clock, CLI_ACTOR, {
  kind: "sandbox",
  name: "Bench",
});
await updateChannelOptions(deps.db, deps.clock, CLI_ACTOR, channel.id, {
  deliverAfterMs: 0,
  readAfterMs: 0,
});
await deps.registry.start(channel.id);
const { key } = await createApiKey(deps.db, deps.clock, CLI_ACTOR, {
  name: "bench",
  scopes: ["*"],
  ipAllowlist: [],
  channelId: null,
  // The figures measure Kabar's work, not the rate limit.
  rateLimit: 0,
});

await deps.db.$client.execute(
  "CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)",
);

/** Requests being answered, and 202s Kabar gave for sends: the server's side of wrk's count. */
let inFlight = 0;
let accepted = 0;

/** The baseline: one plain insert, committed on its own, then 202. */
async function baselineRoute(req: Request): Promise<Response> {
  await deps.db.$client.execute({
    sql: "INSERT INTO bench_baseline (body, created_at) VALUES (?, ?)",
    args: [await req.text(), Date.now()],
  });
  return Response.json({ ok: true }, { status: 202 });
}

// A plain handler in front of both routes: the bench's own dispatching costs next to nothing,
// so what is measured is each route.
async function handler(req: Request): Promise<Response> {
  inFlight++;
  try {
    const path = req.url.slice(req.url.indexOf("/", "http://".length));
    if (req.method === "POST" && path === "/baseline") return await baselineRoute(req);
    const res = await kabar.fetch(req);
    if (res.status === 202 && path === "/api/v1/messages") accepted++;
    return res;
  } finally {
    inFlight--;
  }
}

const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  handler,
);
const base = `http://127.0.0.1:${server.addr.port}`;

async function count(sql: string): Promise<number> {
  return Number((await deps.db.$client.execute(sql)).rows[0][0]);
}

const countMessages = () => count("SELECT count(*) FROM messages");

/** Waits until requests still in flight after wrk stopped are answered and committed. */
async function settle(): Promise<void> {
  const until = performance.now() + WRK_TIMEOUT_S * 1000;
  while (inFlight > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
  await deps.writer.flush();
}

/**
 * What one commit of one row costs on this disk, one at a time: the most
 * group commit can save per request.
 */
async function commitCostMs(): Promise<number> {
  const n = 200;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    await deps.db.$client.execute({
      sql: "INSERT INTO bench_baseline (body, created_at) VALUES (?, ?)",
      args: ["commit cost", Date.now()],
    });
  }
  return (performance.now() - started) / n;
}

/** Waits until the outbox has sent, and the sandbox read, every queued message. */
async function drainOutbox(): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < DRAIN_TIMEOUT_MS) {
    const open = await count(
      "SELECT count(*) FROM messages WHERE status IN ('queued', 'sending', 'sent', 'delivered')",
    );
    if (open === 0) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the outbox did not drain within ${DRAIN_TIMEOUT_MS / 1000} s`);
}

// --- runs ----------------------------------------------------------------------

/** A route's rounds as one: requests over the time of all rounds; the middle p50, the worst p99. */
function combine(rounds: RouteResult[]): RouteResult {
  const sum = (f: (r: RouteResult) => number) => rounds.reduce((n, r) => n + f(r), 0);
  const p50s = rounds.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    route: rounds[0].route,
    path: rounds[0].path,
    requests: sum((r) => r.requests),
    durationS: sum((r) => r.durationS),
    rps: sum((r) => r.requests) / sum((r) => r.durationS),
    p50Ms: p50s[Math.floor(p50s.length / 2)],
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    non2xx: sum((r) => r.non2xx),
    socketErrors: {
      connect: sum((r) => r.socketErrors.connect),
      read: sum((r) => r.socketErrors.read),
      write: sum((r) => r.socketErrors.write),
      timeout: sum((r) => r.socketErrors.timeout),
    },
  };
}

const script = await Deno.makeTempFile({ prefix: "kabar-bench-", suffix: ".lua" });
await Deno.writeTextFile(script, wrkScript(key));

const routes = [
  { route: "baseline (one INSERT per request)", path: "/baseline", dispatching: false },
  { route: "POST /api/v1/messages", path: "/api/v1/messages", dispatching: false },
  {
    route: "POST /api/v1/messages, dispatcher sending",
    path: "/api/v1/messages",
    dispatching: true,
  },
];

console.log(
  `enqueue: ${wrkVersion}, ${THREADS} thread(s), ${CONNECTIONS} connections, ` +
    `${WARMUP_S} s warm-up, then ${ROUNDS} rounds of ${DURATION_S} s per route, data in ${dir}`,
);

let results: RouteResult[];
const durability: Durability[] = [];
let drainMs: number;
let commitMs: number;
try {
  commitMs = await commitCostMs();
  for (const { path } of routes.slice(0, 2)) await wrk(script, base + path, WARMUP_S);
  await settle();

  /** One wrk run of `path`, with what it added to `messages` when it is the API. */
  const measure = async (route: string, path: string): Promise<RouteResult> => {
    const before = await countMessages();
    const acceptedBefore = accepted;
    const run = { route, path, ...(await wrk(script, base + path, DURATION_S)) };
    await settle();
    if (path === "/api/v1/messages") {
      const rows = (await countMessages()) - before;
      const acceptedServer = accepted - acceptedBefore;
      // wrk gives up on the requests in flight when its time is over: the server
      // answered them (and committed their rows) but wrk never counted them.
      const acceptedWrk = run.requests - run.non2xx;
      durability.push({
        route,
        rows_added: rows,
        accepted_server: acceptedServer,
        accepted_wrk: acceptedWrk,
        unread_by_wrk: acceptedServer - acceptedWrk,
        ok: rows === acceptedServer && acceptedWrk <= acceptedServer &&
          acceptedServer - acceptedWrk <= CONNECTIONS,
      });
    }
    return run;
  };

  const runs = new Map<string, RouteResult[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const { route, path, dispatching } of routes) {
      if (dispatching) continue;
      runs.set(route, [...(runs.get(route) ?? []), await measure(route, path)]);
    }
  }
  results = routes.filter((r) => !r.dispatching).map((r) => combine(runs.get(r.route)!));
  // Started once: what the earlier runs queued is there for it to send, and more keeps coming.
  deps.outbox.start();
  for (const { route, path, dispatching } of routes) {
    if (!dispatching) continue;
    const busyRuns: RouteResult[] = [];
    for (let round = 0; round < ROUNDS; round++) busyRuns.push(await measure(route, path));
    results.push(combine(busyRuns));
  }
  drainMs = await drainOutbox();
} finally {
  await server.shutdown();
  deps.events.close();
  await deps.outbox.stop();
  await deps.registry.stopAll();
  await deps.events.finish();
  await deps.writer.flush();
  await writerThread?.stop();
  closeDb(deps.db);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(script);
}

// --- report --------------------------------------------------------------------

const [baseline, api, busy] = results;
const ratio = api.rps / baseline.rps;
const busyRatio = busy.rps / baseline.rps;
const ratioMet = ratio >= TARGET_RATIO;
const p99Met = api.p99Ms <= TARGET_P99_MS;

const fixed = (n: number, digits: number) => n.toFixed(digits);
const table = [
  ["route", "req/s", "p50 ms", "p99 ms", "non-2xx"],
  ...results.map((r) => [
    r.route,
    fixed(r.rps, 0),
    fixed(r.p50Ms, 2),
    fixed(r.p99Ms, 2),
    String(r.non2xx),
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (r: string[]) =>
  r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
console.log();
console.log(line(table[0]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table.slice(1)) console.log(line(r));
console.log();
console.log(
  `ratio Kabar/baseline: ${fixed(ratio, 2)} (while the dispatcher sends: ${fixed(busyRatio, 2)})`,
);
console.log(`target ratio >= ${TARGET_RATIO}: ${ratioMet ? "met" : "NOT met"}`);
console.log(
  `target p99 <= ${TARGET_P99_MS} ms at ${CONNECTIONS} connections: ${p99Met ? "met" : "NOT met"}`,
);
for (const r of results) {
  const e = r.socketErrors;
  if (r.non2xx || e.connect || e.read || e.write || e.timeout) {
    console.log(
      `${r.route}: ${r.non2xx} non-2xx answers; socket errors connect ${e.connect}, ` +
        `read ${e.read}, write ${e.write}, timeout ${e.timeout}`,
    );
  }
}
for (const d of durability) {
  console.log(
    `${d.route}: ${d.rows_added} rows added, ${d.accepted_server} answered 202, ` +
      `${d.accepted_wrk} counted by wrk (${d.unread_by_wrk} in flight when it stopped): ` +
      (d.ok ? "nothing acknowledged was lost" : "MISMATCH"),
  );
}
console.log(`outbox sent and the sandbox read the rest within ${fixed(drainMs / 1000, 1)} s`);
console.log(`one single-row commit, one at a time: ${fixed(commitMs, 3)} ms`);

const report = {
  benchmark: "enqueue",
  date: new Date().toISOString(),
  kabar: VERSION,
  deno: Deno.version.deno,
  cpus: navigator.hardwareConcurrency,
  load: {
    tool: wrkVersion,
    threads: THREADS,
    connections: CONNECTIONS,
    warmup_s: WARMUP_S,
    rounds: ROUNDS,
    duration_s: DURATION_S,
  },
  routes: results.map((r) => ({
    route: r.route,
    path: r.path,
    requests: r.requests,
    duration_s: r.durationS,
    rps: r.rps,
    p50_ms: r.p50Ms,
    p99_ms: r.p99Ms,
    non_2xx: r.non2xx,
    socket_errors: r.socketErrors,
  })),
  ratio,
  ratio_while_dispatching: busyRatio,
  targets: {
    ratio: { target: TARGET_RATIO, value: ratio, met: ratioMet },
    p99_ms: { target: TARGET_P99_MS, value: api.p99Ms, met: p99Met },
  },
  durability,
  outbox_drain_ms: drainMs,
  single_row_commit_ms: commitMs,
};
await Deno.mkdir(RESULTS_DIR, { recursive: true });
const out = new URL("enqueue.json", RESULTS_DIR);
await Deno.writeTextFile(out, JSON.stringify(report, null, 2) + "\n");
console.log(`written to ${out.pathname}`);
// Missing targets is only reported; a lost acknowledged message is a failure.
if (!durability.every((d) => d.ok)) Deno.exitCode = 1;
