/**
 * The registry runs one adapter per enabled channel: it starts them at boot,
 * wires their callbacks to the database and the event bus, restarts a failed
 * adapter with capped exponential backoff, and stops them all on shutdown.
 */
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/log.ts";
import type { SecretBox } from "../core/secret_box.ts";
import { channelAuthStore } from "../db/channel_auth.ts";
import { sandboxLedger } from "../db/sandbox_ledger.ts";
import {
  claimChannel,
  listUnclaimedChannels,
  releaseChannel,
  renewLeases,
} from "../db/channel_leases.ts";
import {
  type Channel,
  clearChannelAuth,
  getChannel,
  listEnabledChannels,
  parseChannelOptions,
  setChannelIdentity,
  setChannelStatus,
} from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import { isDiskFull } from "../db/errors.ts";
import type { KeptWrites } from "../db/kept_writes.ts";
import { linkContactLid } from "../db/contacts.ts";
import { applyReceipt, findSentText } from "../db/messages.ts";
import type { AuthStore, ChannelKind, ChannelStatus, StatusReason } from "../core/channel_types.ts";
import type {
  AdapterFactory,
  ChannelAdapter,
  ChannelCallbacks,
  MessageToRead,
  NumberCheck,
  RestartPolicy,
} from "./channel.ts";
import { DEFAULT_MEDIA_MAX_BYTES } from "../core/media_type.ts";
import type { EventBus } from "./events.ts";
import { InboundPipeline } from "./inbound.ts";
import { isSandboxAdapter, type SandboxReply } from "./sandbox.ts";

/** Restart delays: `initialMs`, doubling per failed attempt, at most `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 60_000 };

/** How long WhatsApp keeps a QR code valid: the first one longer, later ones 20 s. */
const FIRST_QR_MS = 60_000;
const NEXT_QR_MS = 20_000;

export interface RegistryDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  secretBox: SecretBox;
  dataDir: string;
  events: EventBus;
  /** Group commit for the bursts of receipts. */
  writer: GroupCommit;
  factories: Record<ChannelKind, AdapterFactory>;
  /** The largest received file kept (default 16 MB). */
  mediaMaxBytes?: number;
  backoff?: Backoff;
  /** This process's name in channel leases (random by default). */
  owner?: string;
  /** How long a claim on a channel lasts without renewal. */
  leaseMs?: number;
  /** Where received messages go (a pipeline with only the live pages' step by default). */
  inbound?: InboundPipeline;
}

/** A process that stops renewing loses its channels to another process after this long. */
export const DEFAULT_LEASE_MS = 30_000;

/** What the pages show of a running channel, beyond its stored row. */
export interface LiveState {
  status: ChannelStatus;
  reason: StatusReason | null;
  qr: { value: string; expiresAt: number } | null;
  pairingCode: string | null;
  /** When the next restart attempt is due, while waiting to retry. */
  retryAt: number | null;
}

interface Slot {
  channelId: number;
  /** Increases on every (re)start; callbacks of an older adapter are ignored. */
  generation: number;
  adapter?: ChannelAdapter;
  failures: number;
  /** The generation whose adapter said its session ended (so a throwing start is not retried twice). */
  closedGeneration: number;
  cancelRetry?: () => void;
  live: LiveState;
  qrCount: number;
  /** The lifecycle operation (start, stop, logout) running now; the next waits for it. */
  queue: Promise<void>;
  /** Inbound messages and LID mappings, recorded one after another in arrival order. */
  inbound: Promise<void>;
  /** This process holds the channel's lease (and so runs it). */
  leased: boolean;
}

/** Runs the channels' adapters. One instance per process. */
export class ChannelRegistry {
  #slots = new Map<number, Slot>();
  #closed = false;
  #cancelWatch?: () => void;
  #stopping = new WeakMap<ChannelAdapter, Promise<void>>();
  readonly #backoff: Backoff;
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #inbound: InboundPipeline;

