import { Secret, TOTP } from "otpauth";

const PERIOD_MS = 30_000;
const ISSUER = "Kabar";

/** A new random TOTP secret, base32 encoded. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI an authenticator app scans. */
export function totpUri(secretBase32: string, account: string): string {
  return totp(secretBase32, account).toString();
}

/**
 * Checks a 6-digit code at time `nowMs`, allowing one step of clock drift.
 * Returns the accepted time step, or null. A step at or before `lastUsedStep`
 * is refused so a code cannot be replayed.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secretBase32, "").validate({
    token,
    timestamp: nowMs,
    window: 1,
  });
  if (delta === null) return null;
  const step = Math.floor(nowMs / PERIOD_MS) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

/**
 * Whether `code` is right but of a time step already used (at or before `lastUsedStep`): the
 * code that just turned two-step verification on, or one that just signed in. Then the person
 * waits for the next code; it is no wrong guess.
 */
export function totpAlreadyUsed(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): boolean {
  return lastUsedStep !== null && verifyTotp(secretBase32, code, nowMs, null) !== null &&
    verifyTotp(secretBase32, code, nowMs, lastUsedStep) === null;
}

/** The current code for a secret; used by tests and by nothing else. */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return totp(secretBase32, "").generate({ timestamp: nowMs });
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** `count` one-time recovery codes like `k7mq-x2pa-9tfe`. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    const chars = Array.from(
      bytes,
      (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length],
    );
    return [0, 4, 8].map((i) => chars.slice(i, i + 4).join("")).join("-");
  });
}

/** Recovery codes compared without case, spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secretBase32),
    digits: 6,
    period: PERIOD_MS / 1000,
  });
}
