/**
 * Webhook signing secrets in the form Standard Webhooks libraries read:
 * `whsec_` + standard base64 of random bytes. Secrets made before that form
 * carry base64url after `whsec_`; they are read as they are, so both kinds
 * sign alike.
 */
import { fromBase64, toBase64 } from "./tokens.ts";

/** What every webhook secret starts with. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** Random bytes in a new secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 24;

/** How long a rotated-out secret still signs deliveries, beside the new one. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

/** A new signing secret: `whsec_` + standard base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/**
 * The key bytes a Standard Webhooks signature is made with: what follows
 * `whsec_`, base64-decoded, whether standard base64 (new secrets) or
 * base64url (older ones). A secret that is not base64 at all signs with its
 * UTF-8 bytes.
 */
export function webhookSecretKey(secret: string): Uint8Array {
  const text = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  const standard = text.replaceAll("-", "+").replaceAll("_", "/");
  try {
    const key = fromBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, "="));
    if (key.length > 0) return key;
  } catch {
    // not base64: fall through
  }
  return new TextEncoder().encode(secret);
}
