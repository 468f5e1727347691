/**
 * Where a webhook delivery stands: waiting (`pending`, also between retries),
 * being sent (`delivering`), or finished (`delivered`, `failed`).
 */
export const DELIVERY_STATUSES = ["pending", "delivering", "delivered", "failed"] as const;
export type DeliveryStatus = typeof DELIVERY_STATUSES[number];
