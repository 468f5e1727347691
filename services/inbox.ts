/**
 * What staff do in the inbox: find conversations, reply (text, a file, a
 * quick reply), start a conversation, send a failed message again, leave
 * notes for each other, and assign, label, hold or resolve. A reply is an
 * ordinary outbox message, first in line (`reply` priority), written by the
 * staff member; it is activity: the conversation moves up the list. Every
 * change to a conversation leaves a system line in its thread and tells
 * open pages.
 */
import { conflict, invalidInput, notFound } from "../core/app_error.ts";
import type { SendMessageInput } from "../core/api_messages.ts";
import type { Clock } from "../core/clock.ts";
import type { Viewer } from "../core/conversation_visibility.ts";
import type { ConversationStatus } from "../core/conversation_status.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import { checkMedia } from "../core/media_type.ts";
import type { MediaMessageType } from "../core/message_type.ts";
import { mentionedUsernames } from "../core/mentions.ts";
import { PRIORITY } from "../core/priority.ts";
import { searchQuery } from "../core/search_query.ts";
import { toBase64 } from "../core/tokens.ts";
import type { Db } from "../db/client.ts";
import { searchConversations } from "../db/conversation_search.ts";
import { addNote, type ConversationActor } from "../db/conversation_timeline.ts";
import {
  assignConversation,
  type ConversationFilter,
  type ConversationPage,
  listConversations,
  markConversationUnread,
  recordStaffReply,
  setConversationDepartment,
  setConversationStatus,
} from "../db/conversations.ts";
import { getDepartment } from "../db/departments.ts";
import { addConversationLabel, labelNamed, removeConversationLabel } from "../db/labels.ts";
import { failedMessageToRetry, type MessageView } from "../db/messages.ts";
import { getUser, listUsers } from "../db/users.ts";
import type { EventBus } from "../sessions/events.ts";
import type { MessageService, Sender } from "./messages.ts";

export interface InboxServiceDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  messages: MessageService;
}

/** The conversation being worked on: where, and with whom. */
export interface ReplyTarget {
  id: number;
  channelId: number;
  contactId: number;
}

/** A member of staff acting in the inbox. */
export interface StaffMember {
  id: number;
  /** Their display name, as system lines show it. */
  name: string;
}

/** What a reply carries: text, a file with an optional caption, or both. */
export interface ReplyContent {
  text?: string;
  file?: { bytes: Uint8Array; fileName: string; mimeType: string };
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

  /** Queues a reply to the conversation's patient on its channel, as written by `author`. */
  async reply(
    author: StaffMember,
    conversation: ReplyTarget,
    content: ReplyContent,
  ): Promise<MessageView> {
    const file = content.file;
    const input: Omit<SendMessageInput, "to"> = file
      ? {
        type: await mediaTypeOf(file.bytes, file.mimeType, file.fileName),
        media: {
          base64: toBase64(file.bytes),
          filename: file.fileName,
          mimetype: file.mimeType,
        },
        ...(content.text ? { caption: content.text } : {}),
      }
      : { type: "text", text: content.text ?? "" };
    const { view } = await this.deps.messages.send(
      { source: "inbox", priority: PRIORITY.reply, authorId: author.id },
      { ...input, to: `contact:${conversation.contactId}`, channel: conversation.channelId },
    );
    await recordStaffReply(this.deps.db, conversation.id, this.deps.clock.now());
    return view;
  }

  /**
   * Starts a conversation with any number (a contact or not) on a channel: it opens, assigned
   * to `author` unless someone already has it.
   */
  async start(
    author: StaffMember,
    message: { channelId: number; to: string; text?: string; templateId?: number },
  ): Promise<MessageView> {
    const { view } = await this.deps.messages.send(
      { source: "inbox", priority: PRIORITY.reply, authorId: author.id, startsConversation: true },
      {
        to: message.to,
        channel: message.channelId,
        type: "text",
        ...(message.templateId !== undefined
          ? { template: { id: message.templateId, variables: {} } }
          : { text: message.text ?? "" }),
      },
    );
    this.#changed({ id: view.message.conversationId, channelId: message.channelId });
    return view;
  }

