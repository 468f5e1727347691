/**
 * The broadcast form as typed: its fields read into what a draft is made
 * of, or an error beside each field that does not pass. Times of day and
 * dates are the hospital's (`KABAR_TIMEZONE`).
 */
import { holdsNul, visibleName } from "./visible_name.ts";
import type { FieldErrors, FormValues } from "./form.ts";
import { instantOfWallTime, localParts } from "./local_day.ts";
import { formatTimeOfDay, parseTimeOfDay, type SendWindow } from "./send_window.ts";

/** The longest name a broadcast may have. */
export const BROADCAST_NAME_MAX = 100;

/** Where the form's recipients come from (a file by the id of its upload). */
export type BroadcastFormRecipients =
  | { kind: "text"; text: string }
  | {
    kind: "file";
    fileId: string;
    sheet: number;
    header: boolean;
    columns: { phone: number; name?: number; variables: Record<string, number> };
  }
  /** A file chosen but not yet mapped: the mapping step comes next. */
  | { kind: "upload" }
  | { kind: "label"; labelId: number }
  | { kind: "keep" };

/** What the form gives, ready for the broadcast service. */
export interface BroadcastForm {
  name: string;
  channelId: number;
  message: { text: string } | { template: { id: number } };
  variables: Record<string, string>;
  window: SendWindow | null;
  scheduledAt: number | null;
  stopAfter: number | null;
  recipients: BroadcastFormRecipients;
}

const text = (values: FormValues, name: string): string => {
  const v = values[name];
  return (typeof v === "string" ? v : Array.isArray(v) ? v[0] ?? "" : "").trim();
};

const wholeNumber = (s: string): number | undefined => /^\d{1,9}$/.test(s) ? Number(s) : undefined;

/** `name = value` (or `name: value`) lines as variables, or the first line that is neither. */
export function parseVariableLines(
  textValue: string,
): { ok: true; variables: Record<string, string> } | { ok: false; line: string } {
  const variables: Record<string, string> = {};
  for (const raw of textValue.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    const m = /^\{{0,2}\s*([\p{L}\p{N}_.]+)\s*\}{0,2}\s*[=:]\s*(.*)$/u.exec(line);
    if (!m) return { ok: false, line: line.slice(0, 60) };
    variables[m[1]] = m[2].trim();
  }
  return { ok: true, variables };
}

/** Variables as the form's lines. */
export function variableLines(variables: Record<string, string>): string {
  return Object.entries(variables).map(([k, v]) => `${k} = ${v}`).join("\n");
}

/**
 * The sending hours of a form (`window_start`, `window_end`, or `any_time`
 * for none): HH:MM each, start and end apart. What is wrong goes in `errors`.
 */
export function readWindowFields(values: FormValues, errors: FieldErrors): SendWindow | null {
  if (text(values, "any_time") !== "") return null;
  const start = parseTimeOfDay(text(values, "window_start"));
  const end = parseTimeOfDay(text(values, "window_end"));
  if (start === undefined) errors.window_start = "err.broadcast_time";
  if (end === undefined) errors.window_end = "err.broadcast_time";
  if (start === undefined || end === undefined) return null;
  if (start === end) {
    errors.window_end = "err.broadcast_window_same";
    return null;
  }
  return { start, end };
}

/** A local date (`YYYY-MM-DD`) and time (`HH:MM`) in `timeZone` as an instant, or undefined. */
export function localInstant(date: string, time: string, timeZone: string): number | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const minutes = parseTimeOfDay(time);
  if (!d || minutes === undefined) return undefined;
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const check = new Date(Date.UTC(y, m - 1, day));
  if (y < 1970 || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day) return undefined;
  return instantOfWallTime(Date.UTC(y, m - 1, day, 0, minutes), timeZone);
}

/** An instant as the form's local date and time fields. */
export function localFields(ms: number, timeZone: string): { date: string; time: string } {
  const p = localParts(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    time: formatTimeOfDay(p.hour * 60 + p.minute),
  };
}

