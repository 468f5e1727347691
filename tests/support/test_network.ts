/**
 * A pretend network for the URLs Kabar fetches on someone's behalf: names
 * resolve to the addresses a test gives (else as the system resolves them),
 * and PUBLIC_TEST_ADDRESS, a public address, leads to 127.0.0.1, where the
 * test's servers listen.
 */
import { lookup } from "node:dns/promises";
import type { OutboundFetchOptions } from "../../sessions/outbound_fetch.ts";

/** The address `files.example` and `hooks.example` have: public, served on 127.0.0.1. */
export const PUBLIC_TEST_ADDRESS = "93.184.215.14";

/** Names every test app knows. */
const KNOWN: Record<string, string[]> = {
  "files.example": [PUBLIC_TEST_ADDRESS],
  "hooks.example": [PUBLIC_TEST_ADDRESS],
};

/**
 * Outbound options for `startTestApp`: `names` adds or replaces names (a
 * function is asked at each lookup, for names that change their answer).
 */
export function testNetwork(
  names: Record<string, string[] | (() => string[])> = {},
): OutboundFetchOptions & { lookups: string[] } {
  const lookups: string[] = [];
  const table = { ...KNOWN, ...names };
  return {
    lookups,
    resolve: async (host) => {
      lookups.push(host);
      const entry = table[host.toLowerCase()];
      if (entry) return typeof entry === "function" ? entry() : entry;
      return (await lookup(host, { all: true })).map((a) => a.address);
    },
    connectTo: (address) => (address === PUBLIC_TEST_ADDRESS ? "127.0.0.1" : address),
  };
}

/** `http://files.example:<port>` for a server listening on 127.0.0.1. */
export const publicUrl = (server: Deno.HttpServer<Deno.NetAddr>, host = "files.example") =>
  `http://${host}:${server.addr.port}`;
