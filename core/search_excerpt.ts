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
