/**
 * Kabar: WhatsApp + Telegram gateway and team inbox.
 *
 * The wiring: configuration -> data dir -> database -> migrations -> HTTP
 * server, and the command-line subcommands. `createApp` builds the HTTP app
 * from explicit dependencies so tests can run it on a temporary database.
 */
import { Hono } from "hono";
import { AppError } from "./core/app_error.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import {
  type Config,
  ConfigError,
  parseConfig,
  SETTING_FLAGS,
  type SettingName,
} from "./core/config.ts";
import { DEFAULT_LANGUAGE } from "./core/i18n.ts";
import { createLogger, type Logger } from "./core/log.ts";
import { HTTP_BUCKETS, Metrics } from "./core/metrics.ts";
import { DEFAULT_RATE_LIMIT, MAX_RATE_LIMIT, newApiKeySchema } from "./core/api_key_input.ts";
import { API_SCOPES } from "./core/api_scopes.ts";
import { ROLES } from "./core/permissions.ts";
import type { SecretBox } from "./core/secret_box.ts";
import { randomToken } from "./core/tokens.ts";
import { newUserSchema } from "./core/user_input.ts";
import { CLI_ACTOR } from "./db/audit_log.ts";
import { ApiKeyCache, listApiKeys } from "./db/api_keys.ts";
import { ChannelRefs } from "./db/channel_refs.ts";
import { backupDatabase } from "./db/backup.ts";
import { countChannelsByStatus, listChannelStates } from "./db/channels.ts";
import { DEFAULT_GROUP_COMMIT, GroupCommit } from "./db/group_commit.ts";
import { outboxDepth } from "./db/outbox.ts";
import { deliveryBacklog, listWebhooks } from "./db/webhooks.ts";
import { WEBHOOK_ATTEMPT_RESULTS } from "./core/delivery_status.ts";
import { closeDb, migrateDb, migrationState, openDb } from "./db/client.ts";
import { startError } from "./db/errors.ts";
import { WriterThread } from "./db/writer_thread.ts";
import { loadInstanceId, prepareDataDir } from "./db/data_dir.ts";
import { loadSecretKey, SecretKeyError } from "./db/secret_key.ts";
import { countLiveSessions, purgeExpiredSessions } from "./db/login_sessions.ts";
import { countUsers, createUser } from "./db/users.ts";
import { DEMO_MAX_CONTACTS, DEMO_MAX_MESSAGES, seedDemo } from "./db/demo_seed.ts";
import type { AppEnv, Deps } from "./routes/app_env.ts";
import { docsRoutes } from "./routes/api/docs.tsx";
import { errorHandler, notFoundHandler, pageErrors } from "./routes/error_handler.tsx";
import { apiSurface } from "./routes/api/api_surface.ts";
import { indoshopsterSurface, wappinSurface } from "./routes/compat/compat_surfaces.ts";
import { uiSurface } from "./routes/ui/ui_surface.ts";
import { opsRoutes } from "./routes/ops.ts";
import { requestContext } from "./routes/request_context.ts";
import { RateLimiter } from "./routes/rate_limit.ts";
import { staticRoutes } from "./routes/static.ts";
import type { ChannelKind } from "./core/channel_types.ts";
import type { AdapterFactory } from "./sessions/channel.ts";
import { EventBus } from "./sessions/events.ts";
import { InboundPipeline } from "./sessions/inbound.ts";
import { Outbox, SEND_BUCKETS } from "./sessions/outbox.ts";
import { BroadcastRunner } from "./sessions/broadcasts.ts";
import { EventLoopLag, processMetrics } from "./sessions/process_metrics.ts";
import { WebhookWorker } from "./sessions/webhooks.ts";
import { OutboundFetch, type OutboundFetchOptions } from "./sessions/outbound_fetch.ts";
import { ChannelRegistry } from "./sessions/registry.ts";
import { sandboxAdapter } from "./sessions/sandbox.ts";
import { telegramAdapter } from "./sessions/telegram.ts";
import { lazyWhatsappAdapter } from "./sessions/whatsapp_lazy.ts";
import { createServices } from "./services/services.ts";
import { PresenceBoard } from "./sessions/presence.ts";
import denoJson from "./deno.json" with { type: "json" };

