import { z } from "zod";
import { parseTrustProxy, type TrustProxy } from "./client_address.ts";
import { parseRange } from "./ip_allowlist.ts";
import { DEFAULT_PHONE_REGION, isPhoneRegion } from "./phone.ts";

/** Log levels, least to most severe. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Kabar's settings after validation. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `file:` path of the embedded database, or a libSQL server URL. */
  dbUrl: string;
  /** Auth token for a remote libSQL server (Turso, sqld with auth). */
  dbAuthToken?: string;
  /** Given by env; when absent it is generated into the data dir. */
  secretKey?: string;
  /** Public URL staff use, e.g. `https://kabar.rs.local`. */
  baseUrl?: string;
  logLevel: LogLevel;
  /**
   * Which reverse proxies' `X-Forwarded-For` to believe: none (`false`), the
   * one in front, whatever its address (`true`), or those at these addresses.
   */
  trustProxy: TrustProxy;
  /** Cookies carry `Secure` when the base URL is https. */
  secureCookies: boolean;
  /** Where Telegram bots talk to: the public Bot API or a local Bot API server. */
  telegramApiRoot: string;
  /** The largest file the API takes (uploads, base64, URLs), in bytes. */
  mediaMaxBytes: number;
  /** How long a webhook endpoint may take to answer, in ms. */
  webhookTimeoutMs: number;
  /** How long a webhook delivery is retried before it is given up, in ms. */
  webhookRetryMs: number;
  /** The time zone of dates written as local time (Wappin's `expired_datetime`). */
  timeZone: string;
  /** The region (ISO 3166 alpha-2, e.g. `ID`) of phone numbers typed without a country code. */
  phoneRegion: string;
  /** Web pages (origins) allowed to call `/sendWhatsappMessage` from a browser; `*` is any. */
  corsOrigins: string[];
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <this>`. */
  metricsToken?: string;
}

/** A setting that cannot be used; `toString` is the one line printed at start-up. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    readonly value: string,
    readonly allowed: string,
  ) {
    super(`${setting}=${JSON.stringify(value)} is not valid: ${allowed}`);
    this.name = "ConfigError";
  }
}

interface SettingSpec {
  env: string;
  flag: string;
  schema: z.ZodType;
  allowed: string;
  /** Never print the value, even a wrong one. */
  secret?: boolean;
  /** What is wrong with a value the schema refused, when it can say more than `allowed`. */
  explain?: (raw: string) => string | undefined;
}

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  });

const SETTINGS = {
  port: {
    env: "KABAR_PORT",
    flag: "--port",
    schema: z.string().trim().regex(/^\d{1,5}$/).transform(Number).pipe(
      z.number().max(65535),
    ),
    allowed: "a port number from 1 to 65535 (0 picks a free port)",
  },
  host: {
    env: "KABAR_HOST",
    flag: "--host",
    schema: z.string().regex(/^[A-Za-z0-9.:\-\[\]]+$/),
    allowed: "an IP address or host name to listen on, e.g. 0.0.0.0",
  },
  dataDir: {
    env: "KABAR_DATA_DIR",
    flag: "--data-dir",
    schema: z.string().min(1),
    allowed: "a folder path",
  },
  dbUrl: {
    env: "KABAR_DB_URL",
    flag: "--db-url",
    schema: url(["file:", "libsql:", "http:", "https:", "ws:", "wss:"]),
    allowed:
      "file:PATH for the embedded database, or a libsql://, http:// or https:// URL of a libSQL server",
  },
  dbAuthToken: {
    env: "KABAR_DB_AUTH_TOKEN",
    flag: "",
    schema: z.string().min(1),
    allowed: "the auth token of the libSQL server",
    secret: true,
  },
  secretKey: {
    env: "KABAR_SECRET_KEY",
    flag: "",
    schema: z.string().min(32),
    allowed: "at least 32 characters (leave unset to have one generated)",
    secret: true,
  },
  baseUrl: {
    env: "KABAR_BASE_URL",
    flag: "--base-url",
    schema: url(["http:", "https:"]),
    allowed: "an http:// or https:// URL, e.g. https://kabar.example.org",
  },
  logLevel: {
    env: "KABAR_LOG_LEVEL",
    flag: "--log-level",
    schema: z.enum(LOG_LEVELS),
    allowed: LOG_LEVELS.join(", "),
  },
  trustProxy: {
    env: "KABAR_TRUST_PROXY",
    flag: "--trust-proxy",
    schema: z.string().transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: parsed.bad });
      return z.NEVER;
    }),
    explain: (raw) => {
      const parsed = parseTrustProxy(raw);
      if (parsed.ok) return undefined;
      if (parsed.bad === "") return "an entry is empty";
      return parseRange(parsed.bad)
        ? `${JSON.stringify(parsed.bad)} would trust every address (use true for one proxy)`
        : `${JSON.stringify(parsed.bad)} is not an IP address or CIDR range`;
    },
    allowed: "false (no proxy), true (one reverse proxy, whatever its address), or the " +
      "addresses or CIDR ranges of the trusted proxies separated by commas, e.g. " +
      "10.0.0.5,192.168.10.0/24 (only behind reverse proxies that set X-Forwarded-For)",
  },
  telegramApiRoot: {
    env: "KABAR_TELEGRAM_API_ROOT",
    flag: "--telegram-api-root",
    schema: url(["http:", "https:"]),
    allowed: "the http:// or https:// URL of a Telegram Bot API server",
  },
  mediaMaxMb: {
    env: "KABAR_MEDIA_MAX_MB",
    flag: "--media-max-mb",
    schema: z.string().trim().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().min(1).max(100)),
    allowed: "a size in megabytes from 1 to 100 (WhatsApp takes documents up to 100 MB)",
  },
  webhookTimeoutS: {
    env: "KABAR_WEBHOOK_TIMEOUT_S",
    flag: "--webhook-timeout-s",
    schema: z.string().trim().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().min(1).max(120)),
    allowed: "seconds from 1 to 120",
  },
  webhookRetryHours: {
    env: "KABAR_WEBHOOK_RETRY_HOURS",
    flag: "--webhook-retry-hours",
    schema: z.string().trim().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().min(1).max(168)),
    allowed: "hours from 1 to 168 (a week)",
  },
  timeZone: {
    env: "KABAR_TIMEZONE",
    flag: "--timezone",
    schema: z.string().refine((v) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: v });
        return true;
      } catch {
        return false;
      }
    }),
    allowed: "an IANA time zone, e.g. Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
  },
  phoneRegion: {
    env: "KABAR_PHONE_REGION",
    flag: "--phone-region",
    schema: z.string().trim().toUpperCase().refine(isPhoneRegion),
    explain: (raw) =>
      /^[A-Za-z]{2}$/.test(raw.trim())
        ? `${JSON.stringify(raw)} is not a region with a telephone numbering plan`
        : undefined,
    allowed: "the two-letter ISO 3166 code of the region whose phone numbers are typed " +
      "without a country code, e.g. ID, MY or SG",
  },
  corsOrigins: {
    env: "KABAR_CORS_ORIGINS",
    flag: "--cors-origins",
    schema: z.string().transform((v) => v.split(/[\s,]+/).filter(Boolean)).pipe(
      z.array(z.string().refine((o) => o === "*" || /^https?:\/\/[^/\s]+$/.test(o))),
    ),
    allowed:
      "origins separated by commas, e.g. https://shop.example.com,http://localhost:3000, or *",
  },
  metricsToken: {
    env: "KABAR_METRICS_TOKEN",
    flag: "--metrics-token",
    schema: z.string().min(16),
    allowed: "at least 16 characters (leave unset to keep /metrics open)",
    secret: true,
  },
} satisfies Record<string, SettingSpec>;

/** The name of a setting, e.g. `port`. */
export type SettingName = keyof typeof SETTINGS;

const DEFAULTS: Partial<Record<SettingName, string>> = {
  port: "8080",
  host: "0.0.0.0",
  dataDir: "./kabar-data",
  logLevel: "info",
  trustProxy: "false",
  telegramApiRoot: "https://api.telegram.org",
  mediaMaxMb: "16",
  webhookTimeoutS: "10",
  webhookRetryHours: "24",
  timeZone: "Asia/Jakarta",
  phoneRegion: DEFAULT_PHONE_REGION,
  corsOrigins: "",
};

/** Flags that name a setting, e.g. `--port` -> `port`. */
export const SETTING_FLAGS: ReadonlyMap<string, SettingName> = new Map(
  (Object.entries(SETTINGS) as [SettingName, SettingSpec][])
    .filter(([, spec]) => spec.flag !== "")
    .map(([name, spec]) => [spec.flag, name]),
);

/**
 * Builds the configuration from environment variables and command-line flags
 * (flags win). Throws `ConfigError` naming the first wrong setting.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  flags: Partial<Record<SettingName, string>> = {},
  cwd = "/",
): Config {
  const values: Partial<Record<SettingName, unknown>> = {};
  for (
    const [name, spec] of Object.entries(SETTINGS) as [
      SettingName,
      SettingSpec,
    ][]
  ) {
    const fromFlag = flags[name];
    const fromEnv = env[spec.env];
    const raw = fromFlag ?? (fromEnv === "" ? undefined : fromEnv) ??
      DEFAULTS[name];
    if (raw === undefined) continue;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      const why = spec.secret ? undefined : spec.explain?.(raw);
      throw new ConfigError(
        fromFlag !== undefined ? spec.flag : spec.env,
        spec.secret ? `(hidden, ${String(raw).length} characters)` : raw,
        why ? `${why}; use ${spec.allowed}` : spec.allowed,
      );
    }
    values[name] = parsed.data;
  }
  const dataDir = absolutePath(values.dataDir as string, cwd);
  const baseUrl = values.baseUrl as string | undefined;
  return {
    port: values.port as number,
    host: values.host as string,
    dataDir,
    dbUrl: (values.dbUrl as string | undefined) ??
      `file:${fileUrlPath(joinPath(dataDir, "kabar.db"))}`,
    dbAuthToken: values.dbAuthToken as string | undefined,
    secretKey: values.secretKey as string | undefined,
    baseUrl: baseUrl?.replace(/\/+$/, ""),
    logLevel: values.logLevel as LogLevel,
    trustProxy: values.trustProxy as TrustProxy,
    secureCookies: baseUrl !== undefined && new URL(baseUrl).protocol === "https:",
    telegramApiRoot: (values.telegramApiRoot as string).replace(/\/+$/, ""),
    mediaMaxBytes: (values.mediaMaxMb as number) * 1024 * 1024,
    webhookTimeoutMs: (values.webhookTimeoutS as number) * 1000,
    webhookRetryMs: (values.webhookRetryHours as number) * 3_600_000,
    timeZone: values.timeZone as string,
    phoneRegion: values.phoneRegion as string,
    corsOrigins: (values.corsOrigins as string[] | undefined) ?? [],
    metricsToken: values.metricsToken as string | undefined,
  };
}

/** A path as the path of a `file:` URL: `%`, `?` and `#` would otherwise be read as URL syntax. */
function fileUrlPath(path: string): string {
  return path.replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith("/") ? dir + file : `${dir}/${file}`;
}

/** `path` made absolute against `cwd`, with `.` and `..` segments resolved. */
function absolutePath(path: string, cwd: string): string {
  const parts: string[] = [];
  for (
    const part of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")
  ) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}
