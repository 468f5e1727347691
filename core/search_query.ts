/**
 * What someone types in a search box, made safe for SQLite's full-text
 * index: each word becomes a quoted term (so quotes, `*`, `-`, `(`, `NEAR`,
 * `AND`/`OR` and SQL are only ever words), all of them must match, and the
 * last word, from 3 characters, also matches as the start of a longer one
 * (`lab` finds `laboratorium`) — it is the word still being typed.
 */

/** Words are letters and digits in any script; everything else separates them. */
const WORD = /[\p{L}\p{N}]+/gu;
/** The last word matches as a prefix from this many characters. */
export const PREFIX_FROM = 3;
/** Terms past this many are dropped: a pasted paragraph is not a search. */
const MAX_TERMS = 8;
/** A term longer than this is cut: no word in a message is longer. */
const MAX_TERM_CHARS = 64;

export interface SearchQuery {
  /** The FTS5 MATCH expression, or undefined when the text has no word in it. */
  match?: string;
  /** The words searched for, to highlight in the excerpts. */
  terms: string[];
  /** Digits of a phone number being typed (3 or more), to find contacts by part of their number. */
  digits?: string;
}

/** Reads a search box's text; never throws, whatever the text. */
export function searchQuery(text: string): SearchQuery {
  const terms = (text.normalize("NFC").match(WORD) ?? [])
    .slice(0, MAX_TERMS)
    .map((t) => t.slice(0, MAX_TERM_CHARS));
  const digits = text.replace(/[\s\-.()+]/g, "");
  return {
    match: terms.length === 0
      ? undefined
      : terms.map((term, i) =>
        `"${term}"${i === terms.length - 1 && [...term].length >= PREFIX_FROM ? "*" : ""}`
      ).join(" "),
    terms,
    digits: /^\d{3,20}$/.test(digits) ? digits : undefined,
  };
}
