/** What an entry of a thread is, as the JSON API tells them apart: a message, a note, a system line. */
export const THREAD_ENTRY_KINDS = ["message", "note", "activity"] as const;
export type ThreadEntryKind = typeof THREAD_ENTRY_KINDS[number];
