/**
 * The media store: files named by the SHA-256 of their content under
 * `<data dir>/media/<first two hex digits>/`, one row each in `media`.
 */
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { Db } from "./client.ts";
import { asDiskFull, DiskFullError, LOW_SPACE } from "./errors.ts";
import { media, mediaGrants, messages } from "./schema.ts";

export type Media = typeof media.$inferSelect;

/** A file to store, as it arrives from a channel or an upload. */
export interface MediaInput {
  data: Uint8Array;
  mimeType: string;
  fileName?: string;
}

/** Where the file with `id` lives. */
export function mediaPath(dataDir: string, id: string): string {
  return `${dataDir}/media/${id.slice(0, 2)}/${id}`;
}

/**
 * Stores `file` (once: the same bytes give the same id) and returns its id;
 * `forChannel` makes it that channel's to send by id (see `mediaGrants`).
 * The file is on disk before its row exists, so a row never points at nothing.
 * A file that would leave the disk with less than the space kept for the
 * database is refused as if the disk were full: files must never be what stops
 * messages and receipts from being stored.
 */
export async function saveMedia(
  db: Db,
  clock: Clock,
  dataDir: string,
  file: MediaInput,
  { forChannel }: { forChannel?: number } = {},
): Promise<string> {
  const free = db.$disk.freeBytes(dataDir);
  if (free !== undefined && free - file.data.byteLength < db.$disk.lowBytes) {
    throw new DiskFullError(LOW_SPACE, dataDir, free);
  }
  const id = createHash("sha256").update(file.data).digest("hex");
  const path = mediaPath(dataDir, id);
  // Kabar's own account only: folders 0700, files 0600.
  await Deno.mkdir(`${dataDir}/media/${id.slice(0, 2)}`, { recursive: true, mode: 0o700 });
  const temp = `${path}.${crypto.randomUUID()}.part`;
  try {
    await Deno.writeFile(temp, file.data, { mode: 0o600 });
    await Deno.rename(temp, path);
  } catch (e) {
    // A full disk must not leave half-written files behind at each retry.
    await Deno.remove(temp).catch(() => {});
    const full = asDiskFull(e, dataDir);
    if (full) db.$disk.failed(full);
    throw full ?? e;
  }
  await db.batch([
    db.insert(media).values({
      id,
      mimeType: file.mimeType,
      size: file.data.byteLength,
      fileName: file.fileName ?? null,
      createdAt: clock.now(),
    }).onConflictDoNothing(),
    ...(forChannel === undefined ? [] : [
      db.insert(mediaGrants).values({ mediaId: id, channelId: forChannel, createdAt: clock.now() })
        .onConflictDoNothing(),
    ]),
  ]);
  return id;
}

/**
 * The stored row of `id`, or undefined. With `usableOn`, only a file a
 * sender limited to that channel may use: one stored for the channel, or
 * that went through it; any other is answered as one that does not exist.
 */
export async function getMedia(
  db: Db,
  id: string,
  { usableOn }: { usableOn?: number } = {},
): Promise<Media | undefined> {
  const usable = usableOn === undefined ? undefined : sql`(EXISTS (SELECT 1 FROM ${mediaGrants}
      WHERE ${mediaGrants.mediaId} = ${id} AND ${mediaGrants.channelId} = ${usableOn})
    OR EXISTS (SELECT 1 FROM ${messages}
      WHERE ${messages.mediaId} = ${id} AND ${messages.channelId} = ${usableOn}))`;
  return (await db.select().from(media).where(and(eq(media.id, id), usable)))[0];
}

/** The row and bytes of `id`, or undefined when either is missing. */
export async function loadMedia(
  db: Db,
  dataDir: string,
  id: string,
): Promise<(Media & { data: Uint8Array }) | undefined> {
  const row = await getMedia(db, id);
  if (!row) return undefined;
  try {
    return { ...row, data: await Deno.readFile(mediaPath(dataDir, id)) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
