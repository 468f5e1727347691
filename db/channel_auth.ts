import { and, eq, inArray, sql } from "drizzle-orm";
import type { SecretBox } from "../core/secret_box.ts";
import type { AuthStore } from "../core/channel_types.ts";
import type { Db } from "./client.ts";
import { channelAuthKeys } from "./schema.ts";

/**
 * Rows per statement: keeps the bound parameters (4 per row) far below
 * SQLite's limit when Baileys writes hundreds of pre-keys at once.
 */
const CHUNK = 200;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * The auth state of one WhatsApp channel in `channel_auth_keys`, every value
 * sealed with `secretBox`. Rows go away with the channel (foreign key cascade).
 */
export function channelAuthStore(db: Db, secretBox: SecretBox, channelId: number): AuthStore {
  const ofChannel = eq(channelAuthKeys.channelId, channelId);

  return {
    async get(type, ids) {
      const found = new Map<string, string>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .select({ keyId: channelAuthKeys.keyId, value: channelAuthKeys.value })
          .from(channelAuthKeys)
          .where(
            and(ofChannel, eq(channelAuthKeys.type, type), inArray(channelAuthKeys.keyId, part)),
          );
        for (const row of rows) found.set(row.keyId, await secretBox.open(row.value));
      }
      return found;
    },

    async set(entries) {
      // The last entry for a key wins, as if the entries were applied in order.
      const latest = new Map<string, { type: string; id: string; value: string | null }>();
      for (const entry of entries) latest.set(`${entry.type}\u0000${entry.id}`, entry);

      const upserts: { channelId: number; type: string; keyId: string; value: string }[] = [];
      const deletes = new Map<string, string[]>();
      for (const { type, id, value } of latest.values()) {
        if (value === null) {
          const ids = deletes.get(type) ?? [];
          ids.push(id);
          deletes.set(type, ids);
        } else {
          upserts.push({ channelId, type, keyId: id, value: await secretBox.seal(value) });
        }
      }

      const statements = [
        ...[...deletes].flatMap(([type, ids]) =>
          chunks(ids).map((part) =>
            db.delete(channelAuthKeys).where(
              and(ofChannel, eq(channelAuthKeys.type, type), inArray(channelAuthKeys.keyId, part)),
            )
          )
        ),
        ...chunks(upserts).map((rows) =>
          db.insert(channelAuthKeys).values(rows).onConflictDoUpdate({
            target: [channelAuthKeys.channelId, channelAuthKeys.type, channelAuthKeys.keyId],
            set: { value: sql`excluded.value` },
          })
        ),
      ];
      const [first, ...rest] = statements;
      if (first) await db.batch([first, ...rest]);
    },

    async clear() {
      await db.delete(channelAuthKeys).where(ofChannel);
    },
  };
}
