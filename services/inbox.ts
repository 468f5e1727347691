/**
 * What staff do in the inbox: reply to a patient. A reply is an ordinary
 * outbox message, first in line (`reply` priority), written by the staff
 * member, and it is activity: the conversation moves up the list.
 */
import { invalidInput } from "../core/app_error.ts";
import { PRIORITY } from "../core/priority.ts";
import { getUser } from "../db/users.ts";
import { addConversationLabel, labelNamed, removeConversationLabel } from "../db/labels.ts";
import type { Clock } from "../core/clock.ts";
import type { Db } from "../db/client.ts";
import {
  assignConversation,
  type ConversationFilter,
  type ConversationPage,
  listConversations,
  recordStaffReply,
  setConversationStatus,
} from "../db/conversations.ts";
import { searchConversations } from "../db/conversation_search.ts";
import { searchQuery } from "../core/search_query.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import type { Viewer } from "../core/conversation_visibility.ts";
import type { ConversationStatus } from "../core/conversation_status.ts";
import type { EventBus } from "../sessions/events.ts";
import type { MessageView } from "../db/messages.ts";
import type { MessageService } from "./messages.ts";

export interface InboxServiceDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
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

  /** A page of the conversations `viewer` may see that pass `filter` (a search when it has a query). */
  conversations(
    viewer: Viewer,
    filter: ConversationFilter,
    page: { cursor?: KeysetPosition; limit: number },
  ): Promise<ConversationPage> {
    return filter.query
      ? searchConversations(this.deps.db, viewer, filter, searchQuery(filter.query), page)
      : listConversations(this.deps.db, viewer, filter, page);
  }

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

  /** Opens, holds or resolves the conversation (a patient's next message reopens it). */
  async setStatus(conversation: ReplyTarget, status: ConversationStatus): Promise<void> {
    if (await setConversationStatus(this.deps.db, conversation.id, status, this.deps.clock.now())) {
      this.#changed(conversation);
    }
  }

  /** Gives the conversation to a staff member with an active account (422 otherwise), or to nobody. */
  async assign(conversation: ReplyTarget, assigneeId: number | null): Promise<void> {
    if (assigneeId !== null) {
      const user = await getUser(this.deps.db, assigneeId);
      if (!user || user.disabledAt !== null) {
        throw invalidInput(`No active staff member with id ${assigneeId}`, {
          assignee: "err.assignee",
        });
      }
    }
    if (
      await assignConversation(this.deps.db, conversation.id, assigneeId, this.deps.clock.now())
    ) {
      this.#changed(conversation);
    }
  }

  /** Puts a label on the conversation: an existing one, or one made by name (reused if it exists). */
  async label(
    conversation: ReplyTarget,
    choice: { labelId: number } | { name: string; color: string },
  ): Promise<void> {
    const labelId = "labelId" in choice
      ? choice.labelId
      : (await labelNamed(this.deps.db, choice.name, choice.color, this.deps.clock.now())).id;
    if (!(await addConversationLabel(this.deps.db, conversation.id, labelId))) {
      throw invalidInput(`No label with id ${labelId}`, { label: "err.label_choice" });
    }
    this.#changed(conversation);
  }

  async unlabel(conversation: ReplyTarget, labelId: number): Promise<void> {
    await removeConversationLabel(this.deps.db, conversation.id, labelId);
    this.#changed(conversation);
  }

  #changed(conversation: ReplyTarget): void {
    this.deps.events.publish({
      type: "conversation.changed",
      channelId: conversation.channelId,
      conversationId: conversation.id,
    });
  }
}
