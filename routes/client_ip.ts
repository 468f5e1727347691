import type { Context } from "hono";
import { getConnInfo } from "hono/deno";
import { clientAddress, type TrustProxy, trustsPeer } from "../core/client_address.ts";

/**
 * The client's address: the socket's peer, or behind trusted reverse proxies
 * the right-most `X-Forwarded-For` address that is not one of them (see
 * `clientAddress`).
 */
export function clientIp(c: Context, trustProxy: TrustProxy): string {
  return clientAddress(peerOf(c), c.req.header("x-forwarded-for"), trustProxy);
}

/** Whether the request came through a trusted reverse proxy, whose headers may be believed. */
export function fromTrustedProxy(c: Context, trustProxy: TrustProxy): boolean {
  return trustsPeer(trustProxy, peerOf(c));
}

function peerOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // no socket: a request handed to the app directly
  }
}
