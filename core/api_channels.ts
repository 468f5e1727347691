/** The JSON API's channel, number-check and sandbox shapes (zod). */
import { z } from "zod";

export const createChannelSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("whatsapp"),
    name: z.string().trim().min(1).max(80),
    number: z.string().trim().min(1).max(32).meta({
      description: "The WhatsApp number to pair, in any common form.",
    }),
  }).strict(),
  z.object({
    kind: z.literal("telegram"),
    name: z.string().trim().min(1).max(80),
    bot_token: z.string().trim().min(1).max(200).meta({ description: "From @BotFather." }),
  }).strict(),
  z.object({ kind: z.literal("sandbox"), name: z.string().trim().min(1).max(80) }).strict(),
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
