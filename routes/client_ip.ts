import type { Context } from "hono";
import { getConnInfo } from "hono/deno";
import { clientAddress, type TrustProxy } from "../core/client_address.ts";

/**
 * The client's address: the socket's peer, or behind trusted reverse proxies
 * the right-most `X-Forwarded-For` address that is not one of them (see
 * `clientAddress`).
 */
export function clientIp(c: Context, trustProxy: TrustProxy): string {
  let peer = "unknown";
  try {
    peer = getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // No socket (a request handed to the app directly).
  }
  return clientAddress(peer, c.req.header("x-forwarded-for"), trustProxy);
}
