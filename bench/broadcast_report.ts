/**
 * A broadcast's 100,000-row report written as .xlsx and as CSV, each in a
 * child process that samples its RSS: rows as the service gives them (number,
 * name, status, times, reason, two variables), the file read as it comes,
 * and once more read only after a pause (a slow client: what is written
 * waits in memory).
 *
 *   deno run --allow-all bench/broadcast_report.ts
 *
 * Target: peak RSS well under 500 MB.
 */
import { type ReportFormat, type ReportRow, writeReport } from "../services/broadcast_reports.ts";

const ROWS = 100_000;
const TARGET_MB = 500;

async function* rows(): AsyncGenerator<ReportRow> {
  const at = Date.UTC(2026, 2, 12, 2, 0);
  for (let i = 1; i <= ROWS; i++) {
    if (i % 1000 === 0) await Promise.resolve();
    yield {
      row: i,
      input: `0812-${String(i).padStart(4, "0")}-7890`,
      phone: `62812${String(i).padStart(8, "0")}`,
      name: i % 50 === 0 ? `=HYPERLINK("x${i}")` : `Pasien ${i}`,
      status: i % 10 === 0 ? "failed" : "read",
      at: at + i * 1000,
      reason: i % 10 === 0 ? "the number is not on WhatsApp" : null,
      reasonCode: i % 10 === 0 ? "not_on_whatsapp" : null,
      messageId: i,
      variables: { tanggal: "Senin 12 Maret", poli: "Poli Anak" },
    };
  }
}

async function child(format: ReportFormat, slow: boolean) {
  let peak = 0;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 10);
  const started = performance.now();
  const file = writeReport(1, format, {
    variables: ["tanggal", "poli"],
    rows: rows(),
    timeZone: "Asia/Jakarta",
  });
  if (slow) await new Promise((r) => setTimeout(r, 8000));
  let bytes = 0;
  for await (const chunk of file.body) bytes += chunk.byteLength;
  clearInterval(timer);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  console.log(JSON.stringify({ bytes, seconds: (performance.now() - started) / 1000, peak }));
}

if (Deno.args[0] === "child") {
  await child(Deno.args[1] as ReportFormat, Deno.args[2] === "slow");
} else {
  for (const [format, slow] of [["xlsx", false], ["xlsx", true], ["csv", false]] as const) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", import.meta.filename!, "child", format, slow ? "slow" : "fast"],
      stderr: "inherit",
    }).output();
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    const mb = r.peak / 1024 / 1024;
    console.log(
      `${format}${slow ? " (read after 8 s)" : ""}: ${ROWS} rows, ` +
        `${(r.bytes / 1024 / 1024).toFixed(1)} MB file, ${r.seconds.toFixed(1)} s, ` +
        `peak RSS ${mb.toFixed(0)} MB (target ≤ ${TARGET_MB} MB)`,
    );
  }
}
