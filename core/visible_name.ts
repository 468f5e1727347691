/**
 * Names people pick for things (channels, labels, staff, departments, keys)
 * are told apart by what they show. Invisible characters at either end (a
 * zero-width space, a direction mark, a BOM) would make two names that look
 * alike differ, or a name that shows nothing; control characters inside
 * (a line break, a tab) would break the lines it is shown on. Inside a name,
 * formatting characters stay: an emoji such as 👩‍⚕️ is joined by one.
 */
const EDGES = /^[\s\p{Cc}\p{Cf}]+|[\s\p{Cc}\p{Cf}]+$/gu;
const CONTROLS = /\p{Cc}+/gu;

/**
 * Whether a message's text holds a NUL character, which the database keeps
 * but reads back cut short there: refused wherever a text is sent.
 */
export const holdsNul = (text: string): boolean => text.includes("\u0000");

/** Whether `text` shows nothing at all (only spaces, controls and invisible marks). */
export const showsNothing = (text: string): boolean =>
  text.replace(/[\s\p{Cc}\p{Cf}]/gu, "") === "";

/** `typed` as a name: control characters as one space, nothing invisible at either end. */
export function visibleName(typed: string): string {
  return typed.replace(CONTROLS, " ").replace(EDGES, "");
}
