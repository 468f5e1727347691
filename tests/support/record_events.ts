import type { EventBus, KabarEvent } from "../../sessions/events.ts";
import type { TestApp } from "./test_app.ts";
import { waitUntil } from "./wait_until.ts";

type EventType = KabarEvent["type"];
type EventOf<T extends EventType> = Extract<KabarEvent, { type: T }>;

/** The events published on a bus since `recordEvents`, in order. */
export interface RecordedEvents extends Disposable {
  /** Every event seen, in the order published. */
  readonly all: readonly KabarEvent[];
  /** The types of the events seen, in order: `["channel.status", "channel.changed"]`. */
  types(): EventType[];
  /** The events of one type, in order. */
  of<T extends EventType>(type: T): EventOf<T>[];
  /** Waits (real time, up to `timeoutMs`) until an event of `type` is seen; answers the first. */
  next<T extends EventType>(type: T, timeoutMs?: number): Promise<EventOf<T>>;
  /** Forgets what was seen so far (to assert on what a later step publishes). */
  clear(): void;
  /** Stops recording; `using seen = recordEvents(t)` stops at the end of the scope. */
  stop(): void;
}

/**
 * Records what is published on the app's event bus from now on.
 *
 *     const seen = recordEvents(t);
 *     await admin.post(`/channels/${id}/rename`, { name: "Poli" });
 *     assert.deepEqual(seen.types(), ["channel.changed"]);
 */
export function recordEvents(source: Pick<TestApp, "deps"> | EventBus): RecordedEvents {
  const bus = "deps" in source ? source.deps.events : source;
  const all: KabarEvent[] = [];
  const off = bus.subscribe((event) => all.push(event));
  const of = <T extends EventType>(type: T) =>
    all.filter((event): event is EventOf<T> => event.type === type);
  return {
    all,
    types: () => all.map((event) => event.type),
    of,
    async next(type, timeoutMs) {
      await waitUntil(() => of(type).length > 0, `a ${type} event`, timeoutMs);
      return of(type)[0];
    },
    clear: () => void all.splice(0),
    stop: () => void off(),
    [Symbol.dispose]: () => void off(),
  };
}
