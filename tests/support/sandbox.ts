import { CLI_ACTOR } from "../../db/audit_log.ts";
import { type Channel, createChannel } from "../../db/channels.ts";
import type { TestApp } from "./test_app.ts";
import { waitUntil } from "./wait_until.ts";

/** How `sandbox` makes its channel. */
export interface SandboxOptions {
  /** Default: "Sandbox". */
  name?: string;
  /**
   * Start it in the registry; default true. It is connected when this answers:
   * the status stored and its `channel.status` event published.
   */
  start?: boolean;
}

/**
 * Adds a sandbox channel directly in the database and starts it, so sends to
 * it go out (and walk to delivered and read) and simulated replies come in.
 *
 *     const channel = await sandbox(t, { name: "Latihan" });
 */
export async function sandbox(
  t: Pick<TestApp, "deps">,
  options: SandboxOptions = {},
): Promise<Channel> {
  const channel = await createChannel(t.deps.db, t.deps.clock, CLI_ACTOR, {
    kind: "sandbox",
    name: options.name ?? "Sandbox",
  });
  if (!(options.start ?? true)) return channel;
  let connected = false;
  const off = t.deps.events.subscribe((event) => {
    if (
      event.type === "channel.status" && event.channelId === channel.id &&
      event.status === "connected"
    ) connected = true;
  });
  try {
    await t.deps.registry.start(channel.id);
    await waitUntil(() => connected, `sandbox channel ${channel.id} connected`);
  } finally {
    off();
  }
  return channel;
}
