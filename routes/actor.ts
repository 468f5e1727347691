import type { Context } from "hono";
import type { Actor } from "../db/audit_log.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { clientIp } from "./client_ip.ts";

/** The signed-in user as the actor of a change, with their address. */
export function actorOf(c: Context<AppEnv>, deps: Deps): Actor {
  const user = c.get("user");
  return {
    userId: user?.id ?? null,
    name: user?.username ?? "anonymous",
    ip: clientIp(c, deps.config.trustProxy),
  };
}
