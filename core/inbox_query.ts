/**
 * The inbox's filters as they travel in its URL (`/inbox?status=open&label=2
 * &label=5&since=2026-03-01`), so a filter can be bookmarked and shared: read
 * into what the list query takes, with a field error for each value that is
 * none of the choices.
 */
import { CONVERSATION_STATUSES, type ConversationStatus } from "./conversation_status.ts";
import { readDayRange } from "./day_range.ts";
import type { FieldErrors } from "./form.ts";
import { decodeCursor, type KeysetPosition } from "./keyset_cursor.ts";
import { parseRecordId } from "./record_id.ts";

/** Whose conversations: the viewer's, nobody's, anybody's, or one person's. */
export type AssigneeChoice = "me" | "none" | "any" | number;

export interface InboxFilter {
  status: ConversationStatus | "all";
  channelId?: number;
  assignee: AssigneeChoice;
  departmentId?: number;
  labelIds: number[];
  unreadOnly: boolean;
  since?: number;
  until?: number;
  sort: "activity" | "waiting";
  /** Words or part of a number to search for (then the newest match comes first). */
  query?: string;
}

export interface InboxQuery {
  filter: InboxFilter;
  cursor?: KeysetPosition;
  /** The filter's values as typed, to show them again and to keep them in links. */
  values: Record<string, string | string[]>;
  errors?: FieldErrors;
}

const STATUSES = [...CONVERSATION_STATUSES, "all"] as const;
const SORTS = ["activity", "waiting"] as const;
const MAX_LABELS = 10;
/** A search longer than this is cut: no one types more into a search box. */
const MAX_QUERY_CHARS = 200;

/** Reads the inbox's query string (each name with all its values). */
export function readInboxQuery(
  query: Record<string, string[] | undefined>,
  timeZone: string,
): InboxQuery {
  const errors: FieldErrors = {};
  const one = (name: string) => query[name]?.[0]?.trim() ?? "";
  const values: Record<string, string | string[]> = {};
  for (
    const name of [
      "status",
      "channel",
      "assignee",
      "department",
      "unread",
      "sort",
      "since",
      "until",
    ]
  ) {
    if (one(name) !== "") values[name] = one(name).slice(0, 40);
  }
  const labels = (query.label ?? []).map((l) => l.trim()).filter(Boolean).slice(0, MAX_LABELS);
  if (labels.length) values.label = labels.map((l) => l.slice(0, 40));
  const queryText = one("q").replace(/[\p{Cc}]+/gu, " ").slice(0, MAX_QUERY_CHARS).trim();
  if (queryText !== "") values.q = queryText;

  const choice = <T extends string>(name: string, choices: readonly T[], fallback: T): T => {
    const value = one(name);
    if (value === "") return fallback;
    if ((choices as readonly string[]).includes(value)) return value as T;
    errors[name] = { key: "err.choice", params: { value: value.slice(0, 40) } };
    return fallback;
  };
  const id = (name: string, value = one(name)): number | undefined => {
    if (value === "") return undefined;
    const parsed = parseRecordId(value);
    if (parsed === undefined) {
      errors[name] = { key: "err.choice", params: { value: value.slice(0, 40) } };
    }
    return parsed;
  };

  const assigneeText = one("assignee");
  const assignee: AssigneeChoice = assigneeText === "" || assigneeText === "any"
    ? "any"
    : assigneeText === "me" || assigneeText === "none"
    ? assigneeText
    : id("assignee") ?? "any";
  const days = readDayRange({ since: one("since"), until: one("until") }, timeZone);
  if (!days.ok) Object.assign(errors, days.errors);
  const cursorText = one("cursor");
  const cursor = cursorText === "" ? undefined : decodeCursor(cursorText);
  if (cursorText !== "" && !cursor) errors.cursor = "err.cursor";
  const labelIds = labels.flatMap((l) => id("label", l) ?? []);
  return {
    filter: {
      status: choice("status", STATUSES, "open"),
      channelId: id("channel"),
      assignee,
      departmentId: id("department"),
      labelIds: [...new Set(labelIds)],
      unreadOnly: one("unread") === "1",
      ...(days.ok ? days.range : {}),
      sort: choice("sort", SORTS, "activity"),
      ...(queryText !== "" ? { query: queryText } : {}),
    },
    cursor,
    values,
    errors: Object.keys(errors).length ? errors : undefined,
  };
}
