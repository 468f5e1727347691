import { type Context, Hono } from "hono";
import { notFound } from "../../core/app_error.ts";
import { templateFormSchema } from "../../core/api_templates.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { templateVariables } from "../../core/template.ts";
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  requireTemplate,
  type Template,
  updateTemplate,
} from "../../db/templates.ts";
import { TemplatePage, type TemplateRow, TemplatesPage } from "../../views/templates_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

const row = (t: Template): TemplateRow => ({ ...t, variables: templateVariables(t.body) });

/** `/templates` (supervisors): messages with {{variables}} and inbox quick replies. */
export function templateRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock, config } = deps;

  const showList = async (
    c: Context<AppEnv>,
    failed?: { errors: FieldErrors; values: FormValues },
  ) =>
    renderPage(
      c,
      <TemplatesPage
        ctx={pageContext(c, deps)}
        templates={(await listTemplates(db)).map(row)}
        errors={failed?.errors}
        values={failed?.values}
      />,
      failed ? 422 : 200,
    );
  const templateOf = async (c: Context<AppEnv>) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) throw notFound();
    return await requireTemplate(db, id);
  };
  const showOne = (
    c: Context<AppEnv>,
    template: Template,
    failed?: { errors: FieldErrors; values: FormValues },
  ) =>
    renderPage(
      c,
      <TemplatePage
        ctx={pageContext(c, deps)}
        template={row(template)}
        errors={failed?.errors}
        values={failed?.values}
      />,
      failed ? 422 : 200,
    );

  app.get("/templates", (c) => showList(c));

  app.post("/templates", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(templateFormSchema, values);
    if (!parsed.ok) return showList(c, { errors: parsed.errors, values });
    try {
      const created = await createTemplate(db, clock, actorOf(c, deps), parsed.data);
      setFlash(c, config, "success", "templates.created", { name: created.name });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showList(c, { errors, values });
      throw e;
    }
    return redirectTo(c, "/templates");
  });

  app.get("/templates/:id{[0-9]+}", async (c) => showOne(c, await templateOf(c)));

  app.post("/templates/:id{[0-9]+}", async (c) => {
    const template = await templateOf(c);
    const values = await formValues(c);
    const parsed = parseForm(templateFormSchema, values);
    if (!parsed.ok) return showOne(c, template, { errors: parsed.errors, values });
    try {
      await updateTemplate(db, clock, actorOf(c, deps), template.id, parsed.data);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showOne(c, template, { errors, values });
      throw e;
    }
    setFlash(c, config, "success", "templates.saved", { name: parsed.data.name });
    return redirectTo(c, "/templates");
  });

  app.post("/templates/:id{[0-9]+}/delete", async (c) => {
    const template = await templateOf(c);
    await deleteTemplate(db, clock, actorOf(c, deps), template.id);
    setFlash(c, config, "success", "templates.deleted", { name: template.name });
    return redirectTo(c, "/templates");
  });

  return app;
}
