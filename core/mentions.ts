/**
 * `@username` in a staff note names a colleague to tell. A username is what
 * staff sign in with (3–32 of a–z, 0–9, `.`, `_`, `-`); an `@` inside a word
 * (an email address) names no one.
 */
const MENTION = /(?:^|[^\p{L}\p{N}_.@-])@([a-z0-9._-]{3,32})/giu;

/** The usernames a note names, lowercase, each once, in order. */
export function mentionedUsernames(text: string): string[] {
  const names = [...text.matchAll(MENTION)].map((m) => m[1].toLowerCase().replace(/[.]+$/, ""));
  return [...new Set(names.filter((n) => n.length >= 3))];
}
