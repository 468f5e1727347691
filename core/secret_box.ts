import { fromBase64, toBase64 } from "./tokens.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const VERSION = "v1.";

/**
 * Encrypts secrets kept in the database (TOTP secrets, channel credentials,
 * bot tokens) with AES-256-GCM under a key derived from Kabar's secret key.
 */
export class SecretBox {
  private constructor(private readonly key: CryptoKey) {}

  /** Derives the encryption key from the secret key text. */
  static async fromSecret(secret: string): Promise<SecretBox> {
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