  /**
   * Queues a failed message of the conversation again, as a new message marked as its retry;
   * the failed one stays failed. 404 for a message not in the conversation, 409 if not failed.
   */
  async retry(author: StaffMember, conversation: ReplyTarget, messageId: number) {
    const failed = await failedMessageToRetry(this.deps.db, conversation.id, messageId);
    if (!failed) throw notFound(`No message ${messageId} in this conversation`);
    if (failed.status !== "failed") {
      throw conflict(`Message ${messageId} is ${failed.status}, not failed: nothing to retry`);
    }
    const input: Omit<SendMessageInput, "to"> = failed.mediaId
      ? {
        type: failed.type as Exclude<SendMessageInput["type"], "text">,
        media: { id: failed.mediaId },
        ...(failed.body ? { caption: failed.body } : {}),
      }
      : { type: "text", text: failed.body ?? "" };
    const { view } = await this.deps.messages.send(
      { source: "inbox", priority: PRIORITY.reply, authorId: author.id, retryOfId: failed.id },
      { ...input, to: `contact:${conversation.contactId}`, channel: conversation.channelId },
    );
    return view;
  }

  /** Opens, holds or resolves the conversation (a patient's next message reopens it). */
  async setStatus(
    actor: ConversationActor,
    conversation: ReplyTarget,
    status: ConversationStatus,
  ): Promise<void> {
    const now = this.deps.clock.now();
    if (await setConversationStatus(this.deps.db, conversation.id, status, actor, now)) {
      this.#changed(conversation);
    }
  }

  /** Gives the conversation to a staff member with an active account (422 otherwise), or to nobody. */
  async assign(
    actor: ConversationActor,
    conversation: ReplyTarget,
    assigneeId: number | null,
  ): Promise<void> {
    let assignee: StaffMember | null = null;
    if (assigneeId !== null) {
      const user = await getUser(this.deps.db, assigneeId);
      if (!user || user.disabledAt !== null) {
        throw invalidInput(`No active staff member with id ${assigneeId}`, {
          assignee: "err.assignee",
        });
      }
      assignee = { id: user.id, name: user.displayName };
    }
    const now = this.deps.clock.now();
    if (await assignConversation(this.deps.db, conversation.id, assignee, actor, now)) {
      this.#changed(conversation);
      if (assignee && assignee.id !== actor.userId) {
        this.deps.events.publish({
          type: "staff.assigned",
          channelId: conversation.channelId,
          conversationId: conversation.id,
          userId: assignee.id,
          by: actor.name,
        });
      }
    }
  }

  /** Puts the conversation in a department (422 for one that does not exist), or in none. */
  async setDepartment(
    actor: ConversationActor,
    conversation: ReplyTarget,
    departmentId: number | null,
  ): Promise<void> {
    let department: { id: number; name: string } | null = null;
    if (departmentId !== null) {
      try {
        department = await getDepartment(this.deps.db, departmentId);
      } catch {
        throw invalidInput(`No department with id ${departmentId}`, {
          department: "err.department_choice",
        });
      }
    }
    const now = this.deps.clock.now();
    if (await setConversationDepartment(this.deps.db, conversation.id, department, actor, now)) {
      this.#changed(conversation);
    }
  }

  /** Marks the conversation unread again, to come back to it. */
  async markUnread(conversation: ReplyTarget): Promise<void> {
    if (await markConversationUnread(this.deps.db, conversation.id, this.deps.clock.now())) {
      this.#changed(conversation);
    }
  }

