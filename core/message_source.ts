/** Where an outbound message came from. */
export const MESSAGE_SOURCES = ["api", "inbox", "broadcast", "auto_reply", "compat"] as const;
export type MessageSource = typeof MESSAGE_SOURCES[number];
