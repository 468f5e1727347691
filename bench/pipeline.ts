/**
 * Pipeline throughput: 20,000 queued messages dispatched through an unpaced
 * sandbox channel (receipts at once) to `sent`, `delivered` and `read`, with
 * one webhook endpoint, a receiver in this process, getting every
 * `message.status` event. Also Kabar's resident memory when idle and after
 * the run. The figures are printed and written to bench/results/pipeline.json.
 *
 *   deno run --allow-all bench/pipeline.ts
 *
 * Run by `deno task bench`. Exits 1 only when a message or an event was lost
 * or a signature was wrong; a missed target is reported, not a failure.
 */
import type { Row } from "@libsql/client";
import { systemClock } from "../core/clock.ts";
import { parseConfig } from "../core/config.ts";
import { silentLogger } from "../core/log.ts";
import { PRIORITY } from "../core/priority.ts";
import { CLI_ACTOR } from "../db/audit_log.ts";
import { createChannel, updateChannelOptions } from "../db/channels.ts";
import { closeDb } from "../db/client.ts";
import { WriterThread } from "../db/writer_thread.ts";
import { enqueueMessage } from "../db/outbox.ts";
import { createWebhook } from "../db/webhooks.ts";
import { boot, createApp, VERSION } from "../main.ts";
import { webhookSignature } from "../sessions/webhook_formats.ts";

const MESSAGES = 20_000;
/** Distinct recipients: webhook order is kept per conversation, so these set the parallelism. */
const CONTACTS = 2_000;
/** Messages queued at once; the group commit puts them in a few transactions. */
const ENQUEUE_CHUNK = 500;
const IDLE_WAIT_MS = 2_000;
const POLL_MS = 100;
const SAMPLE_EVERY_MS = 1_000;
const TIME_LIMIT_MS = 600_000;
/** sent, delivered and read for each message. */
const STATUSES_PER_MESSAGE = 3;

const TARGET_SENT_PER_S = 2_000;
const TARGET_DELIVERIES_PER_S = 2_000;
const TARGET_IDLE_RSS_MB = 150;

const RESULTS_DIR = new URL("./results/", import.meta.url);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const rssMb = () => Deno.memoryUsage().rss / 1024 / 1024;
const heapMb = () => Deno.memoryUsage().heapUsed / 1024 / 1024;

/** Counted every poll; each is a range of an index, cheap enough to run every 100 ms. */
interface Progress {
  sent: number;
  read: number;
  openDeliveries: number;
}

/** Counted once a second and at the end: counting the events scans their table. */
interface Totals {
  events: number;
  delivered: number;
}

/** Progress of the run at one moment, `t_s` after the outbox started. */
interface Sample extends Progress, Totals {
  t_s: number;
  received: number;
  rss_mb: number;
}

// --- the webhook receiver ----------------------------------------------------------

/** What the endpoint saw: every request, checked and counted. */
class Receiver {
  requests = 0;
  badSignatures = 0;
  unreadable = 0;
  /** The same event again in the same delivery (a retry): allowed. */
  retries = 0;
  /** The same event in two different deliveries: a duplicate the design does not allow. */
  duplicates = 0;
  /** An event of a conversation that came after a later event of that conversation. */
  outOfOrder = 0;
  /** Event id -> the delivery that carried it first. */
  readonly events = new Map<string, string>();
  /** Distinct events per `type/status`. */
  readonly byStatus = new Map<string, number>();
  readonly #lastInConversation = new Map<number, number>();

  constructor(private readonly secret: () => string) {}

  readonly handle = async (req: Request): Promise<Response> => {
    const body = await req.text();
    this.requests++;
    const timestamp = req.headers.get("x-kabar-timestamp") ?? "";
    const delivery = req.headers.get("x-kabar-delivery") ?? "";
    if (req.headers.get("x-kabar-signature") !== webhookSignature(this.secret(), timestamp, body)) {
      this.badSignatures++;
    }
    let event: {
      id?: unknown;
      type?: unknown;
      data?: { status?: unknown; message?: { conversation?: unknown } };
    };
    try {
      event = JSON.parse(body);
    } catch {
      this.unreadable++;
      return new Response(null, { status: 204 });
    }
    const id = String(event.id);
    const first = this.events.get(id);
    if (first !== undefined) {
      if (first === delivery) this.retries++;
      else this.duplicates++;
      return new Response(null, { status: 204 });
    }
    this.events.set(id, delivery);
    const key = `${event.type}/${event.data?.status ?? "-"}`;
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    const conversation = Number(event.data?.message?.conversation);
    const seq = Number(id.replace(/^evt_/, ""));
    const last = this.#lastInConversation.get(conversation) ?? 0;
    if (seq < last) this.outOfOrder++;
    else this.#lastInConversation.set(conversation, seq);
    // Accepted even when the signature is wrong: a refusal would only be retried
    // for a day, and the count above already fails the run.
    return new Response(null, { status: 204 });
  };
}

