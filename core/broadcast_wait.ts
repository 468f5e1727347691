/**
 * Why a running broadcast sends nothing now, and when it goes on by itself:
 * what a supervisor looking at a broadcast that stands still at night needs
 * to know. The outbox decides the same things as it sends (sessions/outbox.ts);
 * this only says them.
 */
import { localDay } from "./local_day.ts";
import { type SendWindow, windowAt } from "./send_window.ts";

export const BROADCAST_WAIT_REASONS = ["channel_offline", "warmup", "daily_cap", "window"] as const;
export type BroadcastWaitReason = typeof BROADCAST_WAIT_REASONS[number];

export interface BroadcastWait {
  reason: BroadcastWaitReason;
  /**
   * When sending goes on by itself; null when it does not: the channel must be
   * connected again, or the broadcast's stop-after time comes first.
   */
  until: number | null;
  /** The stop-after time, when it comes before sending could go on: what is left stays unsent. */
  stopsAt: number | null;
}

export interface BroadcastWaitInput {
  now: number;
  timeZone: string;
  window: SendWindow | null;
  channelConnected: boolean;
  /** When the channel's warm-up after pairing ends (-Infinity: none). */
  warmupEndsAt: number;
  /** The channel's sends a day at most (0: no cap), and how many it made today. */
  dailyCap: number;
  sentToday: number;
  /** The broadcast's stop-after time, if it has one. */
  stopAfter: number | null;
}

/**
 * What holds a running broadcast with messages left to send, or null when it
 * may send now. The first reason that holds is named (the channel, then its
 * warm-up, then its daily cap, then the sending hours); `until` is the first
 * moment all of them let it go on. Messages waiting out a retry after a failed
 * send, or behind another broadcast on the channel, are not a wait it names.
 */
export function broadcastWait(input: BroadcastWaitInput): BroadcastWait | null {
  const { now, timeZone, window, stopAfter } = input;
  if (!input.channelConnected) return { reason: "channel_offline", until: null, stopsAt: null };
  const reasons: BroadcastWaitReason[] = [];
  let from = now;
  if (input.warmupEndsAt > now) {
    reasons.push("warmup");
    from = input.warmupEndsAt;
  }
  if (input.dailyCap > 0 && input.sentToday >= input.dailyCap) {
    reasons.push("daily_cap");
    from = Math.max(from, localDay(now, timeZone).end);
  }
  const open = windowAt(window, from, timeZone);
  if (!open.open) {
    reasons.push("window");
    from = open.changesAt!;
  }
  if (reasons.length === 0) return null;
  return stopAfter !== null && stopAfter <= from
    ? { reason: reasons[0], until: null, stopsAt: stopAfter }
    : { reason: reasons[0], until: from, stopsAt: null };
}
