import { type Context, Hono } from "hono";
import { parseLanguage } from "../../core/i18n.ts";
import { canOpen } from "../../core/permissions.ts";
import { verifyAgainstNothing, verifyPassword } from "../../core/password.ts";
import { sha256Hex } from "../../core/tokens.ts";
import { normalizeRecoveryCode, totpAlreadyUsed, verifyTotp } from "../../core/totp.ts";
import { recordAudit } from "../../db/audit_log.ts";
import { deleteLoginSession, type LoginSession } from "../../db/login_sessions.ts";
import {
  claimTotpStep,
  countUsers,
  findUserByUsername,
  setUserLanguage,
  type User,
  useRecoveryCode,
} from "../../db/users.ts";
import { LoginPage, MfaPage } from "../../views/login_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { clientIp } from "../client_ip.ts";
import { clearKabarCookie, LANGUAGE_COOKIE, SESSION_COOKIE, setKabarCookie } from "../cookies.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { localPath, pageContext, redirectTo, renderPage } from "../render.tsx";
import { signInCheck } from "../sign_in_check.ts";
import { startSession } from "../login_session.ts";

/** The path a `next` link opens, decoded as the router decodes it (`/%74emplates` is `/templates`). */
function openedPath(next: string): string {
  const path = new URL(next, "http://kabar").pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Sign in (password, then the second factor when on), sign out, language. */
export function loginRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock, config } = deps;

  app.get("/login", async (c) => {
    if (c.get("session")?.stage === "full") return redirectTo(c, "/inbox");
    if ((await countUsers(db)) === 0) return redirectTo(c, "/setup");
    const next = localPath(c.req.query("next"), "");
    return renderPage(
      c,
      <LoginPage ctx={pageContext(c, deps)} next={next || undefined} />,
    );
  });

  app.post("/login", async (c) => {
    const values = await formValues(c);
    const username = String(values.username ?? "").trim().toLowerCase();
    const password = String(values.password ?? "");
    const next = localPath(values.next, "");
    const ip = clientIp(c, config.trustProxy);
    const t = c.get("t");
    const fail = (status: 401 | 429, message: string) => {
      const ctx = pageContext(c, deps);
      return renderPage(
        c,
        <LoginPage
          ctx={{ ...ctx, flash: { kind: "error", text: message } }}
          values={{ username }}
          next={next || undefined}
        />,
        status,
      );
    };

    const user = username ? await findUserByUsername(db, username) : undefined;
    // A disabled account answers as a wrong password does, so the answer never
    // tells that the password was right.
    const checked = await signInCheck(c, deps, username, async () => {
      const ok = user
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstNothing(password);
      return ok && !!user && !user.disabledAt;
    }, { complete: !user?.totpSecret });
    if (checked.outcome === "locked") return fail(429, checked.message);
    if (checked.outcome === "failed" || !user) {
      await recordAudit(db, clock, { userId: null, name: "anonymous", ip }, {
        action: "auth.login_failed",
        target: `user:${username.slice(0, 64)}`,
      });
      return fail(401, t("login.failed"));
    }

    if (user.totpSecret) {
      await startSession(c, deps, user, "mfa");
      return redirectTo(c, "/login/2fa");
    }
    await startSession(c, deps, user, "full");
    await recordAudit(db, clock, { userId: user.id, name: user.username, ip }, {
      action: "auth.login",
      details: { method: "password" },
    });
    // A link to a page the role may not open leads to the inbox, saying why, not to a 403.
    if (next && !canOpen(user.role, openedPath(next))) {
      setFlash(c, config, "info", "login.next_not_allowed");
      return redirectTo(c, "/inbox");
    }
    return redirectTo(c, next || "/inbox");
  });

  const pendingMfa = (
    c: Context<AppEnv>,
  ): { session: LoginSession; user: User } | undefined => {
    const session = c.get("session");
    const user = c.get("user");
    return session?.stage === "mfa" && user ? { session, user } : undefined;
  };

  app.get("/login/2fa", (c) => {
    if (!pendingMfa(c)) return redirectTo(c, "/login");
    return renderPage(
      c,
      <MfaPage
        ctx={pageContext(c, deps)}
        recovery={c.req.query("recovery") === "1"}
      />,
    );
  });

  app.post("/login/2fa", async (c) => {
    const pending = pendingMfa(c);
    if (!pending || !pending.user.totpSecret) {
      setFlash(c, config, "info", "login.expired");
      return redirectTo(c, "/login");
    }
    const { user } = pending;
    const sealedSecret = pending.user.totpSecret;
    const ip = clientIp(c, config.trustProxy);
    const values = await formValues(c);
    const recovery = typeof values.recoveryCode === "string";

    const fail = (status: 401 | 429, message: string) =>
      renderPage(
        c,
        <MfaPage
          ctx={{ ...pageContext(c, deps), flash: { kind: "error", text: message } }}
          recovery={recovery}
        />,
        status,
      );

    let method: "totp" | "recovery" | undefined;
    const checked = await signInCheck(c, deps, user.username, async () => {
      if (recovery) {
        const hash = await sha256Hex(
          normalizeRecoveryCode(String(values.recoveryCode)),
        );
        if (await useRecoveryCode(db, clock, user.id, hash)) method = "recovery";
      } else {
        const secret = await deps.secretBox.open(sealedSecret);
        const code = String(values.code ?? "");
        // A right code already used (the one that just turned this on) is no guess.
        if (totpAlreadyUsed(secret, code, clock.now(), user.totpLastStep)) return "uncounted";
        const step = verifyTotp(secret, code, clock.now(), user.totpLastStep);
        if (step !== null && (await claimTotpStep(db, user.id, step))) {
          method = "totp";
        }
      }
      return method !== undefined;
    }, { complete: true });
    if (checked.outcome === "locked") return fail(429, checked.message);
    if (checked.outcome === "uncounted") return fail(401, c.get("t")("mfa.code_used"));
    if (checked.outcome === "failed" || !method) {
      return fail(401, c.get("t")(recovery ? "mfa.recovery_failed" : "mfa.failed"));
    }

    await startSession(c, deps, user, "full");
    await recordAudit(db, clock, { userId: user.id, name: user.username, ip }, {
      action: "auth.login",
      details: { method },
    });
    return redirectTo(c, "/inbox");
  });

  app.post("/logout", async (c) => {
    const session = c.get("session");
    const user = c.get("user");
    if (session) await deleteLoginSession(db, session.id);
    clearKabarCookie(c, config, SESSION_COOKIE);
    if (user && session?.stage === "full") {
      await recordAudit(db, clock, {
        userId: user.id,
        name: user.username,
        ip: clientIp(c, config.trustProxy),
      }, { action: "auth.logout" });
    }
    setFlash(c, config, "info", "login.signed_out");
    return redirectTo(c, "/login");
  });

  app.post("/language", async (c) => {
    const values = await formValues(c);
    const language = parseLanguage(String(values.language ?? ""));
    if (language) {
      setKabarCookie(c, config, LANGUAGE_COOKIE, language, 365 * 24 * 3600);
      const user = c.get("user");
      if (user && c.get("session")?.stage === "full") {
        await setUserLanguage(db, user.id, language);
      }
    }
    return redirectTo(c, localPath(values.next, "/inbox"));
  });

  return app;
}