/** Kabar's version, from deno.json. */
export const VERSION: string = denoJson.version;

/**
 * The HTTP application: the request context, the public files and probes,
 * then each surface with its own callers, body limits and error shape.
 */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext(deps));
  app.route("/", staticRoutes());
  app.route("/", opsRoutes(deps));
  app.route("/", docsRoutes(deps));
  app.route("/", apiSurface(deps));
  app.route("/", wappinSurface(deps));
  app.route("/", indoshopsterSurface(deps));
  app.route("/", uiSurface(deps));
  app.onError(errorHandler(deps, pageErrors));
  app.notFound(notFoundHandler(deps, pageErrors));
  return app;
}

/** What tests may replace when booting. */
export interface BootOptions {
  /** Adapter factories by channel kind (the real ones by default). */
  factories?: Partial<Record<ChannelKind, AdapterFactory>>;
  /** How URLs fetched on someone's behalf are resolved (the system's resolver by default). */
  outbound?: OutboundFetchOptions;
  /**
   * The outbox and the webhook worker look for work at least this often while
   * idle, finding what another process wrote without being heard (none by default).
   */
  idleCheckMs?: number;
}

/** `kabar serve`'s idle check: work another process left unannounced waits at most this long. */
const SERVE_IDLE_CHECK_MS = 30_000;

/**
 * Prepares the data dir, opens and migrates the database, and assembles the
 * dependencies. Channels are not started: `serve` does that.
 */