// --- Kabar in this process ---------------------------------------------------------

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
// Idle means as `kabar serve` sits: the app built and listening.
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, kabar.fetch);

const rssBootMb = rssMb();
await sleep(IDLE_WAIT_MS);
const rssIdleMb = rssMb();
const heapIdleMb = heapMb();

const channel = await createChannel(deps.db, deps.clock, CLI_ACTOR, {
  kind: "sandbox",
  name: "Bench",
});
await updateChannelOptions(deps.db, deps.clock, CLI_ACTOR, channel.id, {
  deliverAfterMs: 0,
  readAfterMs: 0,
});
await deps.registry.start(channel.id);

let secret = "";
const receiver = new Receiver(() => secret);
const hook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, receiver.handle);
const created = await createWebhook(deps.db, deps.clock, deps.secretBox, CLI_ACTOR, {
  url: `http://127.0.0.1:${hook.addr.port}/kabar`,
  events: ["message.status"],
  channelId: null,
  privateNetwork: true,
});
secret = created.secret;
await deps.webhooks.start();

/** Time the polls themselves held the database (it runs on the thread Kabar runs on). */
let pollMs = 0;

async function query(sql: string): Promise<Row> {
  const started = performance.now();
  try {
    return (await deps.db.$client.execute(sql)).rows[0];
  } finally {
    pollMs += performance.now() - started;
  }
}

async function progress(): Promise<Progress> {
  const r = await query(`SELECT
      (SELECT count(*) FROM messages WHERE status IN ('sent', 'delivered', 'read')) AS sent,
      (SELECT count(*) FROM messages WHERE status = 'read') AS read,
      (SELECT count(*) FROM webhook_deliveries WHERE status IN ('pending', 'delivering')) AS open`);
  return { sent: Number(r.sent), read: Number(r.read), openDeliveries: Number(r.open) };
}

async function totals(): Promise<Totals> {
  const r = await query(`SELECT
      (SELECT count(*) FROM webhook_events WHERE type = 'message.status') AS events,
      (SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered') AS delivered`);
  return { events: Number(r.events), delivered: Number(r.delivered) };
}

async function scalar(sql: string): Promise<number> {
  return Number((await deps.db.$client.execute(sql)).rows[0][0]);
}

console.log(
  `pipeline: ${MESSAGES} messages to ${CONTACTS} numbers, sandbox without pacing or receipt ` +
    `delays, one webhook, data in ${dir}`,
);

