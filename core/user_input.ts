import { z } from "zod";
import { visibleName } from "./visible_name.ts";
import { LANGUAGES } from "./i18n/message.ts";
import { MIN_PASSWORD_LENGTH } from "./password.ts";
import { ROLES } from "./permissions.ts";

/**
 * Schemas of the staff-account forms. Error messages are i18n keys
 * (`err.*`) so a page can show them in the user's language.
 */
export const usernameSchema = z.string().trim().toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, { error: "err.username" });

export const displayNameSchema = z.string({ error: "err.display_name_empty" }).overwrite(
  visibleName,
).min(1, {
  error: "err.display_name_empty",
})
  .max(80, { error: "err.display_name" });

export const passwordSchema = z.string()
  .min(MIN_PASSWORD_LENGTH, { error: "err.password_short" })
  .max(200, { error: "err.password_long" });

export const roleSchema = z.enum(ROLES, { error: "err.role" });
export const languageSchema = z.enum(LANGUAGES, { error: "err.language" });

/** Form values may be one string, several (checkboxes) or absent. */
const idList = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z.array(
      z.coerce.number<string>().int().positive({
        error: "err.department_unknown",
      }),
    ),
  );

const withConfirmation = <
  T extends { password: string; passwordConfirm: string },
>(
  schema: z.ZodType<T>,
) =>
  schema.refine((v) => v.password === v.passwordConfirm, {
    error: "err.password_mismatch",
    path: ["passwordConfirm"],
  });

/** The first administrator, on /setup. */
export const setupSchema = withConfirmation(z.object({
  displayName: displayNameSchema,
  username: usernameSchema,
  password: passwordSchema,
  passwordConfirm: z.string(),
}));

/** A new staff account, by an administrator. */
export const newUserSchema = z.object({
  displayName: displayNameSchema,
  username: usernameSchema,
  role: roleSchema,
  language: languageSchema,
  departmentIds: idList,
  password: passwordSchema,
});

/** Changes an administrator makes to an account. */
export const editUserSchema = z.object({
  displayName: displayNameSchema,
  role: roleSchema,
  language: languageSchema,
  departmentIds: idList,
});

/** A user's own profile. */
export const profileSchema = z.object({
  displayName: displayNameSchema,
  language: languageSchema,
});

/** A user changing their own password. */
export const changePasswordSchema = withConfirmation(z.object({
  currentPassword: z.string().min(1, { error: "err.required" }),
  password: passwordSchema,
  passwordConfirm: z.string(),
}));

/** An administrator setting someone's password. */
export const resetPasswordSchema = z.object({ password: passwordSchema });

export const departmentSchema = z.object({
  name: z.string().overwrite(visibleName).min(1, { error: "err.department_name" })
    .max(60, { error: "err.department_name" }),
});

export type NewUserInput = z.infer<typeof newUserSchema>;
export type EditUserInput = z.infer<typeof editUserSchema>;
