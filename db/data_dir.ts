import { ConfigError } from "../core/config.ts";

/** What `prepareDataDir` found and changed. */
export interface DataDirReport {
  /** Folders and files other local accounts could read, now narrowed to Kabar's own. */
  fixed: number;
  /** Those it could not narrow (not owned by Kabar's account, say), each with why. */
  unfixed: string[];
}

/**
 * Creates the data dir (and its media folder) when missing, readable by
 * Kabar's own account only, and proves it is writable; then narrows what an
 * older version or a copy left wider: folders to 0700, files to 0600, under
 * the data dir and for the embedded database named by `dbUrl` (created here
 * with 0600 when new, so the files SQLite adds next to it get the same).
 * Symbolic links are neither followed nor changed. Throws `ConfigError`
 * naming `KABAR_DATA_DIR` when the folder cannot be made or written.
 */
export async function prepareDataDir(dir: string, dbUrl?: string): Promise<DataDirReport> {
  try {
    await Deno.mkdir(`${dir}/media`, { recursive: true, mode: 0o700 });
    const probe = `${dir}/.write-test-${crypto.randomUUID()}`;
    await Deno.writeTextFile(probe, "", { mode: 0o600 });
    await Deno.remove(probe);
  } catch (e) {
    const reason = reasonOf(e);
    throw new ConfigError(
      "KABAR_DATA_DIR",
      dir,
      `a folder Kabar can create and write (${reason})`,
    );
  }
  const report: DataDirReport = { fixed: 0, unfixed: [] };
  if (Deno.build.os === "windows") return report;
  const dbFile = dbUrl === undefined ? undefined : embeddedDbPath(dbUrl);
  if (dbFile !== undefined) {
    try {
      await Deno.writeFile(dbFile, new Uint8Array(), { createNew: true, mode: 0o600 });
    } catch {
      // There already, or its folder is missing: opening the database says so.
    }
    for (const path of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) await narrow(path, report);
  }
  // The data dir itself may be a link the operator chose; what is inside it is not followed.
  try {
    const info = await Deno.stat(dir);
    if ((info.mode! & 0o077) !== 0) {
      await Deno.chmod(dir, 0o700);
      report.fixed++;
    }
  } catch (e) {
    report.unfixed.push(`${dir}: ${reasonOf(e)}`);
  }
  await narrowTree(dir, report);
  return report;
}

const NARROW_BATCH = 64;

/** Narrows every folder and file below `dir`, without following links. */
async function narrowTree(dir: string, report: DataDirReport): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) report.unfixed.push(`${dir}: ${reasonOf(e)}`);
    return;
  }
  const real = entries.filter((e) => !e.isSymlink);
  for (let i = 0; i < real.length; i += NARROW_BATCH) {
    await Promise.all(
      real.slice(i, i + NARROW_BATCH).map((e) => narrow(`${dir}/${e.name}`, report)),
    );
  }
  for (const entry of real) {
    if (entry.isDirectory) await narrowTree(`${dir}/${entry.name}`, report);
  }
}

/** A folder to 0700, a file to 0600, when others may read it; a link or a missing path is left. */
async function narrow(path: string, report: DataDirReport): Promise<void> {
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile && !info.isDirectory) return;
    if ((info.mode! & 0o077) === 0) return;
    await Deno.chmod(path, info.isDirectory ? 0o700 : 0o600);
    report.fixed++;
  } catch (e) {
    // A temporary file may be gone by now.
    if (!(e instanceof Deno.errors.NotFound)) report.unfixed.push(`${path}: ${reasonOf(e)}`);
  }
}

/** A file system error in words, without the OS error number Deno appends. */
export function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message.replace(/:? ?\(os error \d+\).*$/, "") : String(e);
}

/** The path of the embedded database a `file:` URL names, or undefined for a libSQL server. */
function embeddedDbPath(dbUrl: string): string | undefined {
  if (!dbUrl.startsWith("file:")) return undefined;
  // `?` and `#` in a path are escaped (see core/config.ts), so bare ones start URL syntax.
  let path = dbUrl.slice("file:".length).replace(/[?#].*$/, "");
  if (path.startsWith("//")) path = path.slice(2);
  if (path.startsWith(":memory:")) return undefined;
  try {
    return decodeURIComponent(path) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * This install's name in channel leases, kept in `<dir>/instance.id`: after
 * a crash, Kabar restarted on the same data dir takes its channels back at
 * once instead of waiting for its old leases to run out.
 */
export async function loadInstanceId(dir: string): Promise<string> {
  const path = `${dir}/instance.id`;
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const id = crypto.randomUUID();
  try {
    await Deno.writeTextFile(path, id + "\n", { createNew: true, mode: 0o600 });
    return id;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return (await Deno.readTextFile(path)).trim();
    throw e;
  }
}
