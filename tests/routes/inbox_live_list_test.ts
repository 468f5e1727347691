/**
 * The live inbox list kept up to date from events alone shows, after every
 * step, exactly the page the database would give: rows entering, moving to
 * the top, leaving (resolved, given away, read), for each simple filter and
 * for an agent's visibility.
 */
import assert from "node:assert/strict";
import type { Viewer } from "../../core/conversation_visibility.ts";
import { readInboxQuery } from "../../core/inbox_query.ts";
import type { KabarEvent } from "../../sessions/events.ts";
import { LiveInboxList } from "../../routes/ui/inbox_live_list.ts";
import { markConversationRead } from "../../db/conversations.ts";
import { sandbox } from "../support/sandbox.ts";
import { startTestApp } from "../support/test_app.ts";

const PAGE = 3;

Deno.test("the live list from events matches the database's page after every step", async () => {
  await using t = await startTestApp();
  const one = await sandbox(t, { name: "Pendaftaran" });
  const two = await sandbox(t, { name: "Farmasi" });
  await t.deps.db.$client.execute(
    "INSERT INTO departments (id, name, created_at) VALUES (5, 'Farmasi', 0)",
  );
  await t.deps.db.$client.execute({
    sql: "INSERT INTO channel_departments (channel_id, department_id) VALUES (?, 5)",
    args: [two.id],
  });
  const rina = await t.addUser("rina", "agent");
  const budi = await t.addUser("budi", "agent");
  const viewers: Viewer[] = [
    { id: rina.id, role: "agent", departmentIds: [] },
    { id: budi.id, role: "supervisor", departmentIds: [] },
  ];
  const filters = [
    "",
    "status=all",
    "assignee=me",
    "assignee=none",
    "unread=1",
    `channel=${one.id}`,
  ]
    .map((q) =>
      readInboxQuery(
        Object.fromEntries(new URLSearchParams(q).entries().map(([k, v]) => [k, [v]])),
        "Asia/Jakarta",
      ).filter
    );
  const events: KabarEvent[] = [];
  let reads = 0;
  let updates = 0;
  let shownRows = 0;
  t.deps.events.subscribe((e) => void events.push(e));
  const lists = viewers.flatMap((viewer) =>
    filters.map((filter) => ({
      viewer,
      filter,
      list: new LiveInboxList(
        t.deps.db,
        viewer,
        filter,
        PAGE,
        () => {
          reads++;
          return t.deps.services.inbox.conversations(viewer, filter, { limit: PAGE });
        },
      ),
    }))
  );
  for (const { list } of lists) await list.after("all");

  const target = async (n: number) => {
    const { rows } = await t.deps.db.$client.execute({
      sql:
        "SELECT c.id, c.channel_id, c.contact_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ?",
      args: [`62812000000${n}`],
    });
    const r = rows[0];
    return { id: Number(r.id), channelId: Number(r.channel_id), contactId: Number(r.contact_id) };
  };
  const actor = { userId: budi.id, name: "Budi" };
  let random = 7;
  const next = (n: number) => (random = (random * 1103515245 + 12345) % 2147483648) % n;
  for (let step = 0; step < 60; step++) {
    events.length = 0;
    const n = next(8);
    const channel = n % 3 === 0 ? two : one;
    const action = next(6);
    t.clock.advance(1_000);
    if (action <= 2 || step < 8) {
      await t.deps.registry.simulateInbound(channel.id, {
        phone: `62812000000${n}`,
        text: `pesan ${step}`,
      });
    } else {
      const conversation = await target(n).catch(() => undefined);
      if (!conversation) continue;
      if (action === 3) {
        await t.deps.services.inbox.setStatus(actor, conversation, next(2) ? "resolved" : "open");
      }
      if (action === 4) {
        await t.deps.services.inbox.assign(actor, conversation, next(2) ? rina.id : null);
      }
      if (action === 5) {
        await markConversationRead(t.deps.db, conversation.id, t.clock.now());
        t.deps.events.publish({
          type: "conversation.changed",
          channelId: conversation.channelId,
          conversationId: conversation.id,
        });
      }
    }
    for (const { viewer, filter, list } of lists) {
      const live = await list.after([...events]);
      updates++;
      shownRows += live.rows.length;
      const fresh = await t.deps.services.inbox.conversations(viewer, filter, { limit: PAGE });
      assert.deepEqual(
        live.rows.map((r) => [r.id, r.status, r.unreadCount, r.assignee?.id ?? null]),
        fresh.rows.map((r) => [r.id, r.status, r.unreadCount, r.assignee?.id ?? null]),
        `step ${step}, ${viewer.role}, ${JSON.stringify(filter)}`,
      );
      assert.deepEqual(live.next, fresh.next, `next page, step ${step}`);
    }
  }
  assert.ok(shownRows > updates, "the lists had rows to keep");
  assert.ok(
    reads < updates / 2,
    `most updates came from events alone (${reads} reads, ${updates})`,
  );
});
