/**
 * What staff type about a contact (name, number, email, notes, free
 * attributes), what they search the contact list with, and how that search
 * becomes a safe query of the trigram index `contacts_fts`.
 */
import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import type { FieldErrors } from "./form.ts";
import { decodeCursor, type KeysetPosition } from "./keyset_cursor.ts";
import { normalisePhone, phoneSearchDigits } from "./phone.ts";
import { parseRecordId } from "./record_id.ts";

export const MAX_CONTACT_NAME = 200;
export const MAX_CONTACT_EMAIL = 254;
export const MAX_CONTACT_NOTES = 5000;
export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTE_KEY = 64;
export const MAX_ATTRIBUTE_VALUE = 1000;

/** A contact's editable details, as stored: the phone in E.164 digits, empty texts as null. */
export interface ContactInput {
  name: string | null;
  phone: string | null;
  email: string | null;
  notes: string | null;
  attributes: Record<string, string>;
}

/** An email address as people write one: something@domain.tld, no spaces. */
export const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

/** Control characters other than line breaks and tabs: never part of a name or a note. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const quoted = (value: string) => {
  const chars = [...value];
  return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : value;
};

const list = (v: unknown): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x));

/** A text field: cleaned by `clean`, empty as null, at most `max` characters. */
const text = (
  max: number,
  key: "err.contact_name_long" | "err.contact_notes_long",
  clean: (typed: string) => string,
) =>
  z.string().default("").transform(clean).refine(
    (v) => [...v].length <= max,
    { error: key, params: { max } },
  ).transform((v) => v === "" ? null : v);

/**
 * The contact form: `name`, `phone` (any form people type, read with
 * `region`), `email`, `notes`, and attribute rows `attr_key` / `attr_value`
 * (repeated; a row with neither is ignored, a row whose position is among
 * `attr_remove` is removed).
 */
export function contactFormSchema(region: string): z.ZodType<ContactInput> {
  const attributes = z.object({
    keys: z.array(z.string()),
    values: z.array(z.string()),
    remove: z.array(z.string()),
  }).transform((v, ctx) => {
    const out: Record<string, string> = {};
    const error = (message: string, params: Record<string, string | number>) => {
      ctx.addIssue({ code: "custom", message, params });
      return z.NEVER;
    };
    const rows = Math.max(v.keys.length, v.values.length);
    for (let i = 0; i < rows; i++) {
      if (v.remove.includes(String(i))) continue;
      const key = (v.keys[i] ?? "").replace(CONTROL, "").trim();
      const value = (v.values[i] ?? "").replace(CONTROL, "").trim();
      if (key === "" && value === "") continue;
      if (key === "") return error("err.contact_attribute_key", { value: quoted(value) });
      if ([...key].length > MAX_ATTRIBUTE_KEY) {
        return error("err.contact_attribute_key_long", {
          value: quoted(key),
          max: MAX_ATTRIBUTE_KEY,
        });
      }
      if ([...value].length > MAX_ATTRIBUTE_VALUE) {
        return error("err.contact_attribute_value_long", {
          value: quoted(key),
          max: MAX_ATTRIBUTE_VALUE,
        });
      }
      if (Object.hasOwn(out, key)) {
        return error("err.contact_attribute_twice", { value: quoted(key) });
      }
      out[key] = value;
    }
    if (Object.keys(out).length > MAX_ATTRIBUTES) {
      return error("err.contact_attributes_many", { max: MAX_ATTRIBUTES });
    }
    return out;
  });
  // The attribute rows become one field, `attributes`, checked with the others.
  return z.preprocess(
    (raw) => {
      const v = (raw ?? {}) as Record<string, unknown>;
      return {
        ...v,
        attributes: {
          keys: list(v.attr_key),
          values: list(v.attr_value),
          remove: list(v.attr_remove),
        },
      };
    },
    z.object({
      name: text(MAX_CONTACT_NAME, "err.contact_name_long", visibleName),
      phone: z.string().default("").transform((v, ctx) => {
        if (v.trim() === "") return null;
        const read = normalisePhone(v, region);
        if (read.ok) return read.phone;
        ctx.addIssue({
          code: "custom",
          message: `err.phone_${read.problem}`,
          params: { value: quoted(v) },
        });
        return z.NEVER;
      }),
      email: z.string().default("").transform((v, ctx) => {
        const email = v.trim();
        if (email === "") return null;
        if (email.length > MAX_CONTACT_EMAIL || !EMAIL_PATTERN.test(email)) {
          ctx.addIssue({
            code: "custom",
            message: "err.contact_email",
            params: { value: quoted(email) },
          });
          return z.NEVER;
        }
        return email;
      }),
      notes: text(
        MAX_CONTACT_NOTES,
        "err.contact_notes_long",
        (typed) => typed.replace(CONTROL, "").trim(),
      ),
      attributes,
    }),
  );
}

/** The longest search text kept: a pasted paragraph is not a search. */
const MAX_SEARCH_CHARS = 100;

/** What the contact list is narrowed to, as its URL says (`/contacts?q=siti&label=3`). */
export interface ContactQuery {
  /** The search text, trimmed (empty: no search). */
  q: string;
  labelId?: number;
  cursor?: KeysetPosition;
  /** The values as typed, to show again and keep in links. */
  values: Record<string, string>;
  errors?: FieldErrors;
}

/** Reads the contact list's query string; a label or cursor Kabar did not make is named. */
export function readContactQuery(query: Record<string, string | undefined>): ContactQuery {
  const errors: FieldErrors = {};
  const values: Record<string, string> = {};
  const q = [...(query.q ?? "").replace(CONTROL, "").trim()].slice(0, MAX_SEARCH_CHARS).join("");
  if (q !== "") values.q = q;
  const labelText = (query.label ?? "").trim();
  let labelId: number | undefined;
  if (labelText !== "") {
    values.label = labelText.slice(0, 40);
    labelId = parseRecordId(labelText);
    if (labelId === undefined) {
      errors.label = { key: "err.choice", params: { value: labelText.slice(0, 40) } };
    }
  }
  const cursorText = (query.cursor ?? "").trim();
  const cursor = cursorText === "" ? undefined : decodeCursor(cursorText);
  if (cursorText !== "" && !cursor) errors.cursor = "err.cursor";
  return {
    q,
    labelId,
    cursor,
    values,
    errors: Object.keys(errors).length ? errors : undefined,
  };
}

/**
 * How a search text finds contacts: from 3 characters a phrase of the
 * trigram index (`match`, every `"` doubled and the whole in quotes, so no
 * text is ever an FTS5 operator), shorter a LIKE pattern (`like`, with `%`,
 * `_` and `\` escaped by `\`).
 */
export type ContactSearch = { match: string } | { like: string };

/** The smallest text the trigram index can find. */
const TRIGRAM = 3;

/**
 * The search for `text`. Text that looks like a phone number (digits with
 * spaces, dashes, dots, parentheses, a leading `+`) is searched by its
 * digits as Kabar stores them: a whole number in any form through
 * `normalisePhone` (`0812-3456-7890` -> `6281234567890`), a part with its
 * trunk `0`, `+` or `00` dropped (`0812 345` finds `…812345…`).
 */
export function contactSearch(text: string, region: string): ContactSearch | undefined {
  const q = text.trim();
  if (q === "") return undefined;
  let term = q;
  if (/^\+?[\d\s\-.()/]+$/.test(q) && /\d/.test(q)) term = phoneSearchDigits(q, region);
  if ([...term].length >= TRIGRAM) return { match: `"${term.replaceAll('"', '""')}"` };
  return { like: `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}
