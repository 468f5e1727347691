import type { Context, MiddlewareHandler } from "hono";
import { forbidden } from "../core/app_error.ts";
import { DEFAULT_LANGUAGE, parseLanguage, translator } from "../core/i18n.ts";
import { accessFor, roleAllows } from "../core/permissions.ts";
import { randomToken } from "../core/tokens.ts";
import { findLoginSession } from "../db/login_sessions.ts";
import { countUsers } from "../db/users.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import {
  CSRF_COOKIE,
  getCookie,
  LANGUAGE_COOKIE,
  SESSION_COOKIE,
  setKabarCookie,
} from "./cookies.ts";
import { redirectTo } from "./render.tsx";

/**
 * The access check in front of every page: loads the signed-in user,
 * picks the language, sends everyone to /setup until the first account
 * exists, and applies the access table of `core/permissions.ts`.
 */
export function sessionAuth(deps: Deps): MiddlewareHandler<AppEnv> {
  // Accounts are never deleted down to zero, so once true this stays true.
  let accountsExist = false;
  const hasAccounts = async () => (accountsExist ||= (await countUsers(deps.db)) > 0);

  return async (c, next) => {
    const path = c.req.path;
    const access = accessFor(path);

    let lang = parseLanguage(getCookie(c, LANGUAGE_COOKIE)) ?? DEFAULT_LANGUAGE;
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await findLoginSession(deps.db, deps.clock, token) : undefined;
    if (found) {
      c.set("session", found.session);
      c.set("user", found.user);
      lang = found.user.language;
    }
    c.set("lang", lang);
    c.set("t", translator(lang));
    c.set("csrfToken", found?.session.csrfToken ?? visitorCsrfToken(c, deps));

    if (access === "public") return next();
    if (!(await hasAccounts())) return redirectTo(c, "/setup");
    if (!found) return toLogin(c);
    if (found.session.stage !== "full") return redirectTo(c, "/login/2fa");
    if (!roleAllows(access, found.user.role)) throw forbidden();
    return next();
  };
}

/** The CSRF token of a visitor without a session, kept in a cookie. */
function visitorCsrfToken(c: Context, deps: Deps): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[\w-]{32,64}$/.test(existing)) return existing;
  const token = randomToken(24);
  setKabarCookie(c, deps.config, CSRF_COOKIE, token);
  return token;
}

function toLogin(c: Context): Response {
  const next = c.req.method === "GET" ? c.req.path + (new URL(c.req.url).search ?? "") : "";
  return redirectTo(
    c,
    next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login",
  );
}
