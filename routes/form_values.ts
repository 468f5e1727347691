import type { Context } from "hono";
import type { FormValues } from "../core/form.ts";

/** The submitted form's text fields; repeated names (checkboxes) become arrays. */
export async function formValues(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    const texts = (Array.isArray(value) ? value : [value]).filter((
      v,
    ): v is string => typeof v === "string");
    if (texts.length) out[key] = Array.isArray(value) ? texts : texts[0];
  }
  return out;
}
