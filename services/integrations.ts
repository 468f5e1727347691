/**
 * What the integrations page and the API both do to a Wappin-compatible
 * integration: add, change its callback, renew its keys, delete. Its
 * callback is a webhook the delivery worker is told about here.
 */
import type { Clock } from "../core/clock.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { WappinIntegrationInput } from "../core/wappin.ts";
import type { Actor } from "../db/audit_log.ts";
import type { Db } from "../db/client.ts";
import {
  createWappinIntegration,
  deleteWappinIntegration,
  renewWappinKeys,
  requireWappinIntegration,
  updateWappinIntegration,
  type WappinIntegration,
  type WappinKeys,
} from "../db/wappin_integrations.ts";
import type { OutboundFetch } from "../sessions/outbound_fetch.ts";
import type { WebhookWorker } from "../sessions/webhooks.ts";
import { checkWebhookTarget } from "./webhook_target.ts";

export interface IntegrationServiceDeps {
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundFetch;
  worker: WebhookWorker;
}

/** A change of an integration's callback or allowed addresses. */
export interface IntegrationPatch {
  callbackUrl?: string | null;
  privateNetwork?: boolean;
  ipWhitelist?: string[];
}

/** The operations on Wappin-compatible integrations (only administrators and `*` keys reach them). */
export class IntegrationService {
  constructor(private readonly deps: IntegrationServiceDeps) {}

  /** Adds an integration; answers its keys, shown once. */
  async create(
    actor: Actor,
    input: WappinIntegrationInput,
  ): Promise<{ integration: WappinIntegration; keys: WappinKeys }> {
    await this.#checkCallback(input.callback_url, input.private_network ?? false);
    const { db, clock, secretBox } = this.deps;
    const created = await createWappinIntegration(db, clock, secretBox, actor, input);
    this.deps.worker.wake();
    return created;
  }

  async update(actor: Actor, id: number, patch: IntegrationPatch): Promise<WappinIntegration> {
    const before = await requireWappinIntegration(this.deps.db, id);
    await this.#checkCallback(
      patch.callbackUrl === undefined ? before.callbackUrl : patch.callbackUrl,
      patch.privateNetwork ?? before.privateNetwork,
    );
    const integration = await updateWappinIntegration(
      this.deps.db,
      this.deps.clock,
      actor,
      id,
      patch,
    );
    this.deps.worker.forget(integration.webhookId);
    this.deps.worker.wake();
    return integration;
  }

  /** New secret and client keys; the old ones stop working. */
  async renewKeys(
    actor: Actor,
    id: number,
  ): Promise<{ integration: WappinIntegration; keys: WappinKeys }> {
    const renewed = await renewWappinKeys(this.deps.db, this.deps.clock, actor, id);
    this.deps.worker.forget(renewed.integration.webhookId);
    return renewed;
  }

  async delete(actor: Actor, id: number): Promise<WappinIntegration> {
    const removed = await deleteWappinIntegration(this.deps.db, this.deps.clock, actor, id);
    this.deps.worker.forget(removed.webhookId);
    return removed;
  }

  /** The callback URL, when there is one, checked as a webhook's. */
  async #checkCallback(url: string | null | undefined, privateNetwork: boolean): Promise<void> {
    if (!url) return;
    await checkWebhookTarget(this.deps.outbound, url, {
      privateNetwork,
      mayAllowPrivate: true,
      field: "callback_url",
    });
  }
}
