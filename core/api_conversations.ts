/**
 * The JSON API's team inbox shapes, as zod schemas: the query and bodies of
 * `/api/v1/conversations` and `/api/v1/labels`, and the answers they give.
 * The same schemas validate requests, type the answers the routes build,
 * and describe both in the OpenAPI document. Error messages are English
 * sentences for the developers who read them.
 */
import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { checkMessageShape, sendMessageFields } from "./api_messages.ts";
import { cursorParam, idPageOf, isoTime, limitParam, pageOf } from "./api_shapes.ts";
import { CONVERSATION_STATUSES } from "./conversation_status.ts";
import { parseTimeBound } from "./local_day.ts";
import { MESSAGE_DIRECTIONS } from "./message_direction.ts";
import { FAILURE_CODES } from "./message_failure.ts";
import { MESSAGE_SOURCES } from "./message_source.ts";
import { MESSAGE_STATUSES } from "./message_status.ts";
import { MESSAGE_TYPES } from "./message_type.ts";
import { MAX_LABEL_NAME } from "./label_input.ts";
import { THREAD_ENTRY_KINDS } from "./thread_entry_kind.ts";

/** Labels one list may be narrowed to at most (all of them: AND). */
export const MAX_LABEL_FILTERS = 10;
/** The longest search text. */
export const MAX_SEARCH_CHARS = 200;
/** The longest note, in characters. */
export const MAX_NOTE_CHARS = 4096;

const id = (what: string) =>
  z.coerce.number({ error: `must be the id of ${what}` }).int({
    error: `must be the id of ${what}`,
  }).positive({ error: `must be the id of ${what}` });

function timeBound(edge: "since" | "until") {
  return z.string().refine((v) => parseTimeBound(v, edge, "UTC") !== undefined, {
    error: "must be an ISO 8601 time, a date YYYY-MM-DD or milliseconds since 1970",
  }).meta({
    description:
      `Only conversations last active ${
        edge === "since" ? "at or after" : "at or before"
      } this time: ISO 8601 (2026-03-14T08:00:00+07:00; without an offset, a time in ` +
      "KABAR_TIMEZONE), milliseconds since 1970, or a date YYYY-MM-DD, a whole day in " +
      `KABAR_TIMEZONE (${edge === "since" ? "from its first moment" : "up to its last moment"}).`,
    examples: ["2026-03-14"],
  });
}

/** `GET /api/v1/conversations`. `label` may repeat. */
export const listConversationsQuery = z.object({
  status: z.union([z.enum(CONVERSATION_STATUSES), z.literal("all")], {
    error: `must be one of ${[...CONVERSATION_STATUSES, "all"].join(", ")}`,
  }).default("open").meta({ description: "all: whatever their status." }),
  channel: id("a channel").optional(),
  assignee: z.union([z.literal("none"), id("a staff member")], {
    error: "must be none or the id of a staff member",
  }).optional().meta({ description: "none: nobody's; or a staff member's id." }),
  department: id("a department").optional(),
  label: z.array(
    z.string().trim().min(1, { error: "must be a label's name" }).max(MAX_LABEL_NAME, {
      error: `must be a label's name (at most ${MAX_LABEL_NAME} characters)`,
    }),
  ).max(MAX_LABEL_FILTERS, { error: `at most ${MAX_LABEL_FILTERS} labels` }).optional().meta({
    description: "A label's name; repeat it for conversations that carry every one of them.",
  }),
  q: z.string().max(MAX_SEARCH_CHARS, {
    error: `must be at most ${MAX_SEARCH_CHARS} characters`,
  }).optional().meta({
    description: "Words of a message, or a contact's name or part of a number: then the " +
      "conversation with the newest matching message comes first, with match.",
  }),
  since: timeBound("since").optional(),
  until: timeBound("until").optional(),
  unread: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
  sort: z.union([z.literal("activity"), z.literal("waiting")], {
    error: "must be activity or waiting",
  }).default(
    "activity",
  ).meta({
    description: "activity: newest activity first; waiting: the patient's oldest unanswered " +
      "message first (only those waiting).",
  }),
  cursor: cursorParam.optional(),
  limit: limitParam,
}).strict();

/** `PATCH /api/v1/conversations/{id}`. */
export const updateConversationSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES, {
    error: `must be one of ${CONVERSATION_STATUSES.join(", ")}`,
  }).optional(),
  assignee_id: z.number({ error: "must be a staff member's id or null" }).int().positive()
    .nullable().optional().meta({ description: "null: nobody's." }),
  department_id: z.number({ error: "must be a department's id or null" }).int().positive()
    .nullable().optional().meta({ description: "null: in no department." }),
}).strict().refine(
  (b) => b.status !== undefined || b.assignee_id !== undefined || b.department_id !== undefined,
  { error: "give status, assignee_id or department_id" },
);

/** `GET /api/v1/conversations/{id}/messages`. */
export const threadQuery = z.object({
  cursor: cursorParam.optional(),
  limit: limitParam,
}).strict();

/** `POST /api/v1/conversations/{id}/messages`: a message to the conversation's contact. */
export const conversationMessageSchema = sendMessageFields.omit({ to: true, channel: true })
  .superRefine(checkMessageShape);

/** `POST /api/v1/conversations/{id}/notes`. */
export const noteSchema = z.object({
  text: z.string({ error: "must be the note's text" }).trim().min(1, {
    error: "must not be empty",
  }).max(MAX_NOTE_CHARS, { error: `must be at most ${MAX_NOTE_CHARS} characters` }),
}).strict();

