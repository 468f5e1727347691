/**
 * The interface's texts in every language. The messages live one file per
 * feature under `core/i18n/`, each key with all its languages side by side;
 * this module joins them and translates.
 */
import { account } from "./i18n/account.ts";
import { apiDocs } from "./i18n/api_docs.ts";
import { apiKeys } from "./i18n/api_keys.ts";
import { broadcasts } from "./i18n/broadcasts.ts";
import { audit } from "./i18n/audit.ts";
import { channels } from "./i18n/channels.ts";
import { common } from "./i18n/common.ts";
import { contacts } from "./i18n/contacts.ts";
import { departments } from "./i18n/departments.ts";
import { empty } from "./i18n/empty.ts";
import { errors } from "./i18n/errors.ts";
import { integrations } from "./i18n/integrations.ts";
import { inbox } from "./i18n/inbox.ts";
import { labels } from "./i18n/labels.ts";
import { login } from "./i18n/login.ts";
import { type Language, LANGUAGES, type Message, type PluralText } from "./i18n/message.ts";
import { nav } from "./i18n/nav.ts";
import { optOuts } from "./i18n/opt_outs.ts";
import { pacing } from "./i18n/pacing.ts";
import { phone } from "./i18n/phone.ts";
import { sandbox } from "./i18n/sandbox.ts";
import { sendReasons } from "./i18n/send_reasons.ts";
import { templates } from "./i18n/templates.ts";
import { users } from "./i18n/users.ts";
import { webhooks } from "./i18n/webhooks.ts";

export const DEFAULT_LANGUAGE: Language = "id";

/** Native names, shown in the language switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  id: "Bahasa Indonesia",
  en: "English",
};

/** The feature tables; a new file under `core/i18n/` is added here. */
export const MESSAGE_TABLES = {
  common,
  nav,
  errors,
  empty,
  login,
  account,
  users,
  departments,
  audit,
  apiDocs,
  apiKeys,
  broadcasts,
  webhooks,
  templates,
  pacing,
  sandbox,
  channels,
  phone,
  integrations,
  inbox,
  contacts,
  labels,
  optOuts,
  sendReasons,
} as const;

type Tables = typeof MESSAGE_TABLES;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends
  (i: infer I) => void ? I : never;

/** All messages by key, from every feature table. */
const MESSAGES = Object.assign({}, ...Object.values(MESSAGE_TABLES)) as UnionToIntersection<
  Tables[keyof Tables]
>;

/** A key of the message table. */
export type MessageKey = keyof typeof MESSAGES;

/** Keys whose text depends on `{count}` (plural forms in some language). */
export type PluralKey = {
  [K in MessageKey]: (typeof MESSAGES)[K] extends { readonly [L in Language]: string } ? never
    : K;
}[MessageKey];

/** Values for a message's `{name}` placeholders. */
export type Params = Readonly<Record<string, string | number>>;

/** The parameters of `key`: a plural message needs its `count`. */
export type ParamsOf<K extends MessageKey> = K extends PluralKey
  ? [params: Params & { readonly count: number }]
  : [params?: Params];

/**
 * Translates a key, filling `{name}` placeholders from `params`; a key with
 * plural forms picks one by `params.count`. Keys are checked when compiled.
 */
export interface Translate {
  <K extends MessageKey>(key: K, ...params: ParamsOf<K>): string;
  /**
   * The text of a key that arrives as data (a status reason from the
   * database, a code made from a value), or undefined when there is no such
   * message, so the caller chooses what to show instead.
   */
  maybe(key: string, params?: Params): string | undefined;
}

/** Every message key. */
export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];

/** Whether `key` is in the message table (for keys that arrive as data). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/** The message of `key` as written, with every language, or undefined. */
export function messageOf(key: string): Message | undefined {
  return isMessageKey(key) ? MESSAGES[key] : undefined;
}

function pluralForm(forms: PluralText, rules: Intl.PluralRules, count: unknown): string {
  if (typeof count !== "number") return forms.other;
  return forms[rules.select(count)] ?? forms.other;
}

function fill(text: string, params: Params): string {
  return text.replace(
    /\{(\w+)\}/g,
    (all, name: string) => Object.hasOwn(params, name) ? String(params[name]) : all,
  );
}

/**
 * The translate function for `language`. A key that is not in the table
 * (only possible through a cast) gives the key itself, never undefined.
 */
export function translator(language: Language): Translate {
  const rules = new Intl.PluralRules(language);
  const text = (message: Message, params?: Params): string => {
    const written = message[language];
    const chosen = typeof written === "string"
      ? written
      : pluralForm(written, rules, params?.count);
    return params ? fill(chosen, params) : chosen;
  };
  const maybe = (key: string, params?: Params): string | undefined => {
    const message = messageOf(key);
    return message && text(message, params);
  };
  const translate = (key: string, params?: Params) => maybe(key, params) ?? key;
  return Object.assign(translate, { maybe }) as Translate;
}

/** A supported language from free text (a cookie, a form), or undefined. */
export function parseLanguage(
  value: string | null | undefined,
): Language | undefined {
  return (LANGUAGES as readonly string[]).includes(value ?? "") ? value as Language : undefined;
}

/** The first language of an Accept-Language header Kabar speaks (`id-ID,en;q=0.8` → id). */
export function acceptedLanguage(header: string | undefined): Language | undefined {
  for (const tag of (header ?? "").split(",")) {
    const language = parseLanguage(tag.split(";")[0].trim().split("-")[0].toLowerCase());
    if (language) return language;
  }
  return undefined;
}
