const encoder = new TextEncoder();

/** Standard base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Bytes of a standard base64 string. */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

/** A random, URL-safe token carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** `bytes` random bytes as lowercase hex, the form Wappin's keys and tokens have. */
export function randomHex(bytes: number): string {
  let hex = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) hex += HEX_BYTES[byte];
  return hex;
}

/** Milliseconds in hex: 11 characters last until the year 2527. */
const TIME_HEX_CHARS = 11;
let idCounter = -1;

/**
 * `hexChars` (at least 12) uppercase hex characters that grow with time: the
 * milliseconds first, then a counter that starts at a random value in each
 * process, so two processes rarely meet. Ids made this way land at the end of
 * an index instead of anywhere in it, which keeps inserting them cheap.
 */
export function timeOrderedHex(hexChars: number): string {
  const counterChars = Math.min(hexChars - TIME_HEX_CHARS, 13);
  const counterRange = 16 ** counterChars;
  if (idCounter < 0) {
    const [high, low] = crypto.getRandomValues(new Uint32Array(2));
    // In the lower half: millions of ids go by before it wraps (and breaks the order once).
    idCounter = (high * 2 ** 32 + low) % (counterRange / 2);
  }
  idCounter = (idCounter + 1) % counterRange;
  const time = Date.now().toString(16).padStart(TIME_HEX_CHARS, "0");
  const counter = idCounter.toString(16).padStart(hexChars - TIME_HEX_CHARS, "0");
  return (time + counter).toUpperCase();
}

/** Lowercase hex SHA-256 of `text`; how tokens are stored. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", encoder.encode(text)),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that does not depend on where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  }
  return diff === 0;
}