export async function boot(
  config: Config,
  log: Logger,
  clock: Clock = systemClock,
  options: BootOptions = {},
): Promise<Deps> {
  const files = await prepareDataDir(config.dataDir, config.dbUrl);
  if (files.fixed > 0) {
    log.warn("file permissions narrowed: other local accounts could read the data folder", {
      fixed: files.fixed,
      data_dir: config.dataDir,
    });
  }
  if (files.unfixed.length > 0) {
    log.warn("file permissions could not be narrowed", { paths: files.unfixed });
  }
  const db = await openDb(config.dbUrl, config.dbAuthToken, log);
  let secretBox: SecretBox;
  try {
    await migrateDb(db);
    secretBox = await loadSecretKey(db, clock, config.dataDir, config.secretKey);
  } catch (e) {
    closeDb(db);
    throw e;
  }
  const metrics = new Metrics();
  // Every family is shown from the start, its unlabelled series at 0.
  metrics.counter(
    "kabar_http_requests_total",
    "HTTP requests by method, route and status.",
    [],
  );
  metrics.histogram(
    "kabar_http_request_duration_seconds",
    "Time taken to answer HTTP requests, by method, route and status.",
    HTTP_BUCKETS,
  );
  metrics.counter("kabar_login_failures_total", "Failed sign-in attempts.");
  // Per channel and per webhook, every series is shown at 0 before its first increase, so a
  // rate over the first failure sees it.
  const channelSeries = async () =>
    (await listChannelStates(db)).map(({ id }) => ({ channel: String(id) }));
  metrics.counter("kabar_messages_sent_total", "Messages a channel accepted.", channelSeries);
  metrics.counter(
    "kabar_send_failures_total",
    "Failed send attempts.",
    async () =>
      (await channelSeries()).flatMap((labels) => [
        { ...labels, final: "false" },
        { ...labels, final: "true" },
      ]),
  );
  metrics.histogram(
    "kabar_send_seconds",
    "Time the channel took to accept a message.",
    SEND_BUCKETS,
  );
  metrics.counter(
    "kabar_webhook_attempts_total",
    "Webhook delivery attempts.",
    async () =>
      (await listWebhooks(db)).flatMap(({ id }) =>
        WEBHOOK_ATTEMPT_RESULTS.map((result) => ({ webhook: String(id), result }))
      ),
  );
  processMetrics(metrics, new EventLoopLag());
  metrics.gauge(
    "kabar_build_info",
    "Kabar's version.",
    () => Promise.resolve([{ labels: { version: VERSION }, value: 1 }]),
  );
  metrics.gauge(
    "kabar_login_sessions",
    "Signed-in staff sessions.",
    async () => [
      { labels: {}, value: await countLiveSessions(db, clock) },
    ],
  );
  metrics.gauge(
    "kabar_disk_free_bytes",
    "Bytes free on the filesystem of the data folder.",
    () => {
      const free = db.$disk.freeBytes(config.dataDir);
      return Promise.resolve(free === undefined ? [] : [{ labels: {}, value: free }]);
    },
  );
  metrics.gauge(
    "kabar_disk_writes_refused",
    "1 while writes are refused because the disk is full, else 0.",
    () => Promise.resolve([{ labels: {}, value: db.$disk.failure ? 1 : 0 }]),
  );
  const events = new EventBus();
  const writer = new GroupCommit(db, DEFAULT_GROUP_COMMIT, log, clock);
  const inbound = new InboundPipeline({ db, clock, log, writer, events, dataDir: config.dataDir });
  const registry = new ChannelRegistry({
    db,
    clock,
    log,
    secretBox,
    dataDir: config.dataDir,
    events,
    writer,
    inbound,
    mediaMaxBytes: config.mediaMaxBytes,
    owner: await loadInstanceId(config.dataDir),
    factories: {
      whatsapp: lazyWhatsappAdapter(),
      telegram: telegramAdapter(config.telegramApiRoot),
      sandbox: sandboxAdapter(),
      ...options.factories,
    },
  });
  metrics.gauge(
    "kabar_outbox_messages",
    "Outbound messages waiting, by channel and status.",
    async () =>
      (await outboxDepth(db)).map(({ channelId, status, n }) => ({
        labels: { channel: String(channelId), status },
        value: n,
      })),
  );
  metrics.gauge(
    "kabar_webhook_backlog",
    "Webhook deliveries waiting (pending) and given up (failed), by webhook.",
    async () =>
      (await deliveryBacklog(db)).flatMap(({ webhookId, pending, failed }) => [
        { labels: { webhook: String(webhookId), state: "pending" }, value: pending },
        { labels: { webhook: String(webhookId), state: "failed" }, value: failed },
      ]),
  );
  metrics.gauge(
    "kabar_channels",
    "Channels by status.",
    async () =>
      (await countChannelsByStatus(db)).map(({ status, n }) => ({
        labels: { status },
        value: n,
      })),
  );
  metrics.gauge(
    "kabar_channel_state",
    "Each channel's status: 1 on the series labelled with it.",
    async () =>
      (await listChannelStates(db)).map(({ id, kind, status }) => ({
        labels: { channel: String(id), kind, status },
        value: 1,
      })),
  );
  const outbox = new Outbox({
    db,
    writer,
    clock,
    log,
    events,
    registry,
    dataDir: config.dataDir,
    timeZone: config.timeZone,
    metrics,
    idleCheckMs: options.idleCheckMs,
  });
  const broadcastRunner = new BroadcastRunner({
    db,
    writer,
    clock,
    log,
    events,
    timeZone: config.timeZone,
    wakeOutbox: (channelId) => outbox.wake(channelId),
    idleCheckMs: options.idleCheckMs,
  });
  const outbound = new OutboundFetch({ log, ...options.outbound });
  const webhooks = new WebhookWorker({
    outbound,
    db,
    writer,
    clock,
    log,
    events,
    secretBox,
    options: {
      timeoutMs: config.webhookTimeoutMs,
      retryForMs: config.webhookRetryMs,
      idleCheckMs: options.idleCheckMs,
    },
    metrics,
  });
  const apiKeys = new ApiKeyCache(db, clock);
  const channelRefs = new ChannelRefs(db);
  return {
    db,
    config,
    log,
    clock,
    secretBox,
    metrics,
    version: VERSION,
    events,
    registry,
    writer,
    outbox,
    broadcastRunner,
    webhooks,
    outbound,
    apiKeys,
    rateLimiter: new RateLimiter(clock),
    channelRefs,
    presence: new PresenceBoard(events, clock),
    services: createServices({
      apiKeys,
      channelRefs,
      writer,
      dataDir: config.dataDir,
      mediaMaxBytes: config.mediaMaxBytes,
      phoneRegion: config.phoneRegion,
      timeZone: config.timeZone,
      db,
      clock,
      log,
      secretBox,
      events,
      registry,
      outbox,
      broadcastRunner,
      webhooks,
      outbound,
      telegramApiRoot: config.telegramApiRoot,
      inbound,
    }),
  };
}

