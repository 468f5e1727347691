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

const UPPER_HEX_BYTES = HEX_BYTES.map((hex) => hex.toUpperCase());
const idPool = new Uint8Array(4096);
let idPoolAt = idPool.length;

/**
 * `bytes` random bytes as uppercase hex, for identifiers (not secrets): they
 * come from a pool, so one call to the system's generator serves hundreds.
 */
export function randomIdHex(bytes: number): string {
  if (idPoolAt + bytes > idPool.length) {
    crypto.getRandomValues(idPool);
    idPoolAt = 0;
  }
  let hex = "";
  for (let i = idPoolAt; i < idPoolAt + bytes; i++) hex += UPPER_HEX_BYTES[idPool[i]];
  idPoolAt += bytes;
  return hex;
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
