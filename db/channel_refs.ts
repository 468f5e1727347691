import type { ChannelKind } from "../core/channel_types.ts";
import { type Db, readRow } from "./client.ts";

/** What queueing a message needs to know of a channel. */
export interface ChannelRef {
  id: number;
  kind: ChannelKind;
}

/**
 * The channel lookups of sending, remembered so a busy API does not read the
 * channels table on every request. Nothing remembered can mislead, in this
 * process or another sharing the database: a channel's kind never changes and
 * its id is never reused, and the default channel stops being the default only
 * when it is deleted, which the queueing insert checks for itself (a message is
 * never queued on a deleted channel; see `ENQUEUE`). The sender then
 * calls `forget` and looks again.
 */
export class ChannelRefs {
  #kinds = new Map<number, ChannelKind>();
  #default: ChannelRef | undefined;

  constructor(private readonly db: Db) {}

  /** The channel `id`, or undefined when there is none (or it was deleted). */
  async byId(id: number): Promise<ChannelRef | undefined> {
    const known = this.#kinds.get(id);
    if (known) return { id, kind: known };
    const row = await readRow(this.db, {
      sql: "SELECT kind FROM channels WHERE deleted_at IS NULL AND id = ?",
      args: [id],
    });
    if (!row) return undefined;
    const kind = row.kind as ChannelKind;
    this.#kinds.set(id, kind);
    return { id, kind };
  }

  /**
   * The channel to use when none is named: the default one, else the only
   * one; `none` when there is no channel, `ambiguous` when there are several
   * and none is the default.
   */
  async implicit(): Promise<ChannelRef | "none" | "ambiguous"> {
    if (this.#default) return this.#default;
    const row = await readRow(this.db, {
      sql:
        `SELECT id, kind, is_default, (SELECT count(*) FROM channels WHERE deleted_at IS NULL) AS live
        FROM channels WHERE deleted_at IS NULL ORDER BY is_default DESC LIMIT 1`,
      args: [],
    });
    if (!row) return "none";
    const ref = { id: Number(row.id), kind: row.kind as ChannelKind };
    // Only the default is remembered: "the only channel" stops being true when another is added.
    if (Number(row.is_default) === 1) this.#default = ref;
    else if (Number(row.live) > 1) return "ambiguous";
    return ref;
  }

  /** Forgets channel `id`, found deleted. */
  forget(id: number): void {
    this.#kinds.delete(id);
    if (this.#default?.id === id) this.#default = undefined;
  }
}
