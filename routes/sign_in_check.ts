import type { Context } from "hono";
import { signInSubjects, throttledCheck } from "../db/login_throttle.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { clientIp } from "./client_ip.ts";

/** What a sign-in check came to; a lock comes with the message to show. */
export type SignInCheck =
  | { outcome: "passed" }
  | { outcome: "failed" }
  | { outcome: "uncounted" }
  | { outcome: "locked"; message: string };

/**
 * Every check of a password or code someone proves they are `username` with
 * (signing in, the second step, the account page's re-checks) goes through
 * here: counted per account and per address before `check` runs, refused
 * without running it when either is locked (the answer then carries
 * `Retry-After`). `complete`: passing proves the person fully, so the
 * account's finished failures may be forgotten.
 */
export async function signInCheck(
  c: Context<AppEnv>,
  deps: Deps,
  username: string,
  check: () => Promise<boolean | "uncounted">,
  options: { complete: boolean },
): Promise<SignInCheck> {
  const { db, clock, metrics } = deps;
  const subjects = signInSubjects(username, clientIp(c, deps.config.trustProxy));
  const result = await throttledCheck(db, clock, subjects, check, options);
  if (result.outcome === "failed") {
    metrics.inc("kabar_login_failures_total", "Failed sign-in attempts.");
  }
  if (result.outcome !== "locked") return result;
  const minutes = Math.max(1, Math.ceil((result.retryAt - clock.now()) / 60_000));
  c.header("Retry-After", String(minutes * 60));
  return { outcome: "locked", message: c.get("t")("login.throttled", { count: minutes }) };
}
