import assert from "node:assert/strict";
import { seedDemo } from "../../db/demo_seed.ts";
import type { Db } from "../../db/client.ts";
import { mediaPath } from "../../db/media.ts";
import { withTempDb } from "../support/temp_db.ts";

const DAY = 24 * 60 * 60 * 1000;

async function one(db: Db, sql: string): Promise<number> {
  return Number((await db.$client.execute(sql)).rows[0][0]);
}

Deno.test("demo seed: the counts asked for, on two sandbox channels, over the last 90 days", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    const report = await seedDemo(db, clock, dir, { contacts: 40, messages: 500, seed: 7 });
    assert.equal(report.contacts, 40);
    assert.equal(report.messages, 500);
    assert.equal(report.conversations, 80);
    assert.equal(await one(db, "SELECT count(*) FROM contacts"), 40);
    assert.equal(await one(db, "SELECT count(*) FROM messages"), 500);
    assert.equal(await one(db, "SELECT count(*) FROM conversations"), 80);
    assert.equal(await one(db, "SELECT count(*) FROM message_events"), report.events);
    assert.deepEqual(report.channels.map((c) => c.created), [true, true]);
    assert.equal(
      await one(db, "SELECT count(*) FROM channels WHERE kind = 'sandbox' AND name LIKE 'Demo%'"),
      2,
    );
    assert.equal(await one(db, "SELECT count(*) FROM channel_departments"), 2);
    assert.equal(report.assignees.length, 0, "no agents: nobody is assigned, nobody created");
    assert.equal(await one(db, "SELECT count(*) FROM users"), 0);
    assert.equal(
      await one(db, "SELECT count(*) FROM conversations WHERE assignee_id IS NOT NULL"),
      0,
    );
    assert.ok(report.labelled > 0);
    assert.equal(
      await one(db, "SELECT count(DISTINCT conversation_id) FROM conversation_labels"),
      report.labelled,
    );
    const now = clock.now();
    assert.equal(
      await one(
        db,
        `SELECT count(*) FROM messages WHERE created_at > ${now} OR created_at < ${now - 90 * DAY}`,
      ),
      0,
    );
    // Some files, stored once, both on disk.
    assert.ok(await one(db, "SELECT count(*) FROM messages WHERE type = 'image'") > 0);
    assert.equal(await one(db, "SELECT count(*) FROM media"), 2);
    const png = await Deno.readFile(mediaPath(dir, report.media.image));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const pdf = new TextDecoder().decode(
      await Deno.readFile(mediaPath(dir, report.media.document)),
    );
    assert.match(pdf, /^%PDF-1\.4[\s\S]*%%EOF\n$/);
  });
});

Deno.test("demo seed: conversations agree with their messages, and messages with their events", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await seedDemo(db, clock, dir, { contacts: 60, messages: 900, seed: 3 });
    const disagree = await one(
      db,
      `SELECT count(*) FROM conversations c JOIN (
        SELECT conversation_id AS id, max(created_at) AS last, min(created_at) AS first,
          max(CASE WHEN direction = 'in' THEN created_at END) AS inbound,
          max(CASE WHEN direction = 'in' OR source = 'inbox' THEN created_at END) AS activity,
          count(*) AS n
        FROM messages GROUP BY conversation_id) m USING (id)
      WHERE c.last_message_at IS NOT m.last OR c.created_at IS NOT m.first
        OR c.last_inbound_at IS NOT m.inbound OR c.last_activity_at IS NOT m.activity
        OR c.unread_count > (SELECT count(*) FROM messages x WHERE x.conversation_id = c.id
          AND x.direction = 'in' AND x.id > coalesce((SELECT max(id) FROM messages y
            WHERE y.conversation_id = c.id AND y.direction = 'out'), 0))
        OR (c.status = 'resolved' AND (c.unread_count > 0 OR c.resolved_at IS NULL))`,
    );
    assert.equal(disagree, 0);
    assert.equal(
      await one(
        db,
        "SELECT count(*) FROM conversations c JOIN messages m ON m.conversation_id = c.id " +
          "WHERE m.channel_id != c.channel_id OR m.contact_id != c.contact_id",
      ),
      0,
    );
    const statuses = (await db.$client.execute(
      "SELECT DISTINCT status FROM conversations ORDER BY status",
    )).rows.map((r) => r.status);
    assert.deepEqual(statuses, ["open", "pending", "resolved"]);
    assert.ok(await one(db, "SELECT count(*) FROM conversations WHERE unread_count > 0") > 0);
    // Each message's last event is its status, and no event comes before the one it follows.
    assert.equal(
      await one(
        db,
        `SELECT count(*) FROM messages m WHERE m.status != (SELECT status FROM message_events e
          WHERE e.message_id = m.id ORDER BY at DESC, id DESC LIMIT 1)`,
      ),
      0,
    );
    assert.equal(
      await one(
        db,
        `SELECT count(*) FROM messages m WHERE direction = 'out' AND (SELECT status
          FROM message_events e WHERE e.message_id = m.id ORDER BY id LIMIT 1) != 'queued'`,
      ),
      0,
    );
    assert.equal(
      await one(
        db,
        "SELECT count(*) FROM messages WHERE status = 'failed' AND (error IS NULL OR failed_at IS NULL)",
      ),
      0,
    );
    assert.ok(await one(db, "SELECT count(*) FROM messages WHERE status = 'read'") > 0);
  });
});

Deno.test("demo seed: search finds seeded words in messages and contacts", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await seedDemo(db, clock, dir, { contacts: 30, messages: 400, seed: 11 });
    assert.equal(
      await one(db, "SELECT last_message_id FROM search_index"),
      await one(db, "SELECT max(id) FROM messages"),
    );
    const jadwal = await one(
      db,
      "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'jadwal'",
    );
    assert.equal(jadwal, await one(db, "SELECT count(*) FROM messages WHERE body LIKE '%jadwal%'"));
    assert.ok(jadwal > 0);
    const name = String(
      (await db.$client.execute("SELECT name FROM contacts WHERE name IS NOT NULL LIMIT 1")).rows[0]
        .name,
    );
    assert.ok(
      await one(
        db,
        `SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH '"${name.slice(1, 4)}"'`,
      ) > 0,
    );
  });
});

Deno.test("demo seed: running it again adds more, on the same channels and labels", async () => {
  await withTempDb(async ({ db, dir, clock }) => {
    await seedDemo(db, clock, dir, { contacts: 20, messages: 200, seed: 5 });
    clock.advance(60_000);
    const again = await seedDemo(db, clock, dir, { contacts: 20, messages: 200, seed: 5 });
    assert.deepEqual(again.channels.map((c) => c.created), [false, false]);
    assert.deepEqual(again.departments.map((d) => d.created), [false, false]);
    assert.ok(again.labels.every((l) => !l.created));
    assert.equal(await one(db, "SELECT count(*) FROM contacts"), 40);
    assert.equal(await one(db, "SELECT count(*) FROM messages"), 400);
    assert.equal(await one(db, "SELECT count(*) FROM channels"), 2);
    assert.equal(await one(db, "SELECT count(*) FROM labels"), 5);
    assert.equal(
      await one(db, "SELECT last_message_id FROM search_index"),
      await one(db, "SELECT max(id) FROM messages"),
    );
    // Contacts only, when there are fewer messages than conversations could take.
    const contactsOnly = await seedDemo(db, clock, dir, { contacts: 15, messages: 0 });
    assert.equal(contactsOnly.contacts, 15);
    assert.equal(await one(db, "SELECT count(*) FROM contacts"), 55);
  });
});
