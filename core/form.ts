import type { z } from "zod";
import { isMessageKey, type MessageKey } from "./i18n.ts";

/**
 * What is wrong with one field: a message key, or a key with the values its
 * text names (`{ key: "err.apikey_ip_entry", params: { value: "10.0.0.300" } }`).
 */
export type FieldError = MessageKey | { key: MessageKey; params: Record<string, string | number> };

/** Field name -> what is wrong with it. */
export type FieldErrors = Partial<Record<string, FieldError>>;

/** Raw values of a submitted form, as the page re-renders them. */
export type FormValues = Record<string, string | string[] | undefined>;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors };

/**
 * Validates form `values` with `schema`. Each failing field gets one message
 * key; messages that are not keys (zod's own, e.g. a missing field) become
 * `err.required`, and a field of one value sent more than once
 * `err.given_twice`. A custom issue's `params` (`ctx.addIssue({ code:
 * "custom", message: key, params })`) are kept for the message's
 * placeholders.
 */
export function parseForm<T>(
  schema: z.ZodType<T>,
  values: FormValues,
): FormResult<T> {
  const result = schema.safeParse(values, { reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (errors[field]) continue;
    if (givenTwice(issue)) {
      errors[field] = "err.given_twice";
    } else if (!isMessageKey(issue.message)) {
      errors[field] = "err.required";
    } else if (issue.code === "custom" && issue.params) {
      errors[field] = { key: issue.message, params: issue.params };
    } else {
      errors[field] = issue.message;
    }
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

/**
 * Whether a field that holds one value was sent several times (only a
 * hand-made request does that): its own value, not one of a list's, is the
 * list that failed.
 */
function givenTwice(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 1 && Array.isArray(issue.input) &&
    (issue.code === "invalid_type" || issue.code === "invalid_value");
}
