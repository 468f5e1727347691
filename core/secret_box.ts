import { fromBase64, toBase64 } from "./tokens.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const VERSION = "v1.";

/** The fewest characters a secret key has, whether from `KABAR_SECRET_KEY` or `secret.key`. */
const SECRET_KEY_MIN_LENGTH = 32;

/**
 * What makes `key` unusable as a secret key ("is empty", "holds 13
 * characters, …"), or undefined when it is long enough. Spaces around it do
 * not count.
 */
export function secretKeyProblem(key: string): string | undefined {
  const length = key.trim().length;
  if (length === 0) return `is empty; a key needs at least ${SECRET_KEY_MIN_LENGTH} characters`;
  if (length < SECRET_KEY_MIN_LENGTH) {
    return `holds ${length} characters; a key needs at least ${SECRET_KEY_MIN_LENGTH}`;
  }
  return undefined;
}

/**
 * Encrypts secrets kept in the database (TOTP secrets, channel credentials,
 * bot tokens) with AES-256-GCM under a key derived from Kabar's secret key.
 */
export class SecretBox {
  private constructor(private readonly key: CryptoKey) {}

  /** Derives the encryption key from the secret key text; refuses an empty or short one. */
  static async fromSecret(secret: string): Promise<SecretBox> {
    const problem = secretKeyProblem(secret);
    if (problem) throw new Error(`the secret key ${problem}`);
    const material = await crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      "HKDF",
      false,
      ["deriveKey"],
    );
    const key = await crypto.subtle.deriveKey(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: encoder.encode("kabar"),
        info: encoder.encode("secret-box"),
      },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    return new SecretBox(key);
  }

  /** `v1.` + base64(iv || ciphertext). */
  async seal(plaintext: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv },
        this.key,
        encoder.encode(plaintext),
      ),
    );
    const all = new Uint8Array(iv.length + ct.length);
    all.set(iv);
    all.set(ct, iv.length);
    return VERSION + toBase64(all);
  }

  /** Decrypts what `seal` produced; throws when the key is wrong or the data altered. */
  async open(sealed: string): Promise<string> {
    if (!sealed.startsWith(VERSION)) throw new Error("unknown secret format");
    const all = fromBase64(sealed.slice(VERSION.length));
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: all.slice(0, 12) },
      this.key,
      all.slice(12),
    );
    return decoder.decode(pt);
  }
}
