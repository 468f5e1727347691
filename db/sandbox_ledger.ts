import type { Clock } from "../core/clock.ts";
import type { AwaitingReceipt, DeliveryLedger } from "../core/channel_types.ts";
import type { Db } from "./client.ts";
import type { GroupCommit } from "./group_commit.ts";

/** The sandbox's record of what its simulated phones were shown, in `sandbox_inbox`. */
export function sandboxLedger(
  db: Db,
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
    async awaitingReceipts() {
      const { rows } = await db.$client.execute({
        sql: `SELECT m.external_id, m.status, s.first_at FROM messages m
          JOIN sandbox_inbox s ON s.channel_id = m.channel_id AND s.external_id = m.external_id
          WHERE m.channel_id = ? AND m.direction = 'out' AND m.status IN ('sent', 'delivered')
          ORDER BY s.first_at, m.id`,
        args: [channelId],
      });
      return rows.map((r) => ({
        externalId: String(r.external_id),
        status: r.status as AwaitingReceipt["status"],
        firstAt: Number(r.first_at),
      }));
    },
  };
}
