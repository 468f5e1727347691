/**
 * Live pages over Server-Sent Events, read the way a browser's EventSource
 * reads them: an update is one `parts` event holding only the parts of the
 * page that changed; a message whose text holds CR, CRLF or LF arrives
 * whole, and nothing in it can start an event, set an id or a name.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { listChannels } from "../../db/channels.ts";
import { messages } from "../../db/schema.ts";
import { insertingInto, replacing, SentParts } from "../../routes/live_stream.ts";
import { visibleText } from "../support/browser_client.ts";
import { nextEvent } from "../support/channel_kit.ts";
import { EventStreamParser, type ParsedEvent } from "../support/event_stream_parser.ts";
import { startTestApp, type TestApp } from "../support/test_app.ts";
import { signedIn } from "../support/signed_in.ts";

/** The texts people send; each line ending kind, and lines that look like SSE fields. */
const TEXTS = [
  "Baris satu\rdata: palsu\r\revent: message\rid: 77\r\rBaris dua",
  "Jadwal:\r\nSenin\r\n\r\nid: 78\r\n\r\nSelasa",
  "Hasil lab\n\nevent: error\n\nsudah keluar",
  "akhir\r",
];

/** A signed-in admin with a sandbox channel, and its sandbox page's stream, read event by event. */
async function sandboxStream(t: TestApp) {
  const admin = await signedIn(t, "admin");
  await admin.get("/channels/new?kind=sandbox");
  await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
  const [channel] = await listChannels(t.deps.db);
  const stop = new AbortController();
  const res = await admin.open(`/channels/${channel.id}/sandbox/live`, stop.signal);
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  const events: ParsedEvent[] = [];
  let raw = "";
  /** The next event; read until the stream has completed one. */
  const next = async () => {
    while (events.length === 0) await readMore();
    return events.shift()!;
  };
  const inbound = async (phone: string, text: string) => {
    const arrived = nextEvent(t.deps.events, (e) => e.type === "message.inbound");
    await t.deps.registry.simulateInbound(channel.id, { phone, text });
    await arrived;
  };
  /** Reads one more chunk into `raw`. */
  const readMore = async () => {
    const { value, done } = await reader.read();
    assert.ok(!done, "the stream stayed open");
    raw += value;
    // The unread count and notices every page's stream carries are tested on their own.
    events.push(...parser.push(value ?? "").filter((e) => e.type === "parts"));
  };
  /** Whether the stream ends (reading what is left). */
  const ended = async () => {
    for (;;) {
      const { done } = await reader.read();
      if (done) return true;
    }
  };
  return {
    admin,
    channel,
    next,
    readMore,
    ended,
    inbound,
    /** What the stream sent since the last call. */
    takeRaw: () => [raw, raw = ""][0],
    /** Events already read but not yet taken. */
    waiting: () => events.length,
    parser,
    stop: () => stop.abort(),
  };
}

/** `html` without the marks that make it a part: what the page shows. */
const unmarked = (html: string) => html.replace(/ hx-swap-oob="true"/g, "");

Deno.test("message text with CR, CRLF and LF arrives as one whole parts event on the live sandbox page", async () => {
  await using t = await startTestApp();
  const s = await sandboxStream(t);
  // On opening: every part as the page shows it (no phone yet).
  const opening = await s.next();
  assert.equal(s.parser.retry, 3000);
  assert.equal(opening.type, "parts");
  assert.match(opening.data, /^<div hx-swap-oob="true" id="sandbox-phones">/);
  s.takeRaw();

  for (const text of TEXTS) await s.inbound("6281234567890", text);
  t.clock.advance(150);
  const event = await s.next();
  assert.ok(s.takeRaw().endsWith("\n\n"), "the update was written whole");
  assert.equal(s.waiting(), 0, "one event for the four messages");
  assert.equal(event.type, "parts");
  assert.match(event.lastEventId, /^\d+$/, "the id is the time of the update, not from the text");

  // The first phone: the whole list of phones, as the page itself renders it.
  assert.match(event.data, /^<div hx-swap-oob="true" id="sandbox-phones" class="phones">/);
  const page = await s.admin.get(`/channels/${s.channel.id}/sandbox`);
  const pageHtml = page.text.replace(/\r\n?/g, "\n");
  assert.ok(
    pageHtml.includes(unmarked(event.data)),
    `the part as the page renders it:\n${JSON.stringify(event.data)}`,
  );
  for (const text of TEXTS) {
    assert.ok(event.data.includes(text.replace(/\r\n?/g, "\n")), JSON.stringify(text));
  }
  s.stop();
});

