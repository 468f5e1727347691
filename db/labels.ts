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

/** The label named `name` (any case), made with `color` when there is none yet. */
export async function labelNamed(db: Db, name: string, color: string, now: number): Promise<Label> {
  await db.$client.execute({
    sql: `INSERT INTO labels (name, color, created_at)
      SELECT :name, :color, :now WHERE NOT EXISTS (SELECT 1 FROM labels WHERE lower(name) = lower(:name))`,
    args: { name, color, now },
  });
  const { rows } = await db.$client.execute({
    sql: "SELECT id, name, color FROM labels WHERE lower(name) = lower(?)",
    args: [name],
  });
  return { id: Number(rows[0].id), name: String(rows[0].name), color: String(rows[0].color) };
}

/** Puts label `labelId` on the conversation (once); false when there is no such label. */
export async function addConversationLabel(
  db: Db,
  conversationId: number,
  labelId: number,
): Promise<boolean> {
  const { rows } = await db.$client.execute({
    sql: `INSERT INTO conversation_labels (conversation_id, label_id)
      SELECT :conversation, id FROM labels WHERE id = :label
      ON CONFLICT DO NOTHING RETURNING label_id`,
    args: { conversation: conversationId, label: labelId },
  });
  if (rows.length > 0) return true;
  const { rows: exists } = await db.$client.execute({
    sql: "SELECT 1 FROM labels WHERE id = ?",
    args: [labelId],
  });
  return exists.length > 0;
}

/** Takes label `labelId` off the conversation. */
export async function removeConversationLabel(
  db: Db,
  conversationId: number,
  labelId: number,
): Promise<void> {
  await db.$client.execute({
    sql: "DELETE FROM conversation_labels WHERE conversation_id = ? AND label_id = ?",
    args: [conversationId, labelId],
  });
}
