/**
 * Which network an IP address is on, for the guard in front of every URL
 * Kabar fetches on someone's behalf.
 */
import { inRange, parseAddress, parseRange } from "./ip_allowlist.ts";

/**
 * `public`: the internet. `private`: the hospital's own network (loopback,
 * private, link-local, unique-local, shared address space), reachable only
 * when allowed. `forbidden`: never a destination (unspecified, multicast,
 * broadcast, reserved, Teredo). Each is wider than the one before.
 */
export const ADDRESS_SCOPES = ["public", "private", "forbidden"] as const;
export type AddressScope = typeof ADDRESS_SCOPES[number];

const V4: [string, AddressScope][] = [
  ["0.0.0.0/8", "forbidden"],
  ["224.0.0.0/4", "forbidden"],
  ["240.0.0.0/4", "forbidden"],
  ["127.0.0.0/8", "private"],
  ["10.0.0.0/8", "private"],
  ["172.16.0.0/12", "private"],
  ["192.168.0.0/16", "private"],
  ["169.254.0.0/16", "private"],
  ["100.64.0.0/10", "private"],
  ["192.0.0.0/24", "private"],
  ["198.18.0.0/15", "private"],
  // Not reachable on the internet (RFC 6890): if they answer, they answer from inside.
  ["192.0.2.0/24", "private"],
  ["198.51.100.0/24", "private"],
  ["203.0.113.0/24", "private"],
  ["192.88.99.0/24", "private"],
];

const V6: [string, AddressScope][] = [
  ["::/128", "forbidden"],
  ["ff00::/8", "forbidden"],
  ["100::/64", "forbidden"],
  ["2001::/32", "forbidden"],
  ["2001:10::/28", "forbidden"],
  ["2001:20::/28", "forbidden"],
  ["2001:db8::/32", "private"],
  ["3fff::/20", "private"],
  ["2001:2::/48", "private"],
  ["::1/128", "private"],
  ["fc00::/7", "private"],
  ["fe80::/10", "private"],
  ["fec0::/10", "private"],
  ["64:ff9b:1::/48", "private"],
];

const parsed = (table: [string, AddressScope][]) =>
  table.map(([cidr, scope]) => ({ range: parseRange(cidr)!, scope }));

const V4_RANGES = parsed(V4);
const V6_RANGES = parsed(V6);

/** The IPv4 address an IPv6 one carries (compatible, SIIT, NAT64, 6to4), if any. */
function embeddedV4(bits: bigint): bigint | undefined {
  const low = bits & 0xffffffffn;
  if (bits >> 32n === 0n) return low; // ::a.b.c.d (:: and ::1 are judged before)
  if (bits >> 32n === 0xffff0000n) return low; // ::ffff:0:a.b.c.d
  if (bits >> 32n === 0x0064ff9b0000000000000000n) return low; // 64:ff9b::a.b.c.d
  if (bits >> 112n === 0x2002n) return (bits >> 80n) & 0xffffffffn; // 2002:aabb:ccdd::
  return undefined;
}

function v4Scope(bits: bigint): AddressScope {
  return V4_RANGES.find(({ range }) => inRange(bits, range))?.scope ?? "public";
}

/**
 * The scope of an IP address, or undefined when `address` is not one. One of
 * `own` (the addresses of the machine Kabar runs on) is `private` however it
 * looks: what listens there is inside, even on a public address.
 */
export function addressScope(
  address: string,
  own: readonly string[] = [],
): AddressScope | undefined {
  const scope = rangeScope(address);
  return scope === "public" && own.some((mine) => sameAddress(mine, address)) ? "private" : scope;
}

/** Whether two addresses are one, an IPv4 address and the IPv6 forms that carry it included. */
function sameAddress(a: string, b: string): boolean {
  const x = canonical(a);
  const y = canonical(b);
  return x !== undefined && x === y;
}

function canonical(address: string): string | undefined {
  const ip = parseAddress(address);
  if (!ip) return undefined;
  const v4 = ip.version === 4 ? ip.bits : embeddedV4(ip.bits);
  return v4 === undefined ? `6:${ip.bits}` : `4:${v4}`;
}

function rangeScope(address: string): AddressScope | undefined {
  const ip = parseAddress(address);
  if (!ip) return undefined;
  if (ip.version === 4) return v4Scope(ip.bits);
  const listed = V6_RANGES.find(({ range }) => inRange(ip.bits, range));
  if (listed) return listed.scope;
  const v4 = embeddedV4(ip.bits);
  return v4 === undefined ? "public" : v4Scope(v4);
}

/**
 * Whether an address may be connected to; `privateAllowed` opens the
 * hospital's own network, and `own` lists the machine's addresses.
 */
export function addressAllowed(
  address: string,
  privateAllowed: boolean,
  own: readonly string[] = [],
): boolean {
  const scope = addressScope(address, own);
  return scope === "public" || (scope === "private" && privateAllowed);
}
