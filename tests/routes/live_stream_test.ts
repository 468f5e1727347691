/**
 * Live pages over Server-Sent Events, read the way a browser's EventSource
 * reads them: a message whose text holds CR, CRLF or LF arrives as one whole
 * `html` event, and nothing in it can start an event, set an id or a name.
 */
import assert from "node:assert/strict";
import { listChannels } from "../../db/channels.ts";
import { BrowserClient } from "../support/browser_client.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { EventStreamParser, type ParsedEvent } from "../support/event_stream_parser.ts";
import { startTestApp, TEST_PASSWORD } from "../support/test_app.ts";

/** The texts people send; each line ending kind, and lines that look like SSE fields. */
const TEXTS = [
  "Baris satu\rdata: palsu\r\revent: message\rid: 77\r\rBaris dua",
  "Jadwal:\r\nSenin\r\n\r\nid: 78\r\n\r\nSelasa",
  "Hasil lab\n\nevent: error\n\nsudah keluar",
  "akhir\r",
];

Deno.test("message text with CR, CRLF and LF arrives as one whole html event on the live sandbox page", async () => {
  const t = await startTestApp();
  try {
    await t.addUser("admin", "admin");
    const admin = new BrowserClient(t.app);
    await admin.signIn("admin", TEST_PASSWORD);
    await admin.get("/channels/new?kind=sandbox");
    await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
    const [channel] = await listChannels(t.deps.db);

    const stop = new AbortController();
    const res = await admin.open(`/channels/${channel.id}/sandbox/live`, stop.signal);
    assert.equal(res.status, 200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new EventStreamParser();
    assert.deepEqual(parser.push((await reader.read()).value ?? ""), []);
    assert.equal(parser.retry, 3000);

    for (const text of TEXTS) {
      const arrived = nextEvent(t.deps.events, (e) => e.type === "message.inbound");
      await t.deps.registry.simulateInbound(channel.id, { phone: "6281234567890", text });
      await arrived;
    }
    t.clock.advance(150);

    // Read until the stream has completed an event, then a little more: a
    // split event would show up as a second one in the same write.
    const events: ParsedEvent[] = [];
    let raw = "";
    while (events.length === 0) {
      const { value, done } = await reader.read();
      assert.ok(!done, "the stream stayed open");
      raw += value;
      events.push(...parser.push(value ?? ""));
    }
    assert.ok(raw.endsWith("\n\n"), "the update was written whole");
    assert.equal(events.length, 1, `one event, not ${JSON.stringify(events.map((e) => e.type))}`);
    const [event] = events;
    assert.equal(event.type, "html");
    assert.equal(event.lastEventId, "", "no id came from the message text");

    // The event carries what the page itself shows, line endings as HTML reads them.
    const page = await admin.get(`/channels/${channel.id}/sandbox`);
    const pageHtml = page.text.replace(/\r\n?/g, "\n");
    assert.ok(
      pageHtml.includes(event.data),
      `the region as the page renders it:\n${JSON.stringify(event.data)}`,
    );
    for (const text of TEXTS) {
      assert.ok(event.data.includes(text.replace(/\r\n?/g, "\n")), JSON.stringify(text));
    }
    stop.abort();
  } finally {
    await t.close();
  }
});
