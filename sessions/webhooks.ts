/**
 * The webhook worker: delivers the stored events to their endpoints as
 * signed JSON, retries with exponential backoff and jitter for up to a day,
 * then gives up (the delivery log keeps every attempt's outcome).
 */
import { createHmac } from "node:crypto";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { TimedStatus } from "../core/message_status.ts";
import type { Metrics } from "../core/metrics.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { isDiskFull } from "../db/errors.ts";
import {
  getMessageViews,
  type HistoryEvent,
  messageHistories,
  type MessageView,
} from "../db/messages.ts";
import {
  claimDeliveries,
  type ClaimedDelivery,
  deliveryOutcome,
  nextDeliveryAt,
  recoverDeliveries,
  type UnbuiltDelivery,
  webhookSecret,
} from "../db/webhooks.ts";
import { messageJson } from "../db/message_json.ts";
import {
  callbackToken,
  wappinByWebhook,
  type WappinIntegration,
} from "../db/wappin_integrations.ts";
import { wappinCallbackAccepted, wappinCallbackBody } from "../core/wappin.ts";
import type { EventBus } from "./events.ts";
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
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  timeoutMs: 10_000,
  retryForMs: 24 * 3_600_000,
  retryBaseMs: 10_000,
  concurrency: 128,
  perWebhook: 64,
};

const MAX_RETRY_GAP_MS = 3_600_000;
/** After the worker itself failed (a full disk, a lost database), it looks again this much later. */
const PUMP_RETRY_MS = 5_000;
const WAPPIN_CALLBACK_RETRIES = 3;
const EXCERPT_CHARS = 500;
/** Of an endpoint's answer, only this much is read: enough for the excerpt and Wappin's status. */
const ANSWER_BYTES = 64 * 1024;

