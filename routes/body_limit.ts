import type { MiddlewareHandler } from "hono";
import { bodyLimit as countedLimit } from "hono/body-limit";
import { AppError } from "../core/app_error.ts";
import type { AppEnv } from "./app_env.ts";

/**
 * Caps the request body at `maxBytes` (413 `too_large` beyond). A surface
 * declares its limits in order, the most specific first: the first one that
 * matches a request sets its limit, the later ones leave it.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = () => {
    throw new AppError(413, "too_large", `The request body is over ${maxBytes} bytes`, {
      max_bytes: maxBytes,
    });
  };
  const counted = countedLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    if (c.get("bodyLimit") !== undefined) return next();
    c.set("bodyLimit", maxBytes);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    // The server reads no more than a declared length, so it alone decides; the
    // body is left untouched, which keeps reading it fast.
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > maxBytes ? tooLarge() : next();
    }
    return counted(c, next);
  };
}

/** Largest form a page accepts, and largest JSON body without a file. */
export const MAX_FORM_BYTES = 1024 * 1024;

/** The limit for a body that carries a file of up to `mediaMaxBytes` (base64 grows it by a third). */
export function fileBodyBytes(mediaMaxBytes: number): number {
  return Math.ceil(mediaMaxBytes * 4 / 3) + 64 * 1024;
}
