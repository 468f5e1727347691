/**
 * Kabar killed with SIGKILL in the middle of sending 2,000 messages, then
 * started again: every message ends read, those the kill caught in `sending`
 * went again with their own id, and the sandbox's phones were shown each one
 * exactly once.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { updateChannelOptions } from "../../db/channels.ts";
import { crashInstall } from "../support/crash_install.ts";
import { startKabar } from "../support/kabar_process.ts";
import { waitUntil } from "../support/wait_until.ts";

const MESSAGES = 2_000;

Deno.test("a kill -9 while dispatching loses nothing and shows nothing twice", async () => {
  // The simulated network takes 100 ms to take each message, so the kill lands mid-way with
  // messages already on the phones but not yet recorded as sent.
  await using install = await crashInstall("kabar-crash-", 100);
  const { dir, db, channel, key, clock, count } = install;
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
    count("SELECT count(*) AS n FROM messages WHERE status IN ('sent', 'delivered', 'read')");
  await waitUntil(async () => await sent() >= 200, "a tenth sent");
  await first.kill();
  const atKill = await sent();
  assert.ok(atKill < MESSAGES, `killed mid-way (${atKill} of ${MESSAGES} sent)`);
  const sendingAtKill = await count("SELECT count(*) AS n FROM messages WHERE status = 'sending'");
  // The rest may go as fast as the sandbox takes them.
  await updateChannelOptions(db, clock, CLI_ACTOR, channel.id, {
    acceptAfterMs: 0,
    deliverAfterMs: 0,
    readAfterMs: 0,
  });

  const second = await startKabar(dir);
  let stopped: Deno.CommandStatus;
  const read = () => count("SELECT count(*) AS n FROM messages WHERE status = 'read'");
  try {
    await waitUntil(
      async () => await read() === MESSAGES,
      "every message read after the restart",
      60_000,
    );
  } finally {
    stopped = await second.stop();
  }
  assert.equal(stopped.code, 0, `a clean stop on SIGTERM:\n${second.output()}`);
  // Each message the kill caught in `sending` went again with its id, and the history says so.
  assert.equal(
    await count(
      "SELECT count(*) AS n FROM message_events WHERE status = 'retry' AND detail LIKE 'interrupted%'",
    ),
    sendingAtKill,
    "resent after the restart",
  );
  const handedAgain = await count(
    "SELECT coalesce(sum(deliveries - 1), 0) AS n FROM sandbox_inbox",
  );
  assert.ok(handedAgain <= sendingAtKill, `${handedAgain} handed over again`);
  assert.equal(await count("SELECT count(*) AS n FROM messages"), MESSAGES, "none twice");
  assert.equal(
    await count(`SELECT count(*) AS n FROM messages m JOIN sandbox_inbox s
        ON s.channel_id = m.channel_id AND s.external_id = m.external_id`),
    MESSAGES,
    "the phones were shown every message",
  );
  assert.equal(await count("SELECT count(*) AS n FROM sandbox_inbox"), MESSAGES, "each once");
});
