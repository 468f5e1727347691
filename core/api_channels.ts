/** The JSON API's channel, number-check and sandbox shapes (zod). */
import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { isoTime, wholeListOf } from "./api_shapes.ts";
import { CHANNEL_KINDS, CHANNEL_STATUSES, STATUS_REASONS } from "./channel_types.ts";
import { PHONE_PROBLEMS, PHONE_TYPES } from "./phone.ts";

const channelName = z.string().overwrite(visibleName).min(1, { error: "must not be empty" })
  .max(80, { error: "must be at most 80 characters" });

export const createChannelSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("whatsapp"),
    name: channelName,
    number: z.string().trim().min(1).max(32).meta({
      description: "The WhatsApp number to pair, in any common form.",
    }),
  }).strict(),
  z.object({
    kind: z.literal("telegram"),
    name: channelName,
    bot_token: z.string().trim().min(1).max(200).meta({ description: "From @BotFather." }),
  }).strict(),
  z.object({ kind: z.literal("sandbox"), name: channelName }).strict(),
], { error: "kind must be whatsapp, telegram or sandbox" });

export const numbersCheckSchema = z.object({
  numbers: z.array(z.string().trim().min(1).max(32)).min(1, { error: "give at least one number" })
    .max(100, { error: "at most 100 numbers per request" }),
  channel: z.number().int().positive().optional(),
}).strict();

export const sandboxInboundSchema = z.object({
  from: z.string().trim().min(1).max(32).meta({ description: "The simulated sender's number." }),
  name: z.string().trim().max(80).optional(),
  text: z.string().min(1).max(4096),
}).strict();

export const qrQuerySchema = z.object({
  format: z.enum(["svg", "png", "raw", "json"]).default("json"),
  pairing_code: z.enum(["true", "false"]).optional(),
}).strict();

/** `DELETE /api/v1/channels/{id}`. */
export const deleteChannelQuery = z.object({
  force: z.enum(["true", "false"], { error: "must be true or false" }).optional().meta({
    description: "true: delete it even while messages wait to be sent (they are marked failed).",
  }),
}).strict();

// ---- Answers ----

export const channelResponse = z.object({
  id: z.number().int(),
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  number: z.string().nullable().meta({ description: "The WhatsApp number; null on others." }),
  bot_username: z.string().nullable().meta({ description: "The Telegram bot's @username." }),
  status: z.enum(CHANNEL_STATUSES).meta({ description: "qr: waiting for its QR code's scan." }),
  reason: z.enum(STATUS_REASONS).nullable().meta({ description: "Why it is not connected." }),
  enabled: z.boolean(),
  default: z.boolean().meta({ description: "Used when a message names no channel." }),
  queued: z.number().int().meta({ description: "Messages waiting to be sent on it." }),
  paired_at: isoTime.nullable(),
  last_activity_at: isoTime.nullable(),
  created_at: isoTime.nullable(),
});

export const channelListResponse = wholeListOf(channelResponse);

export const channelDeletedResponse = z.object({
  deleted: z.literal(true),
  failed_messages: z.number().int().meta({
    description: "Messages that were waiting, now failed.",
  }),
  logged_out_on_phone: z.boolean().nullable().meta({
    description: "WhatsApp: whether the phone's linked device was removed too; null on others.",
  }),
});

export const qrCodeResponse = z.object({
  qr: z.string().meta({ description: "The QR code's content, to draw as a QR code." }),
  expires_at: isoTime.nullable(),
});

export const pairingCodeResponse = z.object({
  pairing_code: z.string().meta({
    description: "Type it on the phone: Linked devices, Link with phone number.",
    examples: ["ABCD1234"],
  }),
  number: z.string().nullable(),
});

/** `GET /api/v1/channels/{id}/qr` as JSON: the QR code, or with pairing_code=true a code. */
export const qrResponse = z.union([qrCodeResponse, pairingCodeResponse]);

export const numberCheckResponse = z.object({
  channel: z.number().int().meta({ description: "The channel that asked WhatsApp." }),
  data: z.array(z.discriminatedUnion("valid", [
    z.object({
      input: z.string(),
      valid: z.literal(true),
      number: z.string().meta({ description: "The number in international form." }),
      type: z.enum(PHONE_TYPES),
      warning: z.string().optional().meta({
        description: "fixed_line: a landline, which is rarely on WhatsApp.",
      }),
      on_whatsapp: z.boolean(),
      canonical: z.string().nullable().meta({
        description: "The number as WhatsApp knows it, when it differs.",
      }),
    }),
    z.object({
      input: z.string(),
      valid: z.literal(false),
      problem: z.enum(PHONE_PROBLEMS),
      error: z.string(),
    }),
  ])),
});

export type ChannelJson = z.input<typeof channelResponse>;
