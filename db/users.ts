import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { conflict, invalidInput, notFound } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { Language } from "../core/i18n/message.ts";
import { hashPassword } from "../core/password.ts";
import type { EditUserInput, NewUserInput } from "../core/user_input.ts";
import { type Actor, auditInsert } from "./audit_log.ts";
import type { Db } from "./client.ts";
import { isRuleViolation, isUniqueViolation } from "./errors.ts";
import { departments, loginSessions, recoveryCodes, userDepartments, users } from "./schema.ts";

export type User = typeof users.$inferSelect;

/** A user with the departments they belong to, as lists show them. */
export interface UserWithDepartments extends User {
  departments: Array<{ id: number; name: string }>;
}

/** How many staff accounts exist (disabled ones included). */
export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(users);
  return Number(row.n);
}

/** The user with `id`, or undefined. */
export async function getUser(db: Db, id: number): Promise<User | undefined> {
  return (await db.select().from(users).where(eq(users.id, id)))[0];
}

/** The user signing in as `username` (any case), or undefined. */
export async function findUserByUsername(
  db: Db,
  username: string,
): Promise<User | undefined> {
  return (await db.select().from(users).where(
    eq(users.username, username.trim().toLowerCase()),
  ))[0];
}

/** Every account (or only the one with `onlyId`) with its departments, by name. */
export async function listUsers(db: Db, onlyId?: number): Promise<UserWithDepartments[]> {
  const all = await db.select().from(users)
    .where(onlyId === undefined ? undefined : eq(users.id, onlyId))
    .orderBy(asc(users.displayName));
  const memberships = await db
    .select({
      userId: userDepartments.userId,
      id: departments.id,
      name: departments.name,
    })
    .from(userDepartments)
    .innerJoin(departments, eq(departments.id, userDepartments.departmentId))
    .where(onlyId === undefined ? undefined : eq(userDepartments.userId, onlyId))
    .orderBy(asc(departments.name));
  return all.map((u) => ({
    ...u,
    departments: memberships.filter((m) => m.userId === u.id).map((
      { id, name },
    ) => ({ id, name })),
  }));
}

/**
 * Creates the first administrator, only while no account exists (so two
 * concurrent setups cannot both succeed). Returns undefined when an account
 * already exists.
 */
export async function createFirstAdmin(
  db: Db,
  clock: Clock,
  input: {
    displayName: string;
    username: string;
    password: string;
    language: Language;
  },
  ip: string | null,
): Promise<User | undefined> {
  const now = clock.now();
  const passwordHash = await hashPassword(input.password);
  const inserted = await db.run(sql`
      INSERT INTO users (username, display_name, password_hash, role, language,
        password_changed_at, created_at, updated_at)
      SELECT ${input.username}, ${input.displayName}, ${passwordHash}, 'admin', ${input.language},
        ${now}, ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM users)`);
  if (inserted.rowsAffected === 0) return undefined;
  const user = (await findUserByUsername(db, input.username))!;
  await auditInsert(db, clock, { userId: user.id, name: user.username, ip }, {
    action: "setup.admin_created",
    target: `user:${user.username}`,
  });
  return user;
}

/** Creates a staff account; a taken username is a 409 on the `username` field. */
export async function createUser(
  db: Db,
  clock: Clock,
  actor: Actor,
  input: NewUserInput,
): Promise<User> {
  await requireDepartments(db, input.departmentIds);
  const now = clock.now();
  const passwordHash = await hashPassword(input.password);
  try {
    const [[user]] = await db.batch([
      db.insert(users).values({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        language: input.language,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      }).returning(),
      ...departmentInserts(
        db,
        sql`(SELECT id FROM users WHERE username = ${input.username})`,
        input.departmentIds,
      ),
      auditInsert(db, clock, actor, {
        action: "user.create",
        target: `user:${input.username}`,
        details: { role: input.role, departmentIds: input.departmentIds },
      }),
    ]);
    return user;
  } catch (e) {
    throw translateUserError(e);
  }
}

/**
 * Changes name, role, language and departments. Demoting the last active
 * administrator is refused (a database trigger enforces it).
 */
