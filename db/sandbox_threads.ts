import { and, desc, eq, inArray } from "drizzle-orm";
import type { MessageDirection } from "../core/message_direction.ts";
import type { Db } from "./client.ts";
import { contacts, conversations, messages } from "./schema.ts";

/** How much of each simulated phone the sandbox page shows. */
const THREADS = 20;
const MESSAGES_PER_THREAD = 50;

/** One simulated phone of a sandbox channel, oldest message first. */
export interface SandboxThreadRow {
  phone: string;
  name: string | null;
  messages: Array<{
    id: number;
    direction: MessageDirection;
    type: string;
    body: string | null;
    status: string;
    at: number;
  }>;
}

/** The people a sandbox channel talked with, most recent first, with their last messages. */
export async function listSandboxThreads(db: Db, channelId: number): Promise<SandboxThreadRow[]> {
  const threads = await db.select({
    id: conversations.id,
    phone: contacts.phone,
    name: contacts.name,
    pushName: contacts.pushName,
  }).from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.channelId, channelId))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(THREADS);
  if (threads.length === 0) return [];
  const rows = await db.select({
    id: messages.id,
    conversationId: messages.conversationId,
    direction: messages.direction,
    type: messages.type,
    body: messages.body,
    status: messages.status,
    at: messages.createdAt,
  }).from(messages)
    .where(and(
      eq(messages.channelId, channelId),
      inArray(messages.conversationId, threads.map((t) => t.id)),
    ))
    .orderBy(desc(messages.id))
    .limit(THREADS * MESSAGES_PER_THREAD);
  return threads.map((thread) => ({
    phone: thread.phone ?? "",
    name: thread.name ?? thread.pushName,
    messages: rows.filter((m) => m.conversationId === thread.id)
      .slice(0, MESSAGES_PER_THREAD)
      .reverse()
      .map(({ conversationId: _, ...m }) => m),
  }));
}
