/**
 * The JSON API's broadcast shapes, as zod schemas: the body that makes or
 * changes one, the queries, and the answers, which also describe them in
 * the OpenAPI document. Error messages are English sentences for developers.
 */
import { z } from "zod";
import { idCursorParam, idPageOf, isoTime, limitParam } from "./api_shapes.ts";
import {
  BROADCAST_STATUSES,
  RECIPIENT_FILTERS,
  SHOWN_RECIPIENT_STATUSES,
} from "./broadcast_status.ts";
import { parseTimeOfDay } from "./send_window.ts";
import { BROADCAST_WAIT_REASONS } from "./broadcast_wait.ts";
import { holdsNul, visibleName } from "./visible_name.ts";
import { BROADCAST_NAME_MAX } from "./broadcast_form.ts";
import { MAX_TEXT } from "./api_messages.ts";

/** The most recipients one request may list; more go in a file. */
export const MAX_LISTED_RECIPIENTS = 10_000;

const timeOfDay = z.string({ error: "must be a time of day HH:MM" }).refine(
  (v) => parseTimeOfDay(v) !== undefined,
  { error: "must be a time of day HH:MM, from 00:00 to 23:59" },
).meta({ examples: ["08:00"] });

const when = z.string({ error: "must be a time" }).meta({
  description: "ISO 8601 (2026-03-14T08:00:00+07:00; without an offset, a time in " +
    "KABAR_TIMEZONE) or milliseconds since 1970.",
  examples: ["2026-03-14T08:00:00+07:00"],
});

const column = z.string({ error: "must be a column's header text or letter" }).trim().min(1)
  .max(100).meta({ description: "A column's header text (any case) or its letter (A, B, …)." });

/** The most variables one object may name: far more than any template uses. */
const MAX_VARIABLES = 50;

const variables = z.record(
  z.string().min(1).max(100),
  z.union([z.string().max(1024), z.number()]).transform(String),
  { error: "must be an object of texts" },
).refine((v) => Object.keys(v).length <= MAX_VARIABLES, {
  error: `at most ${MAX_VARIABLES} variables`,
});

const recipient = z.object({
  phone: z.string({ error: "must be a phone number" }).trim().min(1, {
    error: "must be a phone number",
  }).max(64),
  name: z.string().trim().max(100).optional(),
  variables: variables.optional().meta({
    description: "This recipient's template variables; they win over the broadcast's.",
  }),
}).strict();

const fields = {
  name: z.string({ error: "must be the broadcast's name" }).overwrite(visibleName).min(1, {
    error: "must not be empty",
  }).max(BROADCAST_NAME_MAX, { error: `must be at most ${BROADCAST_NAME_MAX} characters` }),
  channel: z.number({ error: "must be a channel's id" }).int().positive(),
  text: z.string().min(1, { error: "must not be empty" }).refine((v) => !holdsNul(v), {
    error: "must not hold a NUL character",
  }).max(MAX_TEXT, {
    error: `must be at most ${MAX_TEXT} characters`,
  }).optional(),
  template: z.object({
    id: z.number().int().positive().optional(),
    name: z.string().min(1).optional(),
    variables: variables.optional().meta({ description: "Values every recipient gets." }),
  }).strict().refine((t) => t.id !== undefined || t.name !== undefined, {
    error: "give the template's id or name",
  }).optional(),
  media: z.object({ id: z.string().min(1) }).strict().optional().meta({
    description: "A file uploaded with POST /api/v1/media, sent with the text as its caption.",
  }),
  send_window: z.object({ start: timeOfDay, end: timeOfDay }).strict().refine(
    (w) => parseTimeOfDay(w.start) !== parseTimeOfDay(w.end),
    { error: "start and end must differ (null: any time)" },
  ).nullable().optional().meta({
    description: "Local hours to send in (KABAR_TIMEZONE); outside them the broadcast waits. " +
      "Default 08:00–20:00; null: any time.",
  }),
  stop_after: when.nullable().optional().meta({
    description: "After this time nothing more is sent; what waits is cancelled.",
  }),
  scheduled_at: when.nullable().optional().meta({
    description: "Confirmed, it starts by itself at this time.",
  }),
  recipients: z.array(recipient).min(1, { error: "give at least one recipient" }).max(
    MAX_LISTED_RECIPIENTS,
    { error: `at most ${MAX_LISTED_RECIPIENTS} recipients: send more as recipients_file` },
  ).optional(),
  recipients_file: z.object({
    media_id: z.string().min(1).meta({ description: "An .xlsx or .csv uploaded with /media." }),
    sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional().meta({
      description: "The sheet's name or number (1 is the first); by default the first with rows.",
    }),
    phone_column: column,
    name_column: column.optional(),
    variables: z.record(z.string().min(1).max(100), column).optional().meta({
      description: "Which column fills each template variable: { variable: column }.",
    }),
  }).strict().optional(),
  label: z.number({ error: "must be a label's id" }).int().positive().optional().meta({
    description: "The contacts with a conversation that carries this label.",
  }),
};

