/**
 * The inbound pipeline: a message a channel received is stored (its file
 * first), then handed to each step in turn — the pages hear of it, and
 * automation adds its own steps. A step that fails is logged and the next
 * one still runs: the message is stored either way.
 */
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { Db } from "../db/client.ts";
import { asDiskFull, LOW_SPACE } from "../db/errors.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { saveMedia } from "../db/media.ts";
import { recordInbound } from "../db/messages.ts";
import type { InboundMessage } from "./channel.ts";
import type { EventBus } from "./events.ts";

export interface InboundDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  writer: GroupCommit;
  events: EventBus;
  dataDir: string;
}

/** A message as stored: where it is, and what came in. */
export interface StoredInbound {
  channelId: number;
  conversationId: number;
  contactId: number;
  messageId: number;
  /** The conversation is new, or reopens: staff are told. */
  opened: boolean;
  message: InboundMessage;
}

/** A step run for each newly stored message, in the order the steps were added. */
export type InboundStep = (stored: StoredInbound) => void | Promise<void>;

export class InboundPipeline {
  readonly #steps: { name: string; step: InboundStep }[] = [];

  constructor(private readonly deps: InboundDeps) {
    this.use(
      "live pages",
      ({ channelId, conversationId, messageId, opened }) =>
        deps.events.publish({
          type: "message.inbound",
          channelId,
          conversationId,
          messageId,
          ...(opened ? { opened } : {}),
        }),
    );
  }

  /** Adds a step after the others; `name` says which one failed in the log. */
  use(name: string, step: InboundStep): void {
    this.#steps.push({ name, step });
  }

  /**
   * Stores `message` received on `channelId` and runs the steps; a message
   * already stored (a provider's replay) is left alone. `keep`: the provider
   * will not deliver it again, so with the disk nearly full it is stored
   * without its file rather than not at all.
   */
  async receive(
    channelId: number,
    message: InboundMessage,
    options?: { keep?: boolean },
  ): Promise<void> {
    const { db, clock, log, writer, dataDir } = this.deps;
    let mediaId: string | undefined;
    try {
      mediaId = message.media ? await saveMedia(db, clock, dataDir, message.media) : undefined;
    } catch (e) {
      // The database still has room, files no more: a message the provider will not send
      // again comes in without its file (as an oversized one does) rather than wait in memory.
      if (!options?.keep || asDiskFull(e)?.reason !== LOW_SPACE) throw e;
      log.warn("a received file was not kept: the disk is nearly full", {
        channel_id: channelId,
        external_id: message.externalId,
        bytes: message.media!.data.byteLength,
      });
    }
    const recorded = await recordInbound(db, writer, clock, {
      channelId,
      externalId: message.externalId,
      from: message.from,
      type: message.type,
      text: message.text,
      mediaId,
      at: message.at,
    });
    if (recorded.duplicate) return;
    const { conversationId, contactId, messageId, opened } = recorded;
    const stored = { channelId, conversationId, contactId, messageId, opened, message };
    for (const { name, step } of this.#steps) {
      try {
        await step(stored);
      } catch (e) {
        log.error("an inbound step failed", {
          step: name,
          channel_id: channelId,
          messageId,
          error: String(e),
        });
      }
    }
  }
}
