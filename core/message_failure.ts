/**
 * The stable code of a message's failure, for the programs that read the API
 * and webhooks: the stored reason is words for people (and the channel's own
 * words), the code is what a program can switch on. Messages keep only the
 * reason, so the code is read from it here, in one place.
 */

/** Every failure code a message can carry; `send_failed` is any other reason. */
export const FAILURE_CODES = [
  "not_on_whatsapp",
  "no_address",
  "chat_not_found",
  "blocked",
  "media_missing",
  "channel_deleted",
  "cancelled",
  "interrupted",
  "opted_out",
  "send_failed",
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

/** The reason patterns, most specific first; the first that matches names the code. */
const PATTERNS: [RegExp, FailureCode][] = [
  [/^channel deleted$/i, "channel_deleted"],
  [/opted out of broadcasts/i, "opted_out"],
  [/\bcancel+ed\b/i, "cancelled"],
  [
    /missing from the media store|needs a file|file .*(no longer kept|was deleted)/i,
    "media_missing",
  ],
  [/not on whatsapp|not a whatsapp user|not registered on whatsapp/i, "not_on_whatsapp"],
  [/has no phone number|has no telegram chat/i, "no_address"],
  [/blocked by the user|bot was blocked|user is deactivated|bot was kicked/i, "blocked"],
  [/chat not found|peer_id_invalid/i, "chat_not_found"],
  [/unknown after restart|interrupted by a restart/i, "interrupted"],
];

/** The code of a stored failure reason (null: no reason stored). */
export function failureCode(error: string | null): FailureCode | null {
  if (error === null) return null;
  for (const [pattern, code] of PATTERNS) if (pattern.test(error)) return code;
  return "send_failed";
}