/**
 * Reads the broadcast form. `now` refuses a schedule or stop time already
 * past; `timeZone` reads dates and times as the hospital's.
 */
export function readBroadcastForm(
  values: FormValues,
  options: { timeZone: string; now: number; uploaded?: boolean },
): { ok: true; form: BroadcastForm } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = visibleName(text(values, "name"));
  if (name === "") errors.name = "err.broadcast_name";
  else if (name.length > BROADCAST_NAME_MAX) errors.name = "err.broadcast_name_long";
  const channelId = wholeNumber(text(values, "channel"));
  if (channelId === undefined) errors.channel = "err.broadcast_channel";

  let message: BroadcastForm["message"] = { text: "" };
  if (text(values, "message_kind") === "template") {
    const id = wholeNumber(text(values, "template"));
    if (id === undefined) errors.template = "err.broadcast_template";
    else message = { template: { id } };
  } else {
    const body = text(values, "text");
    if (body === "") errors.text = "err.broadcast_text";
    else if (holdsNul(body)) errors.text = "err.broadcast_text_nul";
    else if (body.length > 4096) errors.text = "err.broadcast_text_long";
    message = { text: body };
  }

  const vars = parseVariableLines(text(values, "variables"));
  if (!vars.ok) {
    errors.variables = { key: "err.broadcast_variable_line", params: { value: vars.line } };
  }

  const window = readWindowFields(values, errors);

  const when = (prefix: string): number | null | undefined => {
    const date = text(values, `${prefix}_date`);
    const time = text(values, `${prefix}_time`);
    if (date === "" && time === "") return null;
    const at = localInstant(date, time, options.timeZone);
    if (at === undefined) {
      errors[`${prefix}_date`] = "err.broadcast_when";
      return undefined;
    }
    if (at <= options.now) {
      errors[`${prefix}_date`] = "err.broadcast_past";
      return undefined;
    }
    return at;
  };
  const scheduledAt = when("schedule");
  const stopAfter = when("stop");
  if (
    typeof scheduledAt === "number" && typeof stopAfter === "number" && stopAfter <= scheduledAt
  ) {
    errors.stop_date = "err.broadcast_stop_before";
  }

  let recipients: BroadcastFormRecipients = { kind: "keep" };
  const kind = text(values, "recipients");
  const fileId = text(values, "file_id");
  if (kind === "file" && /^[0-9a-f]{32}$/.test(fileId)) {
    const phone = wholeNumber(text(values, "col_phone"));
    const nameCol = wholeNumber(text(values, "col_name"));
    const columns: Record<string, number> = {};
    for (const [key, value] of Object.entries(values)) {
      if (!key.startsWith("col_var.") || typeof value !== "string") continue;
      const col = wholeNumber(value.trim());
      if (col !== undefined) columns[key.slice("col_var.".length)] = col;
    }
    if (phone === undefined) errors.col_phone = "err.broadcast_col_phone";
    recipients = {
      kind: "file",
      fileId,
      sheet: wholeNumber(text(values, "sheet")) ?? 0,
      header: text(values, "header") !== "",
      columns: { phone: phone ?? 0, name: nameCol, variables: columns },
    };
  } else if (kind === "file") {
    if (options.uploaded) recipients = { kind: "upload" };
    else errors.file = "err.broadcast_file";
  } else if (kind === "label") {
    const labelId = wholeNumber(text(values, "label"));
    if (labelId === undefined) errors.label = "err.broadcast_label";
    else recipients = { kind: "label", labelId };
  } else if (kind === "text") {
    const list = text(values, "recipients_text");
    if (list === "") errors.recipients_text = "err.broadcast_recipients_text";
    recipients = { kind: "text", text: list };
  } else if (kind !== "keep") {
    errors.recipients = "err.broadcast_recipients";
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    form: {
      name,
      channelId: channelId!,
      message,
      variables: vars.ok ? vars.variables : {},
      window,
      scheduledAt: scheduledAt ?? null,
      stopAfter: stopAfter ?? null,
      recipients,
    },
  };
}
