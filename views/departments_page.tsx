import type { FieldErrors, FormValues } from "../core/form.ts";
import { CsrfField, errorMessage, TextField } from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { PageHead } from "./kit/page_head.tsx";
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
      <PageHead title={t("departments.title")} intro={t("departments.intro")} />
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-department"
        title={t("departments.add")}
        action="/settings/departments"
        submit={t("departments.add")}
        errors={addFailed?.errors}
      >
        <TextField
          t={t}
          name="name"
          label={t("field.name")}
          values={addFailed?.values}
          errors={addFailed?.errors}
          required
        />
      </FormCard>
      <section class="card">
        <DataTable
          label={t("departments.title")}
          rows={departments}
          empty={t("departments.empty")}
          columns={[
            {
              label: t("field.name"),
              primary: true,
              cell: (d) => {
                const rowFailed = failed?.id === d.id ? failed : undefined;
                const error = rowFailed?.errors.name;
                return (
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
                      aria-describedby={error ? `dept-${d.id}-error` : undefined}
                    />
                    <button type="submit" class="secondary">
                      {t("departments.rename")}
                    </button>
                    {error
                      ? (
                        <span class="error small" id={`dept-${d.id}-error`}>
                          {errorMessage(t, error)}
                        </span>
                      )
                      : null}
                  </form>
                );
              },
            },
            { label: t("departments.members"), cell: (d) => d.memberCount },
            {
              label: t("common.actions"),
              actions: true,
              cell: (d) => (
                <form
                  method="post"
                  action={`/settings/departments/${d.id}/delete`}
                  data-confirm={t("departments.delete_confirm", { name: d.name })}
                >
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit" class="danger">
                    {t("common.delete")}
                  </button>
                </form>
              ),
            },
          ]}
        />
      </section>
    </SettingsLayout>
  );
}
