import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError } from "../core/app_error.ts";
import type { FormValues } from "../core/form.ts";
import { DEFAULT_LANGUAGE, translator } from "../core/i18n.ts";
import type { AppEnv } from "./app_env.ts";

/**
 * The submitted form's text fields; repeated names (checkboxes) become arrays.
 * A body that cannot be read as a form (multipart without its boundary, say)
 * is a 400 that says so, in the page's language.
 */
export async function formValues(c: Context<AppEnv>): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true }).catch((e: unknown) => {
    if (e instanceof AppError || e instanceof HTTPException) throw e;
    const t = c.get("t") ?? translator(DEFAULT_LANGUAGE);
    throw new AppError(400, "bad_form", t("error.bad_form"));
  });
  const out: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    const texts = (Array.isArray(value) ? value : [value]).filter((
      v,
    ): v is string => typeof v === "string");
    if (texts.length) out[key] = Array.isArray(value) ? texts : texts[0];
  }
  return out;
}
