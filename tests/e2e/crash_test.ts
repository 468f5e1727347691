/**
 * Kabar killed with SIGKILL in the middle of sending 2,000 messages, then
 * started again: every message ends read, those the kill caught in `sending`
 * went again with their own id, and the sandbox's phones were shown each one
 * exactly once.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { createApiKey } from "../../db/api_keys.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, updateChannelOptions } from "../../db/channels.ts";
import { closeDb, type Db, migrateDb, openDb } from "../../db/client.ts";
import { startKabar } from "../support/kabar_process.ts";
import { waitUntil } from "../support/wait_until.ts";

const MESSAGES = 2_000;

async function count(db: Db, sql: string): Promise<number> {
  return Number((await db.$client.execute(sql)).rows[0].n);
}

Deno.test("a kill -9 while dispatching loses nothing and shows nothing twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kabar-crash-" });
  const db = await openDb(`file:${dir}/kabar.db`);
  try {
    await migrateDb(db);
    const clock = new ManualClock(Date.now());
    const channel = await createChannel(db, clock, CLI_ACTOR, { kind: "sandbox", name: "Uji" });
    // The simulated network takes 100 ms to take each message, so the kill lands mid-way with
    // messages already on the phones but not yet recorded as sent.
    await updateChannelOptions(db, clock, CLI_ACTOR, channel.id, {
      acceptAfterMs: 100,
      deliverAfterMs: 0,
      readAfterMs: 0,
    });
    const { key } = await createApiKey(db, clock, CLI_ACTOR, {
      name: "crash",
      scopes: ["*"],
      ipAllowlist: [],
      channelId: null,
      // 2,000 sends as fast as they go: more than a key's default rate allows.
      rateLimit: 0,
    });

    // The key of this install: Kabar makes none for a database that already holds channels.
    await Deno.writeTextFile(`${dir}/secret.key`, "k".repeat(43), { mode: 0o600 });
    const first = await startKabar(dir);
    const post = (i: number) =>
      fetch(`${first.url}/api/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        // Never ending 0000: the sandbox keeps those numbers off WhatsApp.
        body: JSON.stringify({ to: `0812${String(i).padStart(6, "0")}1`, text: `Pesan ${i}` }),
      }).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      });
    for (let i = 0; i < MESSAGES; i += 100) {
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, j) => post(i + j)));
      assert.ok(statuses.every((s) => s === 202), `accepted: ${statuses.join(",")}`);
    }
    const sent = () =>
      count(db, "SELECT count(*) AS n FROM messages WHERE status IN ('sent', 'delivered', 'read')");
    await waitUntil(async () => await sent() >= 200, "a tenth sent");
    await first.kill();
    const atKill = await sent();
    assert.ok(atKill < MESSAGES, `killed mid-way (${atKill} of ${MESSAGES} sent)`);
    const sendingAtKill = await count(
      db,
      "SELECT count(*) AS n FROM messages WHERE status = 'sending'",
    );
    // The rest may go as fast as the sandbox takes them.
    await updateChannelOptions(db, clock, CLI_ACTOR, channel.id, {
      acceptAfterMs: 0,
      deliverAfterMs: 0,
      readAfterMs: 0,
    });

    const second = await startKabar(dir);
    const read = () => count(db, "SELECT count(*) AS n FROM messages WHERE status = 'read'");
    try {
      await waitUntil(
        async () => await read() === MESSAGES,
        "every message read after the restart",
        60_000,
      );
    } finally {
      await second.stop();
    }
    // Each message the kill caught in `sending` went again with its id, and the history says so.
    assert.equal(
      await count(
        db,
        "SELECT count(*) AS n FROM message_events WHERE status = 'retry' AND detail LIKE 'interrupted%'",
      ),
      sendingAtKill,
      "resent after the restart",
    );
    const handedAgain = await count(
      db,
      "SELECT coalesce(sum(deliveries - 1), 0) AS n FROM sandbox_inbox",
    );
    assert.ok(handedAgain <= sendingAtKill, `${handedAgain} handed over again`);
    assert.equal(await count(db, "SELECT count(*) AS n FROM messages"), MESSAGES, "none twice");
    assert.equal(
      await count(
        db,
        `SELECT count(*) AS n FROM messages m JOIN sandbox_inbox s
        ON s.channel_id = m.channel_id AND s.external_id = m.external_id`,
      ),
      MESSAGES,
      "the phones were shown every message",
    );
    assert.equal(await count(db, "SELECT count(*) AS n FROM sandbox_inbox"), MESSAGES, "each once");
  } finally {
    closeDb(db);
    await Deno.remove(dir, { recursive: true });
  }
});
