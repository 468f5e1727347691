/** Template shapes for the API and the templates page. */
import { z } from "zod";
import { isoTime, wholeListOf } from "./api_shapes.ts";
import { TEMPLATE_KINDS } from "./template_kind.ts";
import { strayBraces } from "./template.ts";

export const TEMPLATE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

const name = z.string().trim().regex(TEMPLATE_NAME, {
  error: "1 to 100 letters, digits, _ . or - (no spaces)",
}).meta({ description: "Unique; what senders use to pick it.", examples: ["jadwal_kontrol"] });
const body = z.string().min(1, { error: "must not be empty" }).max(4096, {
  error: "must be at most 4096 characters",
}).superRefine((text, ctx) => {
  const stray = strayBraces(text);
  if (stray !== undefined) {
    ctx.addIssue({
      code: "custom",
      message: `"${stray}" is not a variable: write {{name}} or {{1}} (letters, digits, _ . -)`,
    });
  }
}).meta({
  description: "The text, with {{named}} or {{1}} numbered variables.",
  examples: ["Halo {{nama}}, jadwal kontrol Anda {{tanggal}}."],
});
const kind = z.enum(TEMPLATE_KINDS).meta({
  description: "quick_reply templates are offered in the inbox by their shortcut.",
});
const shortcut = z.string().trim().regex(/^\/[\w-]{1,30}$/, {
  error: "a slash and up to 30 letters, digits, _ or -, e.g. /jadwal",
}).nullable();

export const createTemplateSchema = z.object({
  name,
  body,
  kind: kind.default("message"),
  shortcut: shortcut.default(null),
  active: z.boolean().default(true),
}).strict();

export const updateTemplateSchema = z.object({
  name: name.optional(),
  body: body.optional(),
  kind: kind.optional(),
  shortcut: shortcut.optional(),
  active: z.boolean().optional(),
}).strict().refine((p) => Object.keys(p).length > 0, { error: "change at least one field" });

export type TemplateInput = z.infer<typeof createTemplateSchema>;

/** The templates page's form: the same rules, messages as i18n keys. */
export const templateFormSchema = z.object({
  name: z.string().trim().regex(TEMPLATE_NAME, { error: "err.template_name" }),
  body: z.string().trim().min(1, { error: "err.template_body" }).max(4096, {
    error: "err.template_body",
  }).superRefine((text, ctx) => {
    const stray = strayBraces(text);
    if (stray !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: "err.template_braces",
        params: { value: stray },
      });
    }
  }),
  kind: z.enum(TEMPLATE_KINDS, { error: "err.template_kind" }).default("message"),
  shortcut: z.string().trim().optional().transform((v) => v || null).pipe(
    z.string().regex(/^\/[\w-]{1,30}$/, { error: "err.template_shortcut" }).nullable(),
  ),
  active: z.string().optional().transform((v) => v === "on" || v === "true"),
});

// ---- Answers ----

export const templateResponse = z.object({
  id: z.number().int(),
  name: z.string(),
  body: z.string(),
  variables: z.array(z.string()).meta({ description: "The variables the body uses, in order." }),
  kind: z.enum(TEMPLATE_KINDS),
  shortcut: z.string().nullable(),
  active: z.boolean(),
  created_at: isoTime,
  updated_at: isoTime,
});

export const templateListResponse = wholeListOf(templateResponse);

export type TemplateJson = z.input<typeof templateResponse>;
