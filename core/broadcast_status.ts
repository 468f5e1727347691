/** Where a broadcast stands, from its draft to its end. */
export const BROADCAST_STATUSES = [
  "draft",
  "scheduled",
  "sending",
  "paused",
  "done",
  "cancelled",
] as const;
export type BroadcastStatus = typeof BROADCAST_STATUSES[number];
