import type { FieldErrors, FormValues } from "../core/form.ts";
import { CsrfField, errorMessage, FormErrorSummary, TextField } from "./form_fields.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

export interface DepartmentRow {
  id: number;
  name: string;
  memberCount: number;
}

/** Departments: add, rename, delete. `failed` marks which form's errors to show. */
export function DepartmentsPage(
  { ctx, departments, failed }: {
    ctx: PageContext;
    departments: DepartmentRow[];
    failed?: { id?: number; errors: FieldErrors; values: FormValues };
  },
) {
  const { t } = ctx;
  const addFailed = failed && failed.id === undefined ? failed : undefined;
  return (
    <SettingsLayout ctx={ctx} title={t("departments.title")}>
      <div class="page-head">
        <div>
          <h1>{t("departments.title")}</h1>
          <p>{t("departments.intro")}</p>
        </div>
      </div>
      <section class="card" aria-labelledby="add-department">
        <h2 id="add-department">{t("departments.add")}</h2>
        <FormErrorSummary t={t} errors={addFailed?.errors} />
        <form
          method="post"
          action="/settings/departments"
          class="form"
          novalidate
        >
          <CsrfField token={ctx.csrfToken} />
          <TextField
            t={t}
            name="name"
            label={t("field.name")}
            values={addFailed?.values}
            errors={addFailed?.errors}
            required
          />
          <div class="actions">
            <button type="submit">{t("departments.add")}</button>
          </div>
        </form>
      </section>
      <section class="card table-wrap">
        {departments.length === 0 ? <p class="muted">{t("departments.empty")}</p> : (
          <table>
            <thead>
              <tr>
                <th>{t("field.name")}</th>
                <th>{t("departments.members")}</th>
                <th>
                  <span class="muted">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => {
                const rowFailed = failed?.id === d.id ? failed : undefined;
                const error = rowFailed?.errors.name;
                return (
                  <tr>
                    <td>
                      <form
                        method="post"
                        action={`/settings/departments/${d.id}`}
                        class="actions"
                        novalidate
                      >
                        <CsrfField token={ctx.csrfToken} />
                        <label class="sr-only" for={`dept-${d.id}`}>
                          {t("field.name")}
                        </label>
                        <input
                          type="text"
                          id={`dept-${d.id}`}
                          name="name"
                          value={typeof rowFailed?.values.name === "string"
                            ? rowFailed.values.name
                            : d.name}
                          aria-invalid={error ? "true" : undefined}
                        />
                        <button type="submit" class="secondary">
                          {t("departments.rename")}
                        </button>
                        {error
                          ? (
                            <span class="error small">
                              {errorMessage(t, error)}
                            </span>
                          )
                          : null}
                      </form>
                    </td>
                    <td>{d.memberCount}</td>
                    <td>
                      <form
                        method="post"
                        action={`/settings/departments/${d.id}/delete`}
                        data-confirm={t("departments.delete_confirm", {
                          name: d.name,
                        })}
                      >
                        <CsrfField token={ctx.csrfToken} />
                        <button type="submit" class="danger">
                          {t("common.delete")}
                        </button>
                      </form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </SettingsLayout>
  );
}
