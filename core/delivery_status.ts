/**
 * Where a webhook delivery stands: waiting (`pending`, also between retries),
 * being sent (`delivering`), or finished (`delivered`, `failed`).
 */
export const DELIVERY_STATUSES = ["pending", "delivering", "delivered", "failed"] as const;
export type DeliveryStatus = typeof DELIVERY_STATUSES[number];

/** What one attempt to deliver ended in: `retry` waits for the next, `given_up` was the last. */
export const WEBHOOK_ATTEMPT_RESULTS = ["delivered", "retry", "given_up"] as const;
export type WebhookAttemptResult = typeof WEBHOOK_ATTEMPT_RESULTS[number];