  constructor(private readonly deps: RegistryDeps) {
    this.#inbound = deps.inbound ?? new InboundPipeline(deps);
    this.#backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.#owner = deps.owner ?? crypto.randomUUID();
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Starts every enabled channel that no other process runs, side by side (a
   * channel that is slow or fails to start never holds up the others), then
   * keeps the leases: renews this process's, stops a channel turned off or
   * taken elsewhere, and takes over channels whose process went away.
   */
  async startAll(): Promise<void> {
    const enabled = await listEnabledChannels(this.deps.db);
    const started = await Promise.allSettled(enabled.map((channel) => this.start(channel.id)));
    // A channel that could not be claimed (the disk is full) is taken by the watch later.
    this.#watch();
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }

  #watch(): void {
    if (this.#closed) return;
    this.#cancelWatch = this.deps.clock.setTimer(this.#leaseMs / 3, () => {
      this.#keepLeases()
        .catch((e) => {
          // A full disk is logged once, when writes start failing; the watch tries again.
          const log = isDiskFull(e) ? this.deps.log.debug : this.deps.log.error;
          log.call(this.deps.log, "channel leases not kept", { error: String(e) });
        })
        .finally(() => this.#watch());
    });
  }

  async #keepLeases(): Promise<void> {
    const { db, clock } = this.deps;
    const mine = [...this.#slots.values()].filter((s) => s.leased).map((s) => s.channelId);
    const kept = new Set(await renewLeases(db, clock, this.#owner, mine, this.#leaseMs));
    for (const id of mine) {
      if (kept.has(id)) continue;
      this.#slot(id).leased = false;
      await this.stop(id);
    }
    for (const id of await listUnclaimedChannels(db, clock)) {
      if (!this.#slots.get(id)?.leased) await this.start(id);
    }
  }

  /**
   * Starts (or restarts) the channel's adapter from its stored row. A disabled
   * or deleted channel is stopped instead. Never throws for an adapter failure:
   * the channel shows the error and is retried with backoff.
   */
  start(channelId: number): Promise<void> {
    const slot = this.#slot(channelId);
    return this.#serially(slot, () => this.#startNow(slot));
  }

  /** Stops the channel's adapter (the channel stays as it is stored). */
  stop(channelId: number): Promise<void> {
    const slot = this.#slot(channelId);
    // A start still connecting (a slow network) is cut short now rather than
    // waited for: adapters abort their start when stopped.
    slot.generation++;
    if (slot.adapter) this.#stopOnce(slot.adapter).catch(() => {});
    return this.#serially(slot, async () => {
      slot.generation++;
      await this.#stopAdapter(slot);
      slot.live = { ...slot.live, qr: null, pairingCode: null, retryAt: null };
      if (slot.leased) {
        slot.leased = false;
        await releaseChannel(this.deps.db, channelId, this.#owner).catch((e) => {
          // On a full disk the lease is left to run out: another process takes it then.
          if (!isDiskFull(e)) throw e;
        });
      }
    });
  }

  /** Stops every adapter and gives up the leases; nothing restarts afterwards. */
  async stopAll(): Promise<void> {
    this.#closed = true;
    this.#cancelWatch?.();
    await Promise.all([...this.#slots.keys()].map((id) => this.stop(id)));
  }

  /**
   * Logs the channel out on the provider's side (the phone shows the device
   * gone), deletes its keys, and leaves it `logged_out`. Answers whether the
   * provider was told; when the channel was not connected, the device must
   * be removed on the phone by hand.
   */
  logout(channelId: number): Promise<{ remote: boolean }> {
    const slot = this.#slot(channelId);
    return this.#serially(slot, async () => {
      const generation = ++slot.generation;
      slot.cancelRetry?.();
      slot.cancelRetry = undefined;
      const adapter = slot.adapter;
      const connected = slot.live.status === "connected";
      slot.adapter = undefined;
      let remote = false;
      if (adapter) {
        try {
          await adapter.logout();
          remote = connected;
        } catch (e) {
          this.deps.log.warn("channel logout failed; forgetting its keys anyway", {
            channel_id: channelId,
            error: String(e),
          });
          await adapter.stop().catch(() => {});
        }
      }
      await clearChannelAuth(this.deps.db, this.deps.clock, channelId);
      await this.#report(slot, generation, "logged_out", "logged_out");
      return { remote };
    });
  }

