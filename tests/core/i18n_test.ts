import assert from "node:assert/strict";
import {
  isMessageKey,
  LANGUAGES,
  MESSAGE_KEYS,
  parseLanguage,
  translator,
} from "../../core/i18n.ts";

/** `{name}` placeholders; `{{variable}}` is template syntax shown to the user, not one. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)].map((m) => m[1]).sort();
}

Deno.test("every key has a text in both languages", () => {
  assert.ok(MESSAGE_KEYS.length > 50, `found ${MESSAGE_KEYS.length} keys`);
  for (const key of MESSAGE_KEYS) {
    assert.ok(isMessageKey(key), key);
    for (const language of LANGUAGES) {
      assert.ok(translator(language)(key).trim().length > 0, `${language} ${key} has a text`);
    }
  }
});

Deno.test("both languages use the same placeholders for each key", () => {
  const english = translator("en");
  const indonesian = translator("id");
  for (const key of MESSAGE_KEYS) {
    assert.deepEqual(placeholders(indonesian(key)), placeholders(english(key)), key);
  }
});

Deno.test("the translator fills placeholders and leaves unknown ones visible", () => {
  const en = translator("en");
  const id = translator("id");
  assert.equal(en("user.signed_in_as", { name: "Siti" }), "Signed in as Siti");
  assert.match(id("user.signed_in_as", { name: "Siti" }), /Siti/);
  assert.doesNotMatch(id("user.signed_in_as", { name: "Siti" }), /\{name\}/);
  assert.equal(en("field.password.hint", { min: 10 }), "At least 10 characters");
  assert.equal(en("user.signed_in_as"), "Signed in as {name}", "no params: the text as is");
  assert.equal(en("user.signed_in_as", {}), "Signed in as {name}");
  assert.equal(en("nav.inbox"), "Inbox");
  assert.equal(id("nav.inbox"), "Kotak Masuk");
});

Deno.test("a language is read from free text, anything else is undefined", () => {
  assert.equal(parseLanguage("id"), "id");
  assert.equal(parseLanguage("en"), "en");
  for (const v of ["EN", "fr", "", null, undefined, "en-US"]) {
    assert.equal(parseLanguage(v), undefined);
  }
  assert.equal(isMessageKey("nav.inbox"), true);
  assert.equal(isMessageKey("no.such.key"), false);
  assert.equal(isMessageKey("toString"), false, "not fooled by object properties");
});
