/** The SSE writer, read back by a parser that follows the WHATWG rules as EventSource does. */
import assert from "node:assert/strict";
import { sseComment, sseEvent, sseRetry } from "../../core/sse_event.ts";
import { EventStreamParser } from "../support/event_stream_parser.ts";

Deno.test("every line ending in data stays inside one event: CR, CRLF, LF, and lines that look like fields", () => {
  const samples: Array<[string, string]> = [
    ["plain", "plain"],
    ["a\rb", "a\nb"],
    ["a\r\nb", "a\nb"],
    ["a\nb", "a\nb"],
    ["a\r\rb", "a\n\nb"],
    ["a\n\r\nb", "a\n\nb"],
    ["\r\nevent: evil\r\nid: 9\r\n\r\ndata: more", "\nevent: evil\nid: 9\n\ndata: more"],
    ["ends with CR\r", "ends with CR\n"],
    ["\n", "\n"],
    ["", ""],
    [" leading space", " leading space"],
    [": not a comment", ": not a comment"],
  ];
  for (const [data, seen] of samples) {
    const parser = new EventStreamParser();
    const events = parser.push(sseRetry(3000) + sseEvent({ event: "html", id: "4", data }));
    assert.deepEqual(
      events,
      [{ type: "html", data: seen, lastEventId: "4" }],
      JSON.stringify(data),
    );
  }
});

Deno.test("the same events come out whatever way the bytes are cut into chunks", () => {
  const wire = sseEvent({ event: "html", data: "x\r\ny\rz" }) + sseComment("keep-alive") +
    sseEvent({ data: "second\r" });
  for (let cut = 0; cut <= wire.length; cut++) {
    const parser = new EventStreamParser();
    const events = [...parser.push(wire.slice(0, cut)), ...parser.push(wire.slice(cut))];
    assert.deepEqual(events, [
      { type: "html", data: "x\ny\nz", lastEventId: "" },
      { type: "message", data: "second\n", lastEventId: "" },
    ], `cut at ${cut}`);
  }
});

Deno.test("an event name or id with a line ending is refused, not written", () => {
  for (const bad of ["a\rb", "a\nb", "a\r\nb", "\r"]) {
    assert.throws(() => sseEvent({ event: bad, data: "x" }), /SSE event cannot hold a line ending/);
    assert.throws(() => sseEvent({ id: bad, data: "x" }), /SSE id cannot hold a line ending/);
  }
  assert.throws(() => sseEvent({ id: "a\0b", data: "x" }), /NUL/);
  assert.equal(sseComment("a\rb"), ": a\n: b\n\n");
});
