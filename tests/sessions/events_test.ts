/**
 * The event bus shared through the database: what one process publishes
 * reaches the listeners of another process on the same database file, once,
 * and never comes back to the one that published it; a QR code is not shared.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import { closeDb, openDb } from "../../db/client.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { EventBus, type KabarEvent } from "../../sessions/events.ts";
import { withTempDb } from "../support/temp_db.ts";
import { waitUntil } from "../support/wait_until.ts";

Deno.test("events published in one process reach the other's listeners within a poll", async () => {
  await withTempDb(async ({ db, dir }) => {
    const dbB = await openDb(`file:${dir}/kabar.db`);
    const clock = new ManualClock();
    const a = new EventBus();
    const b = new EventBus();
    try {
      await a.share({ db, writer: new GroupCommit(db), log: silentLogger, origin: "A", clock });
      await b.share({
        db: dbB,
        writer: new GroupCommit(dbB),
        log: silentLogger,
        origin: "B",
        clock,
      });
      const heardByA: KabarEvent[] = [];
      const heardByB: KabarEvent[] = [];
      a.subscribe((e) => heardByA.push(e));
      b.subscribe((e) => heardByB.push(e));

      const qr: KabarEvent = { type: "channel.qr", channelId: 3, qr: "2@abc", expiresAt: 0 };
      const queued: KabarEvent = {
        type: "message.queued",
        channelId: 3,
        conversationId: 9,
        messageId: 41,
      };
      a.publish(qr);
      a.publish(queued);
      assert.deepEqual(heardByA, [qr, queued], "heard at once where it was published");
      assert.deepEqual(heardByB, [], "not before the other process reads the log");

      // Each step: the write falls due (50 ms), then the other process's read (1 s).
      await waitUntil(() => {
        clock.advance(1_000);
        return heardByB.length > 0;
      }, "B to hear A's event");
      assert.deepEqual(heardByB, [queued], "a QR code stays in the process that runs the channel");

      const status: KabarEvent = {
        type: "message.status",
        channelId: 3,
        messageId: 41,
        status: "sent",
      };
      b.publish(status);
      await waitUntil(() => {
        clock.advance(1_000);
        return heardByA.length > 2;
      }, "A to hear B's event");
      for (let i = 0; i < 3; i++) clock.advance(1_000);
      await a.finish();
      await b.finish();
      assert.deepEqual(heardByA, [qr, queued, status], "each event once, never one's own back");
      assert.deepEqual(heardByB, [queued, status]);
    } finally {
      await a.finish();
      await b.finish();
      closeDb(dbB);
    }
  });
});

Deno.test("a process that starts listening hears only what is published from then on", async () => {
  await withTempDb(async ({ db, dir }) => {
    const clock = new ManualClock();
    const before = new EventBus();
    await before.share({
      db,
      writer: new GroupCommit(db),
      log: silentLogger,
      origin: "old",
      clock,
    });
    before.publish({ type: "channel.changed", channelId: 1 });
    await before.finish();

    const dbB = await openDb(`file:${dir}/kabar.db`);
    const late = new EventBus();
    try {
      await late.share({
        db: dbB,
        writer: new GroupCommit(dbB),
        log: silentLogger,
        origin: "new",
        clock,
      });
      const heard: KabarEvent[] = [];
      late.subscribe((e) => heard.push(e));
      const writer = new EventBus();
      await writer.share({
        db,
        writer: new GroupCommit(db),
        log: silentLogger,
        origin: "writer",
        clock,
      });
      writer.publish({ type: "channel.changed", channelId: 2 });
      await writer.finish();
      await waitUntil(() => {
        clock.advance(1_000);
        return heard.length > 0;
      }, "the new event");
      assert.deepEqual(heard, [{ type: "channel.changed", channelId: 2 }]);
    } finally {
      await late.finish();
      closeDb(dbB);
    }
  });
});
