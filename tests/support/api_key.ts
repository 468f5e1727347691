import { type ApiKey, createApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import type { Deps } from "../../routes/app_env.ts";
import type { TestApp } from "./test_app.ts";
import { apiClient } from "./api_client.ts";

/** What a test key may be limited to; by default it is for every channel, address and rate. */
export interface ApiKeyOptions {
  /** The key's name in lists and the audit log (default: the scopes, joined). */
  name?: string;
  /** Addresses or CIDR ranges the key works from (default: any). */
  ipAllowlist?: string[];
  /** The one channel the key is for (default: null, every channel). */
  channelId?: number | null;
  /** Requests a second; 0: no limit (default: the key default). */
  rateLimit?: number | null;
  /** Where the returned client's requests come from (default: `apiClient`'s). */
  remoteAddr?: string;
}

/** A key made for a test: the bearer key itself, its record, and a client that sends it. */
export interface TestApiKey {
  /** The bearer key, as shown once when made. */
  key: string;
  id: number;
  apiKey: ApiKey;
  /** `apiClient(t.app, key)`. */
  api: ReturnType<typeof apiClient>;
}

/** Where keys are made: a test app, or any harness with Kabar's deps (then without `api`). */
type KeyHolder = { deps: Pick<Deps, "db" | "clock"> };

/**
 * Makes an API key directly in the database (as the CLI would), with `scopes`
 * (default every scope, `*`).
 *
 *     const { api } = await apiKey(t, ["messages:send"]);
 */
export function apiKey(
  t: Pick<TestApp, "app" | "deps">,
  scopes?: string[],
  options?: ApiKeyOptions,
): Promise<TestApiKey>;
export function apiKey(
  t: KeyHolder,
  scopes?: string[],
  options?: ApiKeyOptions,
): Promise<Omit<TestApiKey, "api">>;
export async function apiKey(
  t: KeyHolder & { app?: TestApp["app"] },
  scopes: string[] = ["*"],
  options: ApiKeyOptions = {},
): Promise<Omit<TestApiKey, "api"> & { api?: TestApiKey["api"] }> {
  const made = await createApiKey(t.deps.db, t.deps.clock, CLI_ACTOR, {
    name: options.name ?? scopes.join(","),
    scopes,
    ipAllowlist: options.ipAllowlist ?? [],
    channelId: options.channelId ?? null,
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
  });
  const { app } = t;
  return {
    key: made.key,
    id: made.apiKey.id,
    apiKey: made.apiKey,
    ...(app && {
      api: options.remoteAddr === undefined
        ? apiClient(app, made.key)
        : apiClient(app, made.key, options.remoteAddr),
    }),
  };
}