let enqueueMs = 0;
let runMs = 0;
let sentMs: number | undefined;
let deliveredMs: number | undefined;
let firstDeliveryMs: number | undefined;
let rssPeakMb = 0;
let rssAfterMb = 0;
let heapAfterMb = 0;
const samples: Sample[] = [];
let final: Progress & Totals;
let check: {
  messages: number;
  failed_messages: number;
  failed_deliveries: number;
  events_by_status: Record<string, number>;
  /** Stored events without a delivery row: the fan-out missed them. */
  events_without_delivery: number;
  /** Kabar recorded the delivery as done, but the receiver never got the event. */
  delivered_not_received: number;
  /** Still pending or in flight when the run ended (only when it did not finish). */
  not_delivered_yet: number;
  events_not_received: number;
  received_not_stored: number;
};
try {
  const enqueueStarted = performance.now();
  for (let from = 0; from < MESSAGES; from += ENQUEUE_CHUNK) {
    const chunk = [];
    for (let i = from; i < Math.min(MESSAGES, from + ENQUEUE_CHUNK); i++) {
      chunk.push(enqueueMessage(deps.db, deps.writer, deps.clock, {
        channelId: channel.id,
        channelKind: "sandbox",
        // From ...1000001: no number ends in 0000, which the sandbox keeps off WhatsApp.
        to: { phone: `62812${String(1_000_001 + (i % CONTACTS)).padStart(8, "0")}` },
        type: "text",
        body: `Pipeline message ${i}`,
        source: "api",
        priority: PRIORITY.api,
      }));
    }
    await Promise.all(chunk);
  }
  enqueueMs = performance.now() - enqueueStarted;
  console.log(`queued in ${(enqueueMs / 1000).toFixed(1)} s; dispatching`);

  const started = performance.now();
  deps.outbox.start();
  deps.outbox.wake(channel.id);
  let nextSample = 0;
  while (true) {
    await sleep(POLL_MS);
    const elapsed = performance.now() - started;
    const p = await progress();
    rssPeakMb = Math.max(rssPeakMb, rssMb());
    if (sentMs === undefined && p.sent >= MESSAGES) sentMs = elapsed;
    if (firstDeliveryMs === undefined && receiver.requests > 0) firstDeliveryMs = elapsed;
    // The read receipt is the last status: once every message is read, every
    // event and its delivery exist (same transaction), and none is left open.
    const done = p.read >= MESSAGES && p.openDeliveries === 0;
    if (elapsed >= nextSample || done) {
      const t = await totals();
      samples.push({
        t_s: elapsed / 1000,
        ...p,
        ...t,
        received: receiver.events.size,
        rss_mb: rssMb(),
      });
      nextSample += SAMPLE_EVERY_MS;
      console.log(
        `${(elapsed / 1000).toFixed(1).padStart(6)} s  sent ${p.sent}  read ${p.read}  ` +
          `events ${t.events}  delivered ${t.delivered}  received ${receiver.events.size}  ` +
          `rss ${rssMb().toFixed(0)} MB`,
      );
    }
    if (done) {
      deliveredMs = elapsed;
      break;
    }
    if (elapsed >= TIME_LIMIT_MS) {
      console.log(`stopped after the time limit of ${TIME_LIMIT_MS / 1000} s`);
      break;
    }
  }
  runMs = performance.now() - started;
  rssAfterMb = rssMb();
  heapAfterMb = heapMb();

  final = { ...(await progress()), ...(await totals()) };
  const { rows: events } = await deps.db.$client.execute(`SELECT e.id, d.status
    FROM webhook_events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id
    WHERE e.type = 'message.status'`);
  const stored = new Set(events.map((r) => `evt_${r.id}`));
  const notReceived = events.filter((r) => !receiver.events.has(`evt_${r.id}`));
  const byStatus = (await deps.db.$client.execute(`SELECT me.status, count(*) AS n
    FROM webhook_events e JOIN message_events me ON me.id = e.message_event_id
    WHERE e.type = 'message.status' GROUP BY me.status ORDER BY me.status`)).rows;
  check = {
    messages: await scalar("SELECT count(*) FROM messages WHERE direction = 'out'"),
    failed_messages: await scalar("SELECT count(*) FROM messages WHERE status = 'failed'"),
    failed_deliveries: await scalar(
      "SELECT count(*) FROM webhook_deliveries WHERE status = 'failed'",
    ),
    events_by_status: Object.fromEntries(byStatus.map((r) => [String(r.status), Number(r.n)])),
    events_without_delivery: events.filter((r) => r.status === null).length,
    delivered_not_received: notReceived.filter((r) => r.status === "delivered").length,
    not_delivered_yet: notReceived.filter((r) =>
      r.status === "pending" || r.status === "delivering"
    )
      .length,
    events_not_received: notReceived.length,
    received_not_stored: [...receiver.events.keys()].filter((id) => !stored.has(id)).length,
  };
} finally {
  await deps.outbox.stop();
  await deps.registry.stopAll();
  await deps.webhooks.stop();
  await deps.events.finish();
  deps.outbound.close();
  await deps.writer.flush();
  await hook.shutdown();
  await server.shutdown();
  deps.events.close();
  await writerThread?.stop();
  closeDb(deps.db);
  await Deno.remove(dir, { recursive: true });
}

// --- report ------------------------------------------------------------------------

