/** Labels put on conversations (BPJS, Lab, Urgent…), each with a colour. */
import { asc } from "drizzle-orm";
import type { Db } from "./client.ts";
import { labels } from "./schema.ts";

export interface Label {
  id: number;
  name: string;
  color: string;
}

/** Every label, by name. */
export async function listLabels(db: Db): Promise<Label[]> {
  return await db.select({ id: labels.id, name: labels.name, color: labels.color }).from(labels)
    .orderBy(asc(labels.name));
}
