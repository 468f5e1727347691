/**
 * The sandbox channel: a simulated phone network for trying Kabar without a
 * phone, and for testing the systems that call Kabar. Sends are accepted and
 * walk through delivered -> read after short delays; people can "reply" from
 * the sandbox page or the API. A message id it has seen is delivered once.
 */
import type {
  AdapterContext,
  AdapterFactory,
  ChannelAdapter,
  MessageToRead,
  NumberCheck,
  OutboundMessage,
} from "./channel.ts";
import { type SandboxTiming, sandboxTiming } from "../core/sandbox_timing.ts";

/** A simulated person's reply. */
export interface SandboxReply {
  phone: string;
  name?: string;
  text: string;
}

/** The sandbox adapter; `receive` simulates a message from a person. */
export interface SandboxAdapter extends ChannelAdapter {
  receive(reply: SandboxReply): Promise<{ externalId: string }>;
  /** The simulated people's messages marked read, by id, in order (this session's). */
  readonly markedRead: readonly string[];
}

/** Numbers ending in this are "not on WhatsApp" in the sandbox's number check. */
export const SANDBOX_UNKNOWN_SUFFIX = "0000";

/** Whether `adapter` is a sandbox (can take simulated replies). */
export function isSandboxAdapter(adapter: ChannelAdapter | undefined): adapter is SandboxAdapter {
  return adapter !== undefined && "receive" in adapter;
}

/** Builds sandbox adapters. */
export function sandboxAdapter(): AdapterFactory {
  return (context) => new Sandbox(context);
}

class Sandbox implements SandboxAdapter {
  /** Sends waiting for the simulated network to take them; a stop ends them at once. */
  #accepting = new Set<() => void>();
  /** Receipts not yet given, in the order they are due. */
  #pending: {
    status: "delivered" | "read";
    cancel: () => void;
    receipt: () => Promise<void>;
  }[] = [];
  #running = false;
  readonly #timing: SandboxTiming;
  readonly markedRead: string[] = [];

  constructor(private readonly context: AdapterContext) {
    this.#timing = sandboxTiming(context.channel.options);
  }

  /** Connects, and gives the receipts a restart left owing, each at its time or at once. */
  async start(): Promise<void> {
    this.#running = true;
    this.context.callbacks.onStatus("connected");
    const now = this.context.clock.now();
    const { deliverAfterMs, readAfterMs } = this.#timing;
    const owing = await this.context.ledger.awaitingReceipts();
    // Each message's receipts in order; different messages' together (they share commits).
    await Promise.all(owing.map(async ({ externalId, status, firstAt }) => {
      const deliveredIn = firstAt + deliverAfterMs - now;
      const readIn = deliveredIn + readAfterMs;
      if (status === "sent") {
        if (deliveredIn <= 0) await this.#receipt("delivered", externalId);
        else this.#after(deliveredIn, "delivered", externalId);
      }
      if (readIn <= 0) await this.#receipt("read", externalId);
      else this.#after(readIn, "read", externalId);
    }));
  }

  /** Stops; receipts still due are given at once, so no message stays "sent" for good. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const end of [...this.#accepting]) end();
    const pending = this.#pending.splice(0);
    for (const { cancel } of pending) cancel();
    // Every delivery, then every read: each message's receipts in order, written in groups
    // rather than one commit after another (thousands wait after a broadcast).
    for (const status of ["delivered", "read"]) {
      await Promise.all(pending.filter((p) => p.status === status).map((p) => p.receipt()));
    }
  }

  logout(): Promise<void> {
    return this.stop();
  }

  send(message: OutboundMessage): Promise<{ externalId: string }> {
    if (!this.#running) return Promise.reject(new Error("The sandbox channel is stopped"));
    if (message.type !== "text" && !message.media) {
      return Promise.reject(new Error(`A ${message.type} message needs a file`));
    }
    const externalId = message.externalId ?? `SBX${crypto.randomUUID().replaceAll("-", "")}`;
    // A number not on WhatsApp: the server takes the message, no phone ever receives it, so it
    // stays "sent", as on WhatsApp.
    if (message.to.endsWith(SANDBOX_UNKNOWN_SUFFIX)) return Promise.resolve({ externalId });
    return this.#deliver(externalId);
  }

  /**
   * Shows the message on the simulated phone once (a resend of the same id
   * is not shown again), then says it took it. Receipts follow every
   * handover: a resend after a crash must still end read, and a receipt
   * given twice changes nothing.
   */
  async #deliver(externalId: string): Promise<{ externalId: string }> {
    await this.context.ledger.record(externalId);
    const { acceptAfterMs, deliverAfterMs, readAfterMs } = this.#timing;
    if (acceptAfterMs > 0) {
      await new Promise<void>((resolve) => {
        const end = () => {
          this.#accepting.delete(end);
          cancel();
          resolve();
        };
        const cancel = this.context.clock.setTimer(acceptAfterMs, end);
        this.#accepting.add(end);
      });
      if (!this.#running) throw new Error("The sandbox channel stopped before it took the message");
    }
    this.#after(deliverAfterMs, "delivered", externalId);
    this.#after(deliverAfterMs + readAfterMs, "read", externalId);
    return { externalId };
  }

  /** Notes the messages as read, as a phone would show its sender (kept while it runs). */
  markRead(messages: MessageToRead[]): Promise<void> {
    if (!this.#running) return Promise.reject(new Error("The sandbox channel is stopped"));
    this.markedRead.push(...messages.map((m) => m.externalId));
    // A sandbox may run for months: the newest are enough to look at.
    if (this.markedRead.length > 1000) this.markedRead.splice(0, this.markedRead.length - 1000);
    this.context.log.debug("sandbox messages read", { count: messages.length });
    return Promise.resolve();
  }

  checkNumbers(phones: string[]): Promise<NumberCheck[]> {
    return Promise.resolve(phones.map((phone) => {
      const exists = !phone.endsWith(SANDBOX_UNKNOWN_SUFFIX);
      return exists ? { phone, exists, canonical: phone } : { phone, exists };
    }));
  }

  async receive(reply: SandboxReply): Promise<{ externalId: string }> {
    if (!this.#running) throw new Error("The sandbox channel is stopped");
    const externalId = `SBXIN${crypto.randomUUID().replaceAll("-", "")}`;
    await this.context.callbacks.onInbound({
      externalId,
      from: { phone: reply.phone, pushName: reply.name },
      type: "text",
      text: reply.text,
      at: this.context.clock.now(),
    });
    return { externalId };
  }

  #receipt(status: "delivered" | "read", externalId: string): Promise<void> {
    return this.context.callbacks.onReceipt({ externalId, status, at: this.context.clock.now() })
      .catch((e) => this.context.log.warn("sandbox receipt not recorded", { error: String(e) }));
  }

  #after(ms: number, status: "delivered" | "read", externalId: string) {
    const receipt = () => this.#receipt(status, externalId);
    const entry = {
      status,
      receipt,
      cancel: this.context.clock.setTimer(ms, () => {
        this.#pending = this.#pending.filter((p) => p !== entry);
        void receipt();
      }),
    };
    this.#pending.push(entry);
  }
}
