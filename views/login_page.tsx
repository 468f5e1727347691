import type { FormValues } from "../core/form.ts";
import { CsrfField, TextField } from "./form_fields.tsx";
import { AuthLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** Username and password. `next` is where to go after signing in. */
export function LoginPage(
  { ctx, values, next }: { ctx: PageContext; values?: FormValues; next?: string },
) {
  const { t } = ctx;
  return (
    <AuthLayout ctx={ctx} title={t("login.title")}>
      <h1>{t("login.title")}</h1>
      <form method="post" action="/login" class="form">
        <CsrfField token={ctx.csrfToken} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextField
          t={t}
          name="username"
          label={t("field.username")}
          values={values}
          autocomplete="username"
          required
          autofocus
        />
        <TextField
          t={t}
          name="password"
          type="password"
          label={t("field.password")}
          autocomplete="current-password"
          required
        />
        <button type="submit">{t("login.submit")}</button>
      </form>
      <p class="small muted alt-link">{t("login.forgot")}</p>
    </AuthLayout>
  );
}

/** The second factor: a code from the app, or a recovery code. */
export function MfaPage(
  { ctx, recovery }: { ctx: PageContext; recovery: boolean },
) {
  const { t } = ctx;
  return (
    <AuthLayout ctx={ctx} title={t("mfa.title")}>
      <h1>{t("mfa.title")}</h1>
      {recovery
        ? (
          <form method="post" action="/login/2fa" class="form">
            <CsrfField token={ctx.csrfToken} />
            <TextField
              t={t}
              name="recoveryCode"
              label={t("mfa.recovery_code")}
              hint={t("mfa.recovery_hint")}
              autocomplete="off"
              required
              autofocus
            />
            <button type="submit">{t("mfa.submit")}</button>
          </form>
        )
        : (
          <form method="post" action="/login/2fa" class="form">
            <CsrfField token={ctx.csrfToken} />
            <p class="muted">{t("mfa.intro")}</p>
            <TextField
              t={t}
              name="code"
              label={t("mfa.code")}
              autocomplete="one-time-code"
              inputmode="numeric"
              class="code-input"
              maxlength={7}
              required
              autofocus
            />
            <button type="submit">{t("mfa.submit")}</button>
          </form>
        )}
      <p class="small alt-link">
        {recovery
          ? <a href="/login/2fa">{t("mfa.use_code")}</a>
          : <a href="/login/2fa?recovery=1">{t("mfa.use_recovery")}</a>}
      </p>
      <form method="post" action="/logout">
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="link">{t("mfa.cancel")}</button>
      </form>
    </AuthLayout>
  );
}