interface PayloadSources {
  views: Map<number, MessageView>;
  /** Each message's status history, up to the newest event of the batch. */
  histories: Map<number, HistoryEvent[]>;
}

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

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`): what X-Kabar-Signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Delivers webhooks. One per process (several processes share the work by claiming rows). */
export class WebhookWorker {
  readonly #options: WebhookOptions;
  #inFlight = 0;
  #pumping?: Promise<void>;
  #again = false;
  #stopped = false;
  #cancelTimer?: () => void;
  #unsubscribe?: () => void;
  #secrets = new Map<number, Promise<string>>();
  #integrations = new Map<number, Promise<WappinIntegration>>();
  #sends = new Set<Promise<void>>();

  constructor(private readonly deps: WebhookWorkerDeps) {
    this.#options = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.options };
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
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#pumping = this.#pump()
      .catch((e) => {
        // Nothing else may wake the worker (a quiet install): look again a little later.
        if (!isDiskFull(e)) this.deps.log.error("webhook worker failed", { error: String(e) });
        this.#later(this.deps.clock.now() + PUMP_RETRY_MS);
      })
      .finally(() => {
        this.#pumping = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Stops taking deliveries; those in flight finish and are recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#cancelTimer?.();
    await this.#pumping;
    await Promise.all([...this.#sends]);
  }

  /** A webhook's secret changed or it was deleted: forget the cached secret. */
  forget(webhookId: number): void {
    this.#secrets.delete(webhookId);
    this.#integrations.delete(webhookId);
  }

  async #pump(): Promise<void> {
    const { db, writer, clock } = this.deps;
    while (!this.#stopped) {
      this.#again = false;
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
      if (batch.length === 0) {
        const due = await nextDeliveryAt(db, clock);
        if (due !== undefined) this.#later(due);
        return;
      }
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

  #later(at: number): void {
    this.#cancelTimer?.();
    this.#cancelTimer = this.deps.clock.setTimer(at - this.deps.clock.now(), () => {
      this.#cancelTimer = undefined;
      this.wake();
    });
  }

  /** One attempt; the body is the one stored when the delivery was first claimed. */
  async #deliver(delivery: ClaimedDelivery, unbuildable?: string): Promise<void> {
    const { clock, writer } = this.deps;
    const wappin = delivery.format === "wappin";
    const payload = delivery.payload;
    let statusCode: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    let answer = "";
    try {
      const integration = wappin ? await this.#integration(delivery.webhookId) : undefined;
      if (!payload) throw new Error(unbuildable ?? "the body of this event could not be built");
      const response = await this.deps.outbound.fetch(delivery.url, {
        method: "POST",
        headers: integration
          ? await this.#wappinHeaders(integration.id)
          : await this.#kabarHeaders(delivery, payload),
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
    const ok = answered && (!wappin || wappinCallbackAccepted(answer));
    if (!ok && !error) {
      error = answered
        ? 'the endpoint did not answer "status": "000"'
        : `the endpoint answered ${statusCode}`;
    }
    // Wappin's callbacks are retried 3 times; Kabar's webhooks for as long as configured.
    const giveUp = wappin
      ? delivery.attempts > WAPPIN_CALLBACK_RETRIES
      : now - delivery.eventCreatedAt >= this.#options.retryForMs;
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
    this.deps.metrics?.inc("kabar_webhook_attempts_total", "Webhook delivery attempts.", {
      webhook: String(delivery.webhookId),
      result: ok ? "delivered" : giveUp ? "given_up" : "retry",
    });
    if (!ok && giveUp) {
      this.deps.log.warn("webhook delivery given up", {
        webhookId: delivery.webhookId,
        deliveryId: delivery.id,
        attempts: delivery.attempts,
        error,
      });
    }
  }

  /** Exponential with ±25 % jitter, so endpoints coming back are not all hit at once. */
  #retryGap(attempt: number): number {
    const base = Math.min(MAX_RETRY_GAP_MS, this.#options.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(base * (0.75 + 0.5 * (this.deps.random ?? Math.random)()));
  }

  async #kabarHeaders(delivery: ClaimedDelivery, payload: string): Promise<Record<string, string>> {
    const timestamp = String(Math.floor(this.deps.clock.now() / 1000));
    const secret = await this.#secret(delivery.webhookId);
    return {
      "content-type": "application/json",
      "user-agent": "Kabar-Webhook/1",
      "x-kabar-event": delivery.event,
      "x-kabar-delivery": String(delivery.id),
      "x-kabar-timestamp": timestamp,
      "x-kabar-signature": webhookSignature(secret, timestamp, payload),
    };
  }

  /** Wappin's callbacks carry the access token last handed out to the integration. */
  async #wappinHeaders(integrationId: number): Promise<Record<string, string>> {
    const { db, clock, secretBox } = this.deps;
    const token = await callbackToken(db, clock, secretBox, integrationId);
    return {
      "content-type": "application/json",
      "user-agent": "Kabar-Wappin-Callback/1",
      authorization: `Bearer ${token}`,
    };
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

  #secret(webhookId: number): Promise<string> {
    let secret = this.#secrets.get(webhookId);
    if (!secret) {
      secret = webhookSecret(this.deps.db, this.deps.secretBox, webhookId);
      secret.catch(() => this.#secrets.delete(webhookId));
      this.#secrets.set(webhookId, secret);
    }
    return secret;
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
        payloads.set(
          delivery.id,
          delivery.format === "wappin"
            ? wappinPayload(await this.#integration(delivery.webhookId), delivery, sources)
            : kabarPayload(delivery, sources),
        );
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

/** The event a delivery carries, from its message's history. */
function eventOf(delivery: UnbuiltDelivery, sources: PayloadSources): HistoryEvent | undefined {
  if (!delivery.messageId || !delivery.messageEventId) return undefined;
  return sources.histories.get(delivery.messageId)?.find((e) => e.id === delivery.messageEventId);
}

const STATUS_TIMES = {
  sent: "sentAt",
  delivered: "deliveredAt",
  read: "readAt",
  failed: "failedAt",
} as const satisfies Record<TimedStatus, string>;

/**
 * The message as it was right after `event` of its history: that status,
 * the times of the statuses it had reached by then (a later one's is null),
 * and the error of the last retry or failure before it. Built from the
 * history alone, so a late delivery tells the same as a prompt one.
 */
function messageAsOf(view: MessageView, history: HistoryEvent[], event: HistoryEvent): MessageView {
  const message = {
    ...view.message,
    status: event.status as MessageView["message"]["status"],
    sentAt: null as number | null,
    deliveredAt: null as number | null,
    readAt: null as number | null,
    failedAt: null as number | null,
    error: null as string | null,
  };
  for (const e of history) {
    if (e.id > event.id) break;
    const time = STATUS_TIMES[e.status as TimedStatus];
    if (time) message[time] = e.at;
    if (e.status === "retry" || e.status === "failed") message.error = e.detail;
  }
  return { ...view, message };
}

/** The JSON body of a Kabar webhook event, built once and stored with the delivery. */
function kabarPayload(delivery: UnbuiltDelivery, sources: PayloadSources): string {
  const envelope = {
    id: `evt_${delivery.eventId}`,
    type: delivery.eventType,
    created_at: new Date(delivery.eventCreatedAt).toISOString(),
  };
  if (delivery.eventType === "channel.status") {
    return JSON.stringify({ ...envelope, data: { channel: JSON.parse(delivery.data ?? "{}") } });
  }
  const view = delivery.messageId ? sources.views.get(delivery.messageId) : undefined;
  const event = eventOf(delivery, sources);
  const history = delivery.messageId ? sources.histories.get(delivery.messageId) : undefined;
  return JSON.stringify({
    ...envelope,
    data: {
      ...(event
        ? {
          status: event.status,
          at: new Date(event.at).toISOString(),
          ...(event.detail ? { detail: event.detail } : {}),
        }
        : {}),
      message: view
        ? messageJson(event && history ? messageAsOf(view, history, event) : view)
        : { id: delivery.messageId },
    },
  });
}

/** A Wappin callback: `status` for a sent message's status, `message` for one received. */
function wappinPayload(
  integration: WappinIntegration,
  delivery: UnbuiltDelivery,
  sources: PayloadSources,
): string {
  const view = delivery.messageId ? sources.views.get(delivery.messageId) : undefined;
  const event = eventOf(delivery, sources);
  const common = {
    messageId: String(delivery.messageId ?? ""),
    number: view?.contact.phone ?? view?.contact.telegramChatId ?? "",
    at: event?.at ?? delivery.eventCreatedAt,
  };
  return delivery.eventType === "message.received"
    ? wappinCallbackBody(integration, {
      ...common,
      type: "message",
      text: view?.message.body ?? `[${view?.message.type ?? "message"}]`,
    })
    : wappinCallbackBody(integration, {
      ...common,
      type: "status",
      status: event?.status ?? "-",
    });
}
