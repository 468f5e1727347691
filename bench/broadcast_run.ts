/**
 * A 100,000-recipient broadcast through a running Kabar: the .xlsx imported
 * into a reviewed draft (every row read, judged and stored), then started
 * (every row queued into the outbox) while API clients keep sending; the API's
 * rate during the start is set against its rate alone, measured the same way
 * in the same run. The channel is a sandbox that is not running, so nothing
 * is sent: what is measured is the import and the queueing.
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
import { commitCostMs, cpuReferenceMs, loadAverage } from "./machine.ts";
import { ROWS } from "./workbook.ts";

const CLIENTS = 32;
const ALONE_S = 5;
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

/** API clients sending texts until `until` says stop: answers the accepted sends per second. */
async function apiLoad(key: string, until: () => boolean): Promise<number> {
  let accepted = 0;
  let n = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (!until()) {
      const i = n++;
      const res = await fetch(`${base}/api/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ to: `0813${String(i).padStart(7, "0")}`, text: "Hasil lab siap" }),
      });
      await res.body?.cancel();
      if (res.status === 202) accepted++;
    }
  }));
  return accepted / ((performance.now() - started) / 1000);
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

  // The API alone, then while the broadcast's rows are queued.
  const stop = performance.now() + ALONE_S * 1000;
  const alone = await apiLoad(key, () => performance.now() > stop);
  await service.step(CLI_ACTOR, draft.id, "confirm");
  const pending = () =>
    count(
      `SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = ${draft.id}
        AND status = 'pending'`,
    );
  let queuedAt = 0;
  const queueStarted = performance.now();
  let done = false;
  const watcher = (async () => {
    while (await pending() > 0 && performance.now() - queueStarted < 120_000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    queuedAt = performance.now();
    done = true;
  })();
  const [during] = await Promise.all([
    apiLoad(key, () => done),
    service.step(CLI_ACTOR, draft.id, "start"),
    watcher,
  ]);
  const queueS = (queuedAt - queueStarted) / 1000;
  const queued = await count(`SELECT count(*) FROM messages WHERE broadcast_id = ${draft.id}`);

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
    `start: ${queued} queued in ${fixed(queueS, 2)} s — target ≤ ${TARGET_QUEUE_S} s: ${
      verdict(queued === overview.counts.valid && queueS <= TARGET_QUEUE_S)
    }`,
  );
  console.log(
    `API sends meanwhile: ${fixed(during, 0)}/s against ${fixed(alone, 0)}/s alone ` +
      `(${CLIENTS} clients) = ${
        fixed(during / alone, 2)
      } of its rate — target ≥ ${TARGET_API_SHARE}: ${verdict(during / alone >= TARGET_API_SHARE)}`,
  );
} finally {
  await server.shutdown();
  await deps.broadcastRunner.stop();
  deps.events.close();
  await deps.writer.flush();
  await writerThread?.stop();
  closeDb(deps.db);
  await Deno.remove(dir, { recursive: true });
}
