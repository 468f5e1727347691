/**
 * The opt-out list: numbers that asked for no more broadcasts (by replying a
 * stop word, or through staff or the API), and the settings of opting out by
 * reply. Each change writes its audit line in the same batch.
 */
import type { InStatement, InValue, Row } from "@libsql/client";
import type { Clock } from "../core/clock.ts";
import type { KeysetPosition } from "../core/keyset_cursor.ts";
import {
  DEFAULT_OPT_OUT_SETTINGS,
  MAX_CONFIRMATION_TEXT,
  MAX_STOP_WORD,
  MAX_STOP_WORDS,
  OPT_OUT_SOURCES,
  type OptOutSettings,
  type OptOutSource,
} from "../core/opt_out.ts";
import type { Actor } from "./audit_log.ts";
import type { Db } from "./client.ts";

/** A number on the list, with who and what put it there. */
export interface OptOutEntry {
  phone: string;
  source: OptOutSource;
  /** The reply that asked, when it came as one. */
  messageId: number | null;
  /** That reply's conversation, to open it. */
  conversationId: number | null;
  /** The staff member who put it on the list. */
  createdBy: { id: number; name: string } | null;
  /** The contact with this number, if there is one. */
  contact: { id: number; name: string | null } | null;
  createdAt: number;
}

/** What puts a number on the list. */
export interface OptOutRequest {
  phone: string;
  source: OptOutSource;
  messageId?: number | null;
  createdBy?: number | null;
}

/** The key of the opt-out settings in `settings`. */
export const OPT_OUT_SETTING = "opt_out";

const ENTRY_SELECT = `SELECT o.rowid AS position, o.phone, o.source, o.message_id, o.created_at,
    m.conversation_id, u.id AS user_id, u.display_name AS user_name,
    k.id AS contact_id, coalesce(k.name, k.push_name) AS contact_name
  FROM opt_outs o
  LEFT JOIN messages m ON m.id = o.message_id
  LEFT JOIN users u ON u.id = o.created_by
  LEFT JOIN contacts k ON k.phone = o.phone`;

const num = (v: unknown) => v === null || v === undefined ? null : Number(v);

function toEntry(r: Row): OptOutEntry {
  const source = String(r.source);
  return {
    phone: String(r.phone),
    source: (OPT_OUT_SOURCES as readonly string[]).includes(source)
      ? source as OptOutSource
      : "staff",
    messageId: num(r.message_id),
    conversationId: num(r.conversation_id),
    createdBy: r.user_id === null ? null : { id: Number(r.user_id), name: String(r.user_name) },
    contact: r.contact_id === null ? null : {
      id: Number(r.contact_id),
      name: r.contact_name === null ? null : String(r.contact_name),
    },
    createdAt: Number(r.created_at),
  };
}

/** The audit line of a change, written only when the statement before it changed a row. */
function auditIfChanged(
  clock: Clock,
  actor: Actor,
  action: string,
  target: string,
  details: Record<string, unknown>,
): InStatement {
  return {
    sql: `INSERT INTO audit_log (at, actor_user_id, actor, action, target, details, ip)
      SELECT ?, ?, ?, ?, ?, ?, ? WHERE changes() > 0`,
    args: [
      clock.now(),
      actor.userId,
      actor.name,
      action,
      target,
      JSON.stringify(details),
      actor.ip,
    ],
  };
}

/** The entry of `phone` (E.164 digits), or undefined when it is not on the list. */
export async function getOptOut(db: Db, phone: string): Promise<OptOutEntry | undefined> {
  const { rows } = await db.$client.execute({
    sql: `${ENTRY_SELECT} WHERE o.phone = ?`,
    args: [phone],
  });
  return rows[0] ? toEntry(rows[0]) : undefined;
}

/** Whether `phone` (E.164 digits) is on the list. */
export async function isOptedOut(db: Db, phone: string): Promise<boolean> {
  const { rows } = await db.$client.execute({
    sql: "SELECT 1 FROM opt_outs WHERE phone = ?",
    args: [phone],
  });
  return rows.length > 0;
}

/** How many numbers one query asks about: large lists go in parts. */
const AMONG_CHUNK = 5000;

/**
 * Which of `phones` (E.164 digits) are on the list: one query per 5,000
 * numbers, however many a broadcast has.
 */
export async function optedOutAmong(db: Db, phones: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += AMONG_CHUNK) {
    const { rows } = await db.$client.execute({
      sql: "SELECT phone FROM opt_outs WHERE phone IN (SELECT value FROM json_each(?))",
      args: [JSON.stringify(unique.slice(i, i + AMONG_CHUNK))],
    });
    for (const r of rows) found.add(String(r.phone));
  }
  return found;
}

/**
 * Puts a number on the list. A number already there stays as it was
 * (`added: false`, its entry as it is); a new one is audited in the same
 * batch.
 */
