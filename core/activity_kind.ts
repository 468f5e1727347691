/**
 * The system lines of a thread: who did what to a conversation. `status` with no actor
 * is the patient's message reopening it.
 */
export const ACTIVITY_KINDS = [
  "assigned",
  "unassigned",
  "department",
  "labelled",
  "unlabelled",
  "status",
] as const;
export type ActivityKind = typeof ACTIVITY_KINDS[number];
