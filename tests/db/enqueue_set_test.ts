/**
 * Messages asked for at the same moment are queued together, one statement
 * per table for all of them: each caller must still get its own message, and
 * whatever one of them gets wrong must stay its own.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { deleteChannel } from "../../db/channels.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import {
  ChannelDeleted,
  type Enqueued,
  enqueueMessage,
  type OutboundRequest,
} from "../../db/outbox.ts";
import { enqueueSetSizes } from "../support/enqueue_sets.ts";
import { withTempDb } from "../support/temp_db.ts";

const rows = async (
  db: { $client: { execute(sql: string): Promise<{ rows: unknown[] }> } },
  sql: string,
) => (await db.$client.execute(sql)).rows.map((r) => ({ ...r as object }));

Deno.test("messages asked for together are queued as one set, each caller answered with its own", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const wa = await addChannel({ name: "WA" });
    const bot = await addChannel({ kind: "telegram", name: "Bot" });
    const gone = await addChannel({ name: "Gone" });
    await deleteChannel(db, clock, CLI_ACTOR, gone.id);
    await db.$client.batch([
      "INSERT INTO contacts (id, phone, name, created_at, updated_at) VALUES (70, '6281300000070', 'Sari', 0, 0)",
      `INSERT INTO users (id, username, display_name, password_hash, role, password_changed_at,
          created_at, updated_at) VALUES (9, 'ani', 'Ani', 'x', 'supervisor', 0, 0, 0)`,
      `INSERT INTO webhooks (url, secret, events, created_at, updated_at)
        VALUES ('https://example.test/hook', 'x', '["*"]', 0, 0)`,
    ], "write");
    const writer = new GroupCommit(db, { windowMs: 30, maxWrites: 64 });
    const base = { type: "text", source: "api", priority: 1, channelKind: "whatsapp" } as const;
    const ask = (body: string, more: Partial<OutboundRequest>) =>
      enqueueMessage(db, writer, clock, {
        ...base,
        channelId: wa.id,
        to: { phone: "6281200000001" },
        body,
        ...more,
      } as OutboundRequest).catch((e) => e as Error);
    let answers: (Enqueued | Error)[] = [];
    const sizes = await enqueueSetSizes(async () => {
      answers = await Promise.all([
        ask("a", { apiKeyId: 1, idempotencyKey: "k1" }),
        ask("b", {}),
        ask("c", { apiKeyId: 1, idempotencyKey: "k1", to: { phone: "6281200000002" } }),
        ask("d", {}),
        ask("e", { to: { contactId: 70 } }),
        ask("f", { channelId: bot.id, channelKind: "telegram", to: { telegramChatId: "5550001" } }),
        ask("g", { channelId: gone.id }),
        ask("h", { to: { phone: "6281200000003" }, startsConversation: true, authorId: 9 }),
        ask("i", { apiKeyId: 2, idempotencyKey: "k1" }),
      ]);
    });
    assert.deepEqual(sizes, [9], "one set of nine");
    const bodies = answers.map((a) => a instanceof Error ? a.constructor.name : a.message.body);
    assert.deepEqual(bodies, ["a", "b", "a", "d", "e", "f", "ChannelDeleted", "h", "i"]);
    assert.ok(answers[6] instanceof ChannelDeleted);
    const replay = answers[2] as Enqueued;
    assert.equal(replay.replay, true, "the second use of key k1 answers the first message");
    // Each answer is the row stored for it.
    for (const answer of answers) {
      if (answer instanceof Error) continue;
      const [stored] = await rows(
        db,
        `SELECT m.id, m.body, m.conversation_id, m.contact_id, m.channel_id FROM messages m
          WHERE m.id = ${answer.message.id}`,
      );
      assert.deepEqual(stored, {
        id: answer.message.id,
        body: answer.message.body,
        conversation_id: answer.message.conversationId,
        contact_id: answer.message.contactId,
        channel_id: answer.message.channelId,
      });
    }
    assert.deepEqual(
      await rows(
        db,
        `SELECT m.body, c.phone, c.telegram_chat_id AS chat, v.status, v.assignee_id AS assignee,
          (SELECT count(*) FROM message_events e WHERE e.message_id = m.id) AS events
        FROM messages m JOIN contacts c ON c.id = m.contact_id
          JOIN conversations v ON v.id = m.conversation_id ORDER BY m.id`,
      ),
      [
        {
          body: "a",
          phone: "6281200000001",
          chat: null,
          status: "resolved",
          assignee: null,
          events: 1,
        },
        {
          body: "b",
          phone: "6281200000001",
          chat: null,
          status: "resolved",
          assignee: null,
          events: 1,
        },
        {
          body: "d",
          phone: "6281200000001",
          chat: null,
          status: "resolved",
          assignee: null,
          events: 1,
        },
        {
          body: "e",
          phone: "6281300000070",
          chat: null,
          status: "resolved",
          assignee: null,
          events: 1,
        },
        { body: "f", phone: null, chat: "5550001", status: "resolved", assignee: null, events: 1 },
        { body: "h", phone: "6281200000003", chat: null, status: "open", assignee: 9, events: 1 },
        {
          body: "i",
          phone: "6281200000001",
          chat: null,
          status: "resolved",
          assignee: null,
          events: 1,
        },
      ],
    );
    assert.deepEqual(
      await rows(db, `SELECT count(*) AS n FROM conversations WHERE channel_id = ${gone.id}`),
      [{ n: 0 }],
      "no conversation begins on a deleted channel",
    );
    // One conversation.created for each conversation begun, however many messages it got (the
    // replayed request's number too: its contact and conversation are written before its
    // message is found to be the earlier one), none on the deleted channel.
    assert.deepEqual(
      await rows(
        db,
        `SELECT c.phone, c.telegram_chat_id AS chat, count(*) AS events FROM webhook_events e
          JOIN conversations v ON v.id = e.conversation_id JOIN contacts c ON c.id = v.contact_id
        WHERE e.type = 'conversation.created' GROUP BY v.id ORDER BY v.id`,
      ),
      [
        { phone: "6281200000001", chat: null, events: 1 },
        { phone: "6281200000002", chat: null, events: 1 },
        { phone: "6281300000070", chat: null, events: 1 },
        { phone: null, chat: "5550001", events: 1 },
        { phone: "6281200000003", chat: null, events: 1 },
      ],
    );
  });
});

Deno.test("a set that fails is written again one message at a time: only the bad one fails", async () => {
  await withTempDb(async ({ db, clock, addChannel }) => {
    const wa = await addChannel({ name: "WA" });
    const writer = new GroupCommit(db, { windowMs: 30, maxWrites: 64 });
    const ask = (body: string, retryOfId?: number) =>
      enqueueMessage(db, writer, clock, {
        channelId: wa.id,
        channelKind: "whatsapp",
        to: { phone: "6281200000001" },
        type: "text",
        source: "api",
        priority: 1,
        body,
        retryOfId,
      }).then((a) => String(a.message.body), (e) => `refused: ${(e as Error).message}`);
    let answers: string[] = [];
    const sizes = await enqueueSetSizes(async () => {
      // A retry of a message that does not exist breaks the foreign key: the whole set fails.
      answers = await Promise.all([ask("a"), ask("b", 424242), ask("c")]);
    });
    assert.deepEqual(sizes, [3, 1, 1, 1]);
    assert.equal(answers[0], "a");
    assert.match(answers[1], /^refused: .*FOREIGN KEY/);
    assert.equal(answers[2], "c");
    assert.deepEqual(
      await rows(db, "SELECT body FROM messages ORDER BY id"),
      [{ body: "a" }, { body: "c" }],
    );
  });
});
