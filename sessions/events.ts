/**
 * The in-process event bus: channel states, QR codes and messages, published
 * by the registry and fed to the pages over SSE.
 */
import type { ChannelStatus, StatusReason } from "../core/channel_types.ts";

/** Everything published on the bus. */
export type KabarEvent =
  | {
    type: "channel.status";
    channelId: number;
    status: ChannelStatus;
    reason: StatusReason | null;
  }
  | { type: "channel.qr"; channelId: number; qr: string; expiresAt: number }
  | { type: "channel.pairing_code"; channelId: number; code: string }
  | { type: "channel.changed"; channelId: number }
  | {
    type: "message.inbound";
    channelId: number;
    conversationId: number;
    messageId: number;
  }
  | { type: "message.status"; channelId: number; messageId: number; status: string }
  | { type: "message.queued"; channelId: number; messageId: number };

export type KabarEventListener = (event: KabarEvent) => void;

/** Publish/subscribe for KabarEvents. A failing listener never stops the others. */
export class EventBus {
  #listeners = new Set<KabarEventListener>();
  #closing = new AbortController();

  /** Aborts when Kabar shuts down, so open streams (SSE) end and let the server stop. */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  /** Ends every open stream; called once at shutdown. */
  close(): void {
    this.#closing.abort();
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: KabarEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: KabarEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener (an SSE stream that closed) must not break publishing.
      }
    }
  }

  /** Listeners now attached (open pages). */
  get size(): number {
    return this.#listeners.size;
  }
}
