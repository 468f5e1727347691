/** Where a webhook or callback URL points, checked when it is set. */
import { forbidden, invalidInput } from "../core/app_error.ts";
import type { OutboundFetch } from "../sessions/outbound_fetch.ts";

/**
 * Refuses a URL that can never be delivered to: an address that is never a
 * destination, or one on the private network when `privateNetwork` is not
 * set — a 403 when the caller could not set it anyway (`mayAllowPrivate`
 * false), else a 422 on `field`. A name that does not resolve now is
 * accepted: DNS may be down for a while. Every delivery is checked again,
 * against the address it actually connects to.
 */
export async function checkWebhookTarget(
  outbound: OutboundFetch,
  url: string,
  options: { privateNetwork: boolean; mayAllowPrivate: boolean; field?: string },
): Promise<void> {
  const field = options.field ?? "url";
  const scope = await outbound.scopeOf(url);
  if (scope === "forbidden") {
    throw invalidInput(`${url} can never receive webhooks`, { [field]: "err.target_forbidden" });
  }
  if (scope !== "private" || options.privateNetwork) return;
  if (!options.mayAllowPrivate) {
    throw forbidden(
      `${url} is on a private network; only a key with the scope * may point a webhook there`,
      { [field]: "on a private network: needs a key with the scope *" },
    );
  }
  throw invalidInput(
    `${url} is on a private network: set private_network to deliver there`,
    { [field]: "err.target_private" },
  );
}
