/** The events webhooks carry, and what a webhook can ask for. */

/** Every event a webhook delivery carries (`webhook_events.type`). */
export const WEBHOOK_EVENT_TYPES = [
  "message.received",
  "message.status",
  "channel.status",
  "conversation.created",
  "conversation.updated",
  "broadcast.progress",
  "broadcast.finished",
] as const;
export type WebhookEventType = typeof WEBHOOK_EVENT_TYPES[number];

/** What a webhook can ask for: an event, or `*` for all of them. */
export const WEBHOOK_EVENTS = [...WEBHOOK_EVENT_TYPES, "*"] as const;
export type WebhookEventName = typeof WEBHOOK_EVENTS[number];
