import assert from "node:assert/strict";
import { SecretBox } from "../../core/secret_box.ts";
import { fromBase64, toBase64 } from "../../core/tokens.ts";

const KEY = "a".repeat(32);

async function refused(promise: Promise<unknown>, label: string): Promise<void> {
  await assert.rejects(promise, Error, label);
}

Deno.test("what is sealed opens again with the same key, and is not readable as is", async () => {
  const box = await SecretBox.fromSecret(KEY);
  for (const text of ["123456:ABC-bot-token", "", "ñ ü 漢字 🙂", "x".repeat(10_000)]) {
    const sealed = await box.seal(text);
    assert.match(sealed, /^v1\./);
    if (text.length > 3) assert.ok(!sealed.includes(text), "the text is not visible");
    assert.equal(await box.open(sealed), text);
  }
  const again = await SecretBox.fromSecret(KEY);
  assert.equal(
    await again.open(await box.seal("bot token")),
    "bot token",
    "the key is derived the same way",
  );
});

Deno.test("sealing the same text twice gives different results", async () => {
  const box = await SecretBox.fromSecret(KEY);
  assert.notEqual(await box.seal("same"), await box.seal("same"));
});

Deno.test("another key cannot open it", async () => {
  const sealed = await (await SecretBox.fromSecret(KEY)).seal("bot token");
  const other = await SecretBox.fromSecret("b".repeat(32));
  await refused(other.open(sealed), "a different key");
});

Deno.test("altered or foreign text is refused", async () => {
  const box = await SecretBox.fromSecret(KEY);
  const sealed = await box.seal("bot token");
  const bytes = fromBase64(sealed.slice(3));
  for (const i of [0, 12, bytes.length - 1]) {
    const flipped = bytes.slice();
    flipped[i] ^= 1;
    await refused(box.open("v1." + toBase64(flipped)), `byte ${i} flipped`);
  }
  await refused(box.open("v1." + toBase64(bytes.slice(0, -1))), "cut short");
  await refused(box.open(sealed.replace("v1.", "v2.")), "unknown version");
  await refused(box.open("bot token"), "plain text");
  await refused(box.open("v1."), "empty");
});
