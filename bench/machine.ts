/** What the benchmarks print beside their figures: how fast this machine is right now. */
import { closeDb, openDb } from "../db/client.ts";

/** A fixed amount of plain JavaScript work (integer hashing), in ms: the CPU's speed now. */
export function cpuReferenceMs(): number {
  const started = performance.now();
  let h = 0;
  for (let i = 0; i < 50_000_000; i++) h = Math.imul(h ^ i, 0x9e3779b1) >>> 0;
  if (h === 42) console.log("");
  return performance.now() - started;
}

/** One single-row commit on the disk of `folder` (synchronous=FULL, WAL), one at a time, in ms. */
export async function commitCostMs(folder: string): Promise<number> {
  const temp = await Deno.makeTempDir({ prefix: "kabar-bench-commit-", dir: folder });
  const db = await openDb(`file:${temp}/commit.db`);
  try {
    await db.$client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
    const n = 200;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      await db.$client.execute({ sql: "INSERT INTO t (body) VALUES (?)", args: ["x"] });
    }
    return (performance.now() - started) / n;
  } finally {
    closeDb(db);
    await Deno.remove(temp, { recursive: true });
  }
}

/** The machine's load average over the last minute. */
export async function loadAverage(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ")[0];
}

/** CPU time (user + system) used so far, in ms: by this process, or by the calling thread. */
export function cpuTimeMs(of: "process" | "thread"): number {
  const stat = Deno.readTextFileSync(
    of === "process" ? "/proc/self/stat" : "/proc/thread-self/stat",
  );
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
