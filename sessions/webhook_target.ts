/** Where a webhook URL points: the public internet, or the hospital's own network. */
import { isPrivateAddress } from "../core/ip_allowlist.ts";

/**
 * Whether the URL's host is loopback or private (or resolves to such an
 * address). Only administrators may point webhooks there: it reaches
 * systems that are not meant to be reachable from outside.
 */
export async function pointsInside(url: string): Promise<boolean> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return true;
  if (/^[\d.]+$/.test(host) || host.includes(":")) return isPrivateAddress(host);
  const addresses = await Promise.all([
    Deno.resolveDns(host, "A").catch(() => [] as string[]),
    Deno.resolveDns(host, "AAAA").catch(() => [] as string[]),
  ]);
  return addresses.flat().some(isPrivateAddress);
}
