/** The JSON API's webhook shapes (zod), also used by the settings page. */
import { z } from "zod";
import { idCursorParam, idPageOf, isoTime, limitParam, wholeListOf } from "./api_shapes.ts";
import { DELIVERY_STATUSES } from "./delivery_status.ts";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from "./webhook_events.ts";
import { WEBHOOK_FORMATS } from "./webhook_format.ts";

const url = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).max(2000)
  .meta({ description: "Where Kabar POSTs the events.", examples: ["https://simrs.local/kabar"] });
const events = z.array(
  z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(", ")}` }),
)
  .min(1, { error: "name at least one event" }).meta({
    description: `${WEBHOOK_EVENT_TYPES.join(", ")}, or * for all.`,
  });
const channel = z.number().int().positive().nullable().meta({
  description: "Only this channel's events (null: every channel).",
});

const privateNetwork = z.boolean().meta({
  description: "Whether the endpoint may be on the hospital's own network (loopback, private or " +
    "link-local addresses). Only a key with the scope * may set it.",
});

export const createWebhookSchema = z.object({
  url,
  events: events.default(["*"]),
  channel: channel.default(null),
  private_network: privateNetwork.default(false),
}).strict();

export const updateWebhookSchema = z.object({
  url: url.optional(),
  events: events.optional(),
  channel: channel.optional(),
  active: z.boolean().optional(),
  private_network: privateNetwork.optional(),
}).strict().refine((p) => Object.keys(p).length > 0, { error: "change at least one field" });

/** What rotating a webhook's signing secret answers. */
export const rotatedSecretResponse = z.object({
  secret: z.string().meta({
    description: "The new signing secret (whsec_ + base64), shown this once.",
    examples: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
  }),
  previous_expires_at: z.string().meta({
    description: "Until then deliveries are signed with the previous secret too.",
    examples: ["2026-11-22T09:00:00.000Z"],
  }),
});

/** `GET /api/v1/webhooks/{id}/deliveries`. */
export const deliveriesQuery = z.object({
  cursor: idCursorParam.optional(),
  limit: limitParam,
}).strict();

export const webhookResponse = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.string()).meta({ description: "Event types, or * for all." }),
  channel: z.number().int().nullable().meta({ description: "null: every channel." }),
  active: z.boolean(),
  format: z.enum(WEBHOOK_FORMATS).meta({
    description: "kabar: Kabar's signed JSON; wappin: a Wappin integration's callbacks.",
  }),
  private_network: z.boolean(),
  created_at: isoTime.nullable(),
  updated_at: isoTime.nullable(),
});

export const webhookListResponse = wholeListOf(webhookResponse);

/** A new webhook, with its signing secret shown this once. */
export const createdWebhookResponse = webhookResponse.extend({
  secret: z.string().meta({ description: "The signing secret (whsec_ + base64), shown once." }),
});

export const deliveryResponse = z.object({
  id: z.number().int().meta({ description: "Also the webhook-id header of its requests." }),
  event: z.string(),
  event_id: z.string().nullable().meta({ examples: ["evt_42"] }),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  response_excerpt: z.string().nullable(),
  next_attempt_at: isoTime.nullable().meta({ description: "While pending: the next try." }),
  delivered_at: isoTime.nullable(),
  created_at: isoTime.nullable(),
});

export const deliveryPageResponse = idPageOf(deliveryResponse);

export type WebhookJson = z.input<typeof webhookResponse>;
