import assert from "node:assert/strict";
import {
  isMessageKey,
  MESSAGE_KEYS,
  MESSAGE_TABLES,
  type MessageKey,
  messageOf,
  parseLanguage,
  translator,
} from "../../core/i18n.ts";
import {
  type Language,
  LANGUAGES,
  type Message,
  type Messages,
  type Text,
} from "../../core/i18n/message.ts";

/** `{name}` placeholders; `{{variable}}` is template syntax shown to the user, not one. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)].map((m) => m[1]))].sort();
}

/** The forms of one language's text: one for a plain text, one per plural category. */
function forms(text: Text): Array<[category: string, text: string]> {
  return typeof text === "string" ? [["", text]] : Object.entries(text);
}

function message(key: MessageKey): Message {
  const found = messageOf(key);
  assert.ok(found, key);
  return found;
}

Deno.test("each feature table adds its own keys: none is in two tables, none is lost", () => {
  const seen = new Map<string, string>();
  for (const [table, messages] of Object.entries(MESSAGE_TABLES)) {
    for (const key of Object.keys(messages)) {
      assert.equal(seen.get(key), undefined, `${key} is in ${seen.get(key)} and in ${table}`);
      seen.set(key, table);
    }
  }
  assert.equal(seen.size, MESSAGE_KEYS.length);
  assert.ok(MESSAGE_KEYS.length > 500, `found ${MESSAGE_KEYS.length} keys`);
});

Deno.test("every file under core/i18n/ is one of the joined tables", async () => {
  const dir = new URL("../../core/i18n/", import.meta.url);
  const tables = new Set<unknown>(Object.values(MESSAGE_TABLES));
  let files = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ts") || entry.name === "message.ts") continue;
    files++;
    const exports = Object.values(await import(new URL(entry.name, dir).href));
    assert.equal(exports.length, 1, `${entry.name} exports one table`);
    assert.ok(tables.has(exports[0]), `${entry.name} is listed in MESSAGE_TABLES of core/i18n.ts`);
  }
  assert.equal(files, tables.size);
});

Deno.test("every key has a text in every language, no form empty", () => {
  for (const key of MESSAGE_KEYS) {
    for (const language of LANGUAGES) {
      const text = message(key)[language];
      assert.ok(text !== undefined, `${key} has no ${language} text`);
      for (const [category, form] of forms(text)) {
        assert.equal(typeof form, "string", `${key} ${language} ${category}`);
        assert.ok(form.trim().length > 0, `${key} ${language} ${category} is empty`);
      }
      assert.ok(translator(language)(key).trim().length > 0, `${language} ${key}`);
    }
  }
});

Deno.test("every language and every plural form of a key uses the same placeholders", () => {
  for (const key of MESSAGE_KEYS) {
    const expected = placeholders(forms(message(key).en)[0][1]);
    for (const language of LANGUAGES) {
      for (const [category, form] of forms(message(key)[language])) {
        assert.deepEqual(placeholders(form), expected, `${key} ${language} ${category}: ${form}`);
      }
    }
  }
});

Deno.test("plural forms are exactly the categories of their language, and count is shown", () => {
  let plural = 0;
  for (const key of MESSAGE_KEYS) {
    const m = message(key);
    if (LANGUAGES.every((language) => typeof m[language] === "string")) continue;
    plural++;
    for (const language of LANGUAGES) {
      const text = m[language];
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      if (typeof text === "string") {
        assert.deepEqual(categories, ["other"], `${key} ${language} needs plural forms`);
      } else {
        assert.deepEqual(
          Object.keys(text).sort(),
          [...categories].sort(),
          `${key} ${language}: write exactly the forms ${categories.join(", ")}`,
        );
      }
      assert.match(translator(language)(key, { count: 7 }), /7/, `${key} ${language}`);
    }
  }
  assert.ok(plural >= 5, `found ${plural} plural keys`);
});

Deno.test("the translator fills placeholders and leaves unknown ones visible", () => {
  const en = translator("en");
  const id = translator("id");
  assert.equal(en("user.signed_in_as", { name: "Siti" }), "Signed in as Siti");
  assert.equal(id("user.signed_in_as", { name: "Siti" }), "Masuk sebagai Siti");
  assert.equal(en("user.signed_in_as"), "Signed in as {name}", "no params: the text as is");
  assert.equal(en("user.signed_in_as", {}), "Signed in as {name}");
  assert.equal(en("nav.inbox"), "Inbox");
  assert.equal(id("nav.inbox"), "Kotak Masuk");
});

