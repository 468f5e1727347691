/**
 * Inbound messages and receipts on a real database file: replays never
 * duplicate, resolved conversations reopen, a LID and a phone number of one
 * person are one contact, and statuses only move forward.
 */
import assert from "node:assert/strict";
import { GroupCommit } from "../../db/group_commit.ts";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { linkContactLid } from "../../db/contacts.ts";
import { applyReceipt, recordInbound } from "../../db/messages.ts";
import { contacts, conversations, messageEvents, messages } from "../../db/schema.ts";
import { withTempDb } from "../support/temp_db.ts";

const rows = async (db: Db, sql: string) => (await db.$client.execute(sql)).rows;

Deno.test("a replayed inbound message is recorded once", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const channel = await addChannel();
    const inbound = {
      channelId: channel.id,
      externalId: "ABC",
      from: { phone: "6281234567890", pushName: "Siti" },
      type: "text" as const,
      text: "Halo, jadwal dokter?",
      at: clock.now(),
    };
    const first = await recordInbound(db, new GroupCommit(db), clock, inbound);
    const again = await recordInbound(db, new GroupCommit(db), clock, inbound);
    const raced = await Promise.all([
      recordInbound(db, new GroupCommit(db), clock, { ...inbound, externalId: "DEF" }),
      recordInbound(db, new GroupCommit(db), clock, { ...inbound, externalId: "DEF" }),
    ]);
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.deepEqual(raced.map((r) => r.duplicate).sort(), [false, true]);
    assert.equal((await db.select().from(messages)).length, 2);
    const [conversation] = await db.select().from(conversations);
    assert.equal(conversation.unreadCount, 2);
    const [contact] = await db.select().from(contacts);
    assert.equal(contact.pushName, "Siti");
    assert.equal((await db.select().from(messageEvents)).length, 2);
    const found = await db.$client.execute(
      "SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'jadwal'",
    );
    assert.equal(Number(found.rows[0].n), 2, "each received message is searchable at once, once");
  });
});

Deno.test("a message to a resolved conversation reopens it", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const channel = await addChannel();
    const from = { telegramChatId: "4242" };
    const first = await recordInbound(db, new GroupCommit(db), clock, {
      channelId: channel.id,
      externalId: "4242:1",
      from,
      type: "text",
      text: "one",
      at: clock.now(),
    });
    assert.equal(first.duplicate, false);
    await db.update(conversations).set({ status: "resolved", resolvedAt: clock.now() });
    clock.advance(60_000);
    await recordInbound(db, new GroupCommit(db), clock, {
      channelId: channel.id,
      externalId: "4242:2",
      from,
      type: "text",
      text: "two",
      at: clock.now(),
    });
    const [conversation] = await db.select().from(conversations);
    assert.equal(conversation.status, "open");
    assert.equal(conversation.resolvedAt, null);
    assert.equal(conversation.lastInboundAt, clock.now());
  });
});

Deno.test("a LID message and a phone message from one person land in one conversation", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const channel = await addChannel({ kind: "whatsapp", phone: "6280000000001" });
    const message = (externalId: string, from: Record<string, string>) =>
      recordInbound(db, new GroupCommit(db), clock, {
        channelId: channel.id,
        externalId,
        from,
        type: "text",
        text: externalId,
        at: clock.now(),
      });
    // First only the LID is known, then the phone, then WhatsApp maps them.
    await message("M1", { waLid: "123456789012345" });
    await message("M2", { phone: "6281234567890", pushName: "Budi" });
    assert.equal((await db.select().from(contacts)).length, 2);
    await linkContactLid(db, clock, { lid: "123456789012345", phone: "6281234567890" });
    await message("M3", { waLid: "123456789012345", phone: "6281234567890" });

    const people = await db.select().from(contacts);
    assert.equal(people.length, 1);
    assert.equal(people[0].phone, "6281234567890");
    assert.equal(people[0].waLid, "123456789012345");
    const threads = await db.select().from(conversations);
    assert.equal(threads.length, 1);
    const texts = await rows(
      db,
      `SELECT body FROM messages WHERE conversation_id = ${threads[0].id} ORDER BY id`,
    );
    assert.deepEqual(texts.map((r) => r.body), ["M1", "M2", "M3"]);
  });
});