// --- command line ------------------------------------------------------------

const USAGE = `Kabar ${VERSION}: WhatsApp + Telegram gateway and team inbox

Usage: kabar [command] [options]

Commands:
  serve                  run Kabar (the default)
  migrate                apply database migrations and exit
  user create            create a staff account
      --username NAME      sign-in name (required)
      --role ROLE          admin | supervisor | agent (required)
      --display-name NAME  full name (default: the username)
      --password-stdin     read the password from standard input
                           (otherwise a random one is generated and printed)
  backup FILE            write a consistent copy of the database to FILE
                         and the media folder to FILE.media/
  apikey create          make an API key; the key alone is the last line printed
      --name NAME          what uses it (required)
      --scopes A,B         comma-separated: ${API_SCOPES.join(", ")}
      --ips LIST           only from these addresses or CIDR ranges (comma-separated)
      --channel ID         only through this channel
      --rate-limit N       requests a second (bursts of 2N); 0: no limit
                           (default: ${DEFAULT_RATE_LIMIT})
  apikey list            list API keys (never the keys themselves)
  apikey revoke ID       revoke an API key
  demo seed              fill the inbox with a hospital's made-up conversations
                         on two sandbox channels (running it again adds more)
      --contacts N         patients (default: 200)
      --messages N         messages over the last 90 days (default: 3000)
  version                print the version

Options (each also an environment variable, see README):
  --port, --host, --data-dir, --db-url, --base-url, --log-level, --trust-proxy,
  --metrics-token
`;

/** A wrong command line: printed as one line, exit code 2. */
class UsageError extends Error {}

interface ParsedArgs {
  command: string[];
  settings: Partial<Record<SettingName, string>>;
  options: Record<string, string | true>;
}

const COMMAND_OPTIONS: Record<string, { value: string[]; flag: string[] }> = {
  "apikey create": {
    value: ["--name", "--scopes", "--ips", "--channel", "--rate-limit"],
    flag: [],
  },
  "user create": {
    value: ["--username", "--role", "--display-name"],
    flag: ["--password-stdin"],
  },
  "demo seed": { value: ["--contacts", "--messages", "--seed"], flag: [] },
};

function parseArgs(args: string[]): ParsedArgs {
  const parsed: ParsedArgs = { command: [], settings: {}, options: {} };
  const rest = [...args];
  while (rest.length) {
    const arg = rest.shift()!;
    if (!arg.startsWith("--")) {
      parsed.command.push(arg);
      continue;
    }
    if (arg === "--help") {
      parsed.options["--help"] = true;
      continue;
    }
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const command = parsed.command.join(" ");
    const spec = COMMAND_OPTIONS[command];
    if (spec?.flag.includes(name)) {
      parsed.options[name] = true;
      continue;
    }
    const setting = SETTING_FLAGS.get(name);
    if (!setting && !spec?.value.includes(name)) {
      throw new UsageError(`unknown option ${name} (see kabar --help)`);
    }
    const value = inline ?? rest.shift();
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (setting) parsed.settings[setting] = value;
    else parsed.options[name] = value;
  }
  return parsed;
}

function configFrom(args: ParsedArgs): Config {
  return parseConfig(Deno.env.toObject(), args.settings, Deno.cwd());
}