function oneOf(b: Record<string, unknown>, keys: string[], ctx: z.RefinementCtx, needed: boolean) {
  const given = keys.filter((k) => b[k] !== undefined);
  if (given.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: [given[1]],
      message: `give ${keys.join(" or ")}, not both`,
    });
  } else if (needed && given.length === 0) {
    ctx.addIssue({ code: "custom", path: [keys[0]], message: `give ${keys.join(" or ")}` });
  }
}

/** `POST /api/v1/broadcasts`: a draft. */
export const createBroadcastSchema = z.object(fields).strict().superRefine((b, ctx) => {
  oneOf(b, ["text", "template"], ctx, true);
  oneOf(b, ["recipients", "recipients_file", "label"], ctx, true);
});

/** `PATCH /api/v1/broadcasts/{id}`: only the fields given change. */
export const updateBroadcastSchema = z.object({
  ...fields,
  name: fields.name.optional(),
  channel: fields.channel.optional(),
}).strict().superRefine((b, ctx) => {
  oneOf(b, ["text", "template"], ctx, false);
  oneOf(b, ["recipients", "recipients_file", "label"], ctx, false);
  if (Object.keys(b).length === 0) {
    ctx.addIssue({ code: "custom", message: "change at least one field" });
  }
});

export type CreateBroadcastInput = z.output<typeof createBroadcastSchema>;
export type UpdateBroadcastInput = z.output<typeof updateBroadcastSchema>;

export const listBroadcastsQuery = z.object({
  cursor: idCursorParam.optional(),
  limit: limitParam,
}).strict();

export const listRecipientsQuery = z.object({
  status: z.enum(RECIPIENT_FILTERS, {
    error: `must be one of ${RECIPIENT_FILTERS.join(", ")}`,
  }).optional().meta({
    description: "A row's status, or `left_out`: every row left out, whatever the reason.",
  }),
  cursor: idCursorParam.optional().meta({ description: "The last row of the previous page." }),
  limit: limitParam,
}).strict();

// ---- Answers ----

const count = z.number().int();

export const broadcastResponse = z.object({
  id: z.number().int(),
  name: z.string(),
  channel: z.number().int(),
  status: z.enum(BROADCAST_STATUSES),
  text: z.string().meta({ description: "The text, or the template's body as chosen." }),
  template: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  variables: z.record(z.string(), z.string()),
  media: z.object({ id: z.string() }).nullable(),
  counts: z.object({
    rows: count,
    valid: count,
    invalid: count,
    duplicates: count,
    opted_out: count,
    not_on_whatsapp: count,
  }),
  progress: z.object({
    queued: count,
    sending: count,
    sent: count,
    delivered: count,
    read: count,
    failed: count,
    cancelled: count,
  }).meta({ description: "Each valid recipient in exactly one bucket, by its message's status." }),
  estimated_seconds: count.meta({
    description: "How long what is not yet sent will take at the channel's broadcast pace, " +
      "within the sending window and the daily cap, from now (a wait included: see `waiting`).",
  }),
  send_window: z.object({ start: z.string(), end: z.string() }).nullable(),
  waiting: z.object({
    reason: z.enum(BROADCAST_WAIT_REASONS).meta({
      description: "channel_offline: the channel is not connected; warmup: the number was " +
        "linked recently and broadcasts wait for its warm-up; daily_cap: the channel's sends " +
        "for today are used up; window: outside the sending hours.",
    }),
    until: isoTime.nullable().meta({
      description: "When sending goes on by itself; null when it does not: the channel must be " +
        "connected again, or the broadcast's stop_after comes first.",
    }),
  }).nullable().meta({
    description: "Why a running broadcast sends nothing now; null when it may send.",
  }),
  scheduled_at: isoTime.nullable(),
  stop_after: isoTime.nullable(),
  created_by: z.string().nullable().meta({ description: "Who made it (a staff name or key)." }),
  created_at: isoTime,
  confirmed_at: isoTime.nullable(),
  started_at: isoTime.nullable(),
  finished_at: isoTime.nullable(),
});

export const broadcastPageResponse = idPageOf(broadcastResponse);

export const recipientResponse = z.object({
  row: z.number().int(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  status: z.enum(SHOWN_RECIPIENT_STATUSES).meta({
    description: "Why it was left out; `pending` before the start; from then on a progress bucket.",
  }),
  error: z.string().nullable(),
  error_code: z.string().nullable().meta({
    description: "Why it was left out, or why its message failed or was not sent.",
  }),
  message_id: z.number().int().nullable().meta({
    description: "Null until its message is written, as its turn nears.",
  }),
  at: isoTime.nullable().meta({
    description: "When its message last changed, or when its broadcast ended before it was sent.",
  }),
});

export const recipientPageResponse = idPageOf(recipientResponse);

export type BroadcastJson = z.input<typeof broadcastResponse>;
export type RecipientJson = z.input<typeof recipientResponse>;
