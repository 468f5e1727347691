/**
 * Kabar as a real process (`main.ts serve` on a free port of 127.0.0.1), for
 * tests that need a browser, signals, or a hard kill.
 */
import { fileURLToPath } from "node:url";

const MAIN_TS = fileURLToPath(new URL("../../main.ts", import.meta.url));
const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** A Kabar server running as a subprocess. */
export interface Kabar {
  url: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /**
   * Stops the server (SIGTERM, then SIGKILL) and waits for its output to end;
   * answers how it exited (code 0: a clean shutdown).
   */
  stop(): Promise<Deno.CommandStatus>;
  /** Kills the server at once (SIGKILL: no shutdown at all) and waits for it to end. */
  kill(): Promise<void>;
}

/** Reads a byte stream to its end, calling `onLine` for each complete line. */
async function pumpLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
  }
  if (buffered) onLine(buffered);
}

/** Starts `main.ts serve` on a free port of 127.0.0.1 and waits for its "listening" line. */
export async function startKabar(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Kabar> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN_TS, "serve"],
    cwd: PROJECT_DIR,
    env: {
      KABAR_DATA_DIR: dataDir,
      KABAR_PORT: "0",
      KABAR_HOST: "127.0.0.1",
      KABAR_LOG_LEVEL: "info",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  const lines: string[] = [];
  const { promise: listening, resolve, reject } = Promise.withResolvers<string>();
  const onLine = (line: string) => {
    lines.push(line);
    if (!line.startsWith("{")) return;
    try {
      const entry = JSON.parse(line);
      if (entry.msg === "listening" && typeof entry.url === "string") resolve(entry.url);
    } catch {
      // not a log line
    }
  };
  // Both pipes are read to their end so the server never blocks on a full pipe.
  const pumps = Promise.all([
    pumpLines(child.stdout, onLine),
    pumpLines(child.stderr, (line) => lines.push(line)),
  ]);
  const output = () => lines.join("\n");
  const status = child.status.then((s) => {
    reject(new Error(`Kabar exited (code ${s.code}) before listening:\n${output()}`));
    return s;
  });

  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    killTimer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
    }, STOP_TIMEOUT_MS);
    try {
      const ended = await status;
      await pumps;
      return ended;
    } finally {
      clearTimeout(killTimer);
    }
  };

  const kill = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await status;
    await pumps;
  };

  let startTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    const url = await Promise.race([
      listening,
      new Promise<never>((_, fail) => {
        startTimer = setTimeout(
          () => fail(new Error(`Kabar did not log "listening" in time:\n${output()}`)),
          STARTUP_TIMEOUT_MS,
        );
      }),
    ]);
    return { url, output, stop, kill };
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(startTimer);
  }
}
