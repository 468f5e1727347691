/** A broadcast's waiting rows queued as the runner queues them, without the runner. */
import type { ChannelKind } from "../../core/channel_types.ts";
import type { Clock } from "../../core/clock.ts";
import type { MediaMessageType } from "../../core/message_type.ts";
import { type Broadcast, queueRows, readRowsToQueue } from "../../db/broadcasts.ts";
import type { Db } from "../../db/client.ts";
import type { GroupCommit } from "../../db/group_commit.ts";

/** Reads and queues up to `limit` waiting rows in one transaction; answers how many were queued. */
export async function queueRecipients(
  db: Db,
  writer: GroupCommit,
  clock: Clock,
  broadcast: Broadcast,
  channelKind: ChannelKind,
  options: { limit: number; notBefore?: number; mediaType?: MediaMessageType },
): Promise<number> {
  const rows = await readRowsToQueue(db, broadcast, channelKind, options);
  return (await queueRows(db, writer, clock, broadcast, channelKind, rows, options)).queued;
}
