/**
 * Who has a conversation open, and who is typing in it, as every process
 * hears it on the bus (`conversation.presence`, sent by each open thread
 * page every few seconds): so a second agent sees "Rina is replying…"
 * before answering the same patient. An entry not heard again soon is gone.
 */
import type { Clock } from "../core/clock.ts";
import type { EventBus } from "./events.ts";

/** A page says it is there this often; past twice that, it is gone. */
export const PRESENCE_EVERY_MS = 10_000;
const PRESENT_FOR_MS = 2 * PRESENCE_EVERY_MS + 2_000;
/** Typing shows this long after the last key. */
const TYPING_FOR_MS = 6_000;

export interface Presence {
  userId: number;
  name: string;
  typing: boolean;
}

interface Entry {
  name: string;
  seenAt: number;
  typedAt: number | null;
}

export class PresenceBoard {
  #conversations = new Map<number, Map<number, Entry>>();
  #unsubscribe: () => void;

  constructor(events: EventBus, private readonly clock: Clock) {
    this.#unsubscribe = events.subscribe((event) => {
      if (event.type !== "conversation.presence") return;
      const people = this.#conversations.get(event.conversationId) ?? new Map<number, Entry>();
      if (event.left) people.delete(event.userId);
      else {
        const now = this.clock.now();
        const before = people.get(event.userId);
        people.set(event.userId, {
          name: event.name,
          seenAt: now,
          typedAt: event.typing ? now : before?.typedAt ?? null,
        });
      }
      if (people.size === 0) this.#conversations.delete(event.conversationId);
      else this.#conversations.set(event.conversationId, people);
    });
  }

  /** Who else is in the conversation now (not `exceptUserId`), typing first, then by name. */
  in(conversationId: number, exceptUserId: number): Presence[] {
    const people = this.#conversations.get(conversationId);
    if (!people) return [];
    const now = this.clock.now();
    const present: Presence[] = [];
    for (const [userId, entry] of people) {
      if (now - entry.seenAt > PRESENT_FOR_MS) {
        people.delete(userId);
        continue;
      }
      if (userId === exceptUserId) continue;
      const typing = entry.typedAt !== null && now - entry.typedAt <= TYPING_FOR_MS;
      present.push({ userId, name: entry.name, typing });
    }
    if (people.size === 0) this.#conversations.delete(conversationId);
    return present.sort((a, b) =>
      Number(b.typing) - Number(a.typing) || a.name.localeCompare(b.name)
    );
  }

  close(): void {
    this.#unsubscribe();
  }
}
