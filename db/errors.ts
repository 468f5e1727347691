import { AppError } from "../core/app_error.ts";
import { freeBytes } from "./free_bytes.ts";

/** The message of an error and of every error in its `cause` chain. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" | ");
}

/** Whether a statement failed on the UNIQUE constraint of `table.column`. */
export function isUniqueViolation(
  error: unknown,
  tableColumn: string,
): boolean {
  return errorText(error).includes(`UNIQUE constraint failed: ${tableColumn}`);
}

/** Whether a trigger aborted the statement with `RAISE(ABORT, 'kabar:<rule>')`. */
export function isRuleViolation(error: unknown, rule: string): boolean {
  return errorText(error).includes(`kabar:${rule}`);
}

/**
 * How little free space makes an I/O error count as a full disk. SQLite
 * reports a write that ran out of space while growing its shared-memory
 * index or syncing as `SQLITE_IOERR_*`, like any other I/O error; only the
 * free space tells the two apart.
 */
const IOERR_FULL_BYTES = 1024 * 1024;

/** What the driver and the OS say, first thing in the message, when only the message is left. */
const MESSAGE_CODES: [RegExp, string][] = [
  [/^database or disk is full/, "SQLITE_FULL"],
  [/^No space left on device/, "ENOSPC"],
  [/^disk I\/O error/, "SQLITE_IOERR"],
];

/**
 * The `extendedCode` and `code` of an error and of every error in its `cause`
 * chain; an error without a code gives the one its message starts with.
 */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const fields = e as Record<string, unknown>;
    const found = [fields.extendedCode, fields.code].filter((c): c is string =>
      typeof c === "string"
    );
    const message = e instanceof Error ? e.message : "";
    const fromMessage = MESSAGE_CODES.find(([start]) => start.test(message))?.[1];
    codes.push(...(found.length === 0 && fromMessage ? [fromMessage] : found));
    e = e instanceof Error ? e.cause : undefined;
  }
  return codes;
}

/**
 * The code that says `error` is a write refused for lack of space:
 * `SQLITE_FULL`, `ENOSPC`, or an I/O error (`SQLITE_IOERR_…`) while the
 * filesystem of `dir` has less than {@link IOERR_FULL_BYTES} free. Undefined
 * for every other failure.
 */
function lackOfSpace(error: unknown, dir?: string): string | undefined {
  const codes = errorCodes(error);
  const full = codes.find((code) => code === "SQLITE_FULL" || code === "ENOSPC");
  if (full) return full;
  const ioError = codes.find((code) => code.startsWith("SQLITE_IOERR"));
  if (!ioError || dir === undefined) return undefined;
  const free = freeBytes(dir);
  return free !== undefined && free < IOERR_FULL_BYTES ? ioError : undefined;
}

/** The reason of a file refused because it would leave less room than the database keeps. */
export const LOW_SPACE = "LOW_SPACE";

/**
 * A write refused because the disk is full: nothing of it was stored. The
 * API answers 507 `disk_full`, the pages an error page saying so; internal
 * writes are kept and tried again (`KeptWrites`).
 */
export class DiskFullError extends AppError {
  constructor(
    /** The code the failure came with (`SQLITE_FULL`, `ENOSPC`, `SQLITE_IOERR_…`). */
    readonly reason: string,
    /** The folder whose disk is full. */
    readonly path: string | undefined,
    readonly freeBytes: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(
      507,
      "disk_full",
      "Kabar could not store this: the disk of the data folder is " +
        (reason === LOW_SPACE ? "nearly full" : "full") +
        (freeBytes === undefined ? "" : ` (${freeBytes} bytes free)`) +
        (reason === LOW_SPACE ? ", and the last of it is kept for messages and receipts" : "") +
        ". Nothing was saved; try again once space has been freed.",
      { free_bytes: freeBytes ?? null, reason },
    );
    this.name = "DiskFullError";
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * `error` as a {@link DiskFullError} when it is one, has one in its cause
 * chain, or is a failure for lack of space on the disk of `dir`; undefined
 * otherwise.
 */
export function asDiskFull(error: unknown, dir?: string): DiskFullError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof DiskFullError) return e;
    e = e.cause;
  }
  const reason = lackOfSpace(error, dir);
  return reason ? new DiskFullError(reason, dir, freeBytes(dir), { cause: error }) : undefined;
}

/** Whether `error` is, or was caused by, a write refused for lack of space. */
export function isDiskFull(error: unknown): boolean {
  return asDiskFull(error) !== undefined;
}

/** A start refused because the disk is full: its message names the data folder and its free space. */
class DiskFullAtStart extends Error {
  constructor(dataDir: string, reason: string, options: { cause?: unknown } = {}) {
    const free = freeBytes(dataDir);
    super(
      `the disk of the data folder ${dataDir} is full ` +
        `(${free === undefined ? "free space unknown" : `${free} bytes free`}; ${reason}): ` +
        "Kabar cannot start. Free some space on it, then start Kabar again.",
      options,
    );
    this.name = "DiskFullAtStart";
  }
}

/** `error` as a {@link DiskFullAtStart} when a full disk caused it; as it is otherwise. */
export function startError(error: unknown, dataDir: string): unknown {
  const full = asDiskFull(error, dataDir);
  return full ? new DiskFullAtStart(dataDir, full.reason, { cause: error }) : error;
}
