import { asc, eq, inArray, sql } from "drizzle-orm";
import { conflict, invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { channelDepartments, departments, userDepartments } from "./schema.ts";

export type Department = typeof departments.$inferSelect;

/** Every department by name, with how many staff belong to it. */
export async function listDepartments(
  db: Db,
): Promise<Array<Department & { memberCount: number }>> {
  const rows = await db.select({
    id: departments.id,
    name: departments.name,
    createdAt: departments.createdAt,
    memberCount: sql<
      number
    >`(SELECT count(*) FROM user_departments ud WHERE ud.department_id = ${departments.id})`,
  }).from(departments).orderBy(asc(departments.name));
  return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
}

/** The department with `id`, or a 404. */
export async function getDepartment(db: Db, id: number): Promise<Department> {
  const [row] = await db.select().from(departments).where(
    eq(departments.id, id),
  );
  if (!row) throw notFound(`No department with id ${id}`);
  return row;
}

/** Adds a department; a taken name is a 409 on `name`. */
export async function createDepartment(
  db: Db,
  clock: Clock,
  actor: Actor,
  name: string,
): Promise<Department> {
  try {
    const [[row]] = await db.batch([
      db.insert(departments).values({ name, createdAt: clock.now() })
        .returning(),
      auditInsert(db, clock, actor, {
        action: "department.create",
        target: `department:${name}`,
      }),
    ]);
    return row;
  } catch (e) {
    throw translate(e);
  }
}

/** Renames a department; a taken name is a 409 on `name`. */
export async function renameDepartment(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  name: string,
): Promise<void> {
  const before = await getDepartment(db, id);
  try {
    await db.batch([
      db.update(departments).set({ name }).where(eq(departments.id, id)),
      auditInsert(db, clock, actor, {
        action: "department.rename",
        target: `department:${name}`,
        details: { from: before.name },
      }),
    ]);
  } catch (e) {
    throw translate(e);
  }
}

/** Deletes a department; members stay, conversations lose the department. */
export async function deleteDepartment(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<Department> {
  const before = await getDepartment(db, id);
  await db.batch([
    db.delete(userDepartments).where(eq(userDepartments.departmentId, id)),
    db.delete(departments).where(eq(departments.id, id)),
    auditInsert(db, clock, actor, {
      action: "department.delete",
      target: `department:${before.name}`,
    }),
  ]);
  return before;
}

function translate(e: unknown): unknown {
  if (isUniqueViolation(e, "departments.name")) {
    return conflict("A department with this name already exists", {
      name: "err.department_taken",
    });
  }
  return e;
}

/** The departments channel `channelId` belongs to, by name. */
export async function departmentsOfChannel(
  db: Db,
  channelId: number,
): Promise<Array<{ id: number; name: string }>> {
  return await db.select({ id: departments.id, name: departments.name })
    .from(channelDepartments).innerJoin(
      departments,
      eq(departments.id, channelDepartments.departmentId),
    ).where(eq(channelDepartments.channelId, channelId)).orderBy(asc(departments.name));
}

/**
 * Makes channel `channelId` belong to exactly `departmentIds` (none: every
 * agent sees its conversations that have no department). An id that is no
 * department is a 422 on `departments` naming it; nothing changes then.
 */
export async function setChannelDepartments(
  db: Db,
  clock: Clock,
  actor: Actor,
  channel: { id: number; name: string },
  departmentIds: readonly number[],
): Promise<Array<{ id: number; name: string }>> {
  const ids = [...new Set(departmentIds)];
  const found = ids.length === 0
    ? []
    : await db.select({ id: departments.id, name: departments.name })
      .from(departments).where(inArray(departments.id, ids)).orderBy(asc(departments.name));
  const unknown = ids.find((id) => !found.some((d) => d.id === id));
  if (unknown !== undefined) {
    throw invalidInput(`No department with id ${unknown}`, {
      departments: "err.department_unknown",
    });
  }
  const before = await departmentsOfChannel(db, channel.id);
  await db.batch([
    db.delete(channelDepartments).where(eq(channelDepartments.channelId, channel.id)),
    ...(ids.length > 0
      ? [
        db.insert(channelDepartments).values(
          ids.map((departmentId) => ({ channelId: channel.id, departmentId })),
        ),
      ]
      : []),
    auditInsert(db, clock, actor, {
      action: "channel.departments",
      target: channel.name,
      details: { from: before.map((d) => d.name), to: found.map((d) => d.name) },
    }),
  ]);
  return found;
}
