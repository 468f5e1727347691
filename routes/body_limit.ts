import type { MiddlewareHandler } from "hono";
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
  return async (c, next) => {
    if (c.get("bodyLimit") !== undefined) return next();
    c.set("bodyLimit", maxBytes);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    // The server reads no more than a declared length, so it alone decides; the
    // body is left untouched, which keeps reading it fast.
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > maxBytes ? tooLarge() : next();
    }
    const body = c.req.raw.body;
    if (!body) return next();
    // No declared length: read it here, up to the limit, so the route gets it whole.
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let read;
      try {
        read = await reader.read();
      } catch {
        // The client broke the body off or garbled it: its fault, said as such.
        throw new AppError(400, "bad_request", "The request body could not be read to its end");
      }
      if (read.done) break;
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge();
      }
      chunks.push(read.value);
    }
    const whole = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    return next();
  };
}

/** Largest form a page accepts, and largest JSON body without a file. */
export const MAX_FORM_BYTES = 1024 * 1024;

/** The limit for a body that carries a file of up to `mediaMaxBytes` (base64 grows it by a third). */
export function fileBodyBytes(mediaMaxBytes: number): number {
  return Math.ceil(mediaMaxBytes * 4 / 3) + 64 * 1024;
}
