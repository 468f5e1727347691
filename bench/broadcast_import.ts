/**
 * A broadcast's recipient list from a 100,000-row .xlsx: a workbook is made in
 * a temp dir (number, name and two variables a row; a third of the numbers
 * stored as numbers, the rest as text typed in mixed forms, all in shared
 * strings as Excel writes them), then a child process reads it as a stream
 * and judges every row, sampling its RSS meanwhile. Printed beside a baseline
 * measured the same way (only unpacking the workbook's parts, the floor any
 * reader pays) and a CPU reference, all in the same run.
 *
 *   deno run --allow-all bench/broadcast_import.ts
 *
 * Targets: ≤ 15 s and ≤ 500 MB peak RSS.
 */
import { RecipientListBuilder, resolveRecipientColumns } from "../core/broadcast_recipients.ts";
import { openXlsx } from "../core/xlsx_reader.ts";
import { unpackedSize } from "../core/zip_size.ts";
import { cpuReferenceMs, loadAverage } from "./machine.ts";
import { makeWorkbook, ROWS } from "./workbook.ts";

const TARGET_S = 15;
const TARGET_MB = 500;
const SAMPLE_MS = 10;

type Mode = "list" | "read" | "unpack";

interface Measured {
  seconds: number;
  peakMb: number;
  startMb: number;
  counts?: Record<string, number>;
}

/** In the child: reads the list (or only unpacks the parts, for the baseline), sampling RSS. */
async function measure(path: string, what: Mode): Promise<Measured> {
  const startMb = Deno.memoryUsage().rss / 1024 / 1024;
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), SAMPLE_MS);
  const started = performance.now();
  let counts: Record<string, number> | undefined;
  if (what === "unpack") {
    const size = await unpackedSize(await Deno.readFile(path), 1024 * 1024 * 1024);
    if (!size.ok) throw new Error(size.problem);
  } else if (what === "read") {
    let n = 0;
    for await (const _ of (await openXlsx(await Deno.readFile(path))).rows(0)) n++;
    counts = { rows: n };
  } else {
    const workbook = await openXlsx(await Deno.readFile(path));
    const rows = workbook.rows(0);
    const first = await rows.next();
    if (first.done) throw new Error("no rows");
    const mapping = resolveRecipientColumns(
      { phone: "telepon", name: "nama", variables: { poli: "poli", jam: "jam" } },
      first.value.cells,
      4,
    );
    if (!mapping.ok) throw new Error(JSON.stringify(mapping.errors));
    const builder = new RecipientListBuilder(mapping.mapping, {
      region: "ID",
      required: ["poli", "jam", "rs"],
      shared: { rs: "RS Sehat" },
      isOptedOut: (phone) => phone.endsWith("0000"),
      maxRows: ROWS,
    });
    let batch = 0;
    for await (const row of rows) {
      builder.add(row);
      if (++batch === 500) {
        batch = 0;
        peak = Math.max(peak, Deno.memoryUsage().rss);
      }
    }
    counts = { ...builder.counts() };
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  return { seconds, peakMb: peak / 1024 / 1024, startMb, counts };
}

async function child(path: string, what: Mode): Promise<Measured> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(import.meta.url).pathname, "--measure", what, path],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`the ${what} run failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

if (Deno.args[0] === "--measure") {
  console.log(JSON.stringify(await measure(Deno.args[2], Deno.args[1] as Mode)));
  Deno.exit(0);
}

const dir = await Deno.makeTempDir({ prefix: "kabar-bench-broadcast-" });
try {
  const path = `${dir}/daftar.xlsx`;
  const made = performance.now();
  const file = await makeWorkbook(path);
  console.log(
    `made a ${ROWS}-row .xlsx in ${((performance.now() - made) / 1000).toFixed(1)} s: ` +
      `${(file.bytes / 1024 / 1024).toFixed(1)} MB packed, sheet XML ${file.xmlMb.toFixed(0)} MB`,
  );
  const cpuMs = cpuReferenceMs();
  const base = await child(path, "unpack");
  const read = await child(path, "read");
  const list = await child(path, "list");
  const fixed = (n: number, d = 1) => n.toFixed(d);
  console.log();
  console.log(
    `broadcast recipients from a ${ROWS}-row .xlsx (CPU reference ${fixed(cpuMs, 0)} ms; ` +
      `${navigator.hardwareConcurrency} cores; load ${await loadAverage()})`,
  );
  const rows = [
    ["", "seconds", "peak RSS", "× baseline", "target", ""],
    [
      "baseline: unpack the parts only",
      fixed(base.seconds, 2),
      `${fixed(base.peakMb, 0)} MB`,
      "1.0",
      "",
      "",
    ],
    [
      "read every row (no verdicts)",
      fixed(read.seconds, 2),
      `${fixed(read.peakMb, 0)} MB`,
      fixed(read.seconds / base.seconds),
      "",
      "",
    ],
    [
      "read + judge every row",
      fixed(list.seconds, 2),
      `${fixed(list.peakMb, 0)} MB`,
      fixed(list.seconds / base.seconds),
      `≤ ${TARGET_S} s, ≤ ${TARGET_MB} MB`,
      list.seconds <= TARGET_S && list.peakMb <= TARGET_MB ? "met" : "NOT met",
    ],
  ];
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
  }
  console.log(
    `rows per second ${fixed(ROWS / list.seconds, 0)}; seconds ÷ CPU reference ` +
      `${fixed(list.seconds * 1000 / cpuMs)}; RSS at start ${fixed(list.startMb, 0)} MB; ` +
      `verdicts ${JSON.stringify(list.counts)}`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