export async function updateUser(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  input: EditUserInput,
): Promise<User> {
  const before = await getUser(db, id);
  if (!before) throw notFound(`No staff account with id ${id}`);
  await requireDepartments(db, input.departmentIds);
  try {
    const [[user]] = await db.batch([
      db.update(users).set({
        displayName: input.displayName,
        role: input.role,
        language: input.language,
        updatedAt: clock.now(),
      }).where(eq(users.id, id)).returning(),
      db.delete(userDepartments).where(eq(userDepartments.userId, id)),
      ...departmentInserts(db, sql`${id}`, input.departmentIds),
      auditInsert(db, clock, actor, {
        action: "user.update",
        target: `user:${before.username}`,
        details: {
          ...(before.role !== input.role ? { role: [before.role, input.role] } : {}),
          ...(before.displayName !== input.displayName
            ? { displayName: [before.displayName, input.displayName] }
            : {}),
          departmentIds: input.departmentIds,
        },
      }),
    ]);
    return user;
  } catch (e) {
    throw translateUserError(e, "role");
  }
}

/** A user's own name and language. */
export async function updateProfile(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
  input: { displayName: string; language: Language },
): Promise<void> {
  await db.batch([
    db.update(users).set({ ...input, updatedAt: clock.now() }).where(
      eq(users.id, id),
    ),
    auditInsert(db, clock, actor, {
      action: "account.profile",
      target: `user:${actor.name}`,
    }),
  ]);
}

/** Only the interface language; not worth an audit entry. */
export async function setUserLanguage(
  db: Db,
  id: number,
  language: Language,
): Promise<void> {
  await db.update(users).set({ language }).where(eq(users.id, id));
}

/**
 * Disables or enables an account. Disabling signs the user out everywhere;
 * the last active administrator cannot be disabled.
 */
export async function setUserDisabled(
  db: Db,
  clock: Clock,
  actor: Actor,
  user: User,
  disabled: boolean,
): Promise<void> {
  if (disabled && actor.userId === user.id) {
    throw invalidInput("You cannot disable your own account", {
      _form: "err.self_disable",
    });
  }
  try {
    await db.batch([
      db.update(users).set({
        disabledAt: disabled ? clock.now() : null,
        updatedAt: clock.now(),
      })
        .where(eq(users.id, user.id)),
      ...(disabled ? [db.delete(loginSessions).where(eq(loginSessions.userId, user.id))] : []),
      auditInsert(db, clock, actor, {
        action: disabled ? "user.disable" : "user.enable",
        target: `user:${user.username}`,
      }),
    ]);
  } catch (e) {
    throw translateUserError(e, "_form");
  }
}

/**
 * Sets a new password and signs the user out of every session except
 * `keepSessionId` (the one changing its own password stays signed in).
 */
export async function setPassword(
  db: Db,
  clock: Clock,
  actor: Actor,
  user: User,
  password: string,
  keepSessionId?: string,
): Promise<void> {
  const now = clock.now();
  const passwordHash = await hashPassword(password);
  const own = actor.userId === user.id;
  await db.batch([
    db.update(users).set({
      passwordHash,
      passwordChangedAt: now,
      updatedAt: now,
    })
      .where(eq(users.id, user.id)),
    db.delete(loginSessions).where(
      keepSessionId
        ? and(
          eq(loginSessions.userId, user.id),
          sql`${loginSessions.id} != ${keepSessionId}`,
        )
        : eq(loginSessions.userId, user.id),
    ),
    auditInsert(db, clock, actor, {
      action: own ? "account.password_change" : "user.password_reset",
      target: `user:${user.username}`,
    }),
  ]);
}

// --- two-step verification -------------------------------------------------

/** Keeps a sealed secret shown on the enrolment page until it is confirmed. */
export async function setPendingTotpSecret(
  db: Db,
  userId: number,
  sealed: string,
): Promise<void> {
  await db.update(users).set({ totpPendingSecret: sealed }).where(
    eq(users.id, userId),
  );
}

