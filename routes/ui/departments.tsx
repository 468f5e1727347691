import { type Context, Hono } from "hono";
import { notFound } from "../../core/app_error.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { departmentSchema } from "../../core/user_input.ts";
import {
  createDepartment,
  deleteDepartment,
  listDepartments,
  renameDepartment,
} from "../../db/departments.ts";
import { DepartmentsPage } from "../../views/departments_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/** `/settings/departments` (administrators): add, rename, delete departments. */
export function departmentRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock, config } = deps;

  const show = async (
    c: Context<AppEnv>,
    failed?: { id?: number; errors: FieldErrors; values: FormValues },
  ) =>
    renderPage(
      c,
      <DepartmentsPage
        ctx={pageContext(c, deps)}
        departments={await listDepartments(db)}
        failed={failed}
      />,
      failed ? 422 : 200,
    );

  const idParam = (c: Context<AppEnv>) => {
    const id = Number(c.req.param("id"));
    if (!Number.isInteger(id) || id <= 0) {
      throw notFound(`No department with id ${c.req.param("id")}`);
    }
    return id;
  };

  /** Validates the name, runs `save`, and re-renders the page with errors next to the form. */
  const saveName = async (
    c: Context<AppEnv>,
    id: number | undefined,
    save: (name: string) => Promise<void>,
  ) => {
    const values = await formValues(c);
    const parsed = parseForm(departmentSchema, values);
    if (!parsed.ok) return show(c, { id, errors: parsed.errors, values });
    try {
      await save(parsed.data.name);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return show(c, { id, errors, values });
      throw e;
    }
    setFlash(
      c,
      config,
      "success",
      id === undefined ? "departments.created" : "departments.renamed",
      {
        name: parsed.data.name,
      },
    );
    return redirectTo(c, "/settings/departments");
  };

  app.get("/settings/departments", (c) => show(c));

  app.post(
    "/settings/departments",
    (c) =>
      saveName(c, undefined, async (name) => {
        await createDepartment(db, clock, actorOf(c, deps), name);
      }),
  );

  app.post("/settings/departments/:id", (c) => {
    const id = idParam(c);
    return saveName(
      c,
      id,
      (name) => renameDepartment(db, clock, actorOf(c, deps), id, name),
    );
  });

  app.post("/settings/departments/:id/delete", async (c) => {
    const deleted = await deleteDepartment(
      db,
      clock,
      actorOf(c, deps),
      idParam(c),
    );
    setFlash(c, config, "success", "departments.deleted", {
      name: deleted.name,
    });
    return redirectTo(c, "/settings/departments");
  });

  return app;
}