/** `kabar apikey create | list | revoke ID`. */
async function apiKeyCommand(args: ParsedArgs, log: Logger): Promise<number> {
  const [, action, id, extra] = args.command;
  const config = configFrom(args);
  if (action === "create" && id === undefined) {
    const parsed = newApiKeySchema.safeParse({
      name: args.options["--name"] ?? "",
      scopes: String(args.options["--scopes"] ?? "").split(",").map((s) => s.trim())
        .filter(Boolean),
      ipAllowlist: args.options["--ips"] === undefined ? "" : String(args.options["--ips"]),
      channelId: args.options["--channel"] === undefined ? "" : String(args.options["--channel"]),
      rateLimit: args.options["--rate-limit"] === undefined
        ? ""
        : String(args.options["--rate-limit"]),
    });
    if (!parsed.success) {
      const field = String(parsed.error.issues[0].path[0]);
      const option = {
        name: "--name",
        scopes: "--scopes",
        ipAllowlist: "--ips",
        rateLimit: "--rate-limit",
      }[field] ?? "--channel";
      const hint = {
        "--name": "1 to 80 characters",
        "--scopes": `one or more of ${API_SCOPES.join(", ")}`,
        "--ips": "addresses or CIDR ranges such as 10.20.0.0/16, comma-separated",
        "--channel": "the id of a channel",
        "--rate-limit": `requests a second, a whole number from 0 (no limit) to ${MAX_RATE_LIMIT}`,
      }[option];
      throw new UsageError(`${option} is not valid: ${hint}`);
    }
    const { key, apiKey } = await withDb(config, log, async (deps) => {
      try {
        return await deps.services.apiKeys.create(CLI_ACTOR, parsed.data);
      } catch (e) {
        if (e instanceof AppError && e.status === 422) {
          throw new UsageError(`--channel is not valid: ${e.message}`);
        }
        throw e;
      }
    });
    console.log(`created API key ${apiKey.id} "${apiKey.name}": ${apiKey.scopes.join(", ")}`);
    console.log("store it now; it is not shown again:");
    console.log(key);
    return 0;
  }
  if (action === "list" && id === undefined) {
    const keys = await withDb(config, log, (deps) => listApiKeys(deps.db));
    if (keys.length === 0) console.log("no API keys");
    for (const k of keys) {
      const state = k.revokedAt
        ? "revoked"
        : k.lastUsedAt
        ? `last used ${new Date(k.lastUsedAt).toISOString()}`
        : "never used";
      const rate = k.rateLimit === null
        ? `${DEFAULT_RATE_LIMIT}/s (default)`
        : k.rateLimit === 0
        ? "no rate limit"
        : `${k.rateLimit}/s`;
      console.log(`${k.id}\t${k.prefix}…\t${k.name}\t${k.scopes.join(",")}\t${state}\t${rate}`);
    }
    return 0;
  }
  if (action === "revoke" && id !== undefined && extra === undefined) {
    if (!/^\d+$/.test(id)) throw new UsageError(`apikey revoke needs a key id, not "${id}"`);
    const key = await withDb(config, log, async (deps) => {
      try {
        return await deps.services.apiKeys.revoke(CLI_ACTOR, Number(id));
      } catch (e) {
        if (e instanceof AppError && e.status === 404) throw new UsageError(e.message);
        throw e;
      }
    });
    console.log(`revoked API key ${key.id} "${key.name}"`);
    return 0;
  }
  throw new UsageError("use: kabar apikey create --name NAME --scopes A,B | list | revoke ID");
}

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of Deno.stdin.readable) chunks.push(chunk);
  const text = new TextDecoder().decode(
    chunks.reduce((all, c) => {
      const out = new Uint8Array(all.length + c.length);
      out.set(all);
      out.set(c, all.length);
      return out;
    }, new Uint8Array()),
  );
  return text.replace(/\r?\n$/, "");
}

async function withDb<T>(
  config: Config,
  log: Logger,
  run: (deps: Deps) => Promise<T>,
): Promise<T> {
  const deps = await boot(config, log).catch((e) => {
    throw startError(e, config.dataDir);
  });
  try {
    return await run(deps);
  } finally {
    closeDb(deps.db);
  }
}

/**
 * The address a person opens: the base URL when set, else the listening address
 * (`localhost` for one on every interface); `/setup` on a new install.
 */
function startUrl(config: Config, hostname: string, port: number, newInstall: boolean): string {
  const host = hostname === "0.0.0.0" || hostname === "::"
    ? "localhost"
    : hostname.includes(":")
    ? `[${hostname}]`
    : hostname;
  const base = config.baseUrl?.replace(/\/+$/, "") ?? `http://${host}:${port}`;
  return `${base}${newInstall ? "/setup" : "/"}`;
}