Deno.test("a plural message picks its form by count, in each language", () => {
  const en = translator("en");
  const id = translator("id");
  assert.equal(en("twofa.recovery_left", { count: 1 }), "1 unused recovery code left.");
  assert.equal(en("twofa.recovery_left", { count: 2 }), "2 unused recovery codes left.");
  assert.equal(en("twofa.recovery_left", { count: 0 }), "0 unused recovery codes left.");
  assert.equal(en("twofa.recovery_left", { count: 1.5 }), "1.5 unused recovery codes left.");
  assert.equal(
    id("twofa.recovery_left", { count: 1 }),
    "Tersisa 1 kode pemulihan yang belum dipakai.",
  );
  assert.equal(
    id("twofa.recovery_left", { count: 9 }),
    "Tersisa 9 kode pemulihan yang belum dipakai.",
  );
  assert.equal(en("field.password.hint", { count: 10 }), "At least 10 characters");
  assert.equal(
    en("login.throttled", { count: 1 }),
    "Too many failed attempts. Try again in 1 minute.",
  );
  assert.equal(
    en("channels.deleted", { name: "CS", count: 1 }),
    "Channel “CS” deleted. 1 message was still waiting.",
  );
  assert.equal(en("apikeys.rate", { count: 1 }), "1 request/s");
  assert.equal(en("apikeys.rate", { count: 20 }), "20 requests/s");
  // Through a key typed only as MessageKey (a flash message), a missing count reads as "other".
  const flash = (key: MessageKey) => en(key);
  assert.equal(flash("twofa.recovery_left"), "{count} unused recovery codes left.");
  // @ts-expect-error: a plural message needs its count.
  en("twofa.recovery_left");
  // @ts-expect-error: the count is a number.
  en("twofa.recovery_left", { count: "3" });
});

Deno.test("an unknown key: a compile error; at run time never undefined", () => {
  const en = translator("en");
  // @ts-expect-error: keys are checked when compiled.
  en("no.such.key");
  assert.equal(en("no.such.key" as MessageKey), "no.such.key", "a key forced in shows as itself");
  assert.equal(en.maybe("no.such.key"), undefined, "maybe: the caller picks the fallback");
  assert.equal(en.maybe("toString"), undefined, "not fooled by object properties");
  assert.equal(en.maybe("__proto__"), undefined);
  assert.equal(en.maybe("nav.inbox"), "Inbox");
  assert.equal(
    en.maybe("channels.reason.unreachable", { service: "Telegram" }),
    "Cannot reach the Telegram servers; trying again",
  );
  assert.equal(
    translator("id").maybe("twofa.recovery_left", { count: 2 }),
    "Tersisa 2 kode pemulihan yang belum dipakai.",
  );
  assert.equal(isMessageKey("nav.inbox"), true);
  assert.equal(isMessageKey("no.such.key"), false);
  assert.equal(isMessageKey("toString"), false, "not fooled by object properties");
  assert.equal(messageOf("hasOwnProperty"), undefined);
});

Deno.test("a message without a language does not compile", () => {
  const _complete = { "x.y": { en: "Yes", id: "Ya" } } satisfies Messages;
  // @ts-expect-error: the Indonesian text is missing.
  const _missing = { "x.y": { en: "Yes" } } satisfies Messages;
  // @ts-expect-error: a plural text needs its `other` form.
  const _noOther = { "x.y": { en: { one: "1 thing" }, id: "{count} hal" } } satisfies Messages;
  // @ts-expect-error: not a language of the interface.
  const _extra = { "x.y": { en: "Yes", id: "Ya", fr: "Oui" } } satisfies Messages;
  const language: Language = "id";
  assert.equal(language, "id");
});

Deno.test("a language is read from free text, anything else is undefined", () => {
  assert.equal(parseLanguage("id"), "id");
  assert.equal(parseLanguage("en"), "en");
  for (const v of ["EN", "fr", "", null, undefined, "en-US", "toString"]) {
    assert.equal(parseLanguage(v), undefined);
  }
});
