/** Shapes every part of the JSON API shares: times, and how lists are paged. */
import { z } from "zod";
import { decodeCursor } from "./keyset_cursor.ts";

/** A time in an answer: ISO 8601 in UTC. */
export const isoTime = z.string().meta({ format: "date-time" });

/** An opaque `next_cursor` of an earlier answer. */
export const cursorParam = z.string().refine((v) => decodeCursor(v) !== undefined, {
  error: "must be the next_cursor of an earlier answer",
}).meta({ description: "The next_cursor of the previous page." });

/** A cursor that is the id of the last row of the previous page. */
export const idCursorParam = z.coerce.number({
  error: "must be the next_cursor of an earlier answer",
}).int({ error: "must be the next_cursor of an earlier answer" }).positive({
  error: "must be the next_cursor of an earlier answer",
}).meta({ description: "The next_cursor of the previous page." });

export const limitParam = z.coerce.number({ error: "must be a whole number from 1 to 100" })
  .int({ error: "must be a whole number from 1 to 100" })
  .min(1, { error: "must be a whole number from 1 to 100" })
  .max(100, { error: "must be a whole number from 1 to 100" })
  .default(50);

const nextCursor = (cursor: z.ZodString | z.ZodNumber) =>
  cursor.nullable().meta({ description: "Pass as cursor for the next page; null on the last." });

/** A page of a list: `{ data, next_cursor, has_more }`, the cursor opaque. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: nextCursor(z.string()),
    has_more: z.boolean(),
  });
}

/** A page of a list whose cursor is the last row's id. */
export function idPageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: nextCursor(z.number().int()),
    has_more: z.boolean(),
  });
}

/** A list that is always whole: `next_cursor` is null, `has_more` false. */
export function wholeListOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z.null(),
    has_more: z.literal(false),
  });
}
