/**
 * Outbox priorities: lower goes first. Replies a person is waiting for and
 * API notifications go before broadcasts.
 */
export const PRIORITY = {
  reply: 0,
  api: 10,
  autoReply: 10,
  broadcast: 100,
} as const;

/** Messages at or above this priority are broadcast traffic (paced slower, held in warm-up). */
export const BROADCAST_PRIORITY = PRIORITY.broadcast;
