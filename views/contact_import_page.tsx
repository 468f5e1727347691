import { SheetPreview } from "./sheet_preview.tsx";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { ImportSkip } from "../core/contact_import.ts";
import type { Translate } from "../core/i18n.ts";
import {
  CheckboxGroup,
  CsrfField,
  errorMessage,
  FormErrorSummary,
  SelectField,
} from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { PostForm } from "./kit/post_form.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

const back = (t: Translate) => <a class="button secondary" href="/contacts">{t("common.back")}</a>;

/** `/contacts/import`: step 1, the file to upload. */
export function ImportUploadPage(
  { ctx, maxMb, errors }: { ctx: PageContext; maxMb: number; errors?: FieldErrors },
) {
  const { t } = ctx;
  const error = errors?.file;
  return (
    <Layout ctx={ctx} title={t("contacts.import.title")}>
      <PageHead
        title={t("contacts.import.title")}
        intro={t("contacts.import.intro")}
        actions={back(t)}
      />
      <section class="card form-card">
        <FormErrorSummary t={t} errors={errors} />
        <form
          method="post"
          action="/contacts/import"
          enctype="multipart/form-data"
          class="form"
          novalidate
        >
          <CsrfField token={ctx.csrfToken} />
          <div class="field">
            <label for="file">{t("contacts.import.file")}</label>
            <input
              id="file"
              name="file"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? "file-hint file-error" : "file-hint"}
            />
            <span class="hint" id="file-hint">
              {t("contacts.import.file_hint", { max: maxMb })}
            </span>
            {error ? <span class="error" id="file-error">{errorMessage(t, error)}</span> : null}
          </div>
          <div class="actions">
            <button type="submit">{t("contacts.import.upload")}</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

/** What the mapping page shows of the uploaded file. */
export interface MappingView {
  fileId: string;
  sheets: string[];
  sheet: number;
  columns: string[];
  rows: Array<{ number: number; cells: string[] }>;
  rowCount: number;
}

/** `/contacts/import/{file}`: step 2, which column is what, with the first rows as read. */
export function ImportMappingPage(
  { ctx, view, values, errors }: {
    ctx: PageContext;
    view: MappingView;
    /** The chosen columns (the header's guess at first). */
    values: FormValues;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  const columns: Array<[string, string]> = view.columns.map((name, i) => [String(i), name]);
  const none: [string, string] = ["", t("contacts.import.col_none")];
  const one = (name: string) => {
    const v = values[name];
    return typeof v === "string" ? v : "";
  };
  return (
    <Layout ctx={ctx} title={t("contacts.import.title")}>
      <PageHead
        title={t("contacts.import.map_title")}
        intro={t("contacts.import.map_intro", { count: view.rowCount })}
        actions={back(t)}
      />
      {view.sheets.length > 1
        ? (
          <section class="card">
            <form method="get" action={`/contacts/import/${view.fileId}`} class="filters">
              <SelectField
                t={t}
                name="sheet"
                label={t("contacts.import.sheet")}
                value={String(view.sheet)}
                options={view.sheets.map((s, i): [string, string] => [String(i), s])}
              />
              <div class="actions">
                <button type="submit" class="secondary">{t("contacts.import.sheet_show")}</button>
              </div>
            </form>
          </section>
        )
        : null}
      <section class="card form-card">
        <FormErrorSummary t={t} errors={errors} />
        <PostForm
          csrfToken={ctx.csrfToken}
          action={`/contacts/import/${view.fileId}`}
          submit={t("contacts.import.run")}
        >
          <input type="hidden" name="sheet" value={String(view.sheet)} />
          <div class="field-row">
            <SelectField
              t={t}
              name="phone"
              label={t("contacts.import.col_phone")}
              value={one("phone")}
              options={[none, ...columns]}
              errors={errors}
            />
            <SelectField
              t={t}
              name="name"
              label={t("contacts.import.col_name")}
              value={one("name")}
              options={[none, ...columns]}
              errors={errors}
            />
            <SelectField
              t={t}
              name="email"
              label={t("contacts.import.col_email")}
              value={one("email")}
              options={[none, ...columns]}
              errors={errors}
            />
          </div>
          <CheckboxGroup
            t={t}
            name="attr"
            label={t("contacts.import.col_attrs")}
            options={columns}
            checked={[values.attr ?? []].flat()}
            errors={errors}
          />
        </PostForm>
      </section>
      <section class="card" aria-labelledby="import-preview">
        <h2 id="import-preview">{t("contacts.import.preview")}</h2>
        <SheetPreview rowLabel={t("contacts.import.row")} headers={view.columns} rows={view.rows} />
      </section>
    </Layout>
  );
}

/** Why a row was left out, in the page's language. */
function skipText(t: Translate, skip: ImportSkip): string {
  switch (skip.reason) {
    case "no_phone":
      return t("contacts.import.skip.no_phone");
    case "scientific":
      return t("contacts.import.skip.scientific");
    case "duplicate":
      return t("contacts.import.skip.duplicate", { row: skip.duplicateOf ?? 0 });
    case "email":
      return t("contacts.import.skip.email");
    case "phone":
      return skip.problem ? errorMessage(t, `err.phone_${skip.problem}`) : skip.message;
  }
}

/** Step 3: what the import did, and each row left out with its reason. */
export function ImportReportPage(
  { ctx, report }: {
    ctx: PageContext;
    report: { created: number; updated: number; skipped: ImportSkip[] };
  },
) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("contacts.import.report")}>
      <PageHead
        title={t("contacts.import.report")}
        actions={
          <>
            <a class="button secondary" href="/contacts/import">{t("contacts.import.again")}</a>
            {back(t)}
          </>
        }
      />
      <section class="card">
        <dl class="facts import-counts">
          <dt>{t("contacts.import.created")}</dt>
          <dd>{report.created}</dd>
          <dt>{t("contacts.import.updated")}</dt>
          <dd>{report.updated}</dd>
          <dt>{t("contacts.import.skipped")}</dt>
          <dd>{report.skipped.length}</dd>
        </dl>
      </section>
      {report.skipped.length
        ? (
          <section class="card" aria-labelledby="import-skipped">
            <h2 id="import-skipped">{t("contacts.import.skipped")}</h2>
            <DataTable
              label={t("contacts.import.skipped")}
              rows={report.skipped}
              columns={[
                { label: t("contacts.import.row"), class: "mono", cell: (s) => s.row },
                {
                  label: t("contacts.import.value"),
                  class: "mono",
                  long: true,
                  cell: (s) => s.value || "—",
                },
                {
                  label: t("contacts.import.reason"),
                  wide: true,
                  cell: (s) => skipText(t, s),
                },
              ]}
            />
          </section>
        )
        : null}
    </Layout>
  );
}
