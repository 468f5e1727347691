/** Message templates as stored. */
import { and, asc, eq, inArray } from "drizzle-orm";
import { conflict, notFound } from "../core/app_error.ts";
import type { TemplateInput } from "../core/api_templates.ts";
import type { Clock } from "../core/clock.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { templates } from "./schema.ts";

export type Template = typeof templates.$inferSelect;

/** The active template with `id` or `name` (and of `kind`, when given), or undefined. */
export async function findActiveTemplate(
  db: Db,
  ref: { id?: number; name?: string; kind?: Template["kind"] },
): Promise<Template | undefined> {
  const where = ref.id !== undefined
    ? eq(templates.id, ref.id)
    : eq(templates.name, ref.name ?? "");
  return (await db.select().from(templates).where(and(
    where,
    eq(templates.active, true),
    ref.kind ? eq(templates.kind, ref.kind) : undefined,
  )))[0];
}

export async function listTemplates(db: Db): Promise<Template[]> {
  return await db.select().from(templates).orderBy(asc(templates.name));
}

/** The template or a 404 naming it. */
export async function requireTemplate(db: Db, id: number): Promise<Template> {
  const [row] = await db.select().from(templates).where(eq(templates.id, id));
  if (!row) throw notFound(`No template with id ${id}`);
  return row;
}

function uniqueness(e: unknown, input: Partial<TemplateInput>): unknown {
  if (isUniqueViolation(e, "templates.name")) {
    return conflict(`A template named ${input.name} exists already`, {
      name: "err.template_taken",
    });
  }
  if (isUniqueViolation(e, "templates.shortcut")) {
    return conflict(`Another template has the shortcut ${input.shortcut}`, {
      shortcut: "err.shortcut_taken",
    });
  }
  return e;
}

export async function createTemplate(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: TemplateInput,
): Promise<Template> {
  const now = clock.now();
  try {
    const [[row]] = await db.batch([
      db.insert(templates).values({ ...input, createdAt: now, updatedAt: now }).returning(),
      auditInsert(db, clock, actor, { action: "template.create", target: input.name }),
    ]);
    return row;
  } catch (e) {
    throw uniqueness(e, input);
  }
}

export async function updateTemplate(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  patch: Partial<TemplateInput>,
): Promise<Template> {
  const before = await requireTemplate(db, id);
  try {
    const [[row]] = await db.batch([
      db.update(templates).set({ ...patch, updatedAt: clock.now() }).where(eq(templates.id, id))
        .returning(),
      auditInsert(db, clock, actor, {
        action: "template.update",
        target: before.name,
        details: patch,
      }),
    ]);
    return row;
  } catch (e) {
    throw uniqueness(e, patch);
  }
}

/** Deletes a template; messages sent with it keep their text. */
export async function deleteTemplate(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<void> {
  const before = await requireTemplate(db, id);
  await db.batch([
    db.delete(templates).where(eq(templates.id, id)),
    auditInsert(db, clock, actor, { action: "template.delete", target: before.name }),
  ]);
}

/** The names of the templates with `ids`, by id (those deleted are left out). */
export async function templateNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: templates.id, name: templates.name }).from(templates)
    .where(inArray(templates.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
