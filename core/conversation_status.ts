/** Where a conversation stands in the inbox. */
export const CONVERSATION_STATUSES = ["open", "pending", "resolved"] as const;
export type ConversationStatus = typeof CONVERSATION_STATUSES[number];
