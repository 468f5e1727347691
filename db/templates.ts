/** Message templates as stored. */
import { and, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { templates } from "./schema.ts";

export type Template = typeof templates.$inferSelect;

/** The active template with `id` or `name`, or undefined. */
export async function findActiveTemplate(
  db: Db,
  ref: { id?: number; name?: string },
): Promise<Template | undefined> {
  const where = ref.id !== undefined
    ? eq(templates.id, ref.id)
    : eq(templates.name, ref.name ?? "");
  return (await db.select().from(templates).where(and(where, eq(templates.active, true))))[0];
}
