import assert from "node:assert/strict";
import { timeOrderedHex } from "../../core/tokens.ts";
import { newExternalId } from "../../db/outbox.ts";

Deno.test("message ids keep WhatsApp's form, never repeat, and sort in the order they were made", () => {
  const ids = Array.from({ length: 5000 }, () => newExternalId("whatsapp")!);
  for (const id of ids) assert.match(id, /^3EB0[0-9A-F]{18}$/);
  assert.equal(new Set(ids).size, ids.length, "no id twice");
  assert.deepEqual([...ids].sort(), ids, "later ids sort after earlier ones");
  assert.match(newExternalId("sandbox")!, /^SBX[0-9A-F]{24}$/);
  assert.equal(newExternalId("telegram"), null, "Telegram numbers its own messages");
});

Deno.test("a time-ordered id starts with the time it was made", () => {
  const before = Date.now();
  const id = timeOrderedHex(18);
  assert.equal(id.length, 18);
  const ms = parseInt(id.slice(0, 11), 16);
  assert.ok(ms >= before && ms <= Date.now(), `${ms} within [${before}, now]`);
});
