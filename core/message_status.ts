/** Message statuses and the order they move in. */

export const MESSAGE_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "received",
] as const;
export type MessageStatus = typeof MESSAGE_STATUSES[number];

/** The statuses whose time a message keeps (`sent_at`, `delivered_at`, `read_at`, `failed_at`). */
export const TIMED_STATUSES = ["sent", "delivered", "read", "failed"] as const;
export type TimedStatus = typeof TIMED_STATUSES[number];

/** Outbound statuses in the only order they may move: never backwards. */
const FORWARD: readonly MessageStatus[] = ["queued", "sending", "sent", "delivered", "read"];

/**
 * The statuses a message may be in for it to move to `next`: only earlier ones
 * in queued -> sending -> sent -> delivered -> read; `failed` only from a
 * message not yet delivered (a phone that showed a message cannot un-show it).
 */
export function statusesBefore(next: MessageStatus): MessageStatus[] {
  if (next === "failed") return ["queued", "sending", "sent"];
  const index = FORWARD.indexOf(next);
  return index < 0 ? [] : FORWARD.slice(0, index);
}
