/**
 * Server-Sent Events as written on the wire. An EventSource ends a line at
 * CRLF, at a lone CR and at a lone LF, so every one of them in the data
 * starts a new `data:` line here; a line ending left inside a field would let
 * the text that follows it set the event's name or id, or end it early.
 */

const LINE_ENDING = /\r\n|\r|\n/;

/** One event to send: `data` may hold any text; `event` and `id` are single lines. */
export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
}

/**
 * The wire text of one event, ending with the blank line that dispatches it.
 * Throws when `event` or `id` holds a line ending (or `id` a NUL, which
 * makes browsers drop it): those are names Kabar chooses, never user text.
 */
export function sseEvent({ data, event, id }: SseEvent): string {
  let out = "";
  if (event !== undefined) out += `event: ${singleLine("event", event)}\n`;
  if (id !== undefined) {
    if (id.includes("\0")) throw new Error(`An SSE id cannot hold a NUL: ${JSON.stringify(id)}`);
    out += `id: ${singleLine("id", id)}\n`;
  }
  for (const line of data.split(LINE_ENDING)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** A comment line (ignored by EventSource; keeps proxies from closing an idle stream). */
export function sseComment(text: string): string {
  return text.split(LINE_ENDING).map((line) => `: ${line}\n`).join("") + "\n";
}

/** The line that sets how long the browser waits before it reconnects. */
export function sseRetry(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`An SSE retry must be whole ms: ${ms}`);
  return `retry: ${ms}\n\n`;
}

function singleLine(field: string, value: string): string {
  if (LINE_ENDING.test(value)) {
    throw new Error(`An SSE ${field} cannot hold a line ending: ${JSON.stringify(value)}`);
  }
  return value;
}
