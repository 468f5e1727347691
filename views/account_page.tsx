import type { FieldErrors, FormValues } from "../core/form.ts";
import { LANGUAGE_NAMES } from "../core/i18n.ts";
import { LANGUAGES } from "../core/i18n/message.ts";
import { MIN_PASSWORD_LENGTH } from "../core/password.ts";
import { CsrfField, FormErrorSummary, SelectField, TextField } from "./form_fields.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { PostForm } from "./kit/post_form.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";
import { QrCode } from "./qr_code.tsx";

/** Which form of the page failed, so its errors show next to it. */
export type AccountForm = "profile" | "password" | "twofa";

export interface AccountPageProps {
  ctx: PageContext;
  profile: { displayName: string; language: string };
  twoFactor: { enabled: boolean; recoveryLeft: number };
  failed?: { form: AccountForm; errors: FieldErrors; values?: FormValues };
}

/** The signed-in user's own settings: profile, password, two-step verification. */
export function AccountPage(
  { ctx, profile, twoFactor, failed }: AccountPageProps,
) {
  const { t } = ctx;
  const errorsOf = (
    form: AccountForm,
  ) => (failed?.form === form ? failed.errors : undefined);
  const profileValues = failed?.form === "profile" && failed.values ? failed.values : profile;
  return (
    <SettingsLayout ctx={ctx} title={t("account.title")}>
      <PageHead title={t("account.title")} />

      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="profile-title"
        title={t("account.profile")}
        action="/settings/account/profile"
        submit={t("common.save")}
        errors={errorsOf("profile")}
      >
        <TextField
          t={t}
          name="displayName"
          label={t("field.display_name")}
          values={profileValues}
          errors={errorsOf("profile")}
          autocomplete="name"
          required
        />
        <SelectField
          t={t}
          name="language"
          label={t("field.language")}
          options={LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]])}
          value={String(profileValues.language ?? "")}
          errors={errorsOf("profile")}
        />
      </FormCard>

      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="password-title"
        title={t("account.password")}
        action="/settings/account/password"
        submit={t("account.password_submit")}
        errors={errorsOf("password")}
      >
        <TextField
          t={t}
          name="currentPassword"
          type="password"
          label={t("field.current_password")}
          errors={errorsOf("password")}
          autocomplete="current-password"
          required
        />
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
        <TextField
          t={t}
          name="passwordConfirm"
          type="password"
          label={t("field.password_confirm")}
          errors={errorsOf("password")}
          autocomplete="new-password"
          required
        />
      </FormCard>

      <section class="card" aria-labelledby="twofa-title">
        <h2 id="twofa-title">
          {t("twofa.title")} {twoFactor.enabled
            ? <span class="badge ok">{t("twofa.on")}</span>
            : <span class="badge">{t("twofa.off")}</span>}
        </h2>
        <p class="muted">{t("twofa.explain")}</p>
        <FormErrorSummary t={t} errors={errorsOf("twofa")} />
        {twoFactor.enabled
          ? (
            <div>
              <p>
                {t("twofa.recovery_left", { count: twoFactor.recoveryLeft })}
              </p>
              <form method="post" class="form">
                <CsrfField token={ctx.csrfToken} />
                <TextField
                  t={t}
                  name="password"
                  type="password"
                  label={t("field.password")}
                  hint={t("twofa.password_needed")}
                  errors={errorsOf("twofa")}
                  autocomplete="current-password"
                  required
                />
                <div class="actions">
                  <button
                    type="submit"
                    class="secondary"
                    formaction="/settings/account/2fa/recovery-codes"
                  >
                    {t("twofa.regenerate")}
                  </button>
                  <button
                    type="submit"
                    class="danger"
                    formaction="/settings/account/2fa/disable"
                  >
                    {t("twofa.disable")}
                  </button>
                </div>
              </form>
            </div>
          )
          : (
            <form method="post" action="/settings/account/2fa/start">
              <CsrfField token={ctx.csrfToken} />
              <button type="submit">{t("twofa.start")}</button>
            </form>
          )}
      </section>
    </SettingsLayout>
  );
}

/** Step two of turning on 2FA: scan the QR code, type the first code. */
export function TwoFactorEnrolPage(
  { ctx, secret, uri, errors }: {
    ctx: PageContext;
    secret: string;
    uri: string;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("twofa.title")}>
      <PageHead title={t("twofa.title")} />
      <section class="card">
        <p>{t("twofa.scan")}</p>
        <QrCode text={uri} label={t("twofa.scan")} />
        <p>
          <a class="button secondary" href={uri}>{t("twofa.open_app")}</a>
        </p>
        <p class="small muted">
          {t("twofa.manual")}{" "}
          <code class="secret totp-key" data-testid="totp-secret">
            {secret.match(/.{1,4}/g)!.join(" ")}
          </code>
        </p>
        <FormErrorSummary t={t} errors={errors} />
        <PostForm
          csrfToken={ctx.csrfToken}
          action="/settings/account/2fa/confirm"
          submit={t("twofa.confirm_submit")}
          cancel={{ href: "/settings/account", label: t("common.cancel") }}
        >
          <TextField
            t={t}
            name="code"
            label={t("twofa.confirm")}
            errors={errors}
            autocomplete="one-time-code"
            inputmode="numeric"
            class="code-input"
            maxlength={7}
            required
            autofocus
          />
        </PostForm>
      </section>
    </SettingsLayout>
  );
}

/** The recovery codes, shown once right after they are made. */
export function RecoveryCodesPage(
  { ctx, codes }: { ctx: PageContext; codes: string[] },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("twofa.recovery_title")}>
      <PageHead title={t("twofa.recovery_title")} />
      <section class="card">
        <p>{t("twofa.recovery_intro")}</p>
        <ul class="codes mono" aria-label={t("mfa.recovery_code")}>
          {codes.map((code) => <li>{code}</li>)}
        </ul>
        {/* The codes as one text, for the Copy button (the list above is what people read). */}
        <textarea
          id="recovery-codes-text"
          class="sr-only"
          readonly
          tabindex={-1}
          aria-hidden="true"
        >
          {codes.join("\n")}
        </textarea>
        <div class="actions no-print">
          <button
            type="button"
            class="secondary"
            data-copy="recovery-codes-text"
            data-copied={t("common.copied")}
            data-copy-failed={t("common.copy_failed")}
          >
            {t("common.copy")}
          </button>
          <button type="button" class="secondary" data-print="">
            {t("common.print")}
          </button>
          <a class="button" href="/settings/account">{t("common.back")}</a>
        </div>
      </section>
    </SettingsLayout>
  );
}
