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

const ms = (max: number) =>
  z.number({ error: `must be whole milliseconds from 0 to ${max}` }).int({
    error: `must be whole milliseconds from 0 to ${max}`,
  }).min(0, { error: `must be whole milliseconds from 0 to ${max}` }).max(max, {
    error: `must be whole milliseconds from 0 to ${max}`,
  });
const whole = (min: number, max: number) =>
  z.number({ error: `must be a whole number from ${min} to ${max}` }).int({
    error: `must be a whole number from ${min} to ${max}`,
  }).min(min, { error: `must be a whole number from ${min} to ${max}` }).max(max, {
    error: `must be a whole number from ${min} to ${max}`,
  });

/** A channel's sending pace, as the API names it (what the channel page sets). */
const paceFields = {
  gap_ms: ms(3_600_000).meta({ description: "The least time between two sends." }),
  jitter_ms: ms(3_600_000).meta({ description: "Up to this much more, at random." }),
  broadcast_gap_ms: ms(3_600_000).meta({ description: "The same for broadcast messages." }),
  broadcast_jitter_ms: ms(3_600_000),
  warmup_days: whole(0, 60).meta({
    description: "After pairing, broadcasts wait this many days (replies and API go out).",
  }),
  daily_cap: whole(0, 1_000_000).meta({ description: "At most this many sends a day; 0: none." }),
  attempts: whole(1, 50).meta({ description: "Attempts before a message fails for good." }),
};

/** A sandbox's simulated delays. */
const sandboxFields = {
  accept_after_ms: ms(600_000),
  deliver_after_ms: ms(600_000),
  read_after_ms: ms(600_000),
};

/** `PATCH /api/v1/channels/{id}`: only the fields given change. */
export const updateChannelSchema = z.object({
  name: channelName.optional(),
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  pace: z.object(paceFields).partial().strict().optional(),
  sandbox: z.object(sandboxFields).partial().strict().optional().meta({
    description: "Only on a sandbox channel: its simulated network's delays.",
  }),
}).strict().refine((b) => Object.keys(b).length > 0, { error: "change at least one field" });

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
  queued: z.number().int().meta({
    description:
      "Messages waiting to be sent on it: in the outbox, and the recipients of its running or paused broadcasts not written to the outbox yet.",
  }),
  paired_at: isoTime.nullable(),
  last_activity_at: isoTime.nullable(),
  created_at: isoTime.nullable(),
  pace: z.object(paceFields).meta({ description: "Its sending pace, defaults included." }),
  sandbox: z.object(sandboxFields).nullable().meta({
    description: "A sandbox's simulated delays; null on other channels.",
  }),
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