const finished = deliveredMs !== undefined;
const expectedEvents = MESSAGES * STATUSES_PER_MESSAGE;
const perS = (n: number, ms: number) => n / (ms / 1000);
/** Sends per second until the last one; when some never went, what went in the whole run. */
const sentPerS = perS(sentMs !== undefined ? MESSAGES : final.sent, sentMs ?? runMs);
const deliveriesPerS = perS(final.delivered, deliveredMs ?? runMs);
/** From the first delivery the receiver got: the webhook stage on its own. */
const deliveriesPerSStage = firstDeliveryMs !== undefined
  ? perS(final.delivered, (deliveredMs ?? runMs) - firstDeliveryMs)
  : undefined;
const sentMet = sentMs !== undefined && sentPerS >= TARGET_SENT_PER_S;
const deliveriesMet = finished && deliveriesPerS >= TARGET_DELIVERIES_PER_S;
// What a run that ran out of time still owes is not lost; what Kabar counts
// as delivered but the receiver never saw is, finished or not.
const lostMessages = check.messages !== MESSAGES || check.failed_messages > 0 ||
  (finished && final.read !== MESSAGES);
const lostEvents = check.delivered_not_received > 0 || check.events_without_delivery > 0 ||
  check.failed_deliveries > 0 ||
  (finished && (check.events_not_received > 0 || final.events !== expectedEvents));
const signaturesBad = receiver.badSignatures > 0 || receiver.unreadable > 0;

const fixed = (n: number | undefined, digits: number) =>
  n === undefined ? "did not finish" : n.toFixed(digits);
const partial = (n: number, complete: boolean) =>
  complete ? n.toFixed(0) : `${n.toFixed(0)} (unfinished)`;
const met = (ok: boolean | undefined) => ok === undefined ? "-" : ok ? "yes" : "NO";

