/** A staff member's reply typed in a conversation. */
import { z } from "zod";
import { MAX_TEXT } from "./api_messages.ts";

export const replySchema = z.object({
  text: z.string({ error: "err.reply_empty" }).trim().min(1, { error: "err.reply_empty" })
    .max(MAX_TEXT, { error: "err.reply_long" }),
});

export type ReplyInput = z.infer<typeof replySchema>;
