import type { FieldErrors, FormValues } from "../core/form.ts";
import { TEMPLATE_KINDS, type TemplateKind } from "../core/template_kind.ts";
import {
  CsrfField,
  FormErrorSummary,
  SelectField,
  TextAreaField,
  TextField,
} from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { PostForm } from "./kit/post_form.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

export interface TemplateRow {
  id: number;
  name: string;
  body: string;
  variables: string[];
  kind: TemplateKind;
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
    <PostForm csrfToken={ctx.csrfToken} action={action} submit={submit}>
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
        options={TEMPLATE_KINDS.map((k) => [k, t(`templates.kind.${k}`)])}
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
    </PostForm>
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
      <PageHead title={t("nav.templates")} intro={t("templates.intro")} />
      <section class="card">
        <DataTable
          label={t("nav.templates")}
          rows={templates}
          empty={t("empty.templates.body")}
          columns={[
            { label: t("templates.field.id"), class: "mono", cell: (tp) => tp.id },
            {
              label: t("templates.field.name"),
              primary: true,
              cell: (tp) => (
                <>
                  <a href={`/templates/${tp.id}`} class="mono">{tp.name}</a>
                  {tp.active ? null : (
                    <div>
                      <span class="badge idle">{t("templates.inactive")}</span>
                    </div>
                  )}
                </>
              ),
            },
            {
              label: t("templates.field.body"),
              class: "small template-body",
              wide: true,
              cell: (tp) => tp.body,
            },
            {
              label: t("templates.variables"),
              class: "small mono",
              cell: (tp) => tp.variables.map((v) => `{{${v}}}`).join(" ") || "—",
            },
            {
              label: t("templates.field.kind"),
              class: "small",
              cell: (tp) => (
                <>
                  {t(`templates.kind.${tp.kind}`)}
                  {tp.shortcut ? <div class="mono">{tp.shortcut}</div> : null}
                </>
              ),
            },
          ]}
        />
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
      <PageHead
        title={template.name}
        mono="title"
        intro={
          <>
            {t("templates.variables")}:{" "}
            <span class="mono">{template.variables.map((v) => `{{${v}}}`).join(" ") || "—"}</span>
          </>
        }
        actions={<a class="button secondary" href="/templates">{t("common.back")}</a>}
      />
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
