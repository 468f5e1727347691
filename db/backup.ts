import { sql } from "drizzle-orm";
import { badRequest } from "../core/app_error.ts";
import type { Db } from "./client.ts";

/**
 * Writes a consistent copy of the database to `file` with `VACUUM INTO` (safe
 * while Kabar runs), and copies the media folder to `<file>.media/`.
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
  if (await exists(file)) {
    throw badRequest(
      `${file} already exists; choose a new file name so no backup is overwritten`,
    );
  }
  await db.run(sql`VACUUM INTO ${file}`);
  return { mediaFiles: await copyDir(`${dataDir}/media`, `${file}.media`) };
}

async function copyDir(from: string, to: string): Promise<number> {
  if (!(await exists(from))) return 0;
  await Deno.mkdir(to, { recursive: true });
  let count = 0;
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      count += await copyDir(`${from}/${entry.name}`, `${to}/${entry.name}`);
    } else if (entry.isFile) {
      await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
      count++;
    }
  }
  return count;
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
