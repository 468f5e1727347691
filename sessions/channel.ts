/**
 * The one interface every channel adapter (WhatsApp, Telegram, sandbox)
 * implements. Adapters talk to the outside world only: they never touch the
 * database. The registry gives each adapter its callbacks and wires them to
 * `db/`.
 */
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";

import type {
  AuthStore,
  ChannelKind,
  ChannelStatus,
  DeliveryLedger,
  ReceiptStatus,
  StatusReason,
} from "../core/channel_types.ts";
import type { MessageType, OutboundType } from "../core/message_type.ts";

/** File content carried in or out of a channel. */
export interface MediaFile {
  data: Uint8Array;
  mimeType: string;
  fileName?: string;
}

/** One message to send. */
export interface OutboundMessage {
  /**
   * The recipient: WhatsApp and sandbox take E.164 digits (`6281234567890`);
   * Telegram takes the chat id.
   */
  to: string;
  type: OutboundType;
  /** The text, or the caption of a media message. */
  text?: string;
  /** Required for every type but `text`. */
  media?: MediaFile;
  /**
   * An id chosen before the first attempt (WhatsApp, sandbox) and reused on a
   * retry, so the peer shows the message once. Telegram ignores it.
   */
  externalId?: string;
}

/** Who sent an inbound message; at least one of `phone`, `waLid`, `telegramChatId`. */
export interface InboundSender {
  /** E.164 digits. */
  phone?: string;
  /** WhatsApp LID user part (the digits before `@lid`). */
  waLid?: string;
  telegramChatId?: string;
  /** The name the person set in their app. */
  pushName?: string;
}

/** One message received on a channel. */
export interface InboundMessage {
  /** The channel's id for the message; a replay carries the same id. */
  externalId: string;
  from: InboundSender;
  type: MessageType;
  text?: string;
  media?: MediaFile;
  /** When the sender sent it (ms since epoch). */
  at: number;
}

/**
 * A received message to mark read on the provider (the sender sees it read):
 * the channel's id for it and who wrote it, as stored.
 */
export interface MessageToRead {
  externalId: string;
  /** E.164 digits and, for WhatsApp, the LID user part, when known. */
  from: { phone?: string; waLid?: string };
}

/** A delivery report for a message Kabar sent. */
export interface Receipt {
  externalId: string;
  status: ReceiptStatus;
  at: number;
  /** For `failed`: why, in words. */
  error?: string;
}

/** The answer of a number check. */
export interface NumberCheck {
  /** The number as asked (E.164 digits). */
  phone: string;
  exists: boolean;
  /** The number WhatsApp knows it by, when it exists. */
  canonical?: string;
}

/** What the adapter learned about its own account once connected. */
export interface ChannelIdentity {
  /** WhatsApp: the paired number (E.164 digits). */
  phone?: string;
  /** Telegram: the bot's username, without `@`. */
  botUsername?: string;
}

/** How the registry should go on after a session ended. */
export type RestartPolicy = "now" | "backoff" | "never";

/** What an adapter reports; the registry implements these. */
export interface ChannelCallbacks {
  /** A new QR code to scan (the raw string to encode). */
  onQr(qr: string): void;
  /** A pairing code to type on the phone. */
  onPairingCode(code: string): void;
  onStatus(status: ChannelStatus, reason?: StatusReason, detail?: string): void;
  onIdentity(identity: ChannelIdentity): void;
  /** One person's WhatsApp LID and phone number, learned from the protocol. */
  onLidMapping(mapping: { lid: string; phone: string }): void;
  /**
   * Resolves once the message is stored; the adapter may acknowledge after
   * that. Rejects when it could not be stored (a full disk, say): the adapter
   * lets the provider deliver it again. An adapter whose provider never
   * delivers a message again passes `keep`: a message refused for lack of
   * space is then kept and stored once the disk has room, in order, and the
   * promise resolves as soon as it is kept.
   */
  onInbound(message: InboundMessage, options?: { keep?: boolean }): Promise<void>;
  onReceipt(receipt: Receipt): Promise<void>;
  /**
   * The session ended on its own (connection closed, logged out); the registry
   * stops this adapter and starts a new one as the policy says.
   */
  onClosed(policy: RestartPolicy): void;
}

/**
 * A send the provider refused for good (no such chat, blocked, invalid
 * number): retrying cannot help, so the message fails at once.
 */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentSendError";
  }
}

/** A running connection to one channel. One instance serves one session. */
export interface ChannelAdapter {
  /** Connects; resolves once connecting has begun. Throws when it cannot start. */
  start(): Promise<void>;
  /** Disconnects without logging out; resolves when nothing runs any more. */
  stop(): Promise<void>;
  /** Logs the device or bot session out on the provider's side, then stops. */
  logout(): Promise<void>;
  send(message: OutboundMessage): Promise<{ externalId: string }>;
  checkNumbers?(phones: string[]): Promise<NumberCheck[]>;
  /** WhatsApp: asks for a pairing code for the channel's number instead of a QR. */
  requestPairingCode?(): Promise<string>;
  /**
   * Tells the senders their messages were read (WhatsApp's blue ticks), as
   * the phone app does when a chat is opened. Absent where the provider has
   * no read receipts (Telegram bots).
   */
  markRead?(messages: MessageToRead[]): Promise<void>;
}

/** The stored channel, as an adapter sees it. */
export interface ChannelInfo {
  id: number;
  kind: ChannelKind;
  name: string;
  /** WhatsApp: the channel's number (E.164 digits). */
  phone: string | null;
  /** Telegram: the bot token (already unsealed). */
  secret: string | null;
  options: Record<string, unknown>;
}

/** Everything an adapter may use, given by the registry. */
export interface AdapterContext {
  channel: ChannelInfo;
  callbacks: ChannelCallbacks;
  clock: Clock;
  log: Logger;
  /** WhatsApp only: the channel's auth state. */
  authStore: AuthStore;
  /** Sandbox only: the simulated phones' record of what they were shown. */
  ledger: DeliveryLedger;
  /** WhatsApp's `getMessage`: the text of a message Kabar sent, by external id. */
  findSentText(externalId: string): Promise<string | undefined>;
  /** The largest received file Kabar keeps; a larger one comes in without its file. */
  mediaMaxBytes: number;
}

/** Builds an adapter for a channel; one per kind, replaceable in tests. */
export type AdapterFactory = (context: AdapterContext) => ChannelAdapter;
