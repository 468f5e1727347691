/**
 * What the channels page and the API both do to a channel: add, rename,
 * turn on and off, pair, log out, pace, delete. Each operation starts or
 * stops the channel and tells open pages (`channel.changed`) in one place.
 */
import { AppError } from "../core/app_error.ts";
import type { Clock } from "../core/clock.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import type { PacingInput } from "../core/channel_input.ts";
import type { SandboxTiming } from "../core/sandbox_timing.ts";
import type { SecretBox } from "../core/secret_box.ts";
import type { Actor } from "../db/audit_log.ts";
import {
  type Channel,
  createChannel,
  deleteChannel,
  renameChannel,
  requireChannel,
  setChannelEnabled,
  updateChannelOptions,
} from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import { setChannelDepartments } from "../db/departments.ts";
import type { EventBus } from "../sessions/events.ts";
import type { Outbox } from "../sessions/outbox.ts";
import type { ChannelRegistry } from "../sessions/registry.ts";
import type { SandboxReply } from "../sessions/sandbox.ts";
import { checkTelegramToken } from "../sessions/telegram.ts";

export interface ChannelServiceDeps {
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  registry: ChannelRegistry;
  events: EventBus;
  outbox: Outbox;
  telegramApiRoot: string;
}

/** A channel to add; `phone` (E.164 digits) for WhatsApp, `token` for Telegram. */
export interface ChannelToAdd {
  kind: ChannelKind;
  name: string;
  phone?: string;
  token?: string;
}

/** Why a channel cannot be paired now; `undefined` when pairing started. */
export type PairRefusal = "not_whatsapp" | "disabled" | "connected";

/** The operations on channels. */
export class ChannelService {
  constructor(private readonly deps: ChannelServiceDeps) {}

  /**
   * Adds and starts a channel. A bot token Telegram refuses (or cannot be
   * checked) is a 422 on `token`; a number already in use a 409 on `phone`.
   */
  async add(actor: Actor, input: ChannelToAdd): Promise<Channel> {
    const { db, clock, secretBox, registry } = this.deps;
    let sealedSecret: string | undefined;
    let botUsername: string | undefined;
    if (input.kind === "telegram") {
      const check = await checkTelegramToken(input.token ?? "", this.deps.telegramApiRoot);
      if (!check.ok) {
        const unreachable = check.problem === "unreachable";
        throw new AppError(
          unreachable ? 503 : 422,
          unreachable ? "telegram_unreachable" : "invalid_input",
          check.reason,
          { token: unreachable ? "err.telegram_unreachable" : "err.bot_token" },
        );
      }
      sealedSecret = await secretBox.seal(input.token!);
      botUsername = check.username;
    }
    const channel = await createChannel(db, clock, actor, {
      kind: input.kind,
      name: input.name,
      phone: input.kind === "whatsapp" ? input.phone : undefined,
      sealedSecret,
      botUsername,
    });
    await registry.start(channel.id);
    this.#changed(channel.id);
    return channel;
  }

  async rename(actor: Actor, id: number, name: string): Promise<void> {
    await renameChannel(this.deps.db, this.deps.clock, actor, id, name);
    this.#changed(id);
  }

  /** Turns a channel on (it starts) or off (it stops; its queue waits). */
  async setEnabled(actor: Actor, id: number, enabled: boolean): Promise<Channel> {
    const { db, clock, registry } = this.deps;
    const channel = await requireChannel(db, id);
    await setChannelEnabled(db, clock, actor, id, enabled);
    if (enabled) await registry.start(id);
    else await registry.stop(id);
    this.#changed(id);
    return channel;
  }

  /** Starts pairing a WhatsApp channel (a new QR code), unless it cannot be paired now. */
  async pair(id: number): Promise<PairRefusal | undefined> {
    const channel = await requireChannel(this.deps.db, id);
    if (channel.kind !== "whatsapp") return "not_whatsapp";
    if (!channel.enabled) return "disabled";
    if (this.deps.registry.live(id)?.status === "connected") return "connected";
    await this.deps.registry.start(id);
  }

