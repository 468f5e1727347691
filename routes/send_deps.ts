import type { SendDeps } from "../sessions/send_message.ts";
import type { Deps } from "./app_env.ts";

/** What sending a message needs, from the application's dependencies. */
export function sendDepsOf(deps: Deps): SendDeps {
  return {
    db: deps.db,
    channels: deps.channelRefs,
    writer: deps.writer,
    clock: deps.clock,
    events: deps.events,
    dataDir: deps.config.dataDir,
    mediaMaxBytes: deps.config.mediaMaxBytes,
    phoneRegion: deps.config.phoneRegion,
    outbound: deps.outbound,
  };
}
