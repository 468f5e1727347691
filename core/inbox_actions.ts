/** What staff post from a conversation's page: its status, and who has it. */
import { z } from "zod";
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
