/**
 * What goes over the wire for each kind of webhook: Kabar's own signed
 * events, and Wappin's callbacks for systems written for Wappin. Each format
 * says how a delivery's body is built, which headers it carries, what answer
 * counts as accepted and how long it is retried.
 */
import { createHmac } from "node:crypto";
import type { Clock } from "../core/clock.ts";
import type { TimedStatus } from "../core/message_status.ts";
import type { WebhookFormat } from "../core/webhook_format.ts";
import { webhookSecretKey } from "../core/webhook_secret.ts";
import { wappinCallbackAccepted, wappinCallbackBody } from "../core/wappin.ts";
import type { HistoryEvent, MessageView } from "../db/messages.ts";
import { messageJson } from "../db/message_json.ts";
import type { ClaimedDelivery, UnbuiltDelivery } from "../db/webhooks.ts";
import type { WappinIntegration } from "../db/wappin_integrations.ts";

/** What bodies are built from: the messages of a batch and their status histories. */
export interface PayloadSources {
  views: Map<number, MessageView>;
  /** Each message's status history, up to the newest event of the batch. */
  histories: Map<number, HistoryEvent[]>;
}

/** What a format may look up about the webhook it delivers for. */
export interface FormatContext {
  clock: Clock;
  /** How long a Kabar webhook keeps being retried. */
  retryForMs: number;
  /**
   * The secrets a delivery is signed with: the webhook's, and for a while
   * after a rotation the one before it (null once it has expired).
   */
  secrets(delivery: ClaimedDelivery): Promise<{ current: string; previous: string | null }>;
  /** The Wappin integration whose callbacks the webhook carries. */
  integration(webhookId: number): Promise<WappinIntegration>;
  /** The access token last handed out to the integration. */
  callbackToken(integrationId: number): Promise<string>;
}

export interface PayloadFormat {
  /** The JSON body of a delivery, built once when first claimed and stored with it. */
  body(delivery: UnbuiltDelivery, sources: PayloadSources): Promise<string>;
  headers(delivery: ClaimedDelivery, payload: string): Promise<Record<string, string>>;
  /** Whether a 2xx answer means the endpoint took it. */
  accepted(answer: string): boolean;
  /** The words of a 2xx answer that was not accepted. */
  refusal: string;
  /** Whether a delivery that just failed is given up. */
  givesUp(delivery: ClaimedDelivery, now: number): boolean;
}

/** Wappin's callbacks are retried 3 times after the first attempt. */
const WAPPIN_CALLBACK_RETRIES = 3;

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`): what X-Kabar-Signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * `v1,<base64>` of HMAC-SHA256 over `<id>.<timestamp>.<body>`, keyed with the
 * secret's bytes: one entry of the Standard Webhooks `webhook-signature`.
 */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
): string {
  const mac = createHmac("sha256", webhookSecretKey(secret)).update(`${id}.${timestamp}.${body}`);
  return `v1,${mac.digest("base64")}`;
}

/** The formats, by the name a webhook row carries. */
export function payloadFormats(context: FormatContext): Record<WebhookFormat, PayloadFormat> {
  return {
    kabar: {
      body: (delivery, sources) => Promise.resolve(kabarPayload(delivery, sources)),
      async headers(delivery, payload) {
        const timestamp = String(Math.floor(context.clock.now() / 1000));
        const { current, previous } = await context.secrets(delivery);
        const id = String(delivery.id);
        const signers = previous === null ? [current] : [current, previous];
        return {
          "content-type": "application/json",
          "user-agent": "Kabar-Webhook/1",
          "x-kabar-event": delivery.event,
          "x-kabar-delivery": id,
          "x-kabar-timestamp": timestamp,
          "x-kabar-signature": webhookSignature(current, timestamp, payload),
          // Standard Webhooks (standardwebhooks.com): the same delivery id and time, and a
          // signature per live secret, space-separated, so either secret verifies.
          "webhook-id": id,
          "webhook-timestamp": timestamp,
          "webhook-signature": signers
            .map((secret) => standardWebhookSignature(secret, id, timestamp, payload))
            .join(" "),
        };
      },
      accepted: () => true,
      refusal: "",
      givesUp: (delivery, now) => now - delivery.eventCreatedAt >= context.retryForMs,
    },
    wappin: {
      body: async (delivery, sources) =>
        wappinPayload(await context.integration(delivery.webhookId), delivery, sources),
      async headers(delivery) {
        const integration = await context.integration(delivery.webhookId);
        return {
          "content-type": "application/json",
          "user-agent": "Kabar-Wappin-Callback/1",
          authorization: `Bearer ${await context.callbackToken(integration.id)}`,
        };
      },
      accepted: wappinCallbackAccepted,
      refusal: 'the endpoint did not answer "status": "000"',
      givesUp: (delivery) => delivery.attempts > WAPPIN_CALLBACK_RETRIES,
    },
  };
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
  if (
    delivery.eventType === "conversation.created" ||
    delivery.eventType === "conversation.updated" ||
    delivery.eventType === "broadcast.progress" || delivery.eventType === "broadcast.finished"
  ) {
    // Written with the change, as the conversation (or broadcast) stood right after it.
    return JSON.stringify({ ...envelope, data: JSON.parse(delivery.data ?? "{}") });
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
