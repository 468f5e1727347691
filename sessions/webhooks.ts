/**
 * The webhook worker: delivers the stored events to their endpoints as
 * signed JSON, retries with exponential backoff and jitter for up to a day,
 * then gives up (the delivery log keeps every attempt's outcome).
 */
import type { Clock } from "../core/clock.ts";
import type { WebhookAttemptResult } from "../core/delivery_status.ts";
import type { Logger } from "../core/log.ts";
import type { Metrics } from "../core/metrics.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { WebhookFormat } from "../core/webhook_format.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { getMessageViews, messageHistories } from "../db/messages.ts";
import {
  claimDeliveries,
  type ClaimedDelivery,
  deliveryOutcome,
  nextDeliveryAt,
  recoverDeliveries,
  type UnbuiltDelivery,
} from "../db/webhooks.ts";
import {
  callbackToken,
  wappinByWebhook,
  type WappinIntegration,
} from "../db/wappin_integrations.ts";
import type { EventBus } from "./events.ts";
import { WakeLoop } from "./wake_loop.ts";
import { type PayloadFormat, payloadFormats, type PayloadSources } from "./webhook_formats.ts";
import { type OutboundFetch, OutboundFetchError } from "./outbound_fetch.ts";

export interface WebhookOptions {
  /** How long an endpoint may take to answer. */
  timeoutMs: number;
  /** How long a delivery keeps being retried before it is dead. */
  retryForMs: number;
  /** The first retry waits this long; each next one about twice as long. */
  retryBaseMs: number;
  /** Deliveries in flight at once, and per endpoint. */
  concurrency: number;
  perWebhook: number;
  /**
   * While idle, look for due deliveries at least this often: those another
   * process made without being heard (it stopped before telling).
   */
  idleCheckMs?: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  timeoutMs: 10_000,
  retryForMs: 24 * 3_600_000,
  retryBaseMs: 10_000,
  concurrency: 128,
  perWebhook: 64,
};

const MAX_RETRY_GAP_MS = 3_600_000;
const EXCERPT_CHARS = 500;
/** Of an endpoint's answer, only this much is read: enough for the excerpt and Wappin's status. */
const ANSWER_BYTES = 64 * 1024;
/** A webhook's failed deliveries are logged at most this often. */
const FAILURE_LOG_EVERY_MS = 60_000;

export interface WebhookWorkerDeps {
  db: Db;
  writer: GroupCommit;
  clock: Clock;
  log: Logger;
  events: EventBus;
  secretBox: SecretBox;
  options?: Partial<WebhookOptions>;
  metrics?: Metrics;
  /** Sends the HTTP requests, through the guard against reaching the private network. */
  outbound: OutboundFetch;
  random?: () => number;
}

/** Delivers webhooks. One per process (several processes share the work by claiming rows). */
export class WebhookWorker {
  readonly #options: WebhookOptions;
  readonly #loop: WakeLoop;
  #inFlight = 0;
  #stopped = false;
  #unsubscribe?: () => void;
  /** Unsealed secrets, by webhook: the sealed text they were opened from and the result. */
  #secrets = new Map<number, { sealed: string; secret: Promise<string> }[]>();
  #integrations = new Map<number, Promise<WappinIntegration>>();
  /** When a failed delivery of each webhook was last logged. */
  #failureLoggedAt = new Map<number, number>();
  #sends = new Set<Promise<void>>();
  readonly #formats: Record<WebhookFormat, PayloadFormat>;