  /** A code to type on the phone instead of scanning the QR code; 409 when not possible now. */
  pairingCode(channel: Channel): Promise<string> {
    const live = this.deps.registry.live(channel.id);
    if (channel.kind !== "whatsapp") {
      throw new AppError(409, "not_whatsapp", "Only WhatsApp channels are paired with a code");
    }
    if (live?.status === "connected") {
      throw new AppError(409, "already_connected", "The channel is already paired and connected");
    }
    if (live?.status !== "qr") {
      throw new AppError(409, "not_ready", "WhatsApp is not ready to pair yet; try again shortly", {
        status: live?.status ?? channel.status,
      });
    }
    return this.deps.registry.requestPairingCode(channel.id);
  }

  /** Logs the channel out (on the phone too when it can); `remote` says whether it could. */
  logout(id: number): Promise<{ remote: boolean }> {
    return this.deps.registry.logout(id);
  }

  /**
   * New pacing: the dispatcher looks at the queue again with it. `readReceipts`
   * (WhatsApp): whether opening a conversation sends read receipts; unchanged when not given.
   */
  async setPacing(
    actor: Actor,
    id: number,
    pacing: Partial<PacingInput>,
    readReceipts?: boolean,
  ) {
    await updateChannelOptions(this.deps.db, this.deps.clock, actor, id, {
      pacing,
      ...(readReceipts === undefined ? {} : { read_receipts: readReceipts }),
    });
    this.deps.outbox.wake(id);
    this.#changed(id);
  }

  /**
   * The departments the channel belongs to (none: every agent sees its
   * conversations without a department); 422 on `departments` for an id that is none.
   */
  async setDepartments(
    actor: Actor,
    id: number,
    departmentIds: readonly number[],
  ): Promise<Array<{ id: number; name: string }>> {
    const channel = await requireChannel(this.deps.db, id);
    const chosen = await setChannelDepartments(
      this.deps.db,
      this.deps.clock,
      actor,
      channel,
      departmentIds,
    );
    this.#changed(id);
    return chosen;
  }

  /** A sandbox's simulated delivery and read times; a running sandbox restarts with them. */
  async setSandboxTiming(actor: Actor, channel: Channel, timing: Partial<SandboxTiming>) {
    await updateChannelOptions(this.deps.db, this.deps.clock, actor, channel.id, { ...timing });
    if (channel.enabled) await this.deps.registry.start(channel.id);
    this.#changed(channel.id);
  }

  /** A message "from" someone on a sandbox channel; 503 when the sandbox is not running. */
  simulateInbound(channel: Channel, reply: SandboxReply): Promise<{ externalId: string }> {
    if (this.deps.registry.live(channel.id)?.status !== "connected") {
      throw new AppError(
        503,
        "channel_unavailable",
        `Sandbox channel ${channel.id} is not running`,
      );
    }
    return this.deps.registry.simulateInbound(channel.id, reply);
  }

  /**
   * Deletes a channel: a WhatsApp device is logged out (on the phone too when
   * it is connected), the adapter stops, waiting messages fail, history stays.
   */
  async remove(
    actor: Actor,
    channel: Channel,
  ): Promise<{ failedMessages: number; loggedOutOnPhone: boolean }> {
    const { db, clock, registry } = this.deps;
    const { remote } = channel.kind === "whatsapp"
      ? await registry.logout(channel.id)
      : { remote: true };
    await registry.stop(channel.id);
    const { failedMessages } = await deleteChannel(db, clock, actor, channel.id);
    this.#changed(channel.id);
    return { failedMessages, loggedOutOnPhone: remote };
  }

  #changed(channelId: number): void {
    this.deps.events.publish({ type: "channel.changed", channelId });
  }
}
