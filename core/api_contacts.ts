/**
 * The JSON API's contact shapes, as zod schemas: the query and bodies of
 * `/api/v1/contacts` and the answers, which also describe them in the
 * OpenAPI document. Error messages are English sentences for developers.
 */
import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { SKIP_REASONS } from "./contact_import.ts";
import { labelResponse } from "./api_conversations.ts";
import { cursorParam, isoTime, limitParam, pageOf } from "./api_shapes.ts";
import {
  EMAIL_PATTERN,
  MAX_ATTRIBUTE_KEY,
  MAX_ATTRIBUTE_VALUE,
  MAX_ATTRIBUTES,
  MAX_CONTACT_EMAIL,
  MAX_CONTACT_NAME,
  MAX_CONTACT_NOTES,
} from "./contact_input.ts";

/** `GET /api/v1/contacts` and `GET /api/v1/contacts/export.csv`. */
export const listContactsQuery = z.object({
  q: z.string().max(100, { error: "must be at most 100 characters" }).optional().meta({
    description: "Any part of a name, or of a number in any form.",
  }),
  label: z.string().trim().min(1).max(40).optional().meta({
    description: "A label's name: contacts with a conversation that carries it.",
  }),
  cursor: cursorParam.optional(),
  limit: limitParam,
}).strict();

export const exportContactsQuery = listContactsQuery.omit({ cursor: true, limit: true });

const text = (max: number, clean = (typed: string) => typed.trim()) =>
  z.string({ error: "must be a text or null" }).overwrite(clean).max(max, {
    error: `must be at most ${max} characters`,
  }).nullable().optional().transform((v) => (v === "" ? null : v));

/** A contact's details as sent to add or change one (PATCH: only the fields given change). */
export const contactBodySchema = z.object({
  name: text(MAX_CONTACT_NAME, visibleName),
  phone: z.string({ error: "must be a phone number" }).trim().min(1).max(64).meta({
    description: "In any common form (0812…, +62 812…).",
  }).optional(),
  email: text(MAX_CONTACT_EMAIL).refine((v) => v == null || EMAIL_PATTERN.test(v), {
    error: "must be an email address",
  }),
  notes: text(MAX_CONTACT_NOTES),
  attributes: z.record(
    z.string().trim().min(1).max(MAX_ATTRIBUTE_KEY),
    z.union([z.string(), z.number()]).transform(String).pipe(
      z.string().max(MAX_ATTRIBUTE_VALUE, {
        error: `must be at most ${MAX_ATTRIBUTE_VALUE} characters`,
      }),
    ),
  ).refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, {
    error: `at most ${MAX_ATTRIBUTES} attributes`,
  }).optional().meta({ description: "Free details (no_rm, poli…); replaces them all." }),
}).strict();

/** `POST /api/v1/contacts/{id}/merge`: the other contact is merged into `into`. */
export const mergeContactSchema = z.object({
  into: z.number({ error: "must be the id of the contact to keep" }).int().positive(),
}).strict();

const column = z.union([z.number().int().min(0), z.string().trim().min(1).max(200)], {
  error: "must be a column's header or its number (0 is the first)",
});

/** `POST /api/v1/contacts/import`. */
export const importContactsSchema = z.object({
  media_id: z.string().regex(/^[0-9a-f]{64}$/, {
    error: "must be the id POST /api/v1/media answered",
  }).meta({ description: "The .csv or .xlsx file, uploaded with POST /api/v1/media." }),
  sheet: z.union([z.number().int().min(0), z.string().min(1).max(200)]).optional().meta({
    description: "A workbook's sheet, by name or number (0 is the first); by default the " +
      "first with rows.",
  }),
  columns: z.object({
    phone: column,
    name: column.optional(),
    email: column.optional(),
    attributes: z.record(z.string(), column).optional().meta({
      description: "Columns kept as attributes, each named after its header: " +
        "{ header: column }, the key being the column's header.",
    }),
  }).strict(),
}).strict();

export const contactResponse = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  push_name: z.string().nullable().meta({ description: "The name the person gave themselves." }),
  phone: z.string().nullable(),
  telegram_chat_id: z.string().nullable(),
  email: z.string().nullable(),
  notes: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  labels: z.array(labelResponse).optional().meta({
    description: "In lists: the labels of their conversations.",
  }),
  last_activity_at: isoTime.nullable().optional(),
  created_at: isoTime,
});

export const contactPageResponse = pageOf(contactResponse);

export const importReportResponse = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.array(z.object({
    row: z.number().int(),
    reason: z.enum(SKIP_REASONS),
    message: z.string(),
  })),
});

export type ContactJson = z.input<typeof contactResponse>;
