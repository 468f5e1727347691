import assert from "node:assert/strict";
import { type ReportRow, writeReport } from "../../services/broadcast_reports.ts";

const TOTAL = 60_000;

/** Rows made as they are asked for, counting how many were asked for. */
function counted(): { made: () => number; rows: AsyncIterable<ReportRow> } {
  let made = 0;
  return {
    made: () => made,
    rows: (async function* () {
      for (let i = 1; i <= TOTAL; i++) {
        made = i;
        yield {
          row: i,
          input: `0812${String(i).padStart(8, "0")}`,
          phone: `62812${String(i).padStart(8, "0")}`,
          name: `Pasien ${i}`,
          status: "read",
          at: 1_700_000_000_000 + i,
          reason: null,
          reasonCode: null,
          messageId: i,
          variables: { poli: "Poli Anak" },
        };
      }
    })(),
  };
}

/** Lets the writer run until it makes no more rows (it waits for the reader, or it is done). */
async function settled(made: () => number): Promise<number> {
  let last = -1;
  let still = 0;
  while (still < 5) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    still = made() === last ? still + 1 : 0;
    last = made();
  }
  return last;
}

for (const format of ["csv", "xlsx"] as const) {
  Deno.test(`a ${format} report read slowly is written only as fast as it is read`, async () => {
    const source = counted();
    const file = writeReport(1, format, { variables: ["poli"], rows: source.rows });
    const reader = file.body.getReader();
    await reader.read();
    const ahead = await settled(source.made);
    assert.ok(ahead < TOTAL / 2, `${ahead} of ${TOTAL} rows were made for one chunk read`);
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
    }
    assert.equal(source.made(), TOTAL, "every row is written once it is read");
    assert.ok(bytes > 100_000);
  });
}