  /** The running adapter of a channel, if any (for sending and number checks). */
  adapter(channelId: number): ChannelAdapter | undefined {
    return this.#slots.get(channelId)?.adapter;
  }

  /**
   * Checks numbers on the channel when it can now (connected, and able to);
   * undefined when it cannot.
   */
  checkNumbers(channelId: number, phones: string[]): Promise<NumberCheck[]> | undefined {
    const adapter = this.adapter(channelId);
    if (!adapter?.checkNumbers || this.live(channelId)?.status !== "connected") return undefined;
    return adapter.checkNumbers(phones);
  }

  /**
   * Tells the senders their messages were read, when the channel can now
   * (running here, connected, and its provider has read receipts). Answers
   * whether it was sent; a failure of the provider rejects.
   */
  async markRead(channelId: number, messages: MessageToRead[]): Promise<boolean> {
    const adapter = this.adapter(channelId);
    if (messages.length === 0 || !adapter?.markRead) return false;
    if (this.live(channelId)?.status !== "connected") return false;
    await adapter.markRead(messages);
    return true;
  }

  /** What the pages show live (status, QR, pairing code) while the channel runs or retries. */
  live(channelId: number): LiveState | undefined {
    const slot = this.#slots.get(channelId);
    return slot && (slot.adapter || slot.cancelRetry) ? slot.live : undefined;
  }

  /** Asks WhatsApp for a pairing code for the channel's number. */
  async requestPairingCode(channelId: number): Promise<string> {
    const slot = this.#slots.get(channelId);
    const adapter = slot?.adapter;
    if (!slot || !adapter?.requestPairingCode) {
      throw new Error("This channel is not waiting to be paired");
    }
    const code = await adapter.requestPairingCode();
    slot.live = { ...slot.live, pairingCode: code };
    this.deps.events.publish({ type: "channel.pairing_code", channelId, code });
    return code;
  }

  /** A simulated reply on a sandbox channel. */
  async simulateInbound(channelId: number, reply: SandboxReply): Promise<{ externalId: string }> {
    const adapter = this.#slots.get(channelId)?.adapter;
    if (!isSandboxAdapter(adapter)) throw new Error("Not a running sandbox channel");
    return await adapter.receive(reply);
  }