  /** Puts a label on the conversation: an existing one, or one made by name (reused if it exists). */
  async label(
    actor: ConversationActor,
    conversation: ReplyTarget,
    choice: { labelId: number } | { name: string; color: string },
  ): Promise<void> {
    const now = this.deps.clock.now();
    const labelId = "labelId" in choice
      ? choice.labelId
      : (await labelNamed(this.deps.db, choice.name, choice.color, now)).id;
    if (!(await addConversationLabel(this.deps.db, conversation.id, labelId, actor, now))) {
      throw invalidInput(`No label with id ${labelId}`, { label: "err.label_choice" });
    }
    this.#changed(conversation);
  }

  async unlabel(actor: ConversationActor, conversation: ReplyTarget, labelId: number) {
    await removeConversationLabel(
      this.deps.db,
      conversation.id,
      labelId,
      actor,
      this.deps.clock.now(),
    );
    this.#changed(conversation);
  }

  /** Tells the others that `staff` has the conversation open (typing, or gone). */
  present(
    staff: StaffMember,
    conversationId: number,
    state: { typing: boolean; left?: boolean },
  ): void {
    this.deps.events.publish({
      type: "conversation.presence",
      conversationId,
      userId: staff.id,
      name: staff.name,
      typing: state.typing,
      ...(state.left ? { left: true } : {}),
    });
  }

  #changed(conversation: { id: number; channelId: number }): void {
    this.deps.events.publish({
      type: "conversation.changed",
      channelId: conversation.channelId,
      conversationId: conversation.id,
    });
  }

  /**
   * Sends `input` to the conversation's contact on its channel as the API key of `sender`
   * asks (its idempotency key as on `/api/v1/messages`: a replay answers the earlier
   * message and changes nothing). A new message is activity: the conversation moves up.
   */
  async sendToConversation(
    sender: Pick<Sender, "apiKeyId" | "onlyChannelId" | "privateNetwork">,
    conversation: ReplyTarget,
    input: Omit<SendMessageInput, "to" | "channel">,
  ): Promise<{ view: MessageView; replay: boolean }> {
    const sent = await this.deps.messages.send(
      { ...sender, source: "api", priority: PRIORITY.api },
      { ...input, to: `contact:${conversation.contactId}`, channel: conversation.channelId },
    );
    if (!sent.replay) {
      await recordStaffReply(this.deps.db, conversation.id, this.deps.clock.now());
      this.#changed(conversation);
    }
    return sent;
  }

  /**
   * A private note for staff, never sent, by a staff member or an API key. Every active
   * colleague named as `@username` is told (if they may see the conversation, their pages
   * decide).
   */
  async note(actor: ConversationActor, conversation: ReplyTarget, text: string): Promise<number> {
    const named = new Set(mentionedUsernames(text));
    const mentioned = named.size === 0
      ? []
      : (await listUsers(this.deps.db)).filter((u) =>
        named.has(u.username) && !u.disabledAt && u.id !== actor.userId
      );
    const noteId = await addNote(this.deps.db, {
      conversationId: conversation.id,
      authorId: actor.userId,
      authorName: actor.name,
      text,
      mentionIds: mentioned.map((u) => u.id),
    }, this.deps.clock.now());
    this.#changed(conversation);
    if (mentioned.length > 0) {
      this.deps.events.publish({
        type: "staff.mentioned",
        channelId: conversation.channelId,
        conversationId: conversation.id,
        userIds: mentioned.map((u) => u.id),
        by: actor.name,
      });
    }
    return noteId;
  }
}

/**
 * The kind of message a file goes out as: a picture, a sound or a film the phone shows or
 * plays as one; anything else (a HEIC photo, a spreadsheet) as a document.
 */
async function mediaTypeOf(
  bytes: Uint8Array,
  mimeType: string,
  fileName: string,
): Promise<MediaMessageType> {
  const kind = (["image", "audio", "video"] as const).find((k) => mimeType.startsWith(`${k}/`));
  if (kind && (await checkMedia(kind, bytes, mimeType, fileName)).ok) return kind;
  return "document";
}
