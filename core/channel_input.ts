import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { normalisePhone } from "./phone.ts";

/**
 * Schemas of the channel forms. Error messages are i18n keys so a page can
 * show them in the user's language.
 */

/**
 * A phone number in any common form, normalised to E.164 digits; `region` (ISO 3166 alpha-2)
 * reads numbers written without a country code.
 */
export const phoneSchema = (region: string) =>
  z.string({ error: "err.phone_empty" }).transform((value, ctx) => {
    const result = normalisePhone(value, region);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: `err.phone_${result.problem}` });
      return z.NEVER;
    }
    return result.phone;
  });

export const channelNameSchema = z.string({ error: "err.channel_name_empty" })
  .overwrite(visibleName)
  .min(1, { error: "err.channel_name_empty" }).max(80, { error: "err.channel_name" });

/** What BotFather hands out: the bot id, a colon, and a secret of 35 characters. */
export const botTokenSchema = z.string({ error: "err.bot_token_format" }).trim()
  .regex(/^\d{3,}:[A-Za-z0-9_-]{30,}$/, { error: "err.bot_token_format" });

/** A new channel from the form; `region` reads a WhatsApp number typed without a country code. */
export const newChannelSchema = (region: string) =>
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("whatsapp"), name: channelNameSchema, phone: phoneSchema(region) }),
    z.object({ kind: z.literal("telegram"), name: channelNameSchema, token: botTokenSchema }),
    z.object({ kind: z.literal("sandbox"), name: channelNameSchema }),
  ], { error: "err.channel_kind" });

export const renameChannelSchema = z.object({ name: channelNameSchema });

/** A simulated message from a person to a sandbox channel. */
export const sandboxReplySchema = (region: string) =>
  z.object({
    phone: phoneSchema(region),
    name: z.string().trim().max(80, { error: "err.sandbox_name" }).optional()
      .transform((v) => v || undefined),
    text: z.string({ error: "err.sandbox_text" }).trim().min(1, { error: "err.sandbox_text" })
      .max(4096, { error: "err.sandbox_text" }),
  });

/**
 * Seconds as typed, `1.5` or `1,5` (the comma of Indonesian numbers), from 0 to `max`, in
 * milliseconds; `key` names what is wrong with the value and the range allowed.
 */
const secondsField = (max: number, key: "err.sandbox_delay" | "err.pacing_seconds") =>
  z.string({ error: key }).trim().transform((typed, ctx) => {
    const value = typed.replace(",", ".");
    const ms = /^\d{1,7}(\.\d{1,3})?$/.test(value) ? Math.round(Number(value) * 1000) : NaN;
    if (Number.isNaN(ms) || ms > max * 1000) {
      ctx.addIssue({ code: "custom", message: key, params: { value: typed.slice(0, 20), max } });
      return z.NEVER;
    }
    return ms;
  });

const delaySeconds = secondsField(3600, "err.sandbox_delay");

/**
 * How long the sandbox's simulated network takes to take a message (left
 * empty: no time), then before a sent message shows delivered, then read.
 */
export const sandboxTimingSchema = z.object({
  acceptAfter: z.preprocess((v) => (v === undefined || v === "" ? "0" : v), delaySeconds),
  deliverAfter: delaySeconds,
  readAfter: delaySeconds,
}).transform((v) => ({
  acceptAfterMs: v.acceptAfter,
  deliverAfterMs: v.deliverAfter,
  readAfterMs: v.readAfter,
}));

const seconds = (max: number) => secondsField(max, "err.pacing_seconds");
/** A whole number from `min` to `max`, the field's own range named when it is not. */
const whole = (min: number, max: number) =>
  z.string({ error: "err.pacing_whole" }).trim().transform((typed, ctx) => {
    const n = /^\d{1,7}$/.test(typed) ? Number(typed) : NaN;
    if (Number.isNaN(n) || n < min || n > max) {
      ctx.addIssue({
        code: "custom",
        message: "err.pacing_whole",
        params: { value: typed.slice(0, 20), min, max },
      });
      return z.NEVER;
    }
    return n;
  });

/** The sending pace of a channel, from the channel page (seconds and counts as typed). */
export const pacingFormSchema = z.object({
  gap: seconds(3600),
  jitter: seconds(3600),
  broadcastGap: seconds(3600),
  broadcastJitter: seconds(3600),
  warmupDays: whole(0, 60),
  dailyCap: whole(0, 1_000_000),
  maxAttempts: whole(1, 50),
}).transform((v) => ({
  gapMs: v.gap,
  jitterMs: v.jitter,
  broadcastGapMs: v.broadcastGap,
  broadcastJitterMs: v.broadcastJitter,
  warmupDays: v.warmupDays,
  dailyCap: v.dailyCap,
  maxAttempts: v.maxAttempts,
}));

/** A channel's sending pace as the channel page sets it. */
export type PacingInput = z.output<typeof pacingFormSchema>;

export type NewChannelInput = z.infer<ReturnType<typeof newChannelSchema>>;

/**
 * The departments a channel belongs to, as its page's checkboxes post them:
 * one `departments` value per ticked box, none when no box is ticked. A
 * value that is no record id is named in the error.
 */
export const channelDepartmentsSchema = z.object({
  departments: z.union([z.string(), z.array(z.string())], { error: "err.department_choice" })
    .optional().transform((value, ctx) => {
      const ids: number[] = [];
      for (const raw of value === undefined ? [] : [value].flat()) {
        const id = /^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : undefined;
        if (id === undefined) {
          const shown = [...raw].length > 40 ? `${[...raw].slice(0, 40).join("")}…` : raw;
          ctx.addIssue({
            code: "custom",
            message: "err.department_choice",
            params: { value: shown },
          });
          return z.NEVER;
        }
        ids.push(id);
      }
      return [...new Set(ids)];
    }),
});

/** Whether a checkbox was ticked: a browser sends its value ("on"), an unticked one nothing. */
export function checkboxOn(value: string | string[] | undefined): boolean {
  const v = Array.isArray(value) ? value.at(-1) : value;
  return v !== undefined && v !== "" && v !== "false" && v !== "0";
}
