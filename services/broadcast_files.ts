/**
 * The file a broadcast sends with every message (an image, a PDF…), kept in
 * the media store like a reply's file: its type read from its bytes, a
 * program refused.
 */
import type { FieldError } from "../core/form.ts";
import type { Clock } from "../core/clock.ts";
import { checkMedia } from "../core/media_type.ts";
import type { Db } from "../db/client.ts";
import { getMedia, saveMedia } from "../db/media.ts";

export interface BroadcastFileDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
  mediaMaxBytes: number;
}

/** Stores `file` and gives its id, or the error to show beside the field. */
export async function storeBroadcastFile(
  deps: BroadcastFileDeps,
  file: { data: Uint8Array; fileName: string; declared?: string },
): Promise<{ ok: true; id: string } | { ok: false; error: FieldError }> {
  if (file.data.byteLength > deps.mediaMaxBytes) {
    const mb = Math.round(deps.mediaMaxBytes / 1024 / 1024);
    return { ok: false, error: { key: "err.file_too_large", params: { mb } } };
  }
  const check = await checkMedia("document", file.data, file.declared, file.fileName);
  if (!check.ok) return { ok: false, error: "err.broadcast_attachment" };
  const id = await saveMedia(deps.db, deps.clock, deps.dataDir, {
    data: file.data,
    mimeType: check.mimeType,
    fileName: file.fileName,
  });
  return { ok: true, id };
}

/** The names of the stored files with `ids` (a file without a name is called by its type). */
export async function broadcastFileNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const row = await getMedia(db, id);
    if (row) names.set(id, row.fileName ?? row.mimeType);
  }
  return names;
}
