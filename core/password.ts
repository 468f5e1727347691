import { hash, verify } from "@node-rs/argon2";

/** The shortest password Kabar accepts. */
export const MIN_PASSWORD_LENGTH = 10;

/** argon2id hash of `password` (the library's default algorithm and costs). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Whether `password` matches `passwordHash`; false for a malformed hash. */
export async function verifyPassword(
  passwordHash: string,
  password: string,
): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one verification when the account does not exist, so the
 * answer time does not tell which usernames exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hash("kabar-no-such-user");
  await verifyPassword(await dummyHash, password);
  return false;
}
