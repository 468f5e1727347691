/**
 * A disk that really fills up: a small tmpfs of its own that a test fills to
 * the last byte and frees again. Mounting needs root on Linux; elsewhere
 * `smallDisk` answers undefined and the test runs on the injected failure
 * (`DiskWatch.simulate`) alone.
 */
import type { Db } from "../../db/client.ts";

/** A mounted small filesystem. */
export interface SmallDisk {
  /** Where it is mounted. */
  dir: string;
  /** Writes a filler file until the filesystem has no byte left. */
  fill(): Promise<void>;
  /** Deletes the filler file. */
  free(): Promise<void>;
  /** Unmounts and removes the mount point. */
  close(): Promise<void>;
}

async function run(command: string, args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

/** Whether this process may mount a filesystem (root on Linux). */
export function canMount(): boolean {
  return Deno.build.os === "linux" && Deno.uid() === 0;
}

/** A tmpfs of `megabytes`, or undefined when this process cannot mount one. */
export async function smallDisk(megabytes = 16): Promise<SmallDisk | undefined> {
  if (!canMount()) return undefined;
  const dir = await Deno.makeTempDir({ prefix: "kabar-small-disk-" });
  if (!(await run("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir]))) {
    await Deno.remove(dir);
    return undefined;
  }
  const filler = `${dir}/filler`;
  return {
    dir,
    async fill() {
      const file = await Deno.open(filler, { write: true, create: true, append: true });
      try {
        // Large pieces first, then smaller ones for the last free pages.
        for (const size of [1024 * 1024, 64 * 1024, 4096, 512]) {
          const piece = new Uint8Array(size);
          try {
            for (;;) await file.write(piece);
          } catch (e) {
            if ((e as { code?: string }).code !== "ENOSPC") throw e;
          }
        }
      } finally {
        file.close();
      }
    },
    async free() {
      await Deno.remove(filler).catch(() => {});
    },
    async close() {
      await run("umount", ["-l", dir]);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Fills and frees the disk under a test's database. */
export interface DiskSwitch {
  fill(): Promise<void>;
  free(): Promise<void>;
}

/**
 * A full disk as a test meets it: the injected failure (every write fails as
 * libSQL fails it on a full disk), or a real small disk filled up.
 */
export interface DiskVariant {
  name: string;
  /** True where the variant cannot run (no root for the real disk). */
  ignore: boolean;
  /**
   * Where the data folder goes (undefined: the test's own temp dir), and the
   * cleanup: `close()`, or `await using place = await variant.setUp()`.
   */
  setUp(): Promise<{ dataDir?: string; close(): Promise<void> } & AsyncDisposable>;
  /** The switch for the database opened in that data folder. */
  switchFor(db: Db): DiskSwitch;
}

/** Every write fails with `SQLITE_FULL` while filled, without touching the disk. */
export const INJECTED: DiskVariant = {
  name: "injected SQLITE_FULL",
  ignore: false,
  setUp: () =>
    Promise.resolve({
      close: () => Promise.resolve(),
      [Symbol.asyncDispose]: () => Promise.resolve(),
    }),
  switchFor: (db) => ({
    fill() {
      db.$disk.simulate = "SQLITE_FULL";
      return Promise.resolve();
    },
    free() {
      db.$disk.simulate = undefined;
      return Promise.resolve();
    },
  }),
};

/** A 16 MB tmpfs under the data folder, filled for real (root only). */
export function realSmallDisk(): DiskVariant {
  let disk: SmallDisk | undefined;
  return {
    name: "a real small disk filled up",
    ignore: !canMount(),
    async setUp() {
      disk = await smallDisk();
      if (!disk) throw new Error("could not mount a small disk");
      const mounted = disk;
      const close = () => mounted.close();
      return { dataDir: `${mounted.dir}/data`, close, [Symbol.asyncDispose]: close };
    },
    switchFor: (db) => ({
      async fill() {
        // An empty write-ahead log: the next write must grow it, and finds no room. A log
        // with room left would take the next write (a log starts again from its beginning
        // once checkpointed), so a write that came in before the disk was full calls for
        // another try.
        const { rows } = await db.$client.execute(
          "SELECT file FROM pragma_database_list WHERE name = 'main'",
        );
        const wal = `${rows[0].file}-wal`;
        const walSize = () =>
          Deno.stat(wal).then((info) => info.size, (e) => {
            if (e instanceof Deno.errors.NotFound) return 0;
            throw e;
          });
        for (let attempt = 1;; attempt++) {
          await db.$client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
          await disk!.fill();
          if (await walSize() === 0) return;
          await disk!.free();
          if (attempt === 50) throw new Error("the write-ahead log never stayed empty");
          // Real time: whatever wrote meanwhile is given a moment to finish.
          await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
        }
      },
      free: () => disk!.free(),
    }),
  };
}
