import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { ApiKeyCache } from "../db/api_keys.ts";
import type { ChannelRefs } from "../db/channel_refs.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import type { Db } from "../db/client.ts";
import type { EventBus } from "../sessions/events.ts";
import type { OutboundFetch } from "../sessions/outbound_fetch.ts";
import type { InboundPipeline } from "../sessions/inbound.ts";
import type { Outbox } from "../sessions/outbox.ts";
import type { ChannelRegistry } from "../sessions/registry.ts";
import type { WebhookWorker } from "../sessions/webhooks.ts";
import type { BroadcastRunner } from "../sessions/broadcasts.ts";
import { ApiKeyService } from "./api_keys.ts";
import { BroadcastService } from "./broadcasts.ts";
import { ChannelService } from "./channels.ts";
import { ContactService } from "./contacts.ts";
import { InboxService } from "./inbox.ts";
import { IntegrationService } from "./integrations.ts";
import { LabelService } from "./labels.ts";
import { MessageService } from "./messages.ts";
import { OptOutService } from "./opt_outs.ts";
import { ReadReceiptService } from "./read_receipts.ts";
import { WebhookService } from "./webhooks.ts";

/** Every operation both the pages and the APIs perform, one service per feature. */
export interface Services {
  messages: MessageService;
  inbox: InboxService;
  contacts: ContactService;
  labels: LabelService;
  readReceipts: ReadReceiptService;
  channels: ChannelService;
  webhooks: WebhookService;
  integrations: IntegrationService;
  apiKeys: ApiKeyService;
  optOuts: OptOutService;
  broadcasts: BroadcastService;
}

/** What the services are built from: storage and the long-running workers. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  secretBox: SecretBox;
  events: EventBus;
  registry: ChannelRegistry;
  outbox: Outbox;
  webhooks: WebhookWorker;
  outbound: OutboundFetch;
  apiKeys: ApiKeyCache;
  channelRefs: ChannelRefs;
  writer: GroupCommit;
  dataDir: string;
  mediaMaxBytes: number;
  phoneRegion: string;
  /** Where the hospital is (KABAR_TIMEZONE): sending windows are in its local time. */
  timeZone: string;
  telegramApiRoot: string;
  /** Queues running broadcasts, starts scheduled ones. */
  broadcastRunner: BroadcastRunner;
  /** The inbound pipeline the services add their steps to (a stop word opts out). */
  inbound?: InboundPipeline;
}

export function createServices(deps: ServiceDeps): Services {
  const messages = new MessageService({ ...deps, channels: deps.channelRefs });
  const optOuts = new OptOutService({ ...deps, messages });
  deps.inbound?.use("opt-out by stop word", (stored) => optOuts.receive(stored));
  return {
    messages,
    inbox: new InboxService({ ...deps, messages }),
    contacts: new ContactService(deps),
    labels: new LabelService(deps),
    readReceipts: new ReadReceiptService(deps),
    channels: new ChannelService(deps),
    webhooks: new WebhookService({ ...deps, worker: deps.webhooks }),
    integrations: new IntegrationService({ ...deps, worker: deps.webhooks }),
    apiKeys: new ApiKeyService(deps),
    optOuts,
    broadcasts: new BroadcastService({ ...deps, runner: deps.broadcastRunner }),
  };
}