async function serve(config: Config, log: Logger): Promise<void> {
  const deps = await boot(config, log, systemClock, { idleCheckMs: SERVE_IDLE_CHECK_MS }).catch(
    (e) => {
      throw startError(e, config.dataDir);
    },
  );
  const writerThread = await WriterThread.start(deps.db, log).catch((e) => {
    log.warn("the writer thread could not start; writes go through the main connection", {
      error: String(e),
    });
    return undefined;
  });
  const app = createApp(deps);
  // The event-loop lag is measured continuously while serving.
  const lag = new EventLoopLag();
  lag.start();
  processMetrics(deps.metrics, lag);
  const newInstall = (await countUsers(deps.db)) === 0;
  // `onListen` replaces Deno's own "Listening on" line: standard output stays JSON.
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    onListen: ({ hostname, port }) => {
      const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
      const openUrl = startUrl(config, hostname, port, newInstall);
      const terminal = Deno.stderr.isTerminal();
      log.info("listening", {
        url,
        data_dir: config.dataDir,
        version: VERSION,
        // Where a person starts; in a terminal it is said in a sentence instead.
        ...(terminal ? {} : { open_url: openUrl }),
      });
      if (terminal) {
        console.error(
          newInstall
            ? `\nKabar is running. Open ${openUrl} in a browser to create the administrator account.\n`
            : `\nKabar is running. Open ${openUrl} in a browser to sign in.\n`,
        );
      }
    },
  }, app.fetch);

  // Other processes on the same database hear this one's events, and it theirs.
  await deps.events.share({ db: deps.db, writer: deps.writer, log, origin: randomToken(12) });
  deps.outbox.start();
  deps.broadcastRunner.start();
  await deps.webhooks.start();
  const started = deps.registry.startAll().catch((e) =>
    log.error("channels could not be started", { error: String(e) })
  );

  const purge = setInterval(() => {
    purgeExpiredSessions(deps.db, deps.clock).catch((e) =>
      log.warn("session purge failed", { error: e })
    );
  }, 60 * 60 * 1000);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    clearInterval(purge);
    deps.events.close();
    // Stops accepting connections and lets the requests in flight finish.
    server.shutdown();
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));

  await server.finished;
  lag.stop();
  // Writes still kept for a full disk are tried once more; the rest are given up, counted.
  await deps.writer.kept.stop();
  await deps.broadcastRunner.stop();
  await deps.outbox.stop();
  await deps.registry.stopAll();
  await started;
  await deps.webhooks.stop();
  await deps.events.finish();
  deps.outbound.close();
  await deps.writer.flush();
  await writerThread?.stop();
  closeDb(deps.db);
  log.info("stopped");
}

async function runCommand(args: ParsedArgs, log: Logger): Promise<number> {
  const command = args.command.join(" ") || "serve";
  if (args.options["--help"] || command === "help") {
    console.log(USAGE);
    return 0;
  }
  switch (command) {
    case "version":
      console.log(`kabar ${VERSION}`);
      return 0;
    case "serve":
      await serve(configFrom(args), log);
      return 0;
    case "migrate": {
      const state = await withDb(
        configFrom(args),
        log,
        (deps) => migrationState(deps.db),
      );
      console.log(`migrations applied: ${state.applied} of ${state.shipped}`);
      return 0;
    }
    case "user create": {
      const config = configFrom(args);
      const generated = args.options["--password-stdin"] ? undefined : randomToken(12);
      const password = generated ?? (await readStdin());
      const username = String(args.options["--username"] ?? "");
      const input = newUserSchema.safeParse({
        username,
        displayName: args.options["--display-name"] ?? username,
        role: args.options["--role"],
        language: DEFAULT_LANGUAGE,
        password,
      });
      if (!input.success) {
        // Report the options in the order a person types them, so a missing
        // --username is not reported as the display name it defaults to.
        const options: Record<string, { option: string; hint: string }> = {
          username: {
            option: "--username",
            hint: "3-32 lowercase letters, digits, dot, dash or underscore",
          },
          role: { option: "--role", hint: ROLES.join(" | ") },
          displayName: { option: "--display-name", hint: "1 to 80 characters" },
          password: {
            option: "the password read by --password-stdin",
            hint: "10 to 200 characters",
          },
        };
        const issues = input.error.issues;
        const field = Object.keys(options).find((f) => issues.some((i) => i.path[0] === f));
        const { option, hint } = field
          ? options[field]
          : { option: `--${String(issues[0].path[0])}`, hint: issues[0].message };
        throw new UsageError(`${option} is not valid: ${hint}`);
      }
      const user = await withDb(
        config,
        log,
        (deps) => createUser(deps.db, deps.clock, CLI_ACTOR, input.data),
      );
      console.log(`created ${user.role} ${user.username}`);
      if (generated) console.log(`password: ${generated}`);
      return 0;
    }
    case "demo seed":
      return await demoSeedCommand(args, log);
    default:
      if (args.command[0] === "backup") return await backup(args, log);
      if (args.command[0] === "apikey") return await apiKeyCommand(args, log);
      throw new UsageError(`unknown command "${command}" (see kabar --help)`);
  }
}

