/**
 * Everything about channels survives a restart: the channels start again at
 * boot, and a WhatsApp channel finds the auth state it saved, so the phone
 * does not need a new scan.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../core/config.ts";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import { CLI_ACTOR } from "../../db/audit_log.ts";
import { createChannel, getChannel } from "../../db/channels.ts";
import { closeDb } from "../../db/client.ts";
import type { AdapterFactory } from "../../sessions/channel.ts";
import { boot, type BootOptions } from "../../main.ts";

/** A WhatsApp adapter that pairs on the first run (saving creds) and resumes on later ones. */
function rememberingWhatsApp(runs: string[]): AdapterFactory {
  return (context) => ({
    async start() {
      const saved = await context.authStore.get("creds", [""]);
      if (saved.has("")) {
        runs.push(`resumed ${saved.get("")}`);
      } else {
        runs.push("paired");
        await context.authStore.set([{ type: "creds", id: "", value: '{"me":"628111"}' }]);
      }
      context.callbacks.onStatus("connected");
    },
    stop: () => Promise.resolve(),
    logout: () => Promise.resolve(),
    send: () => Promise.resolve({ externalId: "x" }),
  });
}

Deno.test("channels start again after a restart and WhatsApp resumes without a scan", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kabar-restart-" });
  const runs: string[] = [];
  const options: BootOptions = { factories: { whatsapp: rememberingWhatsApp(runs) } };
  const config = parseConfig({ KABAR_DATA_DIR: dir }, {}, "/");
  try {
    for (const run of [1, 2]) {
      const clock = new ManualClock();
      const deps = await boot(config, silentLogger, clock, options);
      if (run === 1) {
        await createChannel(deps.db, clock, CLI_ACTOR, {
          kind: "whatsapp",
          name: "Pendaftaran",
          phone: "628111",
        });
        await createChannel(deps.db, clock, CLI_ACTOR, { kind: "sandbox", name: "Latihan" });
      }
      await deps.registry.startAll();
      assert.equal((await getChannel(deps.db, 1))?.status, "connected");
      assert.equal((await getChannel(deps.db, 2))?.status, "connected");
      await deps.registry.stopAll();
      closeDb(deps.db);
    }
    assert.deepEqual(runs, ["paired", 'resumed {"me":"628111"}']);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
