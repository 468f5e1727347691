/** Labels put on conversations (BPJS, Lab, Urgent…), each with a colour. */
import { asc, sql } from "drizzle-orm";
import { conflict, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import { type Actor, auditIfChanged } from "./audit_log.ts";
import type { Db } from "./client.ts";
import { conversationUpdatedStatement } from "./conversation_events.ts";
import { activityStatement, type ConversationActor } from "./conversation_timeline.ts";
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

/**
 * Puts label `labelId` on the conversation (once), with its system line; false when there
 * is no such label.
 */
export async function addConversationLabel(
  db: Db,
  conversationId: number,
  labelId: number,
  actor: ConversationActor | null,
  now: number,
): Promise<boolean> {
  const label = (await db.$client.execute({
    sql: "SELECT name FROM labels WHERE id = ?",
    args: [labelId],
  })).rows[0];
  if (!label) return false;
  await db.$client.batch([
    {
      sql: `INSERT INTO conversation_labels (conversation_id, label_id)
        SELECT :conversation, id FROM labels WHERE id = :label ON CONFLICT DO NOTHING`,
      args: { conversation: conversationId, label: labelId },
    },
    activityStatement(conversationId, "labelled", actor, { name: String(label.name) }, now),
    conversationUpdatedStatement(conversationId, "labels", now),
  ], "write");
  return true;
}

/** Takes label `labelId` off the conversation, with its system line. */
export async function removeConversationLabel(
  db: Db,
  conversationId: number,
  labelId: number,
  actor: ConversationActor | null,
  now: number,
): Promise<void> {
  await db.$client.batch([
    {
      sql: `INSERT INTO conversation_activities (conversation_id, at, kind, actor_id, actor_name,
          details)
        SELECT :conversation, :now, 'unlabelled', :actor_id, :actor_name,
          json_object('name', l.name)
        FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id
        WHERE cl.conversation_id = :conversation AND cl.label_id = :label`,
      args: {
        conversation: conversationId,
        label: labelId,
        now,
        actor_id: actor?.userId ?? null,
        actor_name: actor?.name ?? null,
      },
    },
    {
      sql: "DELETE FROM conversation_labels WHERE conversation_id = ? AND label_id = ?",
      args: [conversationId, labelId],
    },
    conversationUpdatedStatement(conversationId, "labels", now),
  ], "write");
}

/** A label with how many conversations carry it, for the labels page. */
export interface LabelWithCount extends Label {
  conversationCount: number;
}

/** Every label by name (any case), with how many conversations carry it. */
export async function listLabelsWithCounts(db: Db): Promise<LabelWithCount[]> {
  const { rows } = await db.$client.execute(
    `SELECT l.id, l.name, l.color,
      (SELECT count(*) FROM conversation_labels cl WHERE cl.label_id = l.id) AS n
    FROM labels l ORDER BY lower(l.name), l.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    color: String(r.color),
    conversationCount: Number(r.n),
  }));
}

/** The label with `id`, or a 404 naming it. */
export async function requireLabel(db: Db, id: number): Promise<Label> {
  const { rows } = await db.$client.execute({
    sql: "SELECT id, name, color FROM labels WHERE id = ?",
    args: [id],
  });
  if (!rows[0]) throw notFound(`No label with id ${id}`);
  return { id: Number(rows[0].id), name: String(rows[0].name), color: String(rows[0].color) };
}

function nameTaken(name: string) {
  return conflict(`A label named ${name} already exists`, { name: "err.label_taken" });
}

/** Adds a label; a name already used (in any case) is a 409 on `name`. */
export async function createLabel(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: { name: string; color: string },
): Promise<Label> {
  const [inserted] = await db.batch([
    db.run(sql`INSERT INTO labels (name, color, created_at)
      SELECT ${input.name}, ${input.color}, ${clock.now()}
      WHERE NOT EXISTS (SELECT 1 FROM labels WHERE lower(name) = lower(${input.name}))`),
    db.run(auditIfChanged(clock, actor, {
      action: "label.create",
      target: `label:${input.name}`,
      details: { color: input.color },
    })),
  ]);
  if (inserted.rowsAffected === 0) throw nameTaken(input.name);
  const { rows } = await db.$client.execute({
    sql: "SELECT id, name, color FROM labels WHERE lower(name) = lower(?)",
    args: [input.name],
  });
  return { id: Number(rows[0].id), name: String(rows[0].name), color: String(rows[0].color) };
}

/**
 * Renames and recolours label `id` (404 when there is none); a name another
 * label has (in any case) is a 409 on `name`. Answers the label as it was.
 */
export async function updateLabel(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  input: { name: string; color: string },
): Promise<Label> {
  const before = await requireLabel(db, id);
  if (before.name === input.name && before.color === input.color) return before;
  const [updated] = await db.batch([
    db.run(sql`UPDATE labels SET name = ${input.name}, color = ${input.color}
      WHERE id = ${id} AND NOT EXISTS
        (SELECT 1 FROM labels WHERE lower(name) = lower(${input.name}) AND id != ${id})`),
    db.run(auditIfChanged(clock, actor, {
      action: "label.update",
      target: `label:${input.name}`,
      details: { from: { name: before.name, color: before.color }, to: input },
    })),
  ]);
  if (updated.rowsAffected === 0) {
    await requireLabel(db, id);
    throw nameTaken(input.name);
  }
  return before;
}

/**
 * Deletes label `id` (404 when there is none) and takes it off every
 * conversation. Answers the label and how many conversations carried it.
 */
export async function deleteLabel(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<Label & { conversationCount: number }> {
  const label = await requireLabel(db, id);
  const [removed] = await db.batch([
    db.run(sql`DELETE FROM conversation_labels WHERE label_id = ${id}`),
    db.run(sql`DELETE FROM labels WHERE id = ${id}`),
    db.run(auditIfChanged(clock, actor, { action: "label.delete", target: `label:${label.name}` })),
  ]);
  return { ...label, conversationCount: removed.rowsAffected };
}
