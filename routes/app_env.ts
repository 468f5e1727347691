import type { Clock } from "../core/clock.ts";
import type { Config } from "../core/config.ts";
import type { ApiKey, ApiKeyCache } from "../db/api_keys.ts";
import type { Translate } from "../core/i18n.ts";
import type { Language } from "../core/i18n/message.ts";
import type { Logger } from "../core/log.ts";
import type { Metrics } from "../core/metrics.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { ChannelRefs } from "../db/channel_refs.ts";
import type { Db } from "../db/client.ts";
import type { LoginSession } from "../db/login_sessions.ts";
import type { User } from "../db/users.ts";
import type { WappinIntegration } from "../db/wappin_integrations.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import type { EventBus } from "../sessions/events.ts";
import type { Outbox } from "../sessions/outbox.ts";
import type { BroadcastRunner } from "../sessions/broadcasts.ts";
import type { WebhookWorker } from "../sessions/webhooks.ts";
import type { OutboundFetch } from "../sessions/outbound_fetch.ts";
import type { ChannelRegistry } from "../sessions/registry.ts";
import type { Services } from "../services/services.ts";
import type { PresenceBoard } from "../sessions/presence.ts";
import type { RateLimiter } from "./rate_limit.ts";

/** Everything the HTTP layer needs, passed in explicitly. */
export interface Deps {
  db: Db;
  config: Config;
  log: Logger;
  clock: Clock;
  secretBox: SecretBox;
  metrics: Metrics;
  version: string;
  events: EventBus;
  registry: ChannelRegistry;
  /** Commits writes in groups (the outbox's enqueues). */
  writer: GroupCommit;
  outbox: Outbox;
  /** Queues running broadcasts, starts scheduled ones. */
  broadcastRunner: BroadcastRunner;
  webhooks: WebhookWorker;
  /** The guarded fetch for URLs fetched on someone's behalf (files, webhooks, callbacks). */
  outbound: OutboundFetch;
  /** API keys recently seen. */
  apiKeys: ApiKeyCache;
  /** Request rate limits per API key and per client address, in this process's memory. */
  rateLimiter: RateLimiter;
  /** Channel lookups of sending, remembered. */
  channelRefs: ChannelRefs;
  /** The operations both the pages and the APIs perform. */
  services: Services;
  /** Who has which conversation open, and who is typing. */
  presence: PresenceBoard;
}

/** Per-request values set by the middleware, typed for every route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    lang: Language;
    t: Translate;
    csrfToken: string;
    user?: User;
    session?: LoginSession;
    /** The API key of a `/api/v1` request. */
    apiKey?: ApiKey;
    /** The largest body the request may send, set by its surface. */
    bodyLimit?: number;
    /** The Wappin-compatible integration whose access token a `/v1` request carries. */
    wappin?: WappinIntegration;
  };
}
