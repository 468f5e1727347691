/**
 * Spreadsheets uploaded to import contacts, kept between the upload and the
 * import under `<data dir>/imports/` (folder 0700, files 0600), named by a
 * random id. They are apart from the media store on purpose: a file kept
 * here can never be sent as a message's media. Files a person left behind
 * are removed after a day.
 */
import type { ImportKind } from "../core/import_file.ts";
import type { Db } from "./client.ts";
import { asDiskFull, DiskFullError, LOW_SPACE } from "./errors.ts";

/** An uploaded file waiting to be imported. */
export interface ImportFile {
  id: string;
  kind: ImportKind;
  path: string;
  size: number;
}

/** How long an upload is kept for its import. */
export const IMPORT_FILE_TTL_MS = 24 * 60 * 60 * 1000;

const ID = /^[0-9a-f]{32}$/;

function folder(dataDir: string): string {
  return `${dataDir}/imports`;
}

function pathOf(dataDir: string, id: string, kind: ImportKind): string {
  return `${folder(dataDir)}/${id}.${kind}`;
}

/**
 * Keeps `data` for an import and returns its id. Like the media store, a
 * file that would leave the disk without the space kept for the database is
 * refused as if the disk were full.
 */
export async function saveImportFile(
  db: Db,
  dataDir: string,
  data: Uint8Array,
  kind: ImportKind,
): Promise<string> {
  const free = db.$disk.freeBytes(dataDir);
  if (free !== undefined && free - data.byteLength < db.$disk.lowBytes) {
    throw new DiskFullError(LOW_SPACE, dataDir, free);
  }
  const id = [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.mkdir(folder(dataDir), { recursive: true, mode: 0o700 });
  try {
    await Deno.writeFile(pathOf(dataDir, id, kind), data, { mode: 0o600, createNew: true });
  } catch (e) {
    await Deno.remove(pathOf(dataDir, id, kind)).catch(() => {});
    const full = asDiskFull(e, dataDir);
    if (full) db.$disk.failed(full);
    throw full ?? e;
  }
  return id;
}

/** The kept file with `id`, or undefined (an id Kabar did not make, or one already used). */
export async function findImportFile(
  dataDir: string,
  id: string,
): Promise<ImportFile | undefined> {
  if (!ID.test(id)) return undefined;
  for (const kind of ["csv", "xlsx"] as const) {
    const path = pathOf(dataDir, id, kind);
    try {
      const info = await Deno.stat(path);
      if (info.isFile) return { id, kind, path, size: info.size };
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return undefined;
}

/** Removes the kept file with `id` (done once it is imported). */
export async function removeImportFile(dataDir: string, id: string): Promise<void> {
  const found = await findImportFile(dataDir, id);
  if (found) await Deno.remove(found.path).catch(() => {});
}

/**
 * Removes uploads older than `IMPORT_FILE_TTL_MS`, by the files' own times
 * (the system's clock, which wrote them).
 */
export async function pruneImportFiles(dataDir: string): Promise<void> {
  const now = Date.now();
  try {
    for await (const entry of Deno.readDir(folder(dataDir))) {
      if (!entry.isFile) continue;
      const path = `${folder(dataDir)}/${entry.name}`;
      const info = await Deno.stat(path).catch(() => undefined);
      const at = info?.mtime?.getTime();
      if (at !== undefined && now - at > IMPORT_FILE_TTL_MS) {
        await Deno.remove(path).catch(() => {});
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
