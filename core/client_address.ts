/**
 * Which address a request came from when reverse proxies stand in front of
 * Kabar: each proxy appends the address it was called from to
 * `X-Forwarded-For`, so the entries Kabar can believe are the right-most ones,
 * those written by proxies it trusts. The left-most entry is whatever the
 * client chose to send.
 */
import { ipAllowed, parseRange } from "./ip_allowlist.ts";

/**
 * `false`: the socket's peer is the client. `true`: exactly one proxy, whatever
 * its address. A list: the addresses and CIDR ranges of the trusted proxies.
 */
export type TrustProxy = boolean | readonly string[];

/** Whether `text` is one IPv4 or IPv6 address (not a range). */
function isIpAddress(text: string): boolean {
  return text !== "" && !text.includes("/") && parseRange(text) !== undefined;
}

/**
 * Reads `KABAR_TRUST_PROXY`: `true`/`1`, `false`/`0`, or addresses and CIDR
 * ranges separated by commas. A wrong entry is named in `bad`.
 */
export function parseTrustProxy(
  text: string,
): { ok: true; value: TrustProxy } | { ok: false; bad: string } {
  const word = text.trim().toLowerCase();
  if (word === "true" || word === "1") return { ok: true, value: true };
  if (word === "false" || word === "0") return { ok: true, value: false };
  const entries = text.split(",").map((entry) => entry.trim());
  // A range of every address would believe whatever the client writes first.
  const bad = entries.find((entry) => entry === "" || !(parseRange(entry)?.prefix));
  if (bad !== undefined) return { ok: false, bad };
  return { ok: true, value: entries };
}

/** Whether a connection from `peer` comes from a trusted proxy, whose headers may be believed. */
export function trustsPeer(trust: TrustProxy, peer: string): boolean {
  return trust === true || (trust !== false && trust.length > 0 && ipAllowed(trust, peer));
}

/**
 * The client's address, from the socket's `peer` and the `X-Forwarded-For`
 * header. Behind trusted proxies it is the right-most address that is not a
 * trusted proxy; with `true`, the right-most entry. An entry that is not an
 * address stops the walk: the last good address is used, never the garbage.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string {
  if (trust === false) return peer;
  const entries = forwardedFor === undefined ? [] : forwardedFor.split(",").map((e) => e.trim());
  if (trust === true) {
    const last = entries.at(-1);
    return last !== undefined && isIpAddress(last) ? last : peer;
  }
  if (!trustsPeer(trust, peer)) return peer;
  let client = peer;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!isIpAddress(entries[i])) break;
    client = entries[i];
    if (!ipAllowed(trust, client)) break;
  }
  return client;
}
