import assert from "node:assert/strict";
import { parseRecordId } from "../../core/record_id.ts";

Deno.test("record ids are plain decimal digits, whatever else JavaScript reads as a number", () => {
  assert.equal(parseRecordId("1"), 1);
  assert.equal(parseRecordId("123456789012345"), 123456789012345);
  for (
    const text of [
      undefined,
      "",
      "0",
      "01",
      "-1",
      "+1",
      "1.0",
      "1e0",
      "0x1",
      "0b1",
      " 1",
      "1 ",
      "1234567890123456",
      "Infinity",
      "١",
    ]
  ) {
    assert.equal(parseRecordId(text), undefined, JSON.stringify(text));
  }
});
