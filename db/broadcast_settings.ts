/**
 * The broadcast settings of Settings, kept in the `settings` table: the
 * sending hours a new broadcast gets unless it is given its own.
 */
import type { Clock } from "../core/clock.ts";
import {
  DEFAULT_SEND_WINDOW,
  formatTimeOfDay,
  parseTimeOfDay,
  type SendWindow,
} from "../core/send_window.ts";
import { type Actor, recordAudit } from "./audit_log.ts";
import type { Db } from "./client.ts";

/** The key of the broadcast settings in the `settings` table. */
export const BROADCAST_SETTING = "broadcasts";

/** What a new broadcast starts with. */
export interface BroadcastSettings {
  /** The default sending hours (null: any time of day). */
  sendWindow: SendWindow | null;
}

const shown = (w: SendWindow | null) =>
  w === null ? null : { start: formatTimeOfDay(w.start), end: formatTimeOfDay(w.end) };

/** The stored settings; anything missing or unreadable is the default (08:00–20:00). */
export async function readBroadcastSettings(db: Db): Promise<BroadcastSettings> {
  const { rows } = await db.$client.execute({
    sql: "SELECT value FROM settings WHERE key = ?",
    args: [BROADCAST_SETTING],
  });
  const fallback = { sendWindow: { ...DEFAULT_SEND_WINDOW } };
  if (!rows[0]) return fallback;
  let stored: unknown;
  try {
    stored = JSON.parse(String(rows[0].value));
  } catch {
    return fallback;
  }
  if (typeof stored !== "object" || stored === null || !("send_window" in stored)) {
    return fallback;
  }
  const w = (stored as { send_window: unknown }).send_window;
  if (w === null) return { sendWindow: null };
  const { start, end } = (typeof w === "object" ? w : {}) as Record<string, unknown>;
  const s = typeof start === "string" ? parseTimeOfDay(start) : undefined;
  const e = typeof end === "string" ? parseTimeOfDay(end) : undefined;
  return s === undefined || e === undefined || s === e
    ? fallback
    : { sendWindow: { start: s, end: e } };
}

/** Stores the settings, with an audit line naming what they were and became (when they changed). */
export async function saveBroadcastSettings(
  db: Db,
  clock: Clock,
  actor: Actor,
  settings: BroadcastSettings,
): Promise<BroadcastSettings> {
  const before = await readBroadcastSettings(db);
  const value = { send_window: shown(settings.sendWindow) };
  await db.$client.execute({
    sql: `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    args: [BROADCAST_SETTING, JSON.stringify(value), clock.now()],
  });
  if (JSON.stringify(shown(before.sendWindow)) !== JSON.stringify(value.send_window)) {
    await recordAudit(db, clock, actor, {
      action: "broadcast.settings",
      target: `settings:${BROADCAST_SETTING}`,
      details: { from: { send_window: shown(before.sendWindow) }, to: value },
    });
  }
  return { sendWindow: settings.sendWindow };
}
