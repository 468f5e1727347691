import type { Clock } from "../../core/clock.ts";
import { GroupCommit } from "../../db/group_commit.ts";
import { createLogger, type Logger } from "../../core/log.ts";
import { SecretBox } from "../../core/secret_box.ts";
import type { Db } from "../../db/client.ts";
import type { ChannelKind } from "../../core/channel_types.ts";
import type { AdapterFactory } from "../../sessions/channel.ts";
import { EventBus, type KabarEvent } from "../../sessions/events.ts";
import { type Backoff, ChannelRegistry } from "../../sessions/registry.ts";
import { sandboxAdapter } from "../../sessions/sandbox.ts";

/** Resolves with the first event on `bus` that `match` accepts. */
export function nextEvent<T extends KabarEvent>(
  bus: EventBus,
  match: (event: KabarEvent) => event is T,
): Promise<T>;
export function nextEvent(
  bus: EventBus,
  match: (event: KabarEvent) => boolean,
): Promise<KabarEvent>;
export function nextEvent(bus: EventBus, match: (event: KabarEvent) => boolean) {
  return new Promise<KabarEvent>((resolve) => {
    const off = bus.subscribe((event) => {
      if (match(event)) {
        off();
        resolve(event);
      }
    });
  });
}

/** A factory that refuses to build: for kinds a test does not use. */
export const unusedFactory: AdapterFactory = () => {
  throw new Error("not used in this test");
};

/** A registry on `db` with the sandbox and the given factories, and its captured log lines. */
export async function testRegistry(
  db: Db,
  clock: Clock,
  dataDir: string,
  factories: Partial<Record<ChannelKind, AdapterFactory>> = {},
  backoff?: Backoff,
): Promise<{
  registry: ChannelRegistry;
  events: EventBus;
  lines: Record<string, unknown>[];
  writer: GroupCommit;
}> {
  const lines: Record<string, unknown>[] = [];
  const log: Logger = createLogger("debug", clock, (line) => lines.push(JSON.parse(line)));
  const events = new EventBus();
  const writer = new GroupCommit(db, undefined, log, clock);
  const registry = new ChannelRegistry({
    db,
    clock,
    log,
    secretBox: await SecretBox.fromSecret("test-secret-key-that-is-long-enough-123"),
    dataDir,
    events,
    writer,
    factories: {
      sandbox: sandboxAdapter(),
      whatsapp: unusedFactory,
      telegram: unusedFactory,
      ...factories,
    },
    backoff,
  });
  return { registry, events, lines, writer };
}
