import type { FieldErrors, FormValues } from "../core/form.ts";
import {
  CsrfField,
  FormErrorSummary,
  SelectField,
  TextAreaField,
  TextField,
} from "./form_fields.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

export interface TemplateRow {
  id: number;
  name: string;
  body: string;
  variables: string[];
  kind: "message" | "quick_reply";
  shortcut: string | null;
  active: boolean;
}

/** The add / edit form of a template. */
function TemplateForm(
  { ctx, action, values, errors, submit }: {
    ctx: PageContext;
    action: string;
    values?: FormValues;
    errors?: FieldErrors;
    submit: string;
  },
) {
  const { t } = ctx;
  return (
    <form method="post" action={action} class="form" novalidate>
      <CsrfField token={ctx.csrfToken} />
      <TextField
        t={t}
        name="name"
        label={t("templates.field.name")}
        hint={t("templates.field.name_hint")}
        values={values}
        errors={errors}
        required
        maxlength={100}
      />
      <TextAreaField
        t={t}
        name="body"
        label={t("templates.field.body")}
        hint={t("templates.field.body_hint")}
        values={values}
        errors={errors}
        rows={5}
      />
      <SelectField
        t={t}
        name="kind"
        label={t("templates.field.kind")}
        options={[["message", t("templates.kind.message")], [
          "quick_reply",
          t("templates.kind.quick_reply"),
        ]]}
        value={typeof values?.kind === "string" ? values.kind : "message"}
        errors={errors}
      />
      <TextField
        t={t}
        name="shortcut"
        label={t("templates.field.shortcut")}
        hint={t("templates.field.shortcut_hint")}
        values={values}
        errors={errors}
        maxlength={31}
      />
      <div class="field">
        <label>
          <input
            type="checkbox"
            name="active"
            checked={values ? values.active === "on" || values.active === "true" : true}
          />{" "}
          {t("templates.field.active")}
        </label>
      </div>
      <div class="actions">
        <button type="submit">{submit}</button>
      </div>
    </form>
  );
}

/** `/templates`: every template with its variables, and a form to add one. */
export function TemplatesPage(
  { ctx, templates, errors, values }: {
    ctx: PageContext;
    templates: TemplateRow[];
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("nav.templates")}>
      <div class="page-head">
        <div>
          <h1>{t("nav.templates")}</h1>
          <p>{t("templates.intro")}</p>
        </div>
      </div>
      <section class="card table-wrap">
        {templates.length === 0 ? <p class="muted">{t("empty.templates.body")}</p> : (
          <table>
            <thead>
              <tr>
                <th>{t("templates.field.id")}</th>
                <th>{t("templates.field.name")}</th>
                <th>{t("templates.field.body")}</th>
                <th>{t("templates.variables")}</th>
                <th>{t("templates.field.kind")}</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((tp) => (
                <tr>
                  <td class="mono">{tp.id}</td>
                  <td>
                    <a href={`/templates/${tp.id}`} class="mono">{tp.name}</a>
                    {tp.active ? null : (
                      <div>
                        <span class="badge idle">{t("templates.inactive")}</span>
                      </div>
                    )}
                  </td>
                  <td class="small template-body">{tp.body}</td>
                  <td class="small mono">{tp.variables.map((v) => `{{${v}}}`).join(" ") || "—"}</td>
                  <td class="small">
                    {t(`templates.kind.${tp.kind}`)}
                    {tp.shortcut ? <div class="mono">{tp.shortcut}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="add-template">
        <h2 id="add-template">{t("templates.add")}</h2>
        <FormErrorSummary t={t} errors={errors} />
        <TemplateForm
          ctx={ctx}
          action="/templates"
          values={values}
          errors={errors}
          submit={t("templates.add")}
        />
      </section>
    </Layout>
  );
}

/** `/templates/{id}`: edit or delete one template. */
export function TemplatePage(
  { ctx, template, errors, values }: {
    ctx: PageContext;
    template: TemplateRow;
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={template.name}>
      <div class="page-head">
        <div>
          <h1 class="mono">{template.name}</h1>
          <p>
            {t("templates.variables")}:{" "}
            <span class="mono">{template.variables.map((v) => `{{${v}}}`).join(" ") || "—"}</span>
          </p>
        </div>
        <a class="button secondary" href="/templates">{t("common.back")}</a>
      </div>
      <section class="card">
        <FormErrorSummary t={t} errors={errors} />
        <TemplateForm
          ctx={ctx}
          action={`/templates/${template.id}`}
          values={values ?? {
            name: template.name,
            body: template.body,
            kind: template.kind,
            shortcut: template.shortcut ?? "",
            active: template.active ? "on" : "",
          }}
          errors={errors}
          submit={t("common.save")}
        />
        <form
          method="post"
          action={`/templates/${template.id}/delete`}
          class="danger-zone"
          data-confirm={t("templates.delete_confirm", { name: template.name })}
        >
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="danger">{t("common.delete")}</button>
        </form>
      </section>
    </Layout>
  );
}