/** `kabar demo seed [--contacts N] [--messages N]`: made-up conversations to look at. */
async function demoSeedCommand(args: ParsedArgs, log: Logger): Promise<number> {
  const count = (option: string, fallback: number, max: number) => {
    const text = args.options[option];
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(String(text)) ? Number(text) : NaN;
    if (!(n <= max)) {
      throw new UsageError(`${option} is not valid: a whole number from 0 to ${max}`);
    }
    return n;
  };
  const contacts = count("--contacts", 200, DEMO_MAX_CONTACTS);
  const messages = count("--messages", 3000, DEMO_MAX_MESSAGES);
  const seed = args.options["--seed"] === undefined ? undefined : count("--seed", 0, 2 ** 31);
  if (contacts === 0 && messages > 0) {
    throw new UsageError("--messages needs --contacts above 0: messages come from patients");
  }
  const started = performance.now();
  let shown = 0;
  const report = await withDb(
    configFrom(args),
    log,
    (deps) =>
      seedDemo(deps.db, deps.clock, deps.config.dataDir, {
        contacts,
        messages,
        seed,
        progress: (done) => {
          // About every tenth of the way.
          if (messages > 0 && done.messages - shown < messages / 10) return;
          shown = done.messages;
          console.log(`  ${done.contacts} contacts, ${done.messages} messages…`);
        },
      }),
  );
  const things = (list: { name: string; created: boolean }[]) =>
    list.map((t) => `${t.name}${t.created ? " (new)" : ""}`).join(", ");
  console.log(`channels: ${things(report.channels)}`);
  console.log(`departments: ${things(report.departments)}`);
  console.log(`labels: ${things(report.labels)}`);
  console.log(
    report.assignees.length
      ? `assigned ${report.assigned} conversations to: ${
        report.assignees.map((a) => a.name).join(", ")
      }`
      : "no agents yet: conversations are not assigned (no accounts were created)",
  );
  console.log(
    `added ${report.contacts} contacts, ${report.conversations} conversations ` +
      `(${report.labelled} labelled), ${report.messages} messages, ${report.events} status events ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

async function backup(args: ParsedArgs, log: Logger): Promise<number> {
  const file = args.command[1];
  if (!file || args.command.length > 2) {
    throw new UsageError("backup needs one file name: kabar backup FILE");
  }
  const config = configFrom(args);
  const { mediaFiles } = await withDb(
    config,
    log,
    (deps) => backupDatabase(deps.db, config.dbUrl, config.dataDir, file),
  );
  console.log(
    `backup written to ${file} (${mediaFiles} media files in ${file}.media)`,
  );
  return 0;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let level: Config["logLevel"] = "info";
  try {
    const args = parseArgs(argv);
    const command = args.command.join(" ");
    const needsConfig = !args.options["--help"] && command !== "help" && command !== "version";
    if (needsConfig) level = configFrom(args).logLevel;
    // Every other command writes into the data folder or a backup: for Kabar's account only.
    if (needsConfig && Deno.build.os !== "windows") Deno.umask(0o077);
    const log = createLogger(level, systemClock, (line) => console.log(line));
    return await runCommand(args, log);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof SecretKeyError) {
      console.error(`kabar: ${e.message}`);
      return 2;
    }
    if (e instanceof AppError && e.status < 500) {
      console.error(`kabar: ${e.message}`);
      return 1;
    }
    console.error(`kabar: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
