/**
 * How fast a channel sends, and how it retries. WhatsApp numbers that send
 * too fast, or send broadcasts right after pairing, get banned: the defaults
 * are slow for WhatsApp and for broadcast traffic. A channel's options
 * (`pacing` in its JSON options) override them.
 */
import { z } from "zod";
import type { ChannelKind } from "../core/channel_types.ts";

export interface Pacing {
  /** The least time between two sends. */
  gapMs: number;
  /** Up to this much more, at random, so the rhythm does not look automated. */
  jitterMs: number;
  /** The same for broadcast traffic. */
  broadcastGapMs: number;
  broadcastJitterMs: number;
  /** After first pairing, broadcasts wait this many days (replies and API go out). */
  warmupDays: number;
  /** At most this many messages per day (0: no cap). */
  dailyCap: number;
  /** Attempts before a message fails for good. */
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long (at most an hour). */
  retryBaseMs: number;
}

const DEFAULTS: Record<ChannelKind, Pacing> = {
  whatsapp: {
    gapMs: 1_000,
    jitterMs: 1_500,
    broadcastGapMs: 5_000,
    broadcastJitterMs: 5_000,
    warmupDays: 3,
    dailyCap: 0,
    maxAttempts: 5,
    retryBaseMs: 30_000,
  },
  // Telegram allows about 30 messages a second per bot.
  telegram: {
    gapMs: 40,
    jitterMs: 0,
    broadcastGapMs: 100,
    broadcastJitterMs: 0,
    warmupDays: 0,
    dailyCap: 0,
    maxAttempts: 5,
    retryBaseMs: 30_000,
  },
  sandbox: {
    gapMs: 0,
    jitterMs: 0,
    broadcastGapMs: 0,
    broadcastJitterMs: 0,
    warmupDays: 0,
    dailyCap: 0,
    maxAttempts: 5,
    retryBaseMs: 30_000,
  },
};

const ms = z.number().int().min(0).max(86_400_000);
/** The pacing a channel's options may set; every field optional. */
export const pacingSchema = z.object({
  gapMs: ms,
  jitterMs: ms,
  broadcastGapMs: ms,
  broadcastJitterMs: ms,
  warmupDays: z.number().int().min(0).max(60),
  dailyCap: z.number().int().min(0).max(1_000_000),
  maxAttempts: z.number().int().min(1).max(50),
  retryBaseMs: ms,
}).partial();

/** The pacing of a channel: its kind's defaults with what its options set. */
export function pacingFor(kind: ChannelKind, options: Record<string, unknown>): Pacing {
  const set = pacingSchema.safeParse(options.pacing ?? {});
  return { ...DEFAULTS[kind], ...(set.success ? set.data : {}) };
}

/** The wait before the next send after one of `broadcast` traffic; `random` in [0, 1). */
export function gapAfter(pacing: Pacing, broadcast: boolean, random: number): number {
  const [gap, jitter] = broadcast
    ? [pacing.broadcastGapMs, pacing.broadcastJitterMs]
    : [pacing.gapMs, pacing.jitterMs];
  return gap + Math.floor(jitter * random);
}

const MAX_RETRY_MS = 3_600_000;

/** The wait before retrying after failed attempt number `attempt` (1-based). */
export function retryDelay(pacing: Pacing, attempt: number): number {
  return Math.min(MAX_RETRY_MS, pacing.retryBaseMs * 2 ** (attempt - 1));
}

/** When broadcasts stop being held back after pairing at `pairedAt` (never paired: no warm-up). */
export function warmupEnd(pacing: Pacing, pairedAt: number | null): number {
  return pairedAt === null ? -Infinity : pairedAt + pacing.warmupDays * 86_400_000;
}
