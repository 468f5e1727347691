/**
 * The JSON API's message shapes, as zod schemas: the same schemas validate
 * requests and describe them in the OpenAPI document. Error messages are
 * English sentences for the developers who read them.
 */
import { z } from "zod";
import { idCursorParam, limitParam } from "./api_shapes.ts";
import { holdsNul } from "./visible_name.ts";
import { parseTimeBound } from "./local_day.ts";
import { MESSAGE_STATUSES } from "./message_status.ts";
import { OUTBOUND_TYPES } from "./message_type.ts";

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
const MAX_METADATA_JSON = 4096;

export const mediaRefSchema = z.union([
  z.object({
    id: z.string().regex(/^[0-9a-f]{64}$/, { error: "must be the id POST /api/v1/media answered" }),
  }).strict(),
  z.object({
    url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
    filename: z.string().min(1).max(200).optional(),
  }).strict(),
  z.object({
    base64: z.string().min(1, { error: "must not be empty" }),
    filename: z.string().min(1).max(200),
    mimetype: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, {
      error: "must be a MIME type like application/pdf",
    }),
  }).strict(),
], { error: "must be {id}, {url} or {base64, filename, mimetype}" }).meta({
  description: "The file: an uploaded media id, a URL Kabar downloads, or the bytes in base64.",
});

export const templateRefSchema = z.object({
  name: z.string().min(1).max(100).optional(),
  id: z.number().int().positive().optional(),
  variables: z.record(z.string(), z.union([z.string().max(MAX_TEXT), z.number()])).default({}),
}).strict().refine((t) => (t.name === undefined) !== (t.id === undefined), {
  error: "give the template's name or its id (one of them)",
});

/** The fields of a message to send, before the checks that tie them together. */
export const sendMessageFields = z.object({
  to: z.union([z.string().trim().min(1).max(64), z.number().int()], {
    error: "must be a phone number, a Telegram chat id, or contact:<id>",
  }).meta({
    description: "A phone number in any common form (0812…, +62 812…), a Telegram chat id on a " +
      "Telegram channel, or contact:<id> for a contact Kabar knows.",
    examples: ["0812-3456-7890", "contact:42"],
  }),
  channel: z.number().int().positive().optional().meta({
    description: "The channel id; by default the key's channel, else the default channel.",
  }),
  type: z.enum(OUTBOUND_TYPES).default("text"),
  text: z.string().min(1).max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
    .refine((v) => !holdsNul(v), { error: "must not hold a NUL character" }).optional(),
  media: mediaRefSchema.optional(),
  caption: z.string().max(MAX_CAPTION, { error: `must be at most ${MAX_CAPTION} characters` })
    .refine((v) => !holdsNul(v), { error: "must not hold a NUL character" }).optional(),
  template: templateRefSchema.optional(),
  idempotency_key: z.string().trim().min(1, { error: "must not be empty" }).max(128).optional()
    .meta({
      description: "The same key with the same body gives the same message (200); with " +
        "another body, 409. Spaces around it are not part of it, as in the header.",
    }),
  metadata: z.record(z.string(), z.unknown()).optional().refine(
    (m) => m === undefined || JSON.stringify(m).length <= MAX_METADATA_JSON,
    { error: `must be at most ${MAX_METADATA_JSON} bytes of JSON` },
  ).meta({ description: "Kept with the message and echoed in its webhooks." }),
  respect_opt_out: z.boolean({ error: "must be true or false" }).optional().meta({
    description: "true: refuse (409 opted_out) when the number is on the opt-out list. By " +
      "default a message through the API is sent anyway (transactional); only broadcasts " +
      "always leave opted-out numbers out.",
    default: false,
  }),
}).strict();

/** What one field of a message asks of another: text or media by type, one of text and template. */
export function checkMessageShape(
  m: Pick<z.output<typeof sendMessageFields>, "type" | "text" | "media" | "caption" | "template">,
  ctx: z.RefinementCtx,
): void {
  if (m.type === "text") {
    if (m.media) {
      ctx.addIssue({
        code: "custom",
        path: ["media"],
        message: "a text message has no media; set type",
      });
    }
    if (m.caption !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["caption"],
        message: "a text message has no caption; use text",
      });
    }
    if ((m.text === undefined) === (m.template === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [m.text === undefined ? "text" : "template"],
        message: "a text message needs text or a template (one of them)",
      });
    }
  } else {
    if (!m.media) {
      ctx.addIssue({ code: "custom", path: ["media"], message: `a ${m.type} message needs media` });
    }
    if (m.text !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["text"],
        message: "use caption for the text of a media message",
      });
    }
    if (m.template !== undefined && m.caption !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["template"],
        message: "give a caption or a template, not both",
      });
    }
  }
}

export const sendMessageSchema = sendMessageFields.superRefine(checkMessageShape);

export type SendMessageInput = z.infer<typeof sendMessageSchema>;

/**
 * A `since` / `until` query value, checked here and turned into milliseconds
 * by the route with `parseTimeBound` and `KABAR_TIMEZONE` (a bare date is a
 * whole local day there).
 */
function timeBound(edge: "since" | "until", words: string) {
  return z.string().refine((v) => parseTimeBound(v, edge, "UTC") !== undefined, {
    error: "must be an ISO 8601 time, a date YYYY-MM-DD or milliseconds since 1970",
  }).meta({
    description: `Only messages ${words} this time: ISO 8601 (2026-03-14T08:00:00+07:00; ` +
      "without an offset, a time in KABAR_TIMEZONE), milliseconds since 1970, or a date " +
      `YYYY-MM-DD, a whole day in KABAR_TIMEZONE (${
        edge === "since" ? "from its first moment" : "up to its last moment"
      }).`,
    examples: ["2026-03-14"],
  });
}

export const listMessagesQuery = z.object({
  channel: z.coerce.number().int().positive().optional(),
  to: z.string().min(1).max(64).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  since: timeBound("since", "made at or after").optional(),
  until: timeBound("until", "made at or before").optional(),
  cursor: idCursorParam.optional(),
  limit: limitParam,
}).strict();