export async function addOptOut(
  db: Db,
  clock: Clock,
  actor: Actor,
  request: OptOutRequest,
): Promise<{ entry: OptOutEntry; added: boolean }> {
  const [inserted] = await db.$client.batch([
    {
      sql: `INSERT INTO opt_outs (phone, source, message_id, created_by, created_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (phone) DO NOTHING`,
      args: [
        request.phone,
        request.source,
        request.messageId ?? null,
        request.createdBy ?? null,
        clock.now(),
      ],
    },
    auditIfChanged(clock, actor, "opt_out.add", `phone:${request.phone}`, {
      source: request.source,
      ...(request.messageId ? { message_id: request.messageId } : {}),
    }),
  ], "write");
  const entry = await getOptOut(db, request.phone);
  // Taken off again between the two: as it was asked, just now.
  return {
    entry: entry ?? {
      phone: request.phone,
      source: request.source,
      messageId: request.messageId ?? null,
      conversationId: null,
      createdBy: null,
      contact: null,
      createdAt: clock.now(),
    },
    added: inserted.rowsAffected > 0,
  };
}

/** Takes a number off the list; answers its entry as it was, or undefined when it was not there. */
export async function removeOptOut(
  db: Db,
  clock: Clock,
  actor: Actor,
  phone: string,
): Promise<OptOutEntry | undefined> {
  const before = await getOptOut(db, phone);
  if (!before) return undefined;
  const [deleted] = await db.$client.batch([
    { sql: "DELETE FROM opt_outs WHERE phone = ?", args: [phone] },
    auditIfChanged(clock, actor, "opt_out.remove", `phone:${phone}`, {
      source: before.source,
      since: new Date(before.createdAt).toISOString(),
    }),
  ], "write");
  return deleted.rowsAffected > 0 ? before : undefined;
}

/** What the list is narrowed to: part of a number (digits), or part of a contact's name. */
export interface OptOutFilter {
  digits?: string;
  name?: string;
}

const likeOf = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of the list, newest first, after `cursor`. */
export async function listOptOuts(
  db: Db,
  filter: OptOutFilter,
  options: { cursor?: KeysetPosition; limit: number },
): Promise<{ rows: OptOutEntry[]; next?: KeysetPosition }> {
  const where: string[] = ["1"];
  const args: Record<string, InValue> = { limit: options.limit + 1 };
  if (filter.digits !== undefined) {
    where.push("o.phone LIKE :digits ESCAPE '\\'");
    args.digits = likeOf(filter.digits);
  } else if (filter.name !== undefined) {
    where.push("(k.name LIKE :name ESCAPE '\\' OR k.push_name LIKE :name ESCAPE '\\')");
    args.name = likeOf(filter.name);
  }
  if (options.cursor) {
    where.push("(o.created_at < :at OR (o.created_at = :at AND o.rowid < :id))");
    args.at = options.cursor.at ?? 0;
    args.id = options.cursor.id;
  }
  const { rows } = await db.$client.execute({
    sql: `${ENTRY_SELECT} WHERE ${where.join(" AND ")}
      ORDER BY o.created_at DESC, o.rowid DESC LIMIT :limit`,
    args,
  });
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(toEntry),
    next: rows.length > options.limit
      ? { at: Number(last.created_at), id: Number(last.position) }
      : undefined,
  };
}

/** Reads the stored settings; anything missing or unreadable is the default. */
export async function readOptOutSettings(db: Db): Promise<OptOutSettings> {
  const { rows } = await db.$client.execute({
    sql: "SELECT value FROM settings WHERE key = ?",
    args: [OPT_OUT_SETTING],
  });
  if (!rows[0]) return { ...DEFAULT_OPT_OUT_SETTINGS };
  let stored: unknown;
  try {
    stored = JSON.parse(String(rows[0].value));
  } catch {
    return { ...DEFAULT_OPT_OUT_SETTINGS };
  }
  const v = (typeof stored === "object" && stored !== null ? stored : {}) as Record<
    string,
    unknown
  >;
  const words = Array.isArray(v.stop_words)
    ? v.stop_words.filter((w): w is string =>
      typeof w === "string" && w.trim() !== "" && [...w].length <= MAX_STOP_WORD
    ).slice(0, MAX_STOP_WORDS)
    : [];
  const text = typeof v.confirm_text === "string" && v.confirm_text.trim() !== "" &&
      [...v.confirm_text].length <= MAX_CONFIRMATION_TEXT
    ? v.confirm_text
    : DEFAULT_OPT_OUT_SETTINGS.confirmText;
  return {
    stopWords: words.length ? words : [...DEFAULT_OPT_OUT_SETTINGS.stopWords],
    confirm: v.confirm === true,
    confirmText: text,
  };
}

/** Stores the settings, with an audit line naming what they were and became. */
export async function saveOptOutSettings(
  db: Db,
  clock: Clock,
  actor: Actor,
  settings: OptOutSettings,
): Promise<OptOutSettings> {
  const before = await readOptOutSettings(db);
  const value = {
    stop_words: settings.stopWords,
    confirm: settings.confirm,
    confirm_text: settings.confirmText || DEFAULT_OPT_OUT_SETTINGS.confirmText,
  };
  const now = clock.now();
  await db.$client.batch([
    {
      sql: `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      args: [OPT_OUT_SETTING, JSON.stringify(value), now],
    },
    auditIfChanged(clock, actor, "opt_out.settings", "settings:opt_out", {
      from: {
        stop_words: before.stopWords,
        confirm: before.confirm,
        confirm_text: before.confirmText,
      },
      to: value,
    }),
  ], "write");
  return {
    stopWords: value.stop_words,
    confirm: value.confirm,
    confirmText: value.confirm_text,
  };
}
