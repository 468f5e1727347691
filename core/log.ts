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

/** Replaces the values of fields whose names look secret, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  // Deeper than this is cut off rather than written unredacted.
  if (depth > 5) return "[too deep]";
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) ? "[redacted]" : redact(v, depth + 1);
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
      ...(redact({ ...base, ...fields }) as LogFields),
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
