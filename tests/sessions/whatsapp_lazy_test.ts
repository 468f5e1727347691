/** The lazily loaded WhatsApp adapter: a stop while Baileys loads means nothing starts. */
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import type { ChannelCallbacks } from "../../sessions/channel.ts";
import { lazyWhatsappAdapter } from "../../sessions/whatsapp_lazy.ts";

Deno.test("a lazily loaded WhatsApp channel stopped while loading never connects", async () => {
  const reported: string[] = [];
  const callbacks: ChannelCallbacks = {
    onQr: () => reported.push("qr"),
    onPairingCode: () => reported.push("code"),
    onStatus: (status) => reported.push(status),
    onIdentity: () => {},
    onLidMapping: () => {},
    onInbound: () => Promise.resolve(),
    onReceipt: () => Promise.resolve(),
    onClosed: () => reported.push("closed"),
  };
  const unused = () => Promise.reject(new Error("not used"));
  const adapter = lazyWhatsappAdapter()({
    channel: {
      id: 1,
      kind: "whatsapp",
      name: "WA",
      phone: "6281234567890",
      secret: null,
      options: {},
    },
    callbacks,
    clock: new ManualClock(),
    log: silentLogger,
    authStore: { get: unused, set: unused, clear: unused },
    ledger: { record: unused, awaitingReceipts: unused },
    findSentText: () => Promise.resolve(undefined),
    mediaMaxBytes: 16 * 1024 * 1024,
  });
  const starting = adapter.start();
  await adapter.stop();
  await starting;
  assert.deepEqual(reported, [], "no socket was made, nothing reported");
});
