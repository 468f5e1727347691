import type { FieldErrors, FormValues } from "../core/form.ts";
import { LANGUAGE_NAMES, type Translate } from "../core/i18n.ts";
import { LANGUAGES } from "../core/i18n/message.ts";
import { MIN_PASSWORD_LENGTH } from "../core/password.ts";
import { type Role, ROLES } from "../core/permissions.ts";
import {
  CheckboxGroup,
  CsrfField,
  FormErrorSummary,
  listValue,
  SelectField,
  TextField,
} from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** A row of the staff list. */
export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  language: string;
  disabled: boolean;
  twoFactor: boolean;
  departments: Array<{ id: number; name: string }>;
}

export interface DepartmentOption {
  id: number;
  name: string;
}

function roleOptions(t: Translate): Array<[string, string]> {
  return ROLES.map((r) => [r, t(`role.${r}`)]);
}

function RoleBadge({ t, role }: { t: Translate; role: Role }) {
  return <span class={`badge role-${role}`}>{t(`role.${role}`)}</span>;
}

/** Staff accounts: the list and the form to add one. */
export function UsersPage(
  { ctx, users, departments, values, errors }: {
    ctx: PageContext;
    users: UserRow[];
    departments: DepartmentOption[];
    values?: FormValues;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("users.title")}>
      <PageHead title={t("users.title")} />
      <section class="card">
        <DataTable
          label={t("users.title")}
          rows={users}
          columns={[
            {
              label: t("field.name"),
              primary: true,
              cell: (u) => (
                <>
                  <a href={`/settings/users/${u.id}`}>
                    <strong>{u.displayName}</strong>
                  </a>
                  <div class="small muted mono">{u.username}</div>
                </>
              ),
            },
            { label: t("field.role"), cell: (u) => <RoleBadge t={t} role={u.role} /> },
            {
              label: t("field.departments"),
              cell: (u) =>
                u.departments.length
                  ? u.departments.map((d) => d.name).join(", ")
                  : <span class="muted">—</span>,
            },
            {
              label: t("users.status"),
              cell: (u) =>
                u.disabled
                  ? <span class="badge off">{t("users.disabled")}</span>
                  : <span class="badge ok">{t("users.active")}</span>,
            },
            {
              label: t("twofa.title"),
              cell: (u) => (u.twoFactor ? t("twofa.on") : t("twofa.off")),
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (u) => (
                <a class="button secondary" href={`/settings/users/${u.id}`}>{t("common.edit")}</a>
              ),
            },
          ]}
        />
      </section>

      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-user"
        title={t("users.add")}
        action="/settings/users"
        submit={t("users.add")}
        errors={errors}
      >
        <TextField
          t={t}
          name="displayName"
          label={t("field.display_name")}
          hint={t("field.display_name.hint")}
          values={values}
          errors={errors}
          required
        />
        <TextField
          t={t}
          name="username"
          label={t("field.username")}
          hint={t("field.username.hint")}
          values={values}
          errors={errors}
          autocomplete="off"
          required
        />
        <SelectField
          t={t}
          name="role"
          label={t("field.role")}
          options={roleOptions(t)}
          value={String(values?.role ?? "agent")}
          errors={errors}
        />
        <CheckboxGroup
          t={t}
          name="departmentIds"
          label={t("field.departments")}
          options={departments.map((d) => [String(d.id), d.name])}
          checked={listValue(values, "departmentIds")}
          errors={errors}
          empty={t("users.no_departments")}
        />
        <SelectField
          t={t}
          name="language"
          label={t("field.language")}
          options={LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]])}
          value={String(values?.language ?? ctx.lang)}
          errors={errors}
        />
        <TextField
          t={t}
          name="password"
          type="password"
          label={t("field.password")}
          hint={t("field.password.hint", { count: MIN_PASSWORD_LENGTH })}
          errors={errors}
          autocomplete="new-password"
          required
        />
      </FormCard>
    </SettingsLayout>
  );
}

/** Which form of the account's page failed, so its errors show next to it. */
export type UserForm = "details" | "password" | "status";

/** One account: edit details, set a password, disable, turn off 2FA. */
export function UserEditPage(
  { ctx, user, departments, values, errors, failedForm }: {
    ctx: PageContext;
    user: UserRow;
    departments: DepartmentOption[];
    values?: FormValues;
    errors?: FieldErrors;
    failedForm?: UserForm;
  },
) {
  const { t } = ctx;
  const errorsOf = (form: UserForm) => (failedForm === form ? errors : undefined);
  const detailValues: FormValues = failedForm === "details" && values ? values : {
    displayName: user.displayName,
    role: user.role,
    language: user.language,
    departmentIds: user.departments.map((d) => String(d.id)),
  };
  const base = `/settings/users/${user.id}`;
  return (
    <SettingsLayout
      ctx={ctx}
      title={t("users.edit", { name: user.displayName })}
    >
      <PageHead
        title={t("users.edit", { name: user.displayName })}
        intro={user.username}
        mono="intro"
        actions={
          <a href="/settings/users" class="button secondary">
            {t("common.back")}
          </a>
        }
      />

      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        action={base}
        submit={t("common.save")}
        errors={errorsOf("details")}
      >
        <TextField
          t={t}
          name="displayName"
          label={t("field.display_name")}
          values={detailValues}
          errors={errorsOf("details")}
          required
        />
        <SelectField
          t={t}
          name="role"
          label={t("field.role")}
          options={roleOptions(t)}
          value={String(detailValues.role)}
          errors={errorsOf("details")}
        />
        <CheckboxGroup
          t={t}
          name="departmentIds"
          label={t("field.departments")}
          options={departments.map((d) => [String(d.id), d.name])}
          checked={listValue(detailValues, "departmentIds")}
          errors={errorsOf("details")}
          empty={t("users.no_departments")}
        />
        <SelectField
          t={t}
          name="language"
          label={t("field.language")}
          options={LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]])}
          value={String(detailValues.language)}
          errors={errorsOf("details")}
        />
      </FormCard>

      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="reset-password"
        title={t("users.reset_password")}
        intro={t("users.reset_password_hint")}
        action={`${base}/password`}
        submit={t("users.reset_password")}
        submitClass="secondary"
        errors={errorsOf("password")}
      >
        <TextField
          t={t}
          name="password"
          type="password"
          label={t("field.new_password")}
          hint={t("field.password.hint", { count: MIN_PASSWORD_LENGTH })}
          errors={errorsOf("password")}
          autocomplete="new-password"
          required
        />
      </FormCard>

      <section class="card">
        <h2>
          {t("users.status")}: {user.disabled
            ? <span class="badge off">{t("users.disabled")}</span>
            : <span class="badge ok">{t("users.active")}</span>}
        </h2>
        <FormErrorSummary t={t} errors={errorsOf("status")} />
        <div class="actions">
          {ctx.user?.username === user.username
            ? null
            : (
              <form method="post" action={`${base}/${user.disabled ? "enable" : "disable"}`}>
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" class={user.disabled ? "secondary" : "danger"}>
                  {user.disabled ? t("users.enable") : t("users.disable")}
                </button>
              </form>
            )}
          {user.twoFactor
            ? (
              <form
                method="post"
                action={`${base}/reset-2fa`}
                data-confirm={t("users.reset_2fa_hint")}
              >
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" class="danger">
                  {t("users.reset_2fa")}
                </button>
              </form>
            )
            : null}
        </div>
      </section>
    </SettingsLayout>
  );
}
