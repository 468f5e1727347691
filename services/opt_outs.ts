/**
 * The opt-out list as the pages, the API, broadcasts and the inbound
 * pipeline use it: numbers put on or taken off it (each change audited),
 * the stop words and confirmation reply of Settings, and a received stop
 * word turned into an opt-out with its one confirmation.
 */
import type { Clock } from "../core/clock.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import type { Logger } from "../core/log.ts";
import { isStopWord, MAX_STOP_WORD, type OptOutSettings } from "../core/opt_out.ts";
import { optOutSearchDigits } from "../core/opt_out_input.ts";
import { PRIORITY } from "../core/priority.ts";
import { type Actor, SYSTEM_ACTOR } from "../db/audit_log.ts";
import type { Db } from "../db/client.ts";
import {
  addOptOut,
  getOptOut,
  isOptedOut,
  listOptOuts,
  optedOutAmong,
  type OptOutEntry,
  readOptOutSettings,
  removeOptOut,
  saveOptOutSettings,
} from "../db/opt_outs.ts";
import type { StoredInbound } from "../sessions/inbound.ts";
import type { MessageService } from "./messages.ts";

export interface OptOutServiceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Queues the confirmation reply through the outbox. */
  messages: MessageService;
  /** The region of numbers typed without a country code. */
  phoneRegion: string;
}

export class OptOutService {
  constructor(private readonly deps: OptOutServiceDeps) {}

  /**
   * One page of the list, newest first. `q` is part of a number in any form
   * (`0812 3456`, `+62 812…`, `4567`) or, without digits, of a contact's name.
   */
  list(
    q: string | undefined,
    options: { cursor?: KeysetPosition; limit: number },
  ): Promise<{ rows: OptOutEntry[]; next?: KeysetPosition }> {
    const text = (q ?? "").replace(/\p{Cc}+/gu, " ").trim();
    const digits = text === "" ? undefined : optOutSearchDigits(text, this.deps.phoneRegion);
    const filter = digits !== undefined
      ? { digits }
      : text !== ""
      ? { name: text.slice(0, 100) }
      : {};
    return listOptOuts(this.deps.db, filter, options);
  }

  /** The entry of a number (E.164 digits), or undefined when it is not on the list. */
  get(phone: string): Promise<OptOutEntry | undefined> {
    return getOptOut(this.deps.db, phone);
  }

  /** Whether a number (E.164 digits) is on the list. */
  isOptedOut(phone: string): Promise<boolean> {
    return isOptedOut(this.deps.db, phone);
  }

  /** Which of `phones` (E.164 digits) are on the list, in a few queries however many. */
  optedOutAmong(phones: readonly string[]): Promise<Set<string>> {
    return optedOutAmong(this.deps.db, phones);
  }

  /**
   * Puts a number (E.164 digits) on the list, by staff or an API key. A
   * number already there stays as it was (`added: false`).
   */
  add(
    actor: Actor,
    phone: string,
    source: "staff" | "api",
  ): Promise<{ entry: OptOutEntry; added: boolean }> {
    return addOptOut(this.deps.db, this.deps.clock, actor, {
      phone,
      source,
      createdBy: source === "staff" ? actor.userId : null,
    });
  }

  /** Takes a number off the list: its entry as it was, or undefined when it was not there. */
  remove(actor: Actor, phone: string): Promise<OptOutEntry | undefined> {
    return removeOptOut(this.deps.db, this.deps.clock, actor, phone);
  }

  /** The stop words and the confirmation reply. */
  settings(): Promise<OptOutSettings> {
    return readOptOutSettings(this.deps.db);
  }

  /** Changes the stop words and the confirmation reply (audited). */
  saveSettings(actor: Actor, settings: OptOutSettings): Promise<OptOutSettings> {
    return saveOptOutSettings(this.deps.db, this.deps.clock, actor, settings);
  }

  /**
   * The inbound step: a received text that is exactly a stop word puts the
   * sender's number on the list (source `reply`), and, when the number was
   * not on it yet and the confirmation is on, queues the confirmation once.
   * A sender without a phone number (a Telegram chat, a WhatsApp sender
   * known only by its LID) is left alone: the list holds numbers.
   */
  async receive(stored: StoredInbound): Promise<void> {
    const { message } = stored;
    const text = message.text;
    if (message.type !== "text" || text === undefined || text.length > MAX_STOP_WORD * 4) return;
    if (text.trim() === "") return;
    const settings = await this.settings();
    if (!isStopWord(text, settings.stopWords)) return;
    const { rows } = await this.deps.db.$client.execute({
      sql: "SELECT phone FROM contacts WHERE id = ?",
      args: [stored.contactId],
    });
    const phone = rows[0]?.phone;
    if (phone === null || phone === undefined) return;
    const { added } = await addOptOut(this.deps.db, this.deps.clock, SYSTEM_ACTOR, {
      phone: String(phone),
      source: "reply",
      messageId: stored.messageId,
    });
    if (!added || !settings.confirm) return;
    await this.deps.messages.send(
      { source: "auto_reply", priority: PRIORITY.autoReply },
      {
        to: `contact:${stored.contactId}`,
        channel: stored.channelId,
        type: "text",
        text: settings.confirmText,
      },
    );
  }
}
