import type { z } from "zod";
import { isMessageKey, type MessageKey } from "./i18n.ts";

/** Field name -> message key of what is wrong with it. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

/** Raw values of a submitted form, as the page re-renders them. */
export type FormValues = Record<string, string | string[] | undefined>;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors };

/**
 * Validates form `values` with `schema`. Each failing field gets one message
 * key; messages that are not keys (zod's own, e.g. a missing field) become
 * `err.required`.
 */
export function parseForm<T>(
  schema: z.ZodType<T>,
  values: FormValues,
): FormResult<T> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (errors[field]) continue;
    errors[field] = isMessageKey(issue.message) ? issue.message : "err.required";
  }
  return { ok: false, errors };
}

/** Form values without the ones that must never be echoed back into a page. */
export function safeFormValues(values: FormValues): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(values)) {
    if (!/password|_csrf|code|token/i.test(k)) out[k] = v;
  }
  return out;
}
