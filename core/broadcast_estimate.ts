/**
 * How long a broadcast will take, at its channel's broadcast pace, within
 * its sending window and under the daily cap: what the review page shows
 * before Confirm, so nobody is surprised that 5,000 reminders take ten hours.
 */
import type { Pacing } from "./pacing.ts";
import type { SendWindow } from "./send_window.ts";

const DAY_S = 24 * 60 * 60;

/** How fast a running broadcast sends now: its sends a minute over the last `minutes`. */
export interface SendRate {
  perMinute: number;
  minutes: number;
}

/** The seconds `count` messages take to go out, from a start inside the window. */
export function estimateSeconds(count: number, pacing: Pacing, window: SendWindow | null): number {
  if (count <= 0) return 0;
  const gapS = (pacing.broadcastGapMs + pacing.broadcastJitterMs / 2) / 1000;
  const windowS = window === null
    ? DAY_S
    : ((window.end - window.start + 24 * 60) % (24 * 60)) * 60;
  const byWindow = gapS > 0 ? Math.floor(windowS / gapS) : Infinity;
  const perDay = Math.max(1, Math.min(pacing.dailyCap > 0 ? pacing.dailyCap : Infinity, byWindow));
  if (perDay === Infinity || count <= perDay) return Math.ceil(count * gapS);
  const fullDays = Math.floor((count - 1) / perDay);
  return fullDays * DAY_S + Math.ceil((count - fullDays * perDay) * gapS);
}
