import assert from "node:assert/strict";
import {
  describePhoneProblem,
  isPhoneRegion,
  normalisePhone,
  type PhoneProblem,
  type PhoneType,
} from "../../core/phone.ts";

type Accepted = [input: string, phone: string, type: PhoneType];
type Refused = [input: string, problem: PhoneProblem];

/** Indonesian mobiles as people type them; all are the same number. */
const MOBILES: Accepted[] = [
  ["0812-3456-7890", "6281234567890", "mobile"],
  ["0812 3456 7890", "6281234567890", "mobile"],
  ["0812.3456.7890", "6281234567890", "mobile"],
  ["081234567890", "6281234567890", "mobile"],
  ["(0812) 3456-7890", "6281234567890", "mobile"],
  ["  0812 3456 7890  ", "6281234567890", "mobile"],
  ["+62 812 3456 7890", "6281234567890", "mobile"],
  ["+62-812-3456-7890", "6281234567890", "mobile"],
  ["+6281234567890", "6281234567890", "mobile"],
  ["+62 (0) 812 3456 7890", "6281234567890", "mobile"],
  ["+62 (0)812-3456-7890", "6281234567890", "mobile"],
  ["+62 0812 3456 7890", "6281234567890", "mobile"],
  ["62 812 3456 7890", "6281234567890", "mobile"],
  ["6281234567890", "6281234567890", "mobile"],
  ["62 0812 3456 7890", "6281234567890", "mobile"],
  ["62812-3456-7890", "6281234567890", "mobile"],
  ["0062 812 3456 7890", "6281234567890", "mobile"],
  ["00 62 812 3456 7890", "6281234567890", "mobile"],
  ["0062 (0) 812 3456 7890", "6281234567890", "mobile"],
  ["812 3456 7890", "6281234567890", "mobile"],
  ["81234567890", "6281234567890", "mobile"],
  ["0813-1111-2222", "6281311112222", "mobile"],
  ["0857 1234 5678", "6285712345678", "mobile"],
  ["0811-100-000", "62811100000", "mobile"],
  ["628123456789", "628123456789", "mobile"],
  // Non-breaking and thin spaces, as copied from documents and chats.
  ["0812\u00a03456\u00a07890", "6281234567890", "mobile"],
  ["+62\u2009812\u20093456\u20097890", "6281234567890", "mobile"],
  // The marks a phone puts around a number copied from its contacts.
  ["\u202a+62 812-3456-7890\u202c", "6281234567890", "mobile"],
  // Full-width digits and plus, from Japanese and Chinese keyboards.
  ["０８１２３４５６７８９０", "6281234567890", "mobile"],
  ["＋６２ ８１２ ３４５６ ７８９０", "6281234567890", "mobile"],
];

/** Landlines are accepted (WhatsApp Business runs on some), with a warning. */
const LANDLINES: Accepted[] = [
  ["021-555-1234", "62215551234", "fixed_line"],
  ["(021) 5551234", "62215551234", "fixed_line"],
  ["021 5551 2345", "622155512345", "fixed_line"],
  ["+62 21 555 1234", "62215551234", "fixed_line"],
  ["+62 (0)21 555 1234", "62215551234", "fixed_line"],
  ["62 21 555 1234", "62215551234", "fixed_line"],
  ["0274 512345", "62274512345", "fixed_line"],
];

const FOREIGN: Accepted[] = [
  ["+65 9123 4567", "6591234567", "mobile"],
  ["+65 6123 4567", "6561234567", "fixed_line"],
  ["0065 9123 4567", "6591234567", "mobile"],
  ["+60 12-345 6789", "60123456789", "mobile"],
  ["+1 (415) 555-2671", "14155552671", "fixed_line_or_mobile"],
  ["+44 7911 123456", "447911123456", "mobile"],
  ["+44 20 7946 0958", "442079460958", "fixed_line"],
  ["+61 412 345 678", "61412345678", "mobile"],
];

