import { statfsSync } from "node:fs";

/**
 * The bytes free for Kabar on the filesystem of `dir` (what `df` shows as
 * available), or undefined when it cannot be told (no folder, a libSQL
 * server, a platform without statfs).
 */
export function freeBytes(dir: string | undefined): number | undefined {
  if (!dir) return undefined;
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return undefined;
  }
}
