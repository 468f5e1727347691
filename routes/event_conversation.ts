/**
 * The conversation an event is about, read once per event however many open
 * pages ask (every live list and every staff member's notices hear the same
 * event object).
 */
import type { Db } from "../db/client.ts";
import { type ConversationDetail, getConversation } from "../db/conversations.ts";
import type { KabarEvent } from "../sessions/events.ts";

const read = new WeakMap<KabarEvent, Promise<ConversationDetail | undefined>>();

export function eventConversation(
  db: Db,
  event: KabarEvent,
  conversationId: number,
): Promise<ConversationDetail | undefined> {
  let pending = read.get(event);
  if (!pending) {
    pending = getConversation(db, conversationId);
    read.set(event, pending);
  }
  return pending;
}
