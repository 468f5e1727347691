import type { Hono } from "hono";
import { ManualClock } from "../../core/clock.ts";
import { parseConfig } from "../../core/config.ts";
import { createLogger, silentLogger } from "../../core/log.ts";
import { closeDb } from "../../db/client.ts";
import { WriterThread } from "../../db/writer_thread.ts";
import { createUser, type User } from "../../db/users.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import type { Role } from "../../core/permissions.ts";
import { boot, type BootOptions, createApp } from "../../main.ts";
import type { AppEnv, Deps } from "../../routes/app_env.ts";
import { testNetwork } from "./test_network.ts";

/**
 * A Kabar app on a fresh database file in a temp dir, with a manual clock.
 * Disposable: `await using t = await startTestApp();` closes it when the test
 * ends, however it ends.
 */
export interface TestApp extends AsyncDisposable {
  app: Hono<AppEnv>;
  deps: Deps;
  clock: ManualClock;
  dir: string;
  /** Stops everything and removes the temp dir; once (later calls wait for the first). */
  close(): Promise<void>;
  /**
   * Serves the app on a free port of 127.0.0.1, as `kabar serve` does, for
   * tests that must go through a real socket; stopped by `close()`.
   */
  serve(): string;
  /** Creates an account directly in the database. */
  addUser(username: string, role: Role, password?: string): Promise<User>;
}

/** The password `addUser` gives when none is named. */
export const TEST_PASSWORD = "correct horse battery";

/** How long a step of starting or closing a test app may take before it is named on stderr. */
const SLOW_STEP_MS = 60_000;

/**
 * Awaits `work`; when it takes longer than SLOW_STEP_MS, says which step it
 * is, so a test run that hangs says where.
 */
async function watched<T>(step: string, work: Promise<T>): Promise<T> {
  const timer = setTimeout(
    () => console.error(`test app: "${step}" still not done after ${SLOW_STEP_MS / 1000} s`),
    SLOW_STEP_MS,
  );
  Deno.unrefTimer(timer);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a test app: `await using t = await startTestApp();` (or call `close()`). */
export async function startTestApp(
  env: Record<string, string> = {},
  options: BootOptions = {},
): Promise<TestApp> {
  const dir = await Deno.makeTempDir({ prefix: "kabar-test-" });
  const config = parseConfig({ KABAR_DATA_DIR: dir, ...env }, {}, "/");
  const clock = new ManualClock();
  const deps = await watched(
    "boot",
    boot(
      config,
      Deno.env.get("KABAR_TEST_LOG")
        ? createLogger("debug", clock, (l) => console.error(l))
        : silentLogger,
      clock,
      { outbound: testNetwork(), ...options },
    ),
  );
  // As `kabar serve` runs: group commits on the writer thread.
  const writerThread = await watched(
    "writer thread start",
    WriterThread.start(deps.db, silentLogger),
  );
  deps.outbox.start();
  deps.broadcastRunner.start();
  await watched("webhooks start", deps.webhooks.start());
  const app = createApp(deps);
  const servers: Deno.HttpServer[] = [];
  const shutDown = async () => {
    await watched("servers shutdown", Promise.all(servers.map((s) => s.shutdown())));
    deps.events.close();
    await watched("kept writes stop", deps.writer.kept.stop());
    // Together: a send still waiting on the manual clock (a sandbox network's delay, when a
    // test failed before advancing it) ends as its channel stops, instead of holding the
    // outbox's stop, and the test run, for good.
    await watched(
      "outbox, channels and broadcast runner stop",
      Promise.all([deps.outbox.stop(), deps.registry.stopAll(), deps.broadcastRunner.stop()]),
    );
    await watched("webhooks stop", deps.webhooks.stop());
    deps.outbound.close();
    await watched("writer flush", deps.writer.flush());
    await watched("writer thread stop", writerThread?.stop() ?? Promise.resolve());
    closeDb(deps.db);
    await Deno.remove(dir, { recursive: true });
  };
  let closing: Promise<void> | undefined;
  const close = () => closing ??= shutDown();
  return {
    app,
    deps,
    clock,
    dir,
    serve() {
      const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
      servers.push(server);
      return `http://127.0.0.1:${server.addr.port}`;
    },
    close,
    [Symbol.asyncDispose]: close,
    addUser: (username, role, password = TEST_PASSWORD) =>
      createUser(deps.db, clock, CLI_ACTOR, {
        username,
        displayName: username[0].toUpperCase() + username.slice(1),
        role,
        language: "en",
        departmentIds: [],
        password,
      }),
  };
}
