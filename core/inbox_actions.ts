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
