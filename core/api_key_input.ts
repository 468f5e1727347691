import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { API_SCOPES } from "./api_scopes.ts";
import { parseRange } from "./ip_allowlist.ts";

/** One value, several (checkboxes) or none, as a list. */
const list = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** Requests a second a key may make when its own limit is blank; bursts of twice that. */
export const DEFAULT_RATE_LIMIT = 100;
/** The highest limit a key may be given (0, no limit, is always allowed). */
export const MAX_RATE_LIMIT = 100_000;

/**
 * A new API key from the settings form or the command line. Addresses come
 * as free text: one per line, or separated by commas or spaces.
 */
export const newApiKeySchema = z.object({
  name: z.string({ error: "err.apikey_name_empty" }).overwrite(visibleName)
    .min(1, { error: "err.apikey_name_empty" }).max(80, { error: "err.apikey_name" }),
  scopes: list.pipe(
    z.array(z.enum(API_SCOPES, { error: "err.apikey_scope" })).min(1, {
      error: "err.apikey_scopes",
    }),
  ),
  ipAllowlist: z.string().optional().transform((v) => (v ?? "").split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(
      z.string().superRefine((entry, ctx) => {
        if (parseRange(entry) !== undefined) return;
        ctx.addIssue({ code: "custom", message: "err.apikey_ip_entry", params: { value: entry } });
      }),
    )),
  channelId: z.string().optional().transform((v) => (v ? Number(v) : null))
    .pipe(z.number().int().positive({ error: "err.apikey_channel" }).nullable()),
  /** Requests a second: blank is the default, 0 no limit. */
  rateLimit: z.string({ error: "err.apikey_rate" }).optional()
    .transform((v) => v?.trim() ?? "")
    .pipe(z.string().regex(/^\d{0,6}$/, { error: "err.apikey_rate" }))
    .transform((v) => (v === "" ? null : Number(v)))
    .pipe(z.number().max(MAX_RATE_LIMIT, { error: "err.apikey_rate" }).nullable()),
});

export type NewApiKeyInput = z.infer<typeof newApiKeySchema>;
