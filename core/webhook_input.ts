import { z } from "zod";
import { WEBHOOK_EVENTS } from "./webhook_events.ts";

const list = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The settings page's webhook form; messages are i18n keys. */
export const webhookFormSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "err.webhook_url" }).max(2000, {
    error: "err.webhook_url",
  }),
  events: list.pipe(
    z.array(z.enum(WEBHOOK_EVENTS, { error: "err.webhook_events" })).min(1, {
      error: "err.webhook_events",
    }),
  ),
  channelId: z.string().optional().transform((v) => (v ? Number(v) : null))
    .pipe(z.number().int().positive({ error: "err.apikey_channel" }).nullable()),
  /** The "on our own network" checkbox. */
  privateNetwork: z.union([z.string(), z.array(z.string())]).optional()
    .transform((v) => v !== undefined && v !== ""),
});