/** Turns 2FA on with the confirmed secret and a fresh set of recovery code hashes. */
export async function enableTotp(
  db: Db,
  clock: Clock,
  actor: Actor,
  userId: number,
  sealedSecret: string,
  confirmedStep: number,
  recoveryCodeHashes: string[],
): Promise<void> {
  await db.batch([
    db.update(users).set({
      totpSecret: sealedSecret,
      totpPendingSecret: null,
      totpLastStep: confirmedStep,
      updatedAt: clock.now(),
    }).where(eq(users.id, userId)),
    ...recoveryCodeStatements(db, userId, recoveryCodeHashes),
    auditInsert(db, clock, actor, {
      action: "account.2fa_enable",
      target: `user:${actor.name}`,
    }),
  ]);
}

/** Replaces the recovery codes of a user who has 2FA on. */
export async function replaceRecoveryCodes(
  db: Db,
  clock: Clock,
  actor: Actor,
  userId: number,
  hashes: string[],
): Promise<void> {
  await db.batch([
    auditInsert(db, clock, actor, {
      action: "account.2fa_recovery_codes",
      target: `user:${actor.name}`,
    }),
    ...recoveryCodeStatements(db, userId, hashes),
  ]);
}

/** Turns 2FA off (by the user, or by an administrator for a user who lost access). */
export async function disableTotp(
  db: Db,
  clock: Clock,
  actor: Actor,
  user: User,
): Promise<void> {
  await db.batch([
    db.update(users).set({
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      updatedAt: clock.now(),
    }).where(eq(users.id, user.id)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
    auditInsert(db, clock, actor, {
      action: actor.userId === user.id ? "account.2fa_disable" : "user.2fa_reset",
      target: `user:${user.username}`,
    }),
  ]);
}

/**
 * Records that the code of time step `step` was used; false when that step (or
 * a later one) was already used, so one code never signs in twice.
 */
export async function claimTotpStep(
  db: Db,
  userId: number,
  step: number,
): Promise<boolean> {
  const rows = await db.update(users).set({ totpLastStep: step })
    .where(and(
      eq(users.id, userId),
      sql`(${users.totpLastStep} IS NULL OR ${users.totpLastStep} < ${step})`,
    ))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Uses up a recovery code; false when no unused code has this hash. */
export async function useRecoveryCode(
  db: Db,
  clock: Clock,
  userId: number,
  codeHash: string,
): Promise<boolean> {
  const rows = await db.update(recoveryCodes).set({ usedAt: clock.now() })
    .where(and(
      eq(recoveryCodes.userId, userId),
      eq(recoveryCodes.codeHash, codeHash),
      isNull(recoveryCodes.usedAt),
    ))
    .returning({ id: recoveryCodes.id });
  return rows.length === 1;
}

/** How many recovery codes the user has not used yet. */
export async function unusedRecoveryCodeCount(
  db: Db,
  userId: number,
): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(
    recoveryCodes,
  )
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(row.n);
}

function recoveryCodeStatements(db: Db, userId: number, hashes: string[]) {
  return [
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    ...(hashes.length
      ? [
        db.insert(recoveryCodes).values(
          hashes.map((codeHash) => ({ userId, codeHash })),
        ),
      ]
      : []),
  ];
}

function departmentInserts(
  db: Db,
  userIdSql: ReturnType<typeof sql>,
  departmentIds: number[],
) {
  if (departmentIds.length === 0) return [];
  return [
    db.run(sql`INSERT INTO user_departments (user_id, department_id)
      SELECT ${userIdSql}, id FROM departments WHERE id IN ${sql`(${
      sql.join(departmentIds.map((d) => sql`${d}`), sql`, `)
    })`}`),
  ];
}

function translateUserError(e: unknown, lastAdminField = "role"): unknown {
  if (isUniqueViolation(e, "users.username")) {
    return conflict("This username is already taken", {
      username: "err.username_taken",
    });
  }
  if (isRuleViolation(e, "last_admin")) {
    return conflict("Kabar needs at least one active administrator", {
      [lastAdminField]: "err.last_admin",
    });
  }
  return e;
}

async function requireDepartments(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.select({ id: departments.id }).from(departments)
    .where(inArray(departments.id, ids));
  if (rows.length !== new Set(ids).size) {
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    throw invalidInput(`No department with id ${missing.join(", ")}`, {
      departmentIds: "err.department_unknown",
    });
  }
}

/** The display names of the staff with `ids`, by id (those gone are left out). */
export async function userNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
