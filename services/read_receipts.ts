/**
 * Read receipts when staff open a conversation: the patient's unread
 * messages are marked read on the channel (WhatsApp's blue ticks), unless
 * the channel's `read_receipts` option is off. It never holds up or fails
 * the page that opened the conversation: it runs on its own and a failure
 * is logged.
 */
import type { Logger } from "../core/log.ts";
import { MAX_READ_RECEIPTS, readReceiptsOn } from "../core/read_receipts.ts";
import { getChannel, parseChannelOptions } from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import { unreadInboundMessages } from "../db/unread_inbound.ts";
import type { ChannelRegistry } from "../sessions/registry.ts";

export interface ReadReceiptServiceDeps {
  db: Db;
  log: Logger;
  registry: ChannelRegistry;
}

/** The conversation opened, as read before it was marked read (its unread count then). */
export interface OpenedConversation {
  id: number;
  channel: { id: number };
  unreadCount: number;
}

export class ReadReceiptService {
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly deps: ReadReceiptServiceDeps) {}

  /**
   * Staff opened the conversation: its `unreadCount` newest messages from the
   * patient are marked read on the channel. Starts the work and answers a
   * promise of its end that never rejects (callers need not wait for it).
   */
  opened(conversation: OpenedConversation): Promise<void> {
    if (conversation.unreadCount <= 0) return Promise.resolve();
    const work: Promise<void> = this.#send(conversation)
      .catch((e) =>
        this.deps.log.warn("read receipts not sent", {
          conversation_id: conversation.id,
          channel_id: conversation.channel.id,
          error: e instanceof Error ? e.message : String(e),
        })
      )
      .finally(() => this.#pending.delete(work));
    this.#pending.add(work);
    return work;
  }

  /** Resolves once the receipts started so far are sent or given up. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async #send(conversation: OpenedConversation): Promise<void> {
    const { db, registry, log } = this.deps;
    const channelId = conversation.channel.id;
    if (!registry.adapter(channelId)?.markRead) return;
    const channel = await getChannel(db, channelId);
    if (!channel || !readReceiptsOn(parseChannelOptions(channel.options))) return;
    const unread = await unreadInboundMessages(
      db,
      conversation.id,
      Math.min(conversation.unreadCount, MAX_READ_RECEIPTS),
    );
    const sent = await registry.markRead(
      channelId,
      unread.map((m) => ({
        externalId: m.externalId,
        from: { ...(m.phone ? { phone: m.phone } : {}), ...(m.waLid ? { waLid: m.waLid } : {}) },
      })),
    );
    if (sent) {
      log.debug("read receipts sent", { conversation_id: conversation.id, count: unread.length });
    }
  }
}
