import type { LogLevel } from "./config.ts";
import type { Clock } from "./clock.ts";

/** Extra fields of a log line. */
export type LogFields = Record<string, unknown>;

/** Structured logger: one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, e.g. a request id. */
  with(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};
const SECRET_FIELD = /pass|secret|token|authorization|cookie|api_?key|recovery|totp|^code$/i;

/** An error as a log line carries it: always an object, whatever was thrown or passed. */
export interface LoggedError {
  message: string;
  code?: string;
  stack?: string;
}

/** `value` (an Error, a message, anything thrown) as `{ message, code?, stack? }`. */
export function loggedError(value: unknown): LoggedError {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      message: value.message,
      ...(typeof code === "string" || typeof code === "number"
        ? { code: String(code) }
        : value.name && value.name !== "Error"
        ? { code: value.name }
        : {}),
      ...(value.stack ? { stack: value.stack } : {}),
    };
  }
  if (typeof value === "string") return { message: value };
  if (value !== null && typeof value === "object" && "message" in value) {
    const { message, code } = value as { message: unknown; code?: unknown };
    return {
      message: String(message),
      ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
    };
  }
  return { message: String(value) };
}

/** `channelId` -> `channel_id`, `content-type` -> `content_type`. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9_]+/g, "_")
    .toLowerCase();
}

/** Replaces the values of fields whose names look secret, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  // Deeper than this is cut off rather than written unredacted.
  if (depth > 5) return "[too deep]";
  if (value instanceof Error) return loggedError(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) ? "[redacted]" : redact(v, depth + 1);
  }
  return out;
}

/**
 * A line's fields as log stores ingest them without mapping conflicts: keys in
 * snake_case, secrets redacted, and `error` always `{ message, code?, stack? }`.
 */
function shape(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > 5) return "[too deep]";
  if (value instanceof Error) return loggedError(value);
  if (Array.isArray(value)) return value.map((v) => shape(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = snakeCase(k);
    if (v === undefined) continue;
    out[key] = SECRET_FIELD.test(k)
      ? "[redacted]"
      : key === "error"
      ? loggedError(v)
      : shape(v, depth + 1);
  }
  return out;
}

/** Creates a JSON-lines logger writing lines at or above `level` to `write`. */
export function createLogger(
  level: LogLevel,
  clock: Clock,
  write: (line: string) => void,
  base: LogFields = {},
): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < RANK[level]) return;
    const line = {
      time: new Date(clock.now()).toISOString(),
      level: lvl,
      msg,
      ...(shape({ ...base, ...fields }) as LogFields),
    };
    write(JSON.stringify(line));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    with: (fields) => createLogger(level, clock, write, { ...base, ...fields }),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  with: () => silentLogger,
};
