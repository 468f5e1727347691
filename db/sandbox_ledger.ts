import type { Clock } from "../core/clock.ts";
import type { DeliveryLedger } from "../core/channel_types.ts";
import type { GroupCommit } from "./group_commit.ts";

/** The sandbox's record of what its simulated phones were shown, in `sandbox_inbox`. */
export function sandboxLedger(
  writer: GroupCommit,
  clock: Clock,
  channelId: number,
): DeliveryLedger {
  return {
    async record(externalId) {
      const [result] = await writer.write([{
        sql: `INSERT INTO sandbox_inbox (channel_id, external_id, deliveries, first_at)
          VALUES (?, ?, 1, ?)
          ON CONFLICT (channel_id, external_id) DO UPDATE SET deliveries = deliveries + 1
          RETURNING deliveries`,
        args: [channelId, externalId, clock.now()],
      }]);
      return Number(result.rows[0].deliveries) === 1;
    },
  };
}
