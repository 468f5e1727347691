/**
 * What a webhook's deliveries look like. `kabar`: Kabar's signed JSON.
 * `wappin`: a Wappin-compatible integration's callbacks, in Wappin's shape.
 */
export const WEBHOOK_FORMATS = ["kabar", "wappin"] as const;
export type WebhookFormat = typeof WEBHOOK_FORMATS[number];
