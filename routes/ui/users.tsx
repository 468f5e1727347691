import { type Context, Hono } from "hono";
import { notFound } from "../../core/app_error.ts";
import { type FieldErrors, type FormValues, parseForm, safeFormValues } from "../../core/form.ts";
import { editUserSchema, newUserSchema, resetPasswordSchema } from "../../core/user_input.ts";
import { listDepartments } from "../../db/departments.ts";
import {
  createUser,
  disableTotp,
  getUser,
  listUsers,
  setPassword,
  setUserDisabled,
  updateUser,
  type User,
  type UserWithDepartments,
} from "../../db/users.ts";
import { UserEditPage, type UserForm, type UserRow, UsersPage } from "../../views/users_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

function toRow(u: UserWithDepartments): UserRow {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    language: u.language,
    disabled: u.disabledAt !== null,
    twoFactor: u.totpSecret !== null,
    departments: u.departments,
  };
}

/** `/settings/users` (administrators): create, edit, disable accounts, reset passwords and 2FA. */
export function userRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock, config } = deps;

  const showList = async (
    c: Context<AppEnv>,
    values?: FormValues,
    errors?: FieldErrors,
  ) =>
    renderPage(
      c,
      <UsersPage
        ctx={pageContext(c, deps)}
        users={(await listUsers(db)).map(toRow)}
        departments={await listDepartments(db)}
        values={values}
        errors={errors}
      />,
      errors ? 422 : 200,
    );

  const loadUser = async (c: Context<AppEnv>): Promise<User> => {
    const id = Number(c.req.param("id"));
    const user = Number.isInteger(id) ? await getUser(db, id) : undefined;
    if (!user) throw notFound(`No staff account with id ${c.req.param("id")}`);
    return user;
  };

  const showUser = async (
    c: Context<AppEnv>,
    id: number,
    failed?: {
      form: UserForm;
      errors: FieldErrors;
      values?: FormValues;
    },
  ) => {
    const [user] = await listUsers(db, id);
    if (!user) throw notFound(`No staff account with id ${id}`);
    return renderPage(
      c,
      <UserEditPage
        ctx={pageContext(c, deps)}
        user={toRow(user)}
        departments={await listDepartments(db)}
        failedForm={failed?.form}
        errors={failed?.errors}
        values={failed?.values}
      />,
      failed ? 422 : 200,
    );
  };

  app.get("/settings/users", (c) => showList(c));

  app.post("/settings/users", async (c) => {
    const values = await formValues(c);
    const kept = safeFormValues(values);
    const parsed = parseForm(newUserSchema, values);
    if (!parsed.ok) return showList(c, kept, parsed.errors);
    try {
      const user = await createUser(db, clock, actorOf(c, deps), parsed.data);
      setFlash(c, config, "success", "users.created", {
        username: user.username,
      });
      return redirectTo(c, "/settings/users");
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showList(c, kept, errors);
      throw e;
    }
  });

  app.get(
    "/settings/users/:id",
    async (c) => showUser(c, (await loadUser(c)).id),
  );

  app.post("/settings/users/:id", async (c) => {
    const user = await loadUser(c);
    const values = await formValues(c);
    const parsed = parseForm(editUserSchema, values);
    const kept = safeFormValues(values);
    if (!parsed.ok) {
      return showUser(c, user.id, {
        form: "details",
        errors: parsed.errors,
        values: kept,
      });
    }
    try {
      await updateUser(db, clock, actorOf(c, deps), user.id, parsed.data);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) {
        return showUser(c, user.id, { form: "details", errors, values: kept });
      }
      throw e;
    }
    setFlash(c, config, "success", "users.saved", { username: user.username });
    return redirectTo(c, `/settings/users/${user.id}`);
  });

  app.post("/settings/users/:id/password", async (c) => {
    const user = await loadUser(c);
    const parsed = parseForm(resetPasswordSchema, await formValues(c));
    if (!parsed.ok) {
      return showUser(c, user.id, { form: "password", errors: parsed.errors });
    }
    const own = user.id === c.get("user")!.id ? c.get("session")!.id : undefined;
    await setPassword(
      db,
      clock,
      actorOf(c, deps),
      user,
      parsed.data.password,
      own,
    );
    setFlash(c, config, "success", "users.password_reset_done", {
      username: user.username,
    });
    return redirectTo(c, `/settings/users/${user.id}`);
  });

  for (const disabled of [true, false]) {
    app.post(
      `/settings/users/:id/${disabled ? "disable" : "enable"}`,
      async (c) => {
        const user = await loadUser(c);
        try {
          await setUserDisabled(db, clock, actorOf(c, deps), user, disabled);
        } catch (e) {
          const errors = fieldErrorsOf(e);
          if (errors) return showUser(c, user.id, { form: "status", errors });
          throw e;
        }
        setFlash(
          c,
          config,
          "success",
          disabled ? "users.disabled_done" : "users.enabled_done",
          {
            username: user.username,
          },
        );
        return redirectTo(c, `/settings/users/${user.id}`);
      },
    );
  }

  app.post("/settings/users/:id/reset-2fa", async (c) => {
    const user = await loadUser(c);
    await disableTotp(db, clock, actorOf(c, deps), user);
    setFlash(c, config, "success", "users.twofa_reset_done", {
      username: user.username,
    });
    return redirectTo(c, `/settings/users/${user.id}`);
  });

  return app;
}
