/**
 * IP allow-lists: single addresses and CIDR ranges, IPv4 and IPv6. An
 * IPv4 address seen as IPv6 (`::ffff:10.0.0.5`) matches its IPv4 entries.
 */

/** An address or range, as bits to compare. */
export interface Range {
  version: 4 | 6;
  bits: bigint;
  prefix: number;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** An address as a full-length range, or undefined when it is not one. */
export function parseAddress(text: string): Range | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { version: 4, bits: v4, prefix: 32 };
  const v6 = parseV6(text.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (v6 === undefined) return undefined;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address.
  if (v6 >> 32n === 0xffffn) return { version: 4, bits: v6 & 0xffffffffn, prefix: 32 };
  return { version: 6, bits: v6, prefix: 128 };
}

/** A range from `10.0.0.0/8`, `2001:db8::/32` or a single address; undefined when malformed. */
export function parseRange(text: string): Range | undefined {
  const [address, prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const range = parseAddress(address);
  if (!range) return undefined;
  if (prefixText === undefined) return range;
  const max = range.version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { ...range, prefix: Number(prefixText) };
}

/** Whether `address` is in any of `entries`; an empty list allows every address. */
export function ipAllowed(entries: readonly string[], address: string): boolean {
  if (entries.length === 0) return true;
  const ip = parseAddress(address);
  if (!ip) return false;
  return entries.some((entry) => {
    const range = parseRange(entry);
    return range !== undefined && range.version === ip.version && inRange(ip.bits, range);
  });
}

/** Whether the address `bits` (of the range's IP version) is in `range`. */
export function inRange(bits: bigint, range: Range): boolean {
  const shift = BigInt((range.version === 4 ? 32 : 128) - range.prefix);
  return (bits >> shift) === (range.bits >> shift);
}