Deno.test("receipts move an outbound message forward only, each with an event", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const channel = await addChannel();
    await recordInbound(db, new GroupCommit(db), clock, {
      channelId: channel.id,
      externalId: "in-1",
      from: { phone: "6281234567890" },
      type: "text",
      at: clock.now(),
    });
    const [conversation] = await db.select().from(conversations);
    const [out] = await db.insert(messages).values({
      channelId: channel.id,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      direction: "out",
      type: "text",
      body: "Jadwal besok jam 9",
      status: "sent",
      externalId: "OUT-1",
      createdAt: clock.now(),
      updatedAt: clock.now(),
    }).returning();
    const receipt = (status: "delivered" | "read" | "played" | "failed", at: number) =>
      applyReceipt(new GroupCommit(db), clock, channel.id, { externalId: "OUT-1", status, at });

    assert.deepEqual(await receipt("read", 3000), { messageId: out.id, status: "read" });
    assert.equal(await receipt("delivered", 2000), undefined);
    assert.equal(await receipt("failed", 4000), undefined);
    assert.equal(await receipt("played", 5000), undefined);
    assert.equal(await receipt("read", 6000), undefined);
    const [stored] = await db.select().from(messages).where(eq(messages.id, out.id));
    assert.equal(stored.status, "read");
    assert.equal(stored.readAt, 3000);
    const events = await db.select().from(messageEvents).where(eq(messageEvents.messageId, out.id));
    assert.deepEqual(events.map((e) => [e.status, e.at]), [["read", 3000]]);
    assert.equal(
      await applyReceipt(new GroupCommit(db), clock, channel.id, {
        externalId: "unknown",
        status: "read",
        at: 1,
      }),
      undefined,
    );
  });
});

Deno.test("merging a LID contact into its phone contact keeps unread messages and labels", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const channel = await addChannel({ kind: "whatsapp", phone: "6280000000001" });
    const message = (externalId: string, from: Record<string, string>) =>
      recordInbound(db, new GroupCommit(db), clock, {
        channelId: channel.id,
        externalId,
        from,
        type: "text",
        text: externalId,
        at: clock.now(),
      });
    await message("OLD", { phone: "6281234567890" });
    await db.update(conversations).set({ status: "resolved", unreadCount: 0, resolvedAt: 1 });
    await db.update(contacts).set({ attributes: '{"mrn":"RM-001"}' });
    clock.advance(60_000);
    await message("NEW", { waLid: "123456789012345" });
    const lidThread = (await db.select().from(conversations)).find((c) => c.status === "open")!;
    const [label] = (await db.$client.execute(
      "INSERT INTO labels (name, created_at) VALUES ('Rujukan', 0) RETURNING id",
    )).rows;
    await db.$client.execute({
      sql: "INSERT INTO conversation_labels (conversation_id, label_id) VALUES (?, ?)",
      args: [lidThread.id, label.id],
    });

    await linkContactLid(db, clock, { lid: "123456789012345", phone: "6281234567890" });
    const [merged] = await db.select().from(conversations);
    assert.equal((await db.select().from(conversations)).length, 1);
    assert.equal(merged.status, "open", "the new message keeps it open");
    assert.equal(merged.resolvedAt, null);
    assert.equal(merged.unreadCount, 1);
    assert.equal(merged.lastInboundAt, clock.now());
    assert.equal(merged.lastMessageAt, clock.now());
    const labels = await rows(db, `SELECT label_id FROM conversation_labels`);
    assert.deepEqual(labels.map((r) => r.label_id), [label.id]);
    const [person] = await db.select().from(contacts);
    assert.equal(person.attributes, '{"mrn":"RM-001"}');
    assert.equal(person.waLid, "123456789012345");
  });
});
