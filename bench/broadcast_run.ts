/**
 * A 100,000-recipient broadcast through a running Kabar: the .xlsx imported
 * into a reviewed draft (every row read, judged and stored), then started
 * (every row queued: counted queued, the first `QUEUE_AHEAD` in the outbox)
 * while API clients keep sending; the API's rate in the 5 s from the start is
 * set against its rate alone, measured the same way in the same run, just
 * before and just after. The API clients run on a thread of their own, as the
 * hospital's systems are processes of their own; the CPU time Kabar took is
 * printed beside, its own (the clients' left out). The channel is a sandbox
 * that is not running, so nothing is sent: what is measured is the import and
 * the start.
 *
 *   deno run --allow-all bench/broadcast_run.ts
 *
 * Targets: import ≤ 15 s and ≤ 500 MB peak RSS; all queued ≤ 10 s while the
 * API keeps ≥ 50 % of its rate.
 */
import { systemClock } from "../core/clock.ts";
import { parseConfig } from "../core/config.ts";
import { silentLogger } from "../core/log.ts";
import { createApiKey } from "../db/api_keys.ts";
import { CLI_ACTOR } from "../db/audit_log.ts";
import { createChannel } from "../db/channels.ts";
import { closeDb } from "../db/client.ts";
import { WriterThread } from "../db/writer_thread.ts";
import { boot, createApp } from "../main.ts";
import { commitCostMs, cpuReferenceMs, cpuTimeMs, loadAverage } from "./machine.ts";
import { ROWS } from "./workbook.ts";
import { QUEUE_AHEAD } from "../sessions/broadcasts.ts";
import type { LoadResult, LoadStart } from "./api_load_worker.ts";

const CLIENTS = 32;
const ALONE_S = 5;
const FEEDS = 10;
const TARGET_IMPORT_S = 15;
const TARGET_IMPORT_MB = 500;
const TARGET_QUEUE_S = 10;
const TARGET_API_SHARE = 0.5;

const dir = await Deno.makeTempDir({ prefix: "kabar-bench-broadcast-run-" });
const config = parseConfig({ KABAR_DATA_DIR: dir }, {}, "/");
const deps = await boot(config, silentLogger, systemClock);
const writerThread = await WriterThread.start(deps.db, silentLogger);
const app = createApp(deps);
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
const base = `http://127.0.0.1:${server.addr.port}`;
deps.broadcastRunner.start();

const count = async (sql: string) => Number((await deps.db.$client.execute(sql)).rows[0][0]);

const load = new Worker(new URL("./api_load_worker.ts", import.meta.url), { type: "module" });
let sentFrom = 0;

/**
 * API clients sending texts until `until` resolves: answers the accepted sends per second,
 * how many, and the CPU time Kabar took meanwhile (the process's, less the clients').
 */
async function apiLoad(
  key: string,
  until: Promise<unknown>,
): Promise<{ rate: number; sends: number; kabarCpuMs: number }> {
  const result = new Promise<LoadResult>((resolve) =>
    load.onmessage = (e: MessageEvent<LoadResult>) => resolve(e.data)
  );
  const cpuStarted = cpuTimeMs("process");
  load.postMessage({ base, key, clients: CLIENTS, from: sentFrom } satisfies LoadStart);
  sentFrom += 10_000_000;
  await until;
  load.postMessage("stop");
  const { accepted, seconds, cpuMs } = await result;
  return {
    rate: accepted / seconds,
    sends: accepted,
    kabarCpuMs: cpuTimeMs("process") - cpuStarted - cpuMs,
  };
}