  /** Runs the channel's lifecycle operations one after another, never two at once. */
  #serially<T>(slot: Slot, operation: () => Promise<T>): Promise<T> {
    const result = slot.queue.then(operation);
    slot.queue = result.then(() => {}, () => {});
    return result;
  }

  async #startNow(slot: Slot): Promise<void> {
    if (this.#closed) return;
    const generation = ++slot.generation;
    const channelId = slot.channelId;
    await this.#stopAdapter(slot);
    const channel = await getChannel(this.deps.db, channelId);
    if (!channel || !channel.enabled) {
      await this.#report(slot, generation, "disconnected", channel ? "disabled" : null);
      return;
    }
    slot.leased = await claimChannel(
      this.deps.db,
      this.deps.clock,
      channelId,
      this.#owner,
      this.#leaseMs,
    );
    if (!slot.leased) {
      this.deps.log.debug("channel runs in another process", { channel_id: channelId });
      return;
    }
    slot.qrCount = 0;
    try {
      const adapter = this.deps.factories[channel.kind]({
        channel: {
          id: channel.id,
          kind: channel.kind,
          name: channel.name,
          phone: channel.phone,
          secret: channel.secret ? await this.deps.secretBox.open(channel.secret) : null,
          options: parseChannelOptions(channel.options),
        },
        callbacks: this.#callbacks(slot, generation, channel),
        clock: this.deps.clock,
        log: this.deps.log.with({ channel_id: channelId }),
        authStore: keptAuthStore(
          channelAuthStore(this.deps.db, this.deps.secretBox, channelId),
          this.deps.writer.kept,
          channelId,
        ),
        ledger: sandboxLedger(this.deps.db, this.deps.writer, this.deps.clock, channelId),
        findSentText: (externalId) => findSentText(this.deps.db, channelId, externalId),
        mediaMaxBytes: this.deps.mediaMaxBytes ?? DEFAULT_MEDIA_MAX_BYTES,
      });
      slot.adapter = adapter;
      await this.#report(slot, generation, "connecting", null);
      await adapter.start();
      if (this.#closed) await this.#stopAdapter(slot);
    } catch (e) {
      // An adapter that reported how its session ended (a rejected token) is handled by onClosed.
      if (slot.generation !== generation || slot.closedGeneration === generation) return;
      this.deps.log.debug("channel start failed", { channel_id: channelId, error: String(e) });
      await this.#report(slot, generation, "error", "start_failed");
      await this.#stopAdapter(slot);
      this.#retryLater(slot, generation);
    }
  }

  #slot(channelId: number): Slot {
    let slot = this.#slots.get(channelId);
    if (!slot) {
      slot = {
        channelId,
        generation: 0,
        closedGeneration: -1,
        failures: 0,
        qrCount: 0,
        queue: Promise.resolve(),
        inbound: Promise.resolve(),
        leased: false,
        live: { status: "disconnected", reason: null, qr: null, pairingCode: null, retryAt: null },
      };
      this.#slots.set(channelId, slot);
    }
    return slot;
  }

  async #stopAdapter(slot: Slot): Promise<void> {
    slot.cancelRetry?.();
    slot.cancelRetry = undefined;
    const adapter = slot.adapter;
    slot.adapter = undefined;
    if (!adapter) return;
    try {
      await this.#stopOnce(adapter);
    } catch (e) {
      this.deps.log.warn("channel stop failed", { channel_id: slot.channelId, error: String(e) });
    }
  }

  /** Stops an adapter once: a second call waits for the first to finish. */
  #stopOnce(adapter: ChannelAdapter): Promise<void> {
    let stopping = this.#stopping.get(adapter);
    if (!stopping) {
      stopping = adapter.stop();
      this.#stopping.set(adapter, stopping);
    }
    return stopping;
  }

  #retryLater(slot: Slot, generation: number): void {
    if (this.#closed || slot.generation !== generation) return;
    const delay = Math.min(this.#backoff.maxMs, this.#backoff.initialMs * 2 ** slot.failures);
    slot.failures++;
    slot.live = { ...slot.live, retryAt: this.deps.clock.now() + delay };
    slot.cancelRetry = this.deps.clock.setTimer(delay, () => {
      slot.cancelRetry = undefined;
      if (slot.generation === generation) void this.start(slot.channelId);
    });
    // The status stays "error", but open pages must count down to the new try.
    this.deps.events.publish({ type: "channel.changed", channelId: slot.channelId });
  }

  /** Stores and publishes a status change; logs one line per change, not per attempt. */
  async #report(
    slot: Slot,
    generation: number,
    status: ChannelStatus,
    reason: StatusReason | null,
  ): Promise<void> {
    if (slot.generation !== generation) return;
    const before = slot.live;
    // While retrying after a failure the channel stays "error" with its reason:
    // each attempt's "connecting" would only make the page and the log flicker.
    if (status === "connecting" && before.status === "error" && slot.failures > 0) return;
    const changed = before.status !== status || before.reason !== reason;
    slot.live = {
      status,
      reason,
      qr: status === "qr" ? before.qr : null,
      pairingCode: status === "qr" || status === "connecting" ? before.pairingCode : null,
      retryAt: status === "error" ? before.retryAt : null,
    };
    if (status === "connected") {
      slot.failures = 0;
      slot.qrCount = 0;
    }
    if (!changed) return;
    const line = { channel_id: slot.channelId, channel_status: status, reason };
    if (status === "error") this.deps.log.warn("channel status", line);
    else this.deps.log.info("channel status", line);
    const { db, clock, writer } = this.deps;
    try {
      // Kept while the disk is full, in order with the channel's other statuses.
      await writer.kept.hand(
        "a channel status",
        () => setChannelStatus(db, clock, slot.channelId, status, reason),
        `channel:${slot.channelId}`,
      );
    } catch (e) {
      this.deps.log.error("channel status not stored", { ...line, error: String(e) });
    }
    this.deps.events.publish({ type: "channel.status", channelId: slot.channelId, status, reason });
  }

  #callbacks(slot: Slot, generation: number, channel: Channel): ChannelCallbacks {
    const { db, clock, events, log, writer } = this.deps;
    const channelId = channel.id;
    const current = () => slot.generation === generation;
    // A LID mapping may merge two contacts: it must not interleave with a message being stored.
    const inOrder = (work: () => Promise<void>): Promise<void> => {
      const result = slot.inbound.then(work);
      slot.inbound = result.then(() => {}, () => {});
      return result;
    };
    return {
      onQr: (qr) => {
        if (!current()) return;
        const expiresAt = clock.now() + (slot.qrCount++ === 0 ? FIRST_QR_MS : NEXT_QR_MS);
        slot.live = { ...slot.live, qr: { value: qr, expiresAt } };
        events.publish({ type: "channel.qr", channelId, qr, expiresAt });
        void this.#report(slot, generation, "qr", null);
      },
      onPairingCode: (code) => {
        if (!current()) return;
        slot.live = { ...slot.live, pairingCode: code };
        events.publish({ type: "channel.pairing_code", channelId, code });
      },
      onStatus: (status, reason) => {
        void this.#report(slot, generation, status, reason ?? null);
      },
      onIdentity: (identity) => {
        if (channel.kind === "whatsapp" && identity.phone && identity.phone !== channel.phone) {
          log.warn("the phone paired is not the channel's number", {
            channel_id: channelId,
            expected: channel.phone,
            paired: identity.phone,
          });
        }
        writer.kept.hand("a channel identity", async () => {
          await setChannelIdentity(db, clock, channelId, {
            botUsername: identity.botUsername,
            paired: channel.kind === "whatsapp",
          });
          events.publish({ type: "channel.changed", channelId });
        }, `channel:${channelId}`)
          .catch((e) =>
            log.error("channel identity not stored", { channel_id: channelId, error: String(e) })
          );
      },
      onLidMapping: (mapping) => {
        inOrder(() => writer.kept.hand("a LID mapping", () => linkContactLid(db, clock, mapping)))
          .catch((e) =>
            log.error("LID mapping not stored", { channel_id: channelId, error: String(e) })
          );
      },
      onInbound: (message, options) => {
        const store = () => this.#inbound.receive(channelId, message, options);
        // Kept only for a provider that will not deliver the message again.
        return inOrder(() =>
          options?.keep ? writer.kept.hand("an inbound message", store) : store()
        );
      },
      // Receipts are never delivered again: kept while the disk is full, each message's in order.
      onReceipt: (receipt) =>
        writer.kept.hand("a receipt", async () => {
          const applied = await applyReceipt(writer, clock, channelId, receipt);
          if (applied) {
            events.publish({
              type: "message.status",
              channelId,
              messageId: applied.messageId,
              status: applied.status,
            });
          }
        }, `receipt:${channelId}:${receipt.externalId}`),
      onClosed: (policy: RestartPolicy) => {
        if (!current()) return;
        slot.closedGeneration = generation;
        void this.#serially(slot, async () => {
          if (!current()) return;
          await this.#stopAdapter(slot);
          if (policy === "now") await this.#startNow(slot);
          else if (policy === "backoff") this.#retryLater(slot, generation);
        });
      },
    };
  }
}

/**
 * A WhatsApp channel's keys, written in order and kept while the disk is
 * full: a key Baileys was told is stored must be there after a restart, so
 * a write waits for room rather than fail.
 */
function keptAuthStore(store: AuthStore, kept: KeptWrites, channelId: number): AuthStore {
  const key = `auth:${channelId}`;
  return {
    get: (type, ids) => store.get(type, ids),
    set: (entries) => kept.write("WhatsApp keys", () => store.set(entries), key),
    clear: () => kept.write("WhatsApp keys", () => store.clear(), key),
  };
}
