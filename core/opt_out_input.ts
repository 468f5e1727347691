/**
 * The opt-out forms of the Settings page and the contact page: the stop
 * words and the confirmation reply, and a number put on the list by hand.
 * Each error is a message key naming the field.
 */
import { z } from "zod";
import { showsNothing } from "./visible_name.ts";
import {
  MAX_CONFIRMATION_TEXT,
  MAX_STOP_WORD,
  MAX_STOP_WORDS,
  type OptOutSettings,
  sameStopWord,
  splitStopWords,
} from "./opt_out.ts";
import { normalisePhone, phoneSearchDigits } from "./phone.ts";

const quoted = (v: string) => [...v].length > 40 ? `${[...v].slice(0, 40).join("")}…` : v;

/** A box's value, whatever the form sent (a repeated field counts by its first value). */
const textValue = z.preprocess(
  (v) => Array.isArray(v) ? v[0] : v,
  z.string().default(""),
);

/** The stop words: at least one, each 1–30 characters, none twice in any case. */
const stopWordsField = textValue.transform((typed, ctx) => {
  const words = splitStopWords(typed);
  if (words.length === 0) {
    ctx.addIssue({ code: "custom", message: "err.stop_words_none" });
    return z.NEVER;
  }
  if (words.length > MAX_STOP_WORDS) {
    ctx.addIssue({
      code: "custom",
      message: "err.stop_words_many",
      params: { max: MAX_STOP_WORDS },
    });
    return z.NEVER;
  }
  const long = words.find((w) => [...w].length > MAX_STOP_WORD);
  if (long !== undefined) {
    ctx.addIssue({
      code: "custom",
      message: "err.stop_word_long",
      params: { value: quoted(long), max: MAX_STOP_WORD },
    });
    return z.NEVER;
  }
  const twice = words.find((w, i) => words.findIndex((o) => sameStopWord(o, w)) !== i);
  if (twice !== undefined) {
    ctx.addIssue({ code: "custom", message: "err.stop_word_twice", params: { value: twice } });
    return z.NEVER;
  }
  return words;
});

/** The Settings form: `stop_words`, `confirm` (a checkbox) and `confirm_text`. */
export const optOutSettingsSchema: z.ZodType<OptOutSettings> = z.object({
  stop_words: stopWordsField,
  confirm: z.preprocess((v) => Array.isArray(v) ? v[0] : v, z.string().optional())
    .transform((v) => v !== undefined && v !== "" && v !== "false"),
  // Control characters (a NUL would cut the reply short) are taken out.
  confirm_text: textValue.transform((v) => v.replace(/(?![\n\r\t])\p{Cc}/gu, "").trim()),
}).superRefine((v, ctx) => {
  if (v.confirm && showsNothing(v.confirm_text)) {
    ctx.addIssue({ code: "custom", path: ["confirm_text"], message: "err.opt_out_confirm_empty" });
  }
  if ([...v.confirm_text].length > MAX_CONFIRMATION_TEXT) {
    ctx.addIssue({
      code: "custom",
      path: ["confirm_text"],
      message: "err.opt_out_confirm_long",
      params: { max: MAX_CONFIRMATION_TEXT },
    });
  }
}).transform((v) => ({
  stopWords: v.stop_words,
  confirm: v.confirm,
  confirmText: v.confirm_text,
}));

/** A number typed to put on the list (`phone`), read in `region` when it has no country code. */
export function optOutPhoneSchema(region: string) {
  return z.object({
    phone: textValue.transform((v, ctx) => {
      const read = normalisePhone(v, region);
      if (read.ok) return read.phone;
      ctx.addIssue({
        code: "custom",
        message: `err.phone_${read.problem}`,
        params: { value: quoted(v.trim()) },
      });
      return z.NEVER;
    }),
  });
}

/**
 * The digits to look for in the list when someone searches by part of a
 * number: a whole number in its stored form, else its digits without a
 * leading `+`, `00` or `0`. Undefined when the text has no digit.
 */
export function optOutSearchDigits(text: string, region: string): string | undefined {
  const q = text.trim().slice(0, 64);
  return /\d/.test(q) ? phoneSearchDigits(q, region) : undefined;
}
