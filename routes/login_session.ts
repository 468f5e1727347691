import type { Context } from "hono";
import type { LoginStage } from "../core/login_stage.ts";
import { createLoginSession, deleteLoginSession } from "../db/login_sessions.ts";
import type { User } from "../db/users.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { clientIp } from "./client_ip.ts";
import { SESSION_COOKIE, setKabarCookie } from "./cookies.ts";

/**
 * Signs `user` in on this browser at `stage` (a new session, its cookie set), ending the
 * session the browser had: after a password, a second factor, or creating the administrator.
 */
export async function startSession(
  c: Context<AppEnv>,
  deps: Deps,
  user: User,
  stage: LoginStage,
): Promise<void> {
  const previous = c.get("session");
  if (previous) await deleteLoginSession(deps.db, previous.id);
  const { token } = await createLoginSession(deps.db, deps.clock, {
    userId: user.id,
    stage,
    ip: clientIp(c, deps.config.trustProxy),
    userAgent: c.req.header("user-agent") ?? null,
  });
  setKabarCookie(c, deps.config, SESSION_COOKIE, token);
}
