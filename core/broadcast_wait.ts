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
  /** When sending goes on by itself; null: not by itself (the channel must be connected again). */
  until: number | null;
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
}

/**
 * What holds a running broadcast with messages left to send, or null when it
 * may send now. The first reason that holds is named (the channel, then its
 * warm-up, then its daily cap, then the sending hours); `until` is the first
 * moment all of them let it go on.
 */
export function broadcastWait(input: BroadcastWaitInput): BroadcastWait | null {
  const { now, timeZone, window } = input;
  if (!input.channelConnected) return { reason: "channel_offline", until: null };
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
  return reasons.length === 0 ? null : { reason: reasons[0], until: from };
}
