/**
 * Where a broadcast stands, from its draft to its end, and the steps between:
 *
 *     draft → confirmed | scheduled → running ⇄ paused → finished | cancelled
 *
 * Editing a confirmed or scheduled broadcast takes it back to draft; one that
 * is running or paused is cancelled first, never edited or deleted.
 */
export const BROADCAST_STATUSES = [
  "draft",
  "confirmed",
  "scheduled",
  "running",
  "paused",
  "finished",
  "cancelled",
] as const;
export type BroadcastStatus = typeof BROADCAST_STATUSES[number];

/** What someone (or the clock) can do to a broadcast. */
export const BROADCAST_ACTIONS = [
  "edit",
  "confirm",
  "start",
  "pause",
  "resume",
  "cancel",
  "finish",
  "delete",
] as const;
export type BroadcastAction = typeof BROADCAST_ACTIONS[number];

/** The statuses each action is allowed from. */
export const ALLOWED_FROM: Record<BroadcastAction, readonly BroadcastStatus[]> = {
  edit: ["draft", "confirmed", "scheduled"],
  confirm: ["draft"],
  start: ["confirmed", "scheduled"],
  pause: ["running"],
  resume: ["paused"],
  cancel: ["confirmed", "scheduled", "running", "paused"],
  finish: ["running"],
  delete: ["draft", "confirmed", "scheduled", "finished", "cancelled"],
};

/**
 * The status `action` leads to from `from`, or undefined when it is not
 * allowed. Confirming leads to `scheduled` when a start time is set; deleting
 * leads nowhere (the broadcast is gone), answered as its current status.
 */
export function nextStatus(
  from: BroadcastStatus,
  action: BroadcastAction,
  options: { scheduled?: boolean } = {},
): BroadcastStatus | undefined {
  if (!ALLOWED_FROM[action].includes(from)) return undefined;
  switch (action) {
    case "edit":
      return "draft";
    case "confirm":
      return options.scheduled ? "scheduled" : "confirmed";
    case "start":
    case "resume":
      return "running";
    case "pause":
      return "paused";
    case "cancel":
      return "cancelled";
    case "finish":
      return "finished";
    case "delete":
      return from;
  }
}

/** Where a broadcast's recipients came from. */
export const BROADCAST_SOURCES = ["text", "file", "label"] as const;
export type BroadcastSource = typeof BROADCAST_SOURCES[number];

/**
 * A row of a broadcast's list: left out (`invalid`, `duplicate`, `opted_out`,
 * `not_on_whatsapp`), waiting to be queued (`pending`), or `queued`, from
 * then on following its message's status.
 */
export const RECIPIENT_STATUSES = [
  "invalid",
  "duplicate",
  "opted_out",
  "not_on_whatsapp",
  "pending",
  "queued",
] as const;
export type RecipientStatus = typeof RECIPIENT_STATUSES[number];

/** Why a row gets no message: each of these leaves it out of the sending. */
export const LEFT_OUT_STATUSES = ["invalid", "duplicate", "opted_out", "not_on_whatsapp"] as const;

/** Where a queued row's message stands: each valid row is in exactly one bucket. */
export const PROGRESS_BUCKETS = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "cancelled",
] as const;
export type ProgressBucket = typeof PROGRESS_BUCKETS[number];

/** What a row shows: why it is left out, waiting to be queued, or its message's bucket. */
export const SHOWN_RECIPIENT_STATUSES = [
  "invalid",
  "duplicate",
  "opted_out",
  "not_on_whatsapp",
  "pending",
  ...PROGRESS_BUCKETS,
] as const;
export type ShownRecipientStatus = typeof SHOWN_RECIPIENT_STATUSES[number];

/** What a broadcast's rows can be filtered by: a shown status, or `left_out` (any reason). */
export const RECIPIENT_FILTERS = [...SHOWN_RECIPIENT_STATUSES, "left_out"] as const;
export type RecipientFilter = typeof RECIPIENT_FILTERS[number];
