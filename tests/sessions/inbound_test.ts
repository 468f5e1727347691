/**
 * The inbound pipeline: a received message is stored once, the pages hear
 * of it, and a step that fails neither loses the message nor stops the
 * steps after it.
 */
import assert from "node:assert/strict";
import { createLogger } from "../../core/log.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { EventBus } from "../../sessions/events.ts";
import { InboundPipeline, type StoredInbound } from "../../sessions/inbound.ts";
import { recordEvents } from "../support/record_events.ts";
import { withTempDb } from "../support/temp_db.ts";

Deno.test("a received message is stored once and runs every step, a failing one too", async () => {
  await withTempDb(async ({ db, dir, clock, addChannel }) => {
    const channel = await addChannel();
    const events = new EventBus();
    const published = recordEvents(events);
    const logged: string[] = [];
    const log = createLogger("error", clock, (line) => logged.push(line));
    const writer = new GroupCommit(db);
    const inbound = new InboundPipeline({ db, clock, log, writer, events, dataDir: dir });
    const seen: string[] = [];
    inbound.use("broken rule", () => {
      throw new Error("rule exploded");
    });
    inbound.use("auto reply", (stored: StoredInbound) => {
      seen.push(`${stored.messageId}:${stored.message.text}`);
    });

    const message = {
      externalId: "wamid.1",
      from: { phone: "6281234567890", name: "Siti" },
      type: "text" as const,
      text: "Jam besuk sampai kapan?",
      at: clock.now(),
    };
    await inbound.receive(channel.id, message);
    await inbound.receive(channel.id, message);

    const rows = await db.$client.execute(
      "SELECT id, body FROM messages WHERE direction = 'in'",
    );
    assert.equal(rows.rows.length, 1, "stored once, the replay ignored");
    const id = Number(rows.rows[0].id);
    assert.deepEqual(published.types(), ["message.inbound"]);
    assert.deepEqual(seen, [`${id}:Jam besuk sampai kapan?`], "the step after the broken one ran");
    assert.equal(logged.length, 1);
    assert.match(logged[0], /"step":"broken rule".*rule exploded/);
  });
});
