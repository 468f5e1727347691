/** What the labels page posts: a label's name and colour. */
import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { DEFAULT_LABEL_COLOR } from "./inbox_actions.ts";

/** The longest label name, in characters (as the thread's "new label" field allows). */
export const MAX_LABEL_NAME = 40;

/** A value quoted in an error message: at most 40 characters, then an ellipsis. */
export function quotedValue(value: string): string {
  const chars = [...value];
  return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : value;
}

/**
 * A label as the labels page adds or edits it: a name of 1 to 40 characters
 * (trimmed) and a colour as `#rrggbb` (stored in lower case; the default
 * grey when the field is missing). Each error names the value given.
 */
export const labelSettingsSchema = z.object({
  name: z.string({ error: "err.label_name_empty" }).default("").transform((v, ctx) => {
    const name = visibleName(v);
    const length = [...name].length;
    if (length === 0) {
      ctx.addIssue({ code: "custom", message: "err.label_name_empty" });
    } else if (length > MAX_LABEL_NAME) {
      ctx.addIssue({
        code: "custom",
        message: "err.label_name_long",
        params: { value: quotedValue(name), length, max: MAX_LABEL_NAME },
      });
    }
    return name;
  }),
  color: z.string({ error: "err.label_color" }).default(DEFAULT_LABEL_COLOR).transform(
    (v, ctx) => {
      const color = v.trim();
      if (!/^#[0-9a-fA-F]{6}$/.test(color)) {
        ctx.addIssue({
          code: "custom",
          message: "err.label_color_value",
          params: { value: quotedValue(color) },
        });
      }
      return color.toLowerCase();
    },
  ),
});

export type LabelSettingsInput = z.output<typeof labelSettingsSchema>;