try {
  const channel = await createChannel(deps.db, deps.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: "Siaran",
  });
  const { key } = await createApiKey(deps.db, deps.clock, CLI_ACTOR, {
    name: "bench",
    scopes: ["*"],
    ipAllowlist: [],
    channelId: channel.id,
    rateLimit: 0,
  });
  // Made by another process, so this one's memory is Kabar's alone.
  const path = `${dir}/daftar.xlsx`;
  const made = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL("./workbook.ts", import.meta.url).pathname, path],
  }).output();
  if (!made.success) throw new Error("the workbook could not be made");
  const file = { bytes: (await Deno.stat(path)).size };
  const cpuMs = cpuReferenceMs();
  const commitMs = await commitCostMs(dir);

  // Import: the workbook read, judged and stored as a draft.
  let peak = Deno.memoryUsage().rss;
  const startRss = peak;
  const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 10);
  const importStarted = performance.now();
  const service = deps.services.broadcasts;
  const draft = await service.createFrom(CLI_ACTOR, {
    name: "Pengingat kontrol",
    channelId: channel.id,
    message: { text: "Halo {{nama}}, jadwal {{poli}} Anda besok pukul {{jam}}." },
    variables: {},
    mediaId: null,
    window: null,
    stopAfter: null,
    scheduledAt: null,
    recipients: {
      kind: "file",
      file: { id: "bench", kind: "xlsx", path, size: file.bytes },
      sheet: 0,
      columns: { phone: "Telepon", name: "Nama", variables: { poli: "Poli", jam: "Jam" } },
      header: true,
    },
  });
  const overview = await service.overview(draft.id);
  const importS = (performance.now() - importStarted) / 1000;
  clearInterval(sampler);
  const importMb = Math.max(peak, Deno.memoryUsage().rss) / 1024 / 1024;

  // The API alone, then for as long from the start (or until everything is queued), then alone.
  const before = await apiLoad(key, new Promise((r) => setTimeout(r, ALONE_S * 1000)));
  await service.step(CLI_ACTOR, draft.id, "confirm");
  const lead = Math.min(QUEUE_AHEAD, overview.counts.valid);
  // Running, with its lead in the outbox (its progress, a heavier read, is checked after).
  const queuedNow = async () =>
    await count(`SELECT count(*) FROM messages WHERE broadcast_id = ${draft.id}`) === lead;
  let queuedAt = 0;
  const queueStarted = performance.now();
  const queuedAll = (async () => {
    while (!await queuedNow() && performance.now() - queueStarted < 120_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    queuedAt = performance.now();
  })();
  const fiveSeconds = new Promise((r) => setTimeout(r, ALONE_S * 1000));
  const [during] = await Promise.all([
    apiLoad(key, Promise.all([queuedAll, fiveSeconds])),
    service.step(CLI_ACTOR, draft.id, "start"),
  ]);
  // The API alone again: the rate alone is the mean of before and after, so a machine that got
  // busier or quieter from elsewhere during the run moves both sides alike.
  const after = await apiLoad(key, new Promise((r) => setTimeout(r, ALONE_S * 1000)));
  const aloneRate = (before.rate + after.rate) / 2;
  const queueS = (queuedAt - queueStarted) / 1000;
  const { progress } = await service.overview(draft.id);
  const inOutbox = await count(`SELECT count(*) FROM messages WHERE broadcast_id = ${draft.id}`);

  // Sending, sped up: what waits in the outbox taken as sent at once, FEEDS times, and each time
  // the next messages written, as the runner does while a channel sends one every few seconds.
  const waiting = () =>
    count(`SELECT count(*) FROM messages WHERE broadcast_id = ${draft.id} AND status = 'queued'`);
  const feedCpuStarted = cpuTimeMs("process");
  const feedStarted = performance.now();
  for (let i = 0; i < FEEDS; i++) {
    await deps.writer.write([{
      sql:
        "UPDATE messages SET status = 'sent', sent_at = ? WHERE broadcast_id = ? AND status = 'queued'",
      args: [Date.now(), draft.id],
    }]);
    deps.broadcastRunner.wake();
    while (await waiting() < lead) await new Promise((r) => setTimeout(r, 1));
  }
  const feedS = (performance.now() - feedStarted) / 1000;
  const feedCpuMs = cpuTimeMs("process") - feedCpuStarted;
  const fed = FEEDS * lead;

  const fixed = (n: number, d = 1) => n.toFixed(d);
  const verdict = (ok: boolean) => ok ? "met" : "NOT met";
  console.log(
    `\nbroadcast of ${ROWS} rows (${fixed(file.bytes / 1024 / 1024)} MB .xlsx) on one Kabar ` +
      `(CPU reference ${fixed(cpuMs, 0)} ms; one commit ${fixed(commitMs, 2)} ms; ` +
      `${navigator.hardwareConcurrency} cores; load ${await loadAverage()})`,
  );
  console.log(
    `import to a reviewed draft: ${fixed(importS, 2)} s, peak RSS ${fixed(importMb, 0)} MB ` +
      `(from ${fixed(startRss / 1024 / 1024, 0)} MB); counts ${JSON.stringify(overview.counts)} ` +
      `— target ≤ ${TARGET_IMPORT_S} s, ≤ ${TARGET_IMPORT_MB} MB: ${
        verdict(importS <= TARGET_IMPORT_S && importMb <= TARGET_IMPORT_MB)
      }`,
  );
  console.log(
    `start: ${progress.queued} queued (${inOutbox} of them in the outbox) in ${
      fixed(queueS, 3)
    } s — target ≤ ${TARGET_QUEUE_S} s: ${
      verdict(progress.queued === overview.counts.valid && queueS <= TARGET_QUEUE_S)
    }`,
  );
  const share = during.rate / aloneRate;
  console.log(
    `API sends meanwhile: ${fixed(during.rate, 0)}/s against ${fixed(aloneRate, 0)}/s alone ` +
      `(${fixed(before.rate, 0)}/s before, ${fixed(after.rate, 0)}/s after; ${CLIENTS} clients ` +
      `on a thread of their own) = ${fixed(share, 2)} of its rate — ` +
      `target ≥ ${TARGET_API_SHARE}: ${verdict(share >= TARGET_API_SHARE)}`,
  );
  const perSendMs = (before.kabarCpuMs + after.kabarCpuMs) / (before.sends + after.sends);
  console.log(
    `Kabar's CPU time: ${fixed(perSendMs * 1000, 0)} µs per API send; ${fed} more messages ` +
      `written as the ones before them left: ${fixed(feedCpuMs * 1000 / fed, 0)} µs each ` +
      `(${fixed(feedS, 2)} s in all), on ${navigator.hardwareConcurrency} cores`,
  );
} finally {
  load.terminate();
  await server.shutdown();
  await deps.broadcastRunner.stop();
  // The runner woke the outbox of the channel: its loop stops before the database closes.
  await deps.outbox.stop();
  deps.events.close();
  await deps.writer.flush();
  await writerThread?.stop();
  closeDb(deps.db);
  await Deno.remove(dir, { recursive: true });
}
