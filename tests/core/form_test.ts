import assert from "node:assert/strict";
import { parseForm } from "../../core/form.ts";
import { editUserSchema } from "../../core/user_input.ts";

const good = { displayName: "Dewi", role: "agent", language: "id", departmentIds: ["1", "2"] };

Deno.test("a field of one value sent twice is named as such, text or choice", () => {
  const result = parseForm(editUserSchema, { ...good, displayName: ["Dewi", "Sari"] });
  assert.deepEqual(result, { ok: false, errors: { displayName: "err.given_twice" } });
  const role = parseForm(editUserSchema, { ...good, role: ["agent", "admin"] });
  assert.deepEqual(role, { ok: false, errors: { role: "err.given_twice" } });
});

Deno.test("a list of ticked boxes is one field: a bad box has its own error, not 'sent twice'", () => {
  assert.equal(parseForm(editUserSchema, good).ok, true);
  const result = parseForm(editUserSchema, { ...good, departmentIds: ["1", "abc"] });
  assert.equal(result.ok, false);
  assert.notEqual(!result.ok && result.errors.departmentIds, "err.given_twice");
  assert.ok(!result.ok && result.errors.departmentIds, "the list is named");
});
