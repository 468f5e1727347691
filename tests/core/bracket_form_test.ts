import assert from "node:assert/strict";
import { nestBrackets } from "../../core/bracket_form.ts";

Deno.test("jQuery's form for a nested object becomes the object", () => {
  const fields = Object.fromEntries(
    new URLSearchParams(
      "api_key=k&template_id=104&phone_number=6299475799378&data%5Bfullname%5D=Mr.+Smith&data%5Border_id%5D=67",
    ),
  );
  assert.deepEqual(nestBrackets(fields), {
    api_key: "k",
    template_id: "104",
    phone_number: "6299475799378",
    data: { fullname: "Mr. Smith", order_id: "67" },
  });
});

Deno.test("lists, deeper objects, and names that could reach a prototype", () => {
  assert.deepEqual(
    nestBrackets({
      "tags[]": ["a", "b"],
      "a[b][c]": "1",
      "__proto__[x]": "1",
      "p[__proto__]": "2",
    }),
    { tags: ["a", "b"], a: { b: { c: "1" } } },
  );
  assert.equal(({} as Record<string, unknown>).x, undefined);
});
