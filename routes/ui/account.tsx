import { type Context, Hono } from "hono";
import { type FieldErrors, parseForm, safeFormValues } from "../../core/form.ts";
import { verifyPassword } from "../../core/password.ts";
import { sha256Hex } from "../../core/tokens.ts";
import {
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  totpUri,
  verifyTotp,
} from "../../core/totp.ts";
import { changePasswordSchema, profileSchema } from "../../core/user_input.ts";
import {
  disableTotp,
  enableTotp,
  getUser,
  replaceRecoveryCodes,
  setPassword,
  setPendingTotpSecret,
  unusedRecoveryCodeCount,
  updateProfile,
  type User,
} from "../../db/users.ts";
import {
  type AccountForm,
  AccountPage,
  RecoveryCodesPage,
  TwoFactorEnrolPage,
} from "../../views/account_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { LANGUAGE_COOKIE, setKabarCookie } from "../cookies.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";
import { signInCheck } from "../sign_in_check.ts";

const hashCodes = (codes: string[]) =>
  Promise.all(codes.map((c) => sha256Hex(normalizeRecoveryCode(c))));

/** `/settings/account`: every user's own profile, password and two-step verification. */
export function accountRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock, config, secretBox } = deps;
  const me = (c: Context<AppEnv>) => c.get("user")!;

  const showAccount = async (
    c: Context<AppEnv>,
    failed?: {
      form: AccountForm;
      errors: FieldErrors;
      values?: Record<string, string | string[] | undefined>;
    },
    status: 200 | 401 | 422 | 429 = 200,
    flash?: string,
  ) => {
    const user = (await getUser(db, me(c).id))!;
    const ctx = pageContext(c, deps);
    return renderPage(
      c,
      <AccountPage
        ctx={flash ? { ...ctx, flash: { kind: "error", text: flash } } : ctx}
        profile={{ displayName: user.displayName, language: user.language }}
        twoFactor={{
          enabled: !!user.totpSecret,
          recoveryLeft: await unusedRecoveryCodeCount(db, user.id),
        }}
        failed={failed}
      />,
      status,
    );
  };

  /**
   * Proves the signed-in user's password again before a change that needs it,
   * under the sign-in throttle; a refusal as the page to answer with.
   */
  const recheckPassword = async (
    c: Context<AppEnv>,
    form: AccountForm,
    field: string,
    password: string,
  ): Promise<Response | undefined> => {
    const user = me(c);
    const checked = await signInCheck(
      c,
      deps,
      user.username,
      () => verifyPassword(user.passwordHash, password),
      { complete: true },
    );
    if (checked.outcome === "passed") return undefined;
    if (checked.outcome === "locked") {
      return showAccount(
        c,
        { form, errors: { [field]: "err.too_many_attempts" } },
        429,
        checked.message,
      );
    }
    return showAccount(c, { form, errors: { [field]: "err.password_wrong" } }, 422);
  };

  app.get("/settings/account", (c) => showAccount(c));

  app.post("/settings/account/profile", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(profileSchema, values);
    if (!parsed.ok) {
      return showAccount(c, {
        form: "profile",
        errors: parsed.errors,
        values: safeFormValues(values),
      }, 422);
    }
    await updateProfile(db, clock, actorOf(c, deps), me(c).id, parsed.data);
    setKabarCookie(
      c,
      config,
      LANGUAGE_COOKIE,
      parsed.data.language,
      365 * 24 * 3600,
    );
    setFlash(c, config, "success", "account.saved");
    return redirectTo(c, "/settings/account");
  });

  app.post("/settings/account/password", async (c) => {
    const parsed = parseForm(changePasswordSchema, await formValues(c));
    if (!parsed.ok) {
      return showAccount(c, { form: "password", errors: parsed.errors }, 422);
    }
    const user = me(c);
    const refused = await recheckPassword(
      c,
      "password",
      "currentPassword",
      parsed.data.currentPassword,
    );
    if (refused) return refused;
    await setPassword(
      db,
      clock,
      actorOf(c, deps),
      user,
      parsed.data.password,
      c.get("session")!.id,
    );
    setFlash(c, config, "success", "account.password_changed");
    return redirectTo(c, "/settings/account");
  });

  // --- two-step verification ---------------------------------------------

  app.post("/settings/account/2fa/start", async (c) => {
    const user = me(c);
    if (user.totpSecret) return redirectTo(c, "/settings/account");
    await setPendingTotpSecret(
      db,
      user.id,
      await secretBox.seal(newTotpSecret()),
    );
    return redirectTo(c, "/settings/account/2fa");
  });

  const showEnrol = async (
    c: Context<AppEnv>,
    user: User,
    errors?: FieldErrors,
  ) => {
    const secret = await secretBox.open(user.totpPendingSecret!);
    return renderPage(
      c,
      <TwoFactorEnrolPage
        ctx={pageContext(c, deps)}
        secret={secret}
        uri={totpUri(secret, user.username)}
        errors={errors}
      />,
      errors ? 422 : 200,
    );
  };

  app.get("/settings/account/2fa", (c) => {
    const user = me(c);
    if (user.totpSecret || !user.totpPendingSecret) {
      return redirectTo(c, "/settings/account");
    }
    return showEnrol(c, user);
  });

  app.post("/settings/account/2fa/confirm", async (c) => {
    const user = me(c);
    if (user.totpSecret || !user.totpPendingSecret) {
      return redirectTo(c, "/settings/account");
    }
    const code = String((await formValues(c)).code ?? "");
    const secret = await secretBox.open(user.totpPendingSecret);
    const step = verifyTotp(secret, code, clock.now(), null);
    if (step === null) return showEnrol(c, user, { code: "mfa.failed" });
    const codes = newRecoveryCodes();
    await enableTotp(
      db,
      clock,
      actorOf(c, deps),
      user.id,
      await secretBox.seal(secret),
      step,
      await hashCodes(codes),
    );
    return renderPage(
      c,
      <RecoveryCodesPage
        ctx={{
          ...pageContext(c, deps),
          flash: { kind: "success", text: c.get("t")("twofa.enabled") },
        }}
        codes={codes}
      />,
    );
  });

  const withPassword = async (
    c: Context<AppEnv>,
  ): Promise<Response | undefined> =>
    recheckPassword(c, "twofa", "password", String((await formValues(c)).password ?? ""));

  app.post("/settings/account/2fa/recovery-codes", async (c) => {
    if (!me(c).totpSecret) return redirectTo(c, "/settings/account");
    const refused = await withPassword(c);
    if (refused) return refused;
    const codes = newRecoveryCodes();
    await replaceRecoveryCodes(
      db,
      clock,
      actorOf(c, deps),
      me(c).id,
      await hashCodes(codes),
    );
    return renderPage(
      c,
      <RecoveryCodesPage ctx={pageContext(c, deps)} codes={codes} />,
    );
  });

  app.post("/settings/account/2fa/disable", async (c) => {
    if (!me(c).totpSecret) return redirectTo(c, "/settings/account");
    const refused = await withPassword(c);
    if (refused) return refused;
    await disableTotp(db, clock, actorOf(c, deps), me(c));
    setFlash(c, config, "success", "twofa.disabled");
    return redirectTo(c, "/settings/account");
  });

  return app;
}
