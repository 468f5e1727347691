/**
 * What a browser's EventSource makes of a `text/event-stream`, following the
 * WHATWG HTML standard's "event stream interpretation": lines end at CRLF,
 * a lone CR or a lone LF; a blank line dispatches; `data` lines join with
 * LF; an `id` with a NUL is ignored; an event without data is not dispatched.
 */

/** One event as `EventSource` hands it to a listener. */
export interface ParsedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** Feed it decoded text as it arrives; it returns the events each chunk completes. */
export class EventStreamParser {
  #pending = "";
  #started = false;
  #data = "";
  #eventType = "";
  #lastEventId = "";
  #lastEventIdBuffer = "";
  /** The reconnection time a `retry` field set, if any. */
  retry: number | undefined;

  push(chunk: string): ParsedEvent[] {
    let text = this.#pending + chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    const events: ParsedEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== "\r" && ch !== "\n") continue;
      // A CR at the very end may be the first half of a CRLF still on its way.
      if (ch === "\r" && i === text.length - 1) break;
      const line = text.slice(start, i);
      if (ch === "\r" && text[i + 1] === "\n") i++;
      start = i + 1;
      const event = this.#line(line);
      if (event) events.push(event);
    }
    this.#pending = text.slice(start);
    return events;
  }

  #line(line: string): ParsedEvent | undefined {
    if (line === "") return this.#dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.#eventType = value;
        break;
      case "data":
        this.#data += value + "\n";
        break;
      case "id":
        if (!value.includes("\0")) this.#lastEventIdBuffer = value;
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
    }
    return undefined;
  }

  #dispatch(): ParsedEvent | undefined {
    this.#lastEventId = this.#lastEventIdBuffer;
    if (this.#data === "") {
      this.#eventType = "";
      return undefined;
    }
    const event = {
      type: this.#eventType || "message",
      data: this.#data.endsWith("\n") ? this.#data.slice(0, -1) : this.#data,
      lastEventId: this.#lastEventId,
    };
    this.#data = "";
    this.#eventType = "";
    return event;
  }
}

/**
 * The `parts` events of a live page's stream, one at a time (the unread count and notices
 * every page's stream also carries are left out: tests/routes/staff_notices_test.ts has them).
 */
export function liveParts(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  const parts: ParsedEvent[] = [];
  return {
    parser,
    async next(): Promise<ParsedEvent> {
      while (parts.length === 0) {
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        parts.push(...parser.push(value ?? "").filter((e) => e.type === "parts"));
      }
      return parts.shift()!;
    },
    /** Everything the stream still sends, as written, until it ends. */
    async rest(): Promise<string> {
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return rest;
        rest += value;
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