  constructor(private readonly deps: WebhookWorkerDeps) {
    this.#options = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.options };
    this.#formats = payloadFormats({
      clock: deps.clock,
      retryForMs: this.#options.retryForMs,
      secrets: (delivery) => this.#signingSecrets(delivery),
      integration: (webhookId) => this.#integration(webhookId),
      callbackToken: (integrationId) =>
        callbackToken(deps.db, deps.clock, deps.secretBox, integrationId),
    });
    this.#loop = new WakeLoop({
      clock: deps.clock,
      log: deps.log,
      failure: "webhook worker failed",
      pass: () => this.#pump(),
      idleCheckMs: this.#options.idleCheckMs,
    });
  }

  /** Puts back what a crash left in flight, then delivers whenever something is due. */
  async start(): Promise<void> {
    const recovered = await recoverDeliveries(this.deps.db, this.deps.clock);
    if (recovered) this.deps.log.info("webhook deliveries resumed after a restart", { recovered });
    this.#unsubscribe = this.deps.events.subscribe((event) => {
      if (event.type !== "message.queued") this.wake();
    });
    this.wake();
  }

  /** Looks for due deliveries now. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops taking deliveries; those in flight finish and are recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    await this.#loop.stop();
    await Promise.all([...this.#sends]);
  }

  /** A webhook's secret changed or it was deleted: forget the cached secret. */
  forget(webhookId: number): void {
    this.#secrets.delete(webhookId);
    this.#integrations.delete(webhookId);
  }

  /** Sends what is due, as far as there is room; answers when the next falls due. */
  async #pump(): Promise<number | undefined> {
    const { db, writer, clock } = this.deps;
    while (!this.#stopped) {
      const room = this.#options.concurrency - this.#inFlight;
      if (room <= 0) return; // a finishing send wakes the pump
      // Why a body could not be built, by delivery: the attempt records it.
      let unbuildable = new Map<number, string>();
      const batch = await claimDeliveries(
        db,
        writer,
        clock,
        room,
        this.#options.perWebhook,
        async (deliveries) => {
          const built = await this.#build(deliveries);
          unbuildable = built.errors;
          return built.payloads;
        },
      );
      if (batch.length === 0) return await nextDeliveryAt(db, clock);
      for (const delivery of batch) {
        this.#track(this.#deliver(delivery, unbuildable.get(delivery.id)));
      }
    }
  }

  #track(send: Promise<void>): void {
    this.#inFlight++;
    this.#sends.add(send);
    send.catch((e) => this.deps.log.error("webhook delivery not recorded", { error: String(e) }))
      .finally(() => {
        this.#inFlight--;
        this.#sends.delete(send);
        this.wake();
      });
  }

  /** One attempt; the body is the one stored when the delivery was first claimed. */
  async #deliver(delivery: ClaimedDelivery, unbuildable?: string): Promise<void> {
    const { clock, writer } = this.deps;
    const format = this.#formats[delivery.format];
    const payload = delivery.payload;
    let statusCode: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    let answer = "";
    try {
      if (!payload) throw new Error(unbuildable ?? "the body of this event could not be built");
      const response = await this.deps.outbound.fetch(delivery.url, {
        method: "POST",
        headers: await format.headers(delivery, payload),
        body: payload,
        privateNetwork: delivery.privateNetwork,
        timeoutMs: this.#options.timeoutMs,
        maxBytes: ANSWER_BYTES,
        truncate: true,
        maxRedirects: 0,
      });
      statusCode = response.status;
      answer = new TextDecoder().decode(response.body);
      excerpt = answer.slice(0, EXCERPT_CHARS) || null;
    } catch (e) {
      error = e instanceof OutboundFetchError
        ? deliveryError(e, this.#options.timeoutMs)
        : e instanceof Error
        ? e.message
        : String(e);
    }
    const now = clock.now();
    const answered = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const ok = answered && format.accepted(answer);
    if (!ok && !error) error = answered ? format.refusal : `the endpoint answered ${statusCode}`;
    const giveUp = format.givesUp(delivery, now);
    const common = { payload, statusCode, excerpt, error, now };
    // The endpoint has been called: its answer is kept until stored, however long the disk is full.
    await writer.writeKept("a webhook delivery outcome", [
      deliveryOutcome(
        delivery.id,
        ok
          ? { ...common, result: "delivered" }
          : giveUp
          ? { ...common, result: "failed" }
          : { ...common, result: "retry", retryAt: now + this.#retryGap(delivery.attempts) },
      ),
    ]);
    const result: WebhookAttemptResult = ok ? "delivered" : giveUp ? "given_up" : "retry";
    this.deps.metrics?.inc("kabar_webhook_attempts_total", "Webhook delivery attempts.", {
      webhook: String(delivery.webhookId),
      result,
    });
    if (!ok && giveUp) {
      this.deps.log.warn("webhook delivery given up", {
        webhook_id: delivery.webhookId,
        delivery_id: delivery.id,
        attempts: delivery.attempts,
        error,
      });
    } else if (!ok && this.#failureMayBeLogged(delivery.webhookId, now)) {
      this.deps.log.warn("webhook delivery failed; retrying", {
        webhook_id: delivery.webhookId,
        delivery_id: delivery.id,
        attempts: delivery.attempts,
        ...(statusCode === null ? {} : { http_status: statusCode }),
        error,
      });
    }
  }

  /** One failure line per webhook a minute at most: an endpoint that is down does not flood the log. */
  #failureMayBeLogged(webhookId: number, now: number): boolean {
    const last = this.#failureLoggedAt.get(webhookId);
    if (last !== undefined && now - last < FAILURE_LOG_EVERY_MS) return false;
    this.#failureLoggedAt.set(webhookId, now);
    return true;
  }

  /** Exponential with ±25 % jitter, so endpoints coming back are not all hit at once. */
  #retryGap(attempt: number): number {
    const base = Math.min(MAX_RETRY_GAP_MS, this.#options.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(base * (0.75 + 0.5 * (this.deps.random ?? Math.random)()));
  }

  #integration(webhookId: number): Promise<WappinIntegration> {
    let found = this.#integrations.get(webhookId);
    if (!found) {
      found = wappinByWebhook(this.deps.db, webhookId).then((integration) => {
        if (!integration) throw new Error("the Wappin integration of this callback was removed");
        return integration;
      });
      found.catch(() => this.#integrations.delete(webhookId));
      this.#integrations.set(webhookId, found);
    }
    return found;
  }

  /**
   * The secrets a delivery is signed with, from the sealed ones its claim
   * read: a rotation (here or in another process) is seen by the next claim.
   */
  async #signingSecrets(
    delivery: ClaimedDelivery,
  ): Promise<{ current: string; previous: string | null }> {
    const live = delivery.sealedPreviousSecret !== null &&
      (delivery.previousSecretExpiresAt ?? 0) > this.deps.clock.now();
    const sealed = live ? [delivery.sealedSecret, delivery.sealedPreviousSecret!] : [
      delivery.sealedSecret,
    ];
    const opened = this.#secrets.get(delivery.webhookId) ?? [];
    const kept = sealed.map((text) =>
      opened.find((o) => o.sealed === text) ??
        { sealed: text, secret: this.deps.secretBox.open(text) }
    );
    this.#secrets.set(delivery.webhookId, kept);
    try {
      const [current, previous] = await Promise.all(kept.map((k) => k.secret));
      return { current, previous: previous ?? null };
    } catch (e) {
      this.#secrets.delete(delivery.webhookId);
      throw e;
    }
  }

  /**
   * The bodies of deliveries about to go out for the first time, from what
   * two queries read; one that cannot be built says why in `errors`.
   */
  async #build(
    deliveries: UnbuiltDelivery[],
  ): Promise<{ payloads: Map<number, string>; errors: Map<number, string> }> {
    const messageIds = [...new Set(deliveries.flatMap((d) => d.messageId ?? []))];
    const upTo = Math.max(0, ...deliveries.map((d) => d.messageEventId ?? 0));
    const sources: PayloadSources = {
      views: await getMessageViews(this.deps.db, messageIds),
      histories: await messageHistories(this.deps.db, messageIds, upTo),
    };
    const payloads = new Map<number, string>();
    const errors = new Map<number, string>();
    for (const delivery of deliveries) {
      try {
        payloads.set(delivery.id, await this.#formats[delivery.format].body(delivery, sources));
      } catch (e) {
        errors.set(delivery.id, e instanceof Error ? e.message : String(e));
      }
    }
    return { payloads, errors };
  }
}

/**
 * What the delivery log says of a failed request. A refused address is not
 * named: the log may be read by whoever manages the webhook.
 */
function deliveryError(e: OutboundFetchError, timeoutMs: number): string {
  switch (e.failure) {
    case "refused":
      return "the endpoint's address is on a network this webhook may not reach " +
        "(a private address needs the webhook to allow the private network)";
    case "timeout":
      return `no answer within ${timeoutMs / 1000} s`;
    case "unreachable":
      return `could not connect: ${e.detail}`;
    default:
      return `${e.message}: ${e.detail}`;
  }
}