const REFUSED: Refused[] = [
  ["", "empty"],
  ["   ", "empty"],
  ["\u00a0", "empty"],
  ["+", "empty"],
  ["bukan nomor", "not_digits"],
  ["0812-ABC", "not_digits"],
  // Letters are never read as digits, not even O for 0 or a phone keypad's letters.
  ["O812 3456 7890", "not_digits"],
  ["0812 3456 789O", "not_digits"],
  ["0800-FLOWERS", "not_digits"],
  ["+62 812 3456 7890 ext 1", "not_digits"],
  ["+62+812 3456 7890", "not_digits"],
  ["0812_3456_7890", "not_digits"],
  ["0812345", "too_short"],
  ["0812", "too_short"],
  ["62812", "too_short"],
  ["+62", "too_short"],
  ["1234", "too_short"],
  ["+65 9123 456", "too_short"],
  ["+62 812 3456 7890 1234", "too_long"],
  ["62812345678901234", "too_long"],
  ["08123456789012345678", "too_long"],
  ["+999 1234 5678", "invalid_country"],
  ["00999 1234 5678", "invalid_country"],
  ["0000000000", "invalid"],
  ["+62 1234 5678", "invalid"],
];

for (const [group, cases] of [["mobile", MOBILES], ["landline", LANDLINES], ["foreign", FOREIGN]]) {
  Deno.test(`${group} numbers in every common form become E.164 digits`, () => {
    for (const [input, phone, type] of cases as Accepted[]) {
      const result = normalisePhone(input, "ID");
      assert.ok(result.ok, `${JSON.stringify(input)} is accepted: ${JSON.stringify(result)}`);
      assert.equal(result.phone, phone, JSON.stringify(input));
      assert.equal(result.type, type, JSON.stringify(input));
      assert.equal(
        result.warning,
        type === "fixed_line" ? "fixed_line" : undefined,
        `${JSON.stringify(input)}: a warning for landlines only`,
      );
    }
  });
}

Deno.test("numbers that are none are refused with the reason", () => {
  for (const [input, problem] of REFUSED) {
    assert.deepEqual(normalisePhone(input, "ID"), { ok: false, problem }, JSON.stringify(input));
  }
});

Deno.test("at least 40 forms are covered", () => {
  assert.ok(MOBILES.length + LANDLINES.length + FOREIGN.length + REFUSED.length >= 40);
});

Deno.test("the country of an accepted number is told", () => {
  assert.equal((normalisePhone("0812 3456 7890") as { country?: string }).country, "ID");
  assert.equal((normalisePhone("+65 9123 4567") as { country?: string }).country, "SG");
});

Deno.test("the region reads numbers written without a country code", () => {
  assert.deepEqual(normalisePhone("012-345 6789", "MY"), {
    ok: true,
    phone: "60123456789",
    country: "MY",
    type: "mobile",
  });
  assert.equal((normalisePhone("9123 4567", "SG") as { phone?: string }).phone, "6591234567");
  assert.equal((normalisePhone("(415) 555-2671", "US") as { phone?: string }).phone, "14155552671");
  // A number with + or 00 is read the same in every region.
  for (const region of ["ID", "MY", "SG", "US", "GB"]) {
    assert.equal(
      (normalisePhone("+62 812 3456 7890", region) as { phone?: string }).phone,
      "6281234567890",
    );
    assert.equal(
      (normalisePhone("0062 812 3456 7890", region) as { phone?: string }).phone,
      "6281234567890",
    );
  }
  // Without a region, Indonesia.
  assert.equal((normalisePhone("0812 3456 7890") as { phone?: string }).phone, "6281234567890");
});

Deno.test("regions are two-letter codes of places with a numbering plan", () => {
  for (const region of ["ID", "MY", "SG", "US", "GB", "JP"]) assert.ok(isPhoneRegion(region));
  for (const region of ["id", "XX", "IDN", "", "62"]) assert.equal(isPhoneRegion(region), false);
});

Deno.test("a refusal names the value and why", () => {
  assert.equal(
    describePhoneProblem("0812345", "too_short"),
    '"0812345" is too short for a phone number of its country',
  );
  assert.match(describePhoneProblem("+999 1234", "invalid_country"), /^"\+999 1234" .*country/);
});

Deno.test("a line break or a tab inside a number is two things run together, not one number", () => {
  for (
    const input of ["0812\n34567890", "0812\r\n3456-7890", "0812\t34567890", "0812\u2028345678"]
  ) {
    const result = normalisePhone(input);
    assert.equal(result.ok, false, JSON.stringify(input));
  }
  // Around the number they are only what a cell or a paste left behind.
  const trimmed = normalisePhone("\t0812-3456-7890\r\n");
  assert.equal(trimmed.ok && trimmed.phone, "6281234567890");
});

Deno.test("a zero-width no-break space inside a number is one of the invisible marks left out", () => {
  const result = normalisePhone("0812\ufeff3456 7890");
  assert.equal(result.ok && result.phone, "6281234567890");
});
