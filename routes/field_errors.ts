import { AppError } from "../core/app_error.ts";
import type { FieldErrors } from "../core/form.ts";
import { isMessageKey } from "../core/i18n.ts";

/**
 * The field errors an `AppError` from `db/` carries (a taken name, the last
 * administrator), so the form can show them next to the field; undefined when
 * the error is not about fields.
 */
export function fieldErrorsOf(e: unknown): FieldErrors | undefined {
  if (!(e instanceof AppError) || e.status >= 500) return undefined;
  const errors: FieldErrors = {};
  for (const [field, key] of Object.entries(e.details)) {
    if (typeof key === "string" && isMessageKey(key)) errors[field] = key;
  }
  return Object.keys(errors).length ? errors : undefined;
}
