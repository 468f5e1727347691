/**
 * What staff do in the inbox: reply to a patient. A reply is an ordinary
 * outbox message, first in line (`reply` priority), written by the staff
 * member, and it is activity: the conversation moves up the list.
 */
import { PRIORITY } from "../core/priority.ts";
import type { Clock } from "../core/clock.ts";
import type { Db } from "../db/client.ts";
import { recordStaffReply } from "../db/conversations.ts";
import type { MessageView } from "../db/messages.ts";
import type { MessageService } from "./messages.ts";

export interface InboxServiceDeps {
  db: Db;
  clock: Clock;
  messages: MessageService;
}

/** The conversation being answered: where, and to whom. */
export interface ReplyTarget {
  id: number;
  channelId: number;
  contactId: number;
}

export class InboxService {
  constructor(private readonly deps: InboxServiceDeps) {}

  /** Queues `text` to the conversation's patient on its channel, as written by `authorId`. */
  async reply(authorId: number, conversation: ReplyTarget, text: string): Promise<MessageView> {
    const { view } = await this.deps.messages.send(
      { source: "inbox", priority: PRIORITY.reply, authorId },
      {
        to: `contact:${conversation.contactId}`,
        channel: conversation.channelId,
        type: "text",
        text,
      },
    );
    await recordStaffReply(this.deps.db, conversation.id, this.deps.clock.now());
    return view;
  }
}
