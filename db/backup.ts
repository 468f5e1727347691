import { sql } from "drizzle-orm";
import { badRequest } from "../core/app_error.ts";
import type { Db } from "./client.ts";

/**
 * Writes a consistent copy of the database to `file` with `VACUUM INTO` (safe
 * while Kabar runs), and copies the media folder to `<file>.media/`; the
 * files are 0600 and the folders 0700, like the data dir's.
 * Returns how many media files were copied.
 */
export async function backupDatabase(
  db: Db,
  dbUrl: string,
  dataDir: string,
  file: string,
): Promise<{ mediaFiles: number }> {
  if (!dbUrl.startsWith("file:")) {
    throw badRequest(
      `backup works on the embedded database only; KABAR_DB_URL is ${
        new URL(dbUrl).protocol
      }//…, back up the libSQL server with its own tools`,
    );
  }
  const taken = (path = file) =>
    badRequest(`${path} already exists; choose a new file name so no backup is overwritten`);
  if (await exists(file)) throw taken();
  if (await exists(`${file}.media`)) throw taken(`${file}.media`);
  // Made empty first, with its mode: `VACUUM INTO` fills an empty file and keeps its mode.
  try {
    await Deno.writeFile(file, new Uint8Array(), { createNew: true, mode: 0o600 });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) throw taken();
    throw e;
  }
  try {
    await db.run(sql`VACUUM INTO ${file}`);
  } catch (e) {
    await Deno.remove(file).catch(() => {});
    throw e;
  }
  return { mediaFiles: await copyDir(`${dataDir}/media`, `${file}.media`) };
}

async function copyDir(from: string, to: string): Promise<number> {
  if (!(await exists(from))) return 0;
  await Deno.mkdir(to, { recursive: true, mode: 0o700 });
  let count = 0;
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      count += await copyDir(`${from}/${entry.name}`, `${to}/${entry.name}`);
    } else if (entry.isFile) {
      await copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
      count++;
    }
  }
  return count;
}

/** Copies a file into a new one made 0600 (a plain copy would take the source's mode). */
async function copyFile(from: string, to: string): Promise<void> {
  const source = await Deno.open(from, { read: true });
  let target: Deno.FsFile;
  try {
    target = await Deno.open(to, { write: true, createNew: true, mode: 0o600 });
  } catch (e) {
    source.close();
    throw e;
  }
  await source.readable.pipeTo(target.writable);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
