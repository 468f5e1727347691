/**
 * A search match's excerpt as the index gives it: the text around the
 * words found, each found word between MARK_START and MARK_END. Views show
 * the marked words highlighted (always as text); the API answers it plain.
 */
export const MARK_START = "\u0001";
export const MARK_END = "\u0002";

export interface ExcerptPart {
  text: string;
  marked: boolean;
}

const MARKS = new RegExp(`([${MARK_START}${MARK_END}])`);
const ANY_MARK = new RegExp(`[${MARK_START}${MARK_END}]`, "g");

/** The excerpt cut into plain and marked runs (a stray mark in a message's own text is only text). */
export function excerptParts(excerpt: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let marked = false;
  for (const piece of excerpt.split(MARKS)) {
    if (piece === MARK_START) marked = true;
    else if (piece === MARK_END) marked = false;
    else if (piece !== "") parts.push({ text: piece, marked });
  }
  return parts;
}

/** The excerpt without its marks. */
export function plainExcerpt(excerpt: string): string {
  return excerpt.replace(ANY_MARK, "");
}

/** Words are letters and digits in any script, as the search index reads them. */
const WORD = /[\p{L}\p{N}]+/gu;
/** Words shown around the first one found. */
const EXCERPT_WORDS = 14;

/** A word as the index compares it: lowercase, accents dropped (`Pérawat` is `perawat`). */
export function foldWord(word: string): string {
  return word.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/**
 * The excerpt of `text` around the first word found: every word equal to one of `terms`
 * (or, for the last term from `prefixFrom` letters, starting with it) marked, as the index
 * found them; a few words either side, with `…` where the text goes on.
 */
export function markedExcerpt(text: string, terms: string[], prefixFrom = 3): string {
  const folded = terms.map(foldWord);
  const last = folded.length - 1;
  const found = (word: string) => {
    const w = foldWord(word);
    return folded.some((t, i) =>
      w === t || (i === last && [...t].length >= prefixFrom && w.startsWith(t))
    );
  };
  const words = [...text.matchAll(WORD)];
  const first = Math.max(0, words.findIndex((m) => found(m[0])));
  const from = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
  const to = Math.min(words.length, from + EXCERPT_WORDS);
  if (words.length === 0) return text.slice(0, 120);
  const start = from === 0 ? 0 : words[from].index!;
  const end = to === words.length ? text.length : words[to - 1].index! + words[to - 1][0].length;
  let out = from === 0 ? "" : "…";
  let at = start;
  for (const m of words.slice(from, to)) {
    out += text.slice(at, m.index!).replace(ANY_MARK, "");
    out += found(m[0]) ? `${MARK_START}${m[0]}${MARK_END}` : m[0];
    at = m.index! + m[0].length;
  }
  out += text.slice(at, end).replace(ANY_MARK, "");
  return to === words.length ? out : `${out}…`;
}