Deno.test("the live sandbox page is sent a new message alone, a new phone on top, and a status as its tick", async () => {
  await using t = await startTestApp();
  const s = await sandboxStream(t);
  await s.next();
  await s.inbound("6281234567890", "Halo");
  t.clock.advance(150);
  await s.next();

  // One more from the same phone: only that message, added at the end of its phone.
  await s.inbound("6281234567890", "Poli anak buka jam berapa?");
  t.clock.advance(150);
  const appended = await s.next();
  assert.match(
    appended.data,
    /^<template hx-swap-oob="beforeend:#sandbox-bubbles-6281234567890"><li id="sandbox-message-\d+" class="bubble mine"/,
  );
  assert.equal(appended.data.match(/<li /g)?.length, 1, "one message");
  assert.match(visibleText(appended.data), /Poli anak buka jam berapa\?/);
  assert.doesNotMatch(appended.data, /Halo/);

  // Someone new: their phone, on top.
  await s.inbound("6289876543210", "Saya mau daftar");
  t.clock.advance(150);
  const phone = await s.next();
  assert.match(
    phone.data,
    /^<template hx-swap-oob="afterbegin:#sandbox-phones"><section id="sandbox-phone-6289876543210"/,
  );
  assert.doesNotMatch(phone.data, /Halo|Poli anak/);

  // Kabar answers (sent), then the phone has it (delivered): the message, then its tick.
  const [inbound] = await t.deps.db.select().from(messages).where(eq(messages.body, "Halo"));
  const [reply] = await t.deps.db.insert(messages).values({
    channelId: s.channel.id,
    conversationId: inbound.conversationId,
    contactId: inbound.contactId,
    direction: "out",
    type: "text",
    body: "Buka jam 08.00",
    status: "sent",
    createdAt: t.clock.now(),
    updatedAt: t.clock.now(),
  }).returning();
  t.deps.events.publish({
    type: "message.queued",
    channelId: s.channel.id,
    conversationId: reply.conversationId,
    messageId: reply.id,
  });
  t.clock.advance(150);
  const sent = await s.next();
  assert.match(sent.data, /beforeend:#sandbox-bubbles-6281234567890/);
  assert.match(sent.data, new RegExp(`<span id="sandbox-tick-${reply.id}" data-status="sent">`));

  await t.deps.db.update(messages).set({ status: "delivered" }).where(eq(messages.id, reply.id));
  t.deps.events.publish({
    type: "message.status",
    channelId: s.channel.id,
    messageId: reply.id,
    status: "delivered",
  });
  t.clock.advance(150);
  const tick = await s.next();
  assert.match(
    tick.data,
    new RegExp(
      `^<span hx-swap-oob="true" id="sandbox-tick-${reply.id}" data-status="delivered">`,
    ),
  );
  assert.doesNotMatch(tick.data, /Buka jam/);
  s.stop();
});

Deno.test("a burst of events gets every part; the stream keeps alive and ends when Kabar stops", async () => {
  await using t = await startTestApp();
  const s = await sandboxStream(t);
  await s.next();
  await s.inbound("6281234567890", "Halo");
  t.clock.advance(150);
  await s.next();

  // Too many events to sort one by one: the whole list of phones, once.
  const [{ id: messageId, conversationId }] = await t.deps.db.select().from(messages);
  for (let i = 0; i < 250; i++) {
    t.deps.events.publish({
      type: "message.queued",
      channelId: s.channel.id,
      conversationId,
      messageId,
    });
  }
  t.clock.advance(150);
  const burst = await s.next();
  assert.match(burst.data, /^<div hx-swap-oob="true" id="sandbox-phones" class="phones">/);
  assert.equal(s.waiting(), 0);

  s.takeRaw();
  t.clock.advance(25_000);
  while (!s.takeRaw().includes(": keep-alive\n")) await s.readMore();

  t.deps.events.close();
  assert.equal(await s.ended(), true, "the stream ends at shutdown");
});

Deno.test("a part is sent when it changed; inner parts alone when only they changed", () => {
  const sent = new SentParts();
  const list = (rows: string[]) => ({
    id: "list",
    html: `<ul id="list">${rows.join("")}</ul>`,
    inner: rows.map((html, i) => ({ id: `row-${i}`, html })),
  });
  const a = '<li id="row-0">a</li>';
  const b = '<li id="row-1">b</li>';
  assert.equal(sent.changed([list([a, b])]), `<ul hx-swap-oob="true" id="list">${a}${b}</ul>`);
  assert.equal(sent.changed([list([a, b])]), "", "nothing changed");
  const b2 = '<li id="row-1">b, changed</li>';
  assert.equal(sent.changed([list([a, b2])]), '<li hx-swap-oob="true" id="row-1">b, changed</li>');
  const c = '<li id="row-2">c</li>';
  assert.match(
    sent.changed([list([a, b2, c])]),
    /^<ul hx-swap-oob="true" id="list">/,
    "a row added",
  );
  sent.clear();
  assert.match(sent.changed([list([a, b2, c])]), /^<ul hx-swap-oob="true" id="list">/);

  assert.equal(
    insertingInto("list", "end", c),
    `<template hx-swap-oob="beforeend:#list">${c}</template>`,
  );
  assert.throws(() => insertingInto('x"><script>', "end", c), /Not an id/);
  assert.throws(() => replacing("text first <p id=x></p>"), /must start with its element/);
});
