/** The words channels are described with, shared by every layer. */

export const CHANNEL_KINDS = ["whatsapp", "telegram", "sandbox"] as const;
export type ChannelKind = typeof CHANNEL_KINDS[number];

export const CHANNEL_STATUSES = [
  "disconnected",
  "connecting",
  "qr",
  "connected",
  "logged_out",
  "error",
] as const;
/** What the channels page shows; `qr` means waiting for a scan. */
export type ChannelStatus = typeof CHANNEL_STATUSES[number];

/**
 * Why a channel is not connected, as a code the pages translate into words
 * (`channels.reason.<code>` in core/i18n.ts).
 */
export const STATUS_REASONS = [
  "unreachable",
  "replaced",
  "logged_out",
  "bad_session",
  "forbidden",
  "restarting",
  "bad_token",
  "start_failed",
  "disabled",
  "qr_timeout",
] as const;
export type StatusReason = typeof STATUS_REASONS[number];

/** What a channel's delivery report says of a message it sent; `played` is a heard voice note. */
export const RECEIPT_STATUSES = ["sent", "delivered", "read", "played", "failed"] as const;
export type ReceiptStatus = typeof RECEIPT_STATUSES[number];

/**
 * WhatsApp's auth state, kept by the registry in the database (sealed). Values
 * are JSON strings written with Baileys' BufferJSON so buffers survive.
 */
export interface AuthStore {
  /** Every stored value of `type` among `ids` (missing ids are absent). */
  get(type: string, ids: string[]): Promise<Map<string, string>>;
  /** Writes all entries in one transaction; `null` deletes. */
  set(entries: { type: string; id: string; value: string | null }[]): Promise<void>;
  /** Deletes every key of the channel. */
  clear(): Promise<void>;
}

/**
 * Sandbox only: what the simulated phones were shown. `record` answers
 * whether this is the first time the message id was handed over.
 */
export interface DeliveryLedger {
  record(externalId: string): Promise<boolean>;
  /**
   * Messages shown whose receipts have not all come yet (a restart lost their
   * timers): the status they reached and when they were first shown.
   */
  awaitingReceipts(): Promise<AwaitingReceipt[]>;
}

/** A message the sandbox showed whose receipts have not all come yet. */
export interface AwaitingReceipt {
  externalId: string;
  /** The status it reached. */
  status: "sent" | "delivered";
  /** When it was first shown. */
  firstAt: number;
}
