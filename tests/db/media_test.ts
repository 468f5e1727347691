import assert from "node:assert/strict";
import { DiskFullError } from "../../db/errors.ts";
import { saveMedia } from "../../db/media.ts";
import { canMount, smallDisk } from "../support/small_disk.ts";
import { withTempDb } from "../support/temp_db.ts";

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) found.push(...await filesUnder(dir, `${path}/`));
    else found.push(path);
  }
  return found;
}

Deno.test({
  name: "a file that does not fit on a full disk leaves nothing half-written behind",
  ignore: !canMount(),
  fn: () =>
    withTempDb(async ({ db, clock }) => {
      const disk = (await smallDisk(4))!;
      try {
        await disk.fill();
        // No room kept and no look at the free space: the disk itself must refuse the write.
        db.$disk.lowBytes = -Infinity;
        for (let attempt = 0; attempt < 3; attempt++) {
          await assert.rejects(
            saveMedia(db, clock, disk.dir, {
              data: new Uint8Array(256 * 1024).fill(attempt + 1),
              mimeType: "application/pdf",
            }),
            (e: unknown) => e instanceof DiskFullError && e.reason === "ENOSPC",
          );
        }
        const left = (await filesUnder(disk.dir)).filter((f) => f !== "filler");
        assert.deepEqual(left, [], "no .part file from any attempt");
      } finally {
        await disk.close();
      }
    }),
});
