/**
 * How an auto-reply rule matches an inbound text; `default` answers what no
 * other rule matched.
 */
export const AUTO_REPLY_MATCHES = ["exact", "contains", "regex", "default"] as const;
export type AutoReplyMatch = typeof AUTO_REPLY_MATCHES[number];
