/**
 * Opaque paging cursors for lists ordered by a time and an id (newest
 * first): where the last row of a page stands, so the next page starts
 * right after it — never OFFSET, so rows that move in between are neither
 * repeated nor skipped. The text is base64url; its content is Kabar's.
 */
import { base64url, fromBase64 } from "./tokens.ts";

/** The position of a row in a list: its sort time (ms, null sorts last) and its id. */
export interface KeysetPosition {
  at: number | null;
  id: number;
}

export function encodeCursor(position: KeysetPosition): string {
  return base64url(new TextEncoder().encode(JSON.stringify([position.at, position.id])));
}

/** The position a cursor holds, or undefined for one Kabar did not make. */
export function decodeCursor(cursor: string): KeysetPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  try {
    const base64 = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const bytes = fromBase64(base64 + "=".repeat((4 - base64.length % 4) % 4));
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, id] = value;
    const time = at === null || (Number.isSafeInteger(at) && at >= 0);
    return time && Number.isSafeInteger(id) && id > 0 ? { at, id } : undefined;
  } catch {
    return undefined;
  }
}
