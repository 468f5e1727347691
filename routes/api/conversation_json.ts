/**
 * Conversations, thread entries and labels as the JSON API answers them,
 * typed by the zod schemas of core/api_conversations.ts that the OpenAPI
 * document shows.
 */
import type {
  ConversationJson,
  MessageJson,
  ThreadEntryJson,
} from "../../core/api_conversations.ts";
import { activitySentence } from "../../core/activity_text.ts";
import { plainExcerpt } from "../../core/search_excerpt.ts";
import type { TimelineEntry } from "../../db/conversation_timeline.ts";
import type { ConversationRow } from "../../db/conversations.ts";
import type { Label } from "../../db/labels.ts";
import { messageJson } from "../../db/message_json.ts";
import type { MessageView } from "../../db/messages.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** A message as `/api/v1/messages` answers it, typed. */
export function typedMessageJson(view: MessageView): MessageJson {
  return messageJson(view);
}

export function labelJson(label: Label) {
  return { id: label.id, name: label.name, color: label.color };
}

export function conversationJson(row: ConversationRow): ConversationJson {
  return {
    id: row.id,
    channel: row.channel.id,
    status: row.status,
    contact: {
      id: row.contact.id,
      name: row.contact.name,
      phone: row.contact.phone,
      telegram_chat_id: row.contact.telegramChatId,
    },
    assignee: row.assignee,
    department: row.department,
    labels: row.labels.map(labelJson),
    unread_count: row.unreadCount,
    last_message: row.lastMessage && {
      id: row.lastMessage.id,
      direction: row.lastMessage.direction,
      type: row.lastMessage.type,
      text: row.lastMessage.text,
      at: iso(row.lastMessage.at),
    },
    last_activity_at: row.lastActivityAt === null ? null : iso(row.lastActivityAt),
    ...(row.match !== undefined
      ? {
        match: row.match &&
          { message_id: row.match.messageId, excerpt: plainExcerpt(row.match.excerpt) },
      }
      : {}),
  };
}

/** One entry of a thread; a message's JSON comes from `views` (by id). */
export function threadEntryJson(
  entry: TimelineEntry,
  views: Map<number, MessageView>,
): ThreadEntryJson | undefined {
  switch (entry.kind) {
    case "message": {
      const view = views.get(entry.message.id);
      return view && { kind: "message", ...typedMessageJson(view) };
    }
    case "note":
      return {
        kind: "note",
        id: entry.id,
        author: entry.author,
        text: entry.text,
        at: iso(entry.at),
      };
    case "activity":
      return {
        kind: "activity",
        id: entry.id,
        text: activitySentence(entry.activity, entry.actor, entry.details),
        at: iso(entry.at),
      };
  }
}
