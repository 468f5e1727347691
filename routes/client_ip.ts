import type { Context } from "hono";
import { getConnInfo } from "hono/deno";

/**
 * The client's address: the socket's peer, or with `trustProxy` the first
 * address in `X-Forwarded-For` (set by the reverse proxy in front of Kabar).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
