/**
 * The shape of a message table: every key carries its text in every language,
 * side by side, so a missing translation is a type error where it is written.
 */

/** Languages of the interface; Bahasa Indonesia is the default. */
export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A text that depends on `{count}`, one form per `Intl.PluralRules` category
 * of its language (English: `one`, `other`; Indonesian: `other` only).
 * `other` is always there: it is used for categories not written out.
 */
export type PluralText = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & {
  readonly other: string;
};

/** One language's text of a message: plain, or by plural form. */
export type Text = string | PluralText;

/** One message: its text in every language. */
export type Message = { readonly [L in Language]: Text };

/** A feature's messages by key (`"channels.title": { en: "Channels", id: "Saluran" }`). */
export type Messages = Readonly<Record<string, Message>>;
