/**
 * The inbox list on a real database: each filter narrows, filters combine,
 * an agent sees exactly what the visibility rule allows, and paging neither
 * repeats nor skips a row while others move to the top.
 */
import assert from "node:assert/strict";
import { canSeeConversation, type Viewer } from "../../core/conversation_visibility.ts";
import type { Db } from "../../db/client.ts";
import {
  type ConversationFilter,
  type ConversationRow,
  listConversations,
} from "../../db/conversations.ts";
import { withTempDb } from "../support/temp_db.ts";

const T = Date.UTC(2026, 2, 14, 1); // 08:00 in Jakarta

interface Seed {
  channel: number;
  assignee?: number;
  department?: number;
  status?: string;
  activity?: number | null;
  inbound?: number | null;
  unread?: number;
  labels?: number[];
}

async function seed(db: Db, rows: Seed[]) {
  const run = (sql: string, args: unknown[] = []) =>
    db.$client.execute({ sql, args: args as never });
  await run(
    "INSERT INTO users (id, username, display_name, password_hash, role, password_changed_at, created_at, updated_at) VALUES (7, 'rina', 'Rina', 'x', 'agent', 0, 0, 0), (8, 'budi', 'Budi', 'x', 'agent', 0, 0, 0)",
  );
  await run(
    "INSERT INTO departments (id, name, created_at) VALUES (1, 'Pendaftaran', 0), (2, 'Farmasi', 0)",
  );
  await run("INSERT INTO user_departments (user_id, department_id) VALUES (7, 1)");
  await run(
    "INSERT INTO channels (id, kind, name, created_at, updated_at) VALUES (1, 'sandbox', 'Umum', 0, 0), (2, 'sandbox', 'Farmasi', 0, 0)",
  );
  await run("INSERT INTO channel_departments (channel_id, department_id) VALUES (2, 2)");
  await run(
    "INSERT INTO labels (id, name, color, created_at) VALUES (1, 'BPJS', '#0a0', 0), (2, 'Lab', '#a00', 0)",
  );
  for (const [i, row] of rows.entries()) {
    const id = i + 1;
    await run(
      "INSERT INTO contacts (id, phone, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
      [
        id,
        `62812000${String(id).padStart(5, "0")}`,
        `Pasien ${id}`,
      ],
    );
    await run(
      `INSERT INTO conversations (id, channel_id, contact_id, status, assignee_id, department_id,
        unread_count, last_activity_at, last_inbound_at, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
      [
        id,
        row.channel,
        id,
        row.status ?? "open",
        row.assignee ?? null,
        row.department ?? null,
        row.unread ?? 0,
        row.activity === undefined ? T + id * 60_000 : row.activity,
        row.inbound === undefined ? null : row.inbound,
      ],
    );
    for (const label of row.labels ?? []) {
      await run("INSERT INTO conversation_labels (conversation_id, label_id) VALUES (?, ?)", [
        id,
        label,
      ]);
    }
  }
}

const admin: Viewer = { id: 99, role: "admin", departmentIds: [] };
const ids = (rows: ConversationRow[]) => rows.map((r) => r.id);
const list = (db: Db, filter: ConversationFilter, viewer = admin) =>
  listConversations(db, viewer, filter, { limit: 100 }).then((p) => ids(p.rows));

Deno.test("each filter narrows the list and filters combine", async () => {
  await withTempDb(async ({ db }) => {
    await seed(db, [
      { channel: 1, assignee: 7, labels: [1, 2], unread: 2 }, // 1
      { channel: 1, labels: [1] }, // 2
      { channel: 2, department: 2, labels: [2], unread: 1 }, // 3
      { channel: 1, status: "resolved" }, // 4
      { channel: 1, assignee: 8, activity: null }, // 5: no activity yet
      { channel: 2, department: 1, activity: T - 86_400_000 }, // 6: the day before
    ]);
    assert.deepEqual(await list(db, {}), [3, 2, 1, 6, 5], "open, newest first, no activity last");
    assert.deepEqual(await list(db, { status: "all" }), [4, 3, 2, 1, 6, 5]);
    assert.deepEqual(await list(db, { status: "resolved" }), [4]);
    assert.deepEqual(await list(db, { channelId: 2 }), [3, 6]);
    assert.deepEqual(await list(db, { assignee: "none" }), [3, 2, 6]);
    assert.deepEqual(await list(db, { assignee: 7 }), [1]);
    assert.deepEqual(
      await list(db, { assignee: "me" }, { id: 8, role: "supervisor", departmentIds: [] }),
      [5],
    );
    assert.deepEqual(await list(db, { departmentId: 2 }), [3]);
    assert.deepEqual(await list(db, { labelIds: [1] }), [2, 1]);
    assert.deepEqual(await list(db, { labelIds: [1, 2] }), [1], "labels: every one of them");
    assert.deepEqual(await list(db, { unreadOnly: true }), [3, 1]);
    assert.deepEqual(await list(db, { since: T, until: T + 150_000 }), [2, 1], "a time range");
    assert.deepEqual(await list(db, { labelIds: [2], unreadOnly: true, channelId: 1 }), [1]);

    const [first] = (await listConversations(db, admin, { labelIds: [1, 2] }, { limit: 5 })).rows;
    assert.deepEqual(first.labels.map((l) => l.name), ["BPJS", "Lab"]);
    assert.deepEqual(first.assignee, { id: 7, name: "Rina" });
    assert.equal(first.contact.name, "Pasien 1");
    assert.equal(first.channel.name, "Umum");
  });
});

Deno.test("an agent sees exactly what the visibility rule allows", async () => {
  await withTempDb(async ({ db }) => {
    const rows: Seed[] = [
      { channel: 1, assignee: 7, department: 2 }, // hers
      { channel: 1, department: 1 }, // her department
      { channel: 1, department: 2 }, // another department
      { channel: 1 }, // a channel of nobody's
      { channel: 2 }, // Farmasi's channel
      { channel: 2, department: 1 }, // her department on Farmasi's channel
    ];
    await seed(db, rows);
    const rina: Viewer = { id: 7, role: "agent", departmentIds: [1] };
    const expected = rows.flatMap((row, i) =>
      canSeeConversation(rina, {
          assigneeId: row.assignee ?? null,
          departmentId: row.department ?? null,
          channelDepartmentIds: row.channel === 2 ? [2] : [],
        })
        ? [i + 1]
        : []
    ).reverse();
    assert.deepEqual(await list(db, {}, rina), expected);
    assert.deepEqual(expected, [6, 4, 2, 1]);
    assert.deepEqual(await list(db, {}, { id: 8, role: "agent", departmentIds: [] }), [4]);
  });
});

Deno.test("paging never repeats a row nor skips one whose activity did not change", async () => {
  await withTempDb(async ({ db }) => {
    await seed(
      db,
      Array.from({ length: 9 }, (_, i) => ({ channel: 1, activity: i < 3 ? T : undefined })),
    );
    const seen: number[] = [];
    let cursor;
    for (let page = 0; page < 10; page++) {
      const result = await listConversations(db, admin, {}, { cursor, limit: 2 });
      seen.push(...ids(result.rows));
      if (page === 1) {
        // Conversation 9 (already listed) and 1 (not yet) get new messages meanwhile.
        await db.$client.execute({
          sql: "UPDATE conversations SET last_activity_at = ? WHERE id IN (9, 1)",
          args: [T + 3_600_000],
        });
      }
      if (!result.next) break;
      cursor = result.next;
    }
    const unchanged = [2, 3, 4, 5, 6, 7, 8];
    for (const id of unchanged) {
      assert.equal(seen.filter((s) => s === id).length, 1, `conversation ${id} once`);
    }
    assert.equal(new Set(seen).size, seen.length, "no row twice");
  });
});

Deno.test("waiting longest: unanswered conversations, the oldest patient message first", async () => {
  await withTempDb(async ({ db }) => {
    await seed(db, [
      { channel: 1, inbound: T + 5, activity: T + 5 }, // waiting since T+5
      { channel: 1, inbound: T + 1, activity: T + 9 }, // answered after
      { channel: 1, inbound: T + 2, activity: T + 2 }, // waiting since T+2
      { channel: 1, inbound: null, activity: null }, // nothing from the patient
    ]);
    assert.deepEqual(await list(db, { sort: "waiting" }), [3, 1]);
    const first = await listConversations(db, admin, { sort: "waiting" }, { limit: 1 });
    const second = await listConversations(db, admin, { sort: "waiting" }, {
      limit: 1,
      cursor: first.next,
    });
    assert.deepEqual([...ids(first.rows), ...ids(second.rows)], [3, 1]);
    assert.equal(second.next, undefined);
  });
});