const labelName = z.string({ error: "must be the label's name" }).overwrite(visibleName).min(1, {
  error: "must not be empty",
}).refine((v) => [...v].length <= MAX_LABEL_NAME, {
  error: `must be at most ${MAX_LABEL_NAME} characters`,
});
const labelColor = z.string({ error: "must be a colour #rrggbb" }).trim().regex(
  /^#[0-9a-fA-F]{6}$/,
  { error: "must be a colour #rrggbb" },
).transform((v) => v.toLowerCase());

/** `POST /api/v1/conversations/{id}/labels`: an existing label by id, or one by name. */
export const conversationLabelSchema = z.union([
  z.object({ id: z.number({ error: "must be a label's id" }).int().positive() }).strict(),
  z.object({
    name: labelName.meta({ description: "The label's name (any case); a new name makes it." }),
  }).strict(),
], { error: "give {id} of a label or {name}" });

/** `POST /api/v1/labels`. */
export const createLabelSchema = z.object({
  name: labelName,
  color: labelColor.optional().meta({ description: "#rrggbb; a grey by default." }),
}).strict();

/** `PATCH /api/v1/labels/{id}`. */
export const updateLabelSchema = z.object({
  name: labelName.optional(),
  color: labelColor.optional(),
}).strict().refine((b) => b.name !== undefined || b.color !== undefined, {
  error: "give name or color",
});

// ---- Answers ----

export const labelResponse = z.object({
  id: z.number().int(),
  name: z.string(),
  color: z.string(),
});

export const labelWithCountResponse = labelResponse.extend({
  conversation_count: z.number().int(),
});

export const conversationResponse = z.object({
  id: z.number().int(),
  channel: z.number().int(),
  status: z.enum(CONVERSATION_STATUSES),
  contact: z.object({
    id: z.number().int(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    telegram_chat_id: z.string().nullable(),
  }),
  assignee: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  department: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  labels: z.array(labelResponse),
  unread_count: z.number().int(),
  last_message: z.object({
    id: z.number().int(),
    direction: z.enum(MESSAGE_DIRECTIONS),
    type: z.enum(MESSAGE_TYPES),
    text: z.string().nullable(),
    at: isoTime,
  }).nullable(),
  last_activity_at: isoTime.nullable(),
  match: z.object({ message_id: z.number().int(), excerpt: z.string() }).nullable().optional()
    .meta({ description: "With q: the newest matching message (null: the contact matched)." }),
});

/** A file uploaded, or carried by a message. */
export const mediaFileResponse = z.object({
  id: z.string().meta({ description: "What a message's media.id names to send it." }),
  mimetype: z.string(),
  filename: z.string().nullable(),
  size: z.number().int().meta({ description: "In bytes." }),
});

/** A message as `/api/v1/messages` answers it. */
export const messageResponse = z.object({
  id: z.number().int(),
  channel: z.number().int(),
  conversation: z.number().int(),
  contact: z.number().int(),
  direction: z.enum(MESSAGE_DIRECTIONS),
  to: z.string().nullable().optional().meta({ description: "On an outbound message." }),
  from: z.string().nullable().optional().meta({ description: "On an inbound message." }),
  type: z.enum(MESSAGE_TYPES),
  text: z.string().nullable().meta({
    description: "The text; on a media message, its caption (as caption).",
  }),
  caption: z.string().nullable().meta({
    description: "On a media message, the caption sent or received with the file; null on text.",
  }),
  media: mediaFileResponse.nullable(),
  status: z.enum(MESSAGE_STATUSES),
  error: z.string().nullable().meta({
    description: "Why the message failed (or the last attempt did), in words.",
  }),
  error_code: z.enum(FAILURE_CODES).nullable().meta({
    description: "The same reason as a stable code (send_failed: any other); null without error.",
  }),
  external_id: z.string().nullable().meta({
    description: "The channel's own id of the message (WhatsApp message id; Telegram " +
      "chat_id:message_id); null until it is known.",
  }),
  source: z.enum(MESSAGE_SOURCES).nullable(),
  template: z.object({ id: z.number().int(), name: z.string() }).nullable().meta({
    description: "The template the text was made from; the variables filled in are not kept " +
      "(the text is what was sent).",
  }),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  attempts: z.number().int(),
  created_at: isoTime.nullable(),
  sent_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
  read_at: isoTime.nullable(),
  failed_at: isoTime.nullable(),
});

export const noteResponse = z.object({
  id: z.number().int(),
  author: z.string().nullable(),
  text: z.string(),
  at: isoTime,
});

export const activityResponse = z.object({
  id: z.number().int(),
  text: z.string().meta({ description: "What was done, e.g. Assigned to Rina by Budi." }),
  at: isoTime,
});

/** One entry of a thread: a message, a note, or a system line, told apart by `kind`. */
export const threadEntryResponse = z.discriminatedUnion("kind", [
  messageResponse.extend({ kind: z.literal(THREAD_ENTRY_KINDS[0]) }),
  noteResponse.extend({ kind: z.literal(THREAD_ENTRY_KINDS[1]) }),
  activityResponse.extend({ kind: z.literal(THREAD_ENTRY_KINDS[2]) }),
]);

export const conversationPageResponse = pageOf(conversationResponse);

/** `GET /api/v1/messages/{id}`: the message with its status history, oldest first. */
export const messageWithHistoryResponse = messageResponse.extend({
  history: z.array(z.object({
    status: z.string(),
    at: isoTime.nullable(),
    detail: z.string().nullable(),
  })),
});

/** `GET /api/v1/messages`: a page whose cursor is the last message's id. */
export const messagePageResponse = idPageOf(messageResponse);
export const threadPageResponse = pageOf(threadEntryResponse);
export const labelListResponse = pageOf(labelWithCountResponse);

export type ConversationJson = z.input<typeof conversationResponse>;
export type MessageJson = z.input<typeof messageResponse>;
export type ThreadEntryJson = z.input<typeof threadEntryResponse>;
