/** What staff post from a conversation's page: its status, and who has it. */
import { z } from "zod";
import { MAX_TEXT } from "./api_messages.ts";
import { CONVERSATION_STATUSES } from "./conversation_status.ts";

export const statusFormSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES, { error: "err.status_choice" }),
});

/** `me`, `none`, or a staff member's id. */
export const assignFormSchema = z.object({
  assignee: z.string({ error: "err.assignee" }).trim().regex(/^(me|none|[1-9]\d{0,14})$/, {
    error: "err.assignee",
  }),
});

/** The colour of a label made without one. */
export const DEFAULT_LABEL_COLOR = "#64748b";

/** A label to put on a conversation: one that exists (`label`), or a new one by name and colour. */
export const labelFormSchema = z.object({
  label: z.string().trim().regex(/^([1-9]\d{0,14})?$/, { error: "err.label_choice" }).default(""),
  name: z.string().trim().max(40, { error: "err.label_name" }).default(""),
  color: z.string().trim().regex(/^(#[0-9a-fA-F]{6})?$/, { error: "err.label_color" })
    .default(""),
}).refine((v) => v.label !== "" || v.name !== "", {
  error: "err.label_choice",
  path: ["label"],
});

/** `none`, or a department's id. */
export const departmentFormSchema = z.object({
  department: z.string({ error: "err.department_choice" }).trim().regex(/^(none|[1-9]\d{0,14})$/, {
    error: "err.department_choice",
  }),
});

/** A private note for staff. */
export const noteSchema = z.object({
  text: z.string({ error: "err.note_empty" }).trim().min(1, { error: "err.note_empty" })
    .max(MAX_TEXT, { error: "err.reply_long" }),
});

/** A reply's text: it may be empty when a file goes with it (then it is the file's caption). */
export const replyFormSchema = z.object({
  text: z.string().trim().max(MAX_TEXT, { error: "err.reply_long" }).default(""),
});

/** Starting a conversation: on which channel, to whom, with text or a message template. */
export const newConversationSchema = z.object({
  channel: z.string({ error: "err.channel_choice" }).trim().regex(/^[1-9]\d{0,14}$/, {
    error: "err.channel_choice",
  }),
  to: z.string({ error: "err.to_empty" }).trim().min(1, { error: "err.to_empty" }).max(64, {
    error: "err.to_empty",
  }),
  template: z.string().trim().regex(/^([1-9]\d{0,14})?$/, { error: "err.template_choice" })
    .default(""),
  text: z.string().trim().max(MAX_TEXT, { error: "err.reply_long" }).default(""),
}).refine((v) => (v.text === "") !== (v.template === ""), {
  error: "err.text_or_template",
  path: ["text"],
});