const table: string[][] = [
  ["metric", "value", "target", "met?"],
  ["RSS after boot (MB)", fixed(rssBootMb, 1), "", "-"],
  [
    `RSS idle, ${IDLE_WAIT_MS / 1000} s after boot (MB)`,
    fixed(rssIdleMb, 1),
    `<= ${TARGET_IDLE_RSS_MB}`,
    met(rssIdleMb <= TARGET_IDLE_RSS_MB),
  ],
  ["RSS peak during dispatch (MB)", fixed(rssPeakMb, 1), "", "-"],
  ["RSS after the run (MB)", fixed(rssAfterMb, 1), "", "-"],
  ["V8 heap used idle / after (MB)", `${fixed(heapIdleMb, 1)} / ${fixed(heapAfterMb, 1)}`, "", "-"],
  ["queueing (messages/s, no HTTP)", fixed(perS(MESSAGES, enqueueMs), 0), "", "-"],
  [`time until all ${MESSAGES} sent (s)`, fixed(sentMs && sentMs / 1000, 1), "", "-"],
  [
    "sent (messages/s)",
    partial(sentPerS, sentMs !== undefined),
    `>= ${TARGET_SENT_PER_S}`,
    met(sentMet),
  ],
  ["time until all deliveries done (s)", fixed(deliveredMs && deliveredMs / 1000, 1), "", "-"],
  [
    "webhook deliveries/s (from outbox start)",
    partial(deliveriesPerS, finished),
    `>= ${TARGET_DELIVERIES_PER_S}`,
    met(deliveriesMet),
  ],
  [
    "webhook deliveries/s (from first delivery)",
    deliveriesPerSStage === undefined ? "none" : partial(deliveriesPerSStage, finished),
    "",
    "-",
  ],
  [
    "message.status events stored",
    String(final.events),
    String(expectedEvents),
    met(final.events === expectedEvents),
  ],
  [
    "distinct events received",
    String(receiver.events.size),
    String(final.events),
    met(receiver.events.size === final.events),
  ],
  [
    "events delivered per Kabar, never received",
    String(check.delivered_not_received),
    "0",
    met(check.delivered_not_received === 0),
  ],
  [
    "events without a delivery",
    String(check.events_without_delivery),
    "0",
    met(check.events_without_delivery === 0),
  ],
  ["events not delivered yet (time limit)", String(check.not_delivered_yet), "0", "-"],
  [
    "received events not stored",
    String(check.received_not_stored),
    "0",
    met(check.received_not_stored === 0),
  ],
  ["deliveries failed", String(check.failed_deliveries), "0", met(check.failed_deliveries === 0)],
  ["messages failed", String(check.failed_messages), "0", met(check.failed_messages === 0)],
  ["bad signatures", String(receiver.badSignatures), "0", met(receiver.badSignatures === 0)],
  ["unreadable bodies", String(receiver.unreadable), "0", met(receiver.unreadable === 0)],
  ["same event, same delivery (retries)", String(receiver.retries), "", "-"],
  [
    "same event, another delivery",
    String(receiver.duplicates),
    "0",
    met(receiver.duplicates === 0),
  ],
  [
    "out of order within a conversation",
    String(receiver.outOfOrder),
    "0",
    met(receiver.outOfOrder === 0),
  ],
  [
    "database time spent polling (% of the run)",
    fixed((100 * pollMs) / runMs, 1),
    "",
    "-",
  ],
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (r: string[]) =>
  r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
console.log();
console.log(line(table[0]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table.slice(1)) console.log(line(r));
console.log();
const list = (entries: Iterable<[string, number]>) =>
  [...entries].map(([k, n]) => `${k} ${n}`).join(", ") || "none";
console.log(`received by type/status: ${list(receiver.byStatus)}`);
console.log(`stored by status: ${list(Object.entries(check.events_by_status))}`);
if (!finished) {
  console.log(
    `the pipeline did not finish within ${TIME_LIMIT_MS / 1000} s: sent ${final.sent}, ` +
      `read ${final.read}, deliveries done ${final.delivered} of ${final.events}`,
  );
}
if (lostMessages) console.log("MESSAGES LOST or failed");
if (lostEvents) console.log("WEBHOOK EVENTS LOST or failed");
if (signaturesBad) console.log("BAD SIGNATURES or unreadable bodies");

const report = {
  benchmark: "pipeline",
  date: new Date().toISOString(),
  kabar: VERSION,
  deno: Deno.version.deno,
  cpus: navigator.hardwareConcurrency,
  load: {
    messages: MESSAGES,
    contacts: CONTACTS,
    enqueue_chunk: ENQUEUE_CHUNK,
    channel: "sandbox, no pacing, deliverAfterMs 0, readAfterMs 0",
    webhooks: 1,
    poll_ms: POLL_MS,
    time_limit_s: TIME_LIMIT_MS / 1000,
  },
  finished,
  memory_mb: {
    rss_boot: rssBootMb,
    rss_idle: rssIdleMb,
    rss_peak: rssPeakMb,
    rss_after: rssAfterMb,
    heap_idle: heapIdleMb,
    heap_after: heapAfterMb,
  },
  enqueue_ms: enqueueMs,
  run_ms: runMs,
  sent_ms: sentMs ?? null,
  first_delivery_ms: firstDeliveryMs ?? null,
  deliveries_done_ms: deliveredMs ?? null,
  sent_per_s: sentPerS,
  deliveries_per_s: deliveriesPerS,
  deliveries_per_s_from_first: deliveriesPerSStage ?? null,
  poll_db_ms: pollMs,
  targets: {
    rss_idle_mb: {
      target: TARGET_IDLE_RSS_MB,
      value: rssIdleMb,
      met: rssIdleMb <= TARGET_IDLE_RSS_MB,
    },
    sent_per_s: { target: TARGET_SENT_PER_S, value: sentPerS, met: sentMet },
    deliveries_per_s: {
      target: TARGET_DELIVERIES_PER_S,
      value: deliveriesPerS,
      met: deliveriesMet,
    },
  },
  final_counts: {
    sent: final.sent,
    read: final.read,
    open_deliveries: final.openDeliveries,
    events: final.events,
    delivered: final.delivered,
  },
  check,
  receiver: {
    requests: receiver.requests,
    distinct_events: receiver.events.size,
    by_type_status: Object.fromEntries(receiver.byStatus),
    bad_signatures: receiver.badSignatures,
    unreadable: receiver.unreadable,
    retries: receiver.retries,
    duplicates: receiver.duplicates,
    out_of_order: receiver.outOfOrder,
  },
  lost: { messages: lostMessages, events: lostEvents },
  samples,
};
await Deno.mkdir(RESULTS_DIR, { recursive: true });
const out = new URL("pipeline.json", RESULTS_DIR);
await Deno.writeTextFile(out, JSON.stringify(report, null, 2) + "\n");
console.log(`written to ${out.pathname}`);
if (lostMessages || lostEvents || signaturesBad) Deno.exitCode = 1;
