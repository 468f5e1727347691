/**
 * What the webhooks page and the API both do to a webhook: add, change,
 * pause, delete, redeliver, rotate its secret. Each checks where it may deliver and wakes or
 * clears the delivery worker in one place.
 */
import { forbidden } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { Actor } from "../db/audit_log.ts";
import type { Db } from "../db/client.ts";
import {
  createWebhook,
  deleteWebhook,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
  type Webhook,
  type WebhookInput,
} from "../db/webhooks.ts";
import type { OutboundFetch } from "../sessions/outbound_fetch.ts";
import type { WebhookWorker } from "../sessions/webhooks.ts";
import { checkWebhookTarget } from "./webhook_target.ts";

export interface WebhookServiceDeps {
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundFetch;
  worker: WebhookWorker;
}

/** Who changes a webhook: only an administrator or a key with `*` may reach the private network. */
export interface WebhookEditor {
  actor: Actor;
  mayReachPrivate: boolean;
}

export type WebhookPatch = Partial<WebhookInput & { active: boolean }>;

/** The operations on webhooks. */
export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  /** Adds a webhook; answers its signing secret, shown once. */
  async create(
    editor: WebhookEditor,
    input: WebhookInput,
  ): Promise<{ webhook: Webhook; secret: string }> {
    await this.#checkTarget(editor, { url: input.url, privateNetwork: input.privateNetwork });
    const { db, clock, secretBox } = this.deps;
    const created = await createWebhook(db, clock, secretBox, editor.actor, input);
    this.deps.worker.wake();
    return created;
  }

  /** Changes a webhook (pausing and resuming are `{ active }`). */
  async update(editor: WebhookEditor, before: Webhook, patch: WebhookPatch): Promise<Webhook> {
    const { active: _, ...target } = patch;
    if (Object.values(target).some((v) => v !== undefined)) {
      await this.#checkTarget(editor, target, before);
    }
    const webhook = await updateWebhook(
      this.deps.db,
      this.deps.clock,
      editor.actor,
      before.id,
      patch,
    );
    this.deps.worker.wake();
    return webhook;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    await deleteWebhook(this.deps.db, this.deps.clock, actor, id);
    this.deps.worker.forget(id);
  }

  /**
   * Gives a webhook a new signing secret, shown once; the old one signs
   * beside it until `previousExpiresAt` (the audit log records the rotation).
   */
  async rotateSecret(
    actor: Actor,
    id: number,
  ): Promise<{ webhook: Webhook; secret: string; previousExpiresAt: number }> {
    const { db, clock, secretBox } = this.deps;
    const rotated = await rotateWebhookSecret(db, clock, secretBox, actor, id);
    this.deps.worker.forget(id);
    return rotated;
  }

  /** Sends a finished delivery again, now. */
  async redeliver(webhookId: number, deliveryId: number): Promise<void> {
    await redeliver(this.deps.db, this.deps.clock, webhookId, deliveryId);
    this.deps.worker.wake();
  }

  /**
   * Only an editor who may reach the private network may let a webhook reach
   * it, or move one that may: the hospital's own systems are there. The URL
   * must suit the webhook's permission (each delivery is checked again).
   */
  async #checkTarget(
    editor: WebhookEditor,
    change: { url?: string; privateNetwork?: boolean },
    before?: Webhook,
  ): Promise<void> {
    if (!editor.mayReachPrivate && change.privateNetwork) {
      throw forbidden(
        "Only a key with the scope * may let a webhook reach the private network",
        { private_network: "needs a key with the scope *" },
      );
    }
    if (!editor.mayReachPrivate && before?.privateNetwork && change.url !== undefined) {
      throw forbidden(
        `Webhook ${before.id} may reach the private network: only a key with the scope * may ` +
          "change its address",
        { url: "needs a key with the scope *" },
      );
    }
    const url = change.url ?? before?.url;
    if (!url) return;
    await checkWebhookTarget(this.deps.outbound, url, {
      privateNetwork: change.privateNetwork ?? before?.privateNetwork ?? false,
      mayAllowPrivate: editor.mayReachPrivate,
    });
  }
}
