/**
 * The JSON API's opt-out shapes, as zod schemas: the query and body of
 * `/api/v1/opt-outs` and the answers, which also describe them in the
 * OpenAPI document. Error messages are English sentences for developers.
 */
import { z } from "zod";
import { cursorParam, isoTime, limitParam, pageOf } from "./api_shapes.ts";
import { OPT_OUT_SOURCES } from "./opt_out.ts";

/** `GET /api/v1/opt-outs`. */
export const listOptOutsQuery = z.object({
  q: z.string().max(64, { error: "must be at most 64 characters" }).optional().meta({
    description: "Any part of a number, in any form (0812…, +62 812…, 4567).",
  }),
  cursor: cursorParam.optional(),
  limit: limitParam,
}).strict();

/** `POST /api/v1/opt-outs`. */
export const addOptOutSchema = z.object({
  phone: z.string({ error: "must be a phone number" }).trim().min(1, {
    error: "must be a phone number",
  }).max(64, { error: "must be at most 64 characters" }).meta({
    description: "In any common form (0812…, +62 812…); stored as E.164 digits.",
    examples: ["0812-3456-7890"],
  }),
}).strict();

/** One number on the opt-out list. */
export const optOutResponse = z.object({
  phone: z.string().meta({ description: "E.164 digits without +.", examples: ["6281234567890"] }),
  source: z.enum(OPT_OUT_SOURCES).meta({
    description: "reply: the number's own reply was a stop word; staff: put on the list in " +
      "Kabar's pages; api: through this API.",
  }),
  message_id: z.number().int().nullable().meta({
    description: "The reply that asked, when it came as one.",
  }),
  created_by: z.object({ id: z.number().int(), name: z.string() }).nullable().meta({
    description: "The staff member who put it on the list, when one did.",
  }),
  created_at: isoTime,
});

export const optOutPageResponse = pageOf(optOutResponse);

export type OptOutJson = z.input<typeof optOutResponse>;
