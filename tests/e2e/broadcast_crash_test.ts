/**
 * Kabar killed with SIGKILL in the middle of a 2,000-recipient broadcast,
 * then started again: the broadcast goes on where it stopped and finishes,
 * and each recipient's phone was shown its message exactly once.
 */
import assert from "node:assert/strict";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { updateChannelOptions } from "../../db/channels.ts";
import { crashInstall } from "../support/crash_install.ts";
import { startKabar } from "../support/kabar_process.ts";
import { waitUntil } from "../support/wait_until.ts";

const RECIPIENTS = 2_000;

Deno.test("a kill -9 during a broadcast: after the restart it finishes, each recipient got it once", async () => {
  // 50 ms to take each message: the kill lands with messages on the phones not yet recorded.
  await using install = await crashInstall("kabar-broadcast-crash-", 50);
  const { dir, db, channel, key, clock, count } = install;
  const first = await startKabar(dir);
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(`${first.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const made = await call("/api/v1/broadcasts", {
    name: "Pengingat vaksin",
    channel: channel.id,
    text: "Halo {{nama}}, jadwal vaksin besok.",
    send_window: null,
    // Never ending 0000: the sandbox keeps those numbers off WhatsApp.
    recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({
      phone: `0812${String(i).padStart(6, "0")}1`,
      name: `Pasien ${i}`,
    })),
  });
  assert.equal(made.status, 201, JSON.stringify(made.body).slice(0, 300));
  assert.equal(made.body.counts.valid, RECIPIENTS);
  const id = made.body.id;
  assert.equal((await call(`/api/v1/broadcasts/${id}/confirm`)).status, 200);
  assert.equal((await call(`/api/v1/broadcasts/${id}/start`)).status, 200);

  const sent = () =>
    count(
      `SELECT count(*) AS n FROM messages WHERE broadcast_id = ${id}
          AND status IN ('sent', 'delivered', 'read')`,
    );
  await waitUntil(async () => await sent() >= 200, "a tenth sent");
  await first.kill();
  const atKill = await sent();
  assert.ok(atKill < RECIPIENTS, `killed mid-way (${atKill} of ${RECIPIENTS} sent)`);
  await updateChannelOptions(db, clock, CLI_ACTOR, channel.id, {
    acceptAfterMs: 0,
    deliverAfterMs: 0,
    readAfterMs: 0,
  });

  const second = await startKabar(dir);
  let stopped: Deno.CommandStatus;
  try {
    await waitUntil(
      async () =>
        await count(
          `SELECT count(*) AS n FROM broadcasts WHERE id = ${id} AND status = 'finished'`,
        ) === 1,
      "the broadcast to finish after the restart",
      60_000,
    );
  } finally {
    stopped = await second.stop();
  }
  assert.equal(stopped.code, 0, `a clean stop on SIGTERM:\n${second.output()}`);
  assert.equal(await sent(), RECIPIENTS, "every recipient's message went");
  assert.equal(
    await count(
      `SELECT count(DISTINCT contact_id) AS n FROM messages WHERE broadcast_id = ${id}`,
    ),
    RECIPIENTS,
  );
  assert.equal(
    await count(`SELECT count(*) AS n FROM messages WHERE broadcast_id = ${id}`),
    RECIPIENTS,
    "one message per recipient",
  );
  assert.equal(
    await count("SELECT count(*) AS n FROM sandbox_inbox"),
    RECIPIENTS,
    "each once",
  );
});
