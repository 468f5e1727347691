/** Making and revoking API keys, from the settings page and the command line. */
import type { Clock } from "../core/clock.ts";
import type { ApiKey, ApiKeyCache, NewApiKey } from "../db/api_keys.ts";
import { createApiKey, revokeApiKey } from "../db/api_keys.ts";
import type { Actor } from "../db/audit_log.ts";
import type { Db } from "../db/client.ts";

export interface ApiKeyServiceDeps {
  db: Db;
  clock: Clock;
  /** Keys this process has recently seen: a revoked one is forgotten at once. */
  apiKeys: ApiKeyCache;
}

export class ApiKeyService {
  constructor(private readonly deps: ApiKeyServiceDeps) {}

  /** Makes a key; answers the key itself (shown once, never stored) and its record. */
  create(actor: Actor, input: NewApiKey): Promise<{ key: string; apiKey: ApiKey }> {
    return createApiKey(this.deps.db, this.deps.clock, actor, input);
  }

  /** Revokes a key: it stops working at once. */
  async revoke(actor: Actor, id: number): Promise<ApiKey> {
    const key = await revokeApiKey(this.deps.db, this.deps.clock, actor, id);
    this.deps.apiKeys.clear();
    return key;
  }
}
