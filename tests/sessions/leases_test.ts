/**
 * Two Kabar processes on one database (two registries, each with its own
 * connection and clock): each channel runs in exactly one of them, a channel
 * turned off elsewhere stops, and the other process takes over the channels
 * of one that stopped renewing.
 */
import assert from "node:assert/strict";
import { GroupCommit } from "../../db/group_commit.ts";
import { waitUntil } from "../support/wait_until.ts";
import { ManualClock } from "../../core/clock.ts";
import { createLogger } from "../../core/log.ts";
import { SecretBox } from "../../core/secret_box.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { setChannelEnabled } from "../../db/channels.ts";
import { closeDb, openDb } from "../../db/client.ts";
import type { AdapterFactory } from "../../sessions/channel.ts";
import { EventBus } from "../../sessions/events.ts";
import { ChannelRegistry } from "../../sessions/registry.ts";
import { unusedFactory } from "../support/channel_kit.ts";
import { withTempDb } from "../support/temp_db.ts";

const LEASE_MS = 30_000;

Deno.test("each channel runs in one process; the other takes over when it goes quiet", async () => {
  await withTempDb(async ({ db, dir, clock: clockA, addChannel }) => {
    const running = new Map<string, Set<number>>([["A", new Set()], ["B", new Set()]]);
    const tracking = (name: string): AdapterFactory => (context) => ({
      start() {
        running.get(name)!.add(context.channel.id);
        context.callbacks.onStatus("connected");
        return Promise.resolve();
      },
      stop() {
        running.get(name)!.delete(context.channel.id);
        return Promise.resolve();
      },
      logout: () => Promise.resolve(),
      send: () => Promise.resolve({ externalId: "x" }),
    });
    const dbB = await openDb(`file:${dir}/kabar.db`);
    const clockB = new ManualClock(clockA.now());
    const secretBox = await SecretBox.fromSecret("test-secret-key-that-is-long-enough-123");
    const registry = (name: string, clock: ManualClock, database = db) =>
      new ChannelRegistry({
        db: database,
        clock,
        log: createLogger("error", clock, () => {}),
        secretBox,
        dataDir: dir,
        events: new EventBus(),
        writer: new GroupCommit(database),
        factories: { sandbox: tracking(name), whatsapp: unusedFactory, telegram: unusedFactory },
        owner: name,
        leaseMs: LEASE_MS,
      });
    const a = registry("A", clockA);
    const b = registry("B", clockB, dbB);
    try {
      const first = await addChannel({ name: "Satu" });
      const second = await addChannel({ name: "Dua" });
      await a.startAll();
      await b.startAll();
      assert.deepEqual([...running.get("A")!].sort(), [first.id, second.id]);
      assert.deepEqual([...running.get("B")!], [], "B leaves A's channels alone");

      // A renews while it lives; B keeps checking and finds nothing to take.
      for (let i = 0; i < 6; i++) {
        clockA.advance(LEASE_MS / 3);
        clockB.advance(LEASE_MS / 3);
        await waitUntil(() => clockA.pendingTimers === 1 && clockB.pendingTimers === 1);
      }
      assert.deepEqual([...running.get("B")!], []);

      // Turned off through B (another process's page): A stops it at its next renewal.
      await setChannelEnabled(dbB, clockB, CLI_ACTOR, second.id, false);
      clockA.advance(LEASE_MS / 3);
      await waitUntil(() => !running.get("A")!.has(second.id));

      // A goes quiet (its clock stops: no renewals). Once its lease expires, B takes over.
      // A last renewed at 70 s, so its lease runs until 100 s; B checks every 10 s from 60 s.
      for (const at of [70, 80, 90, 100, 110]) {
        clockB.advance(LEASE_MS / 3);
        await waitUntil(() => clockB.pendingTimers === 1);
        assert.equal(running.get("B")!.has(first.id), at > 100, `B's check at ${at} s`);
      }
      assert.deepEqual([...running.get("B")!], [first.id], "the disabled channel stays off");
    } finally {
      await b.stopAll();
      await a.stopAll();
      closeDb(dbB);
    }
  });
});
