import type { FieldErrors, FormValues } from "../core/form.ts";
import { MIN_PASSWORD_LENGTH } from "../core/password.ts";
import { CsrfField, FormErrorSummary, TextField } from "./form_fields.tsx";
import { AuthLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** First run: create the administrator. */
export function SetupPage(
  { ctx, values, errors }: {
    ctx: PageContext;
    values?: FormValues;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  return (
    <AuthLayout ctx={ctx} title={t("setup.title")}>
      <h1>{t("setup.title")}</h1>
      <p class="muted">{t("setup.intro")}</p>
      <FormErrorSummary t={t} errors={errors} />
      <form method="post" action="/setup" class="form" novalidate data-keep-typed="">
        <CsrfField token={ctx.csrfToken} />
        <TextField
          t={t}
          name="displayName"
          label={t("field.display_name")}
          hint={t("field.display_name.hint")}
          values={values}
          errors={errors}
          autocomplete="name"
          required
          autofocus
        />
        <TextField
          t={t}
          name="username"
          label={t("field.username")}
          hint={t("field.username.hint")}
          values={values}
          errors={errors}
          autocomplete="username"
          required
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
        <TextField
          t={t}
          name="passwordConfirm"
          type="password"
          label={t("field.password_confirm")}
          errors={errors}
          autocomplete="new-password"
          required
        />
        <button type="submit">{t("setup.submit")}</button>
      </form>
    </AuthLayout>
  );
}
