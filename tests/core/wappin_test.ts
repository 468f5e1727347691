import assert from "node:assert/strict";
import {
  sameWappinId,
  wappinAnswer,
  wappinCallbackAccepted,
  wappinDateTime,
  wappinParams,
  wappinUniqueId,
} from "../../core/wappin.ts";

Deno.test("Wappin's params fill numbered variables, and named ones in order of use", () => {
  const numbered = "Hello {{1}}, your bill {{2}} is due";
  assert.deepEqual(wappinParams(numbered, { "1": "Ani", "2": "RJ-1" }), {
    "1": "Ani",
    "2": "RJ-1",
  });
  assert.deepEqual(wappinParams(numbered, { "2": "RJ-1", "1": "Ani" }), {
    "1": "Ani",
    "2": "RJ-1",
  });
  assert.equal(wappinParams(numbered, { "1": "Ani" }), undefined, "too few");
  assert.equal(wappinParams(numbered, { "1": "a", "2": "b", "3": "c" }), undefined, "too many");
  assert.equal(wappinParams(numbered, { "1": "a", "3": "c" }), undefined, "a gap");
  assert.equal(wappinParams(numbered, { "01": "a", "2": "b" }), undefined, "not written plainly");

  const named = "Halo {{nama}}, kontrol {{tanggal}} di {{poli}}";
  assert.deepEqual(wappinParams(named, { "1": "Ani", "2": "Senin", "3": "Poli Anak" }), {
    nama: "Ani",
    tanggal: "Senin",
    poli: "Poli Anak",
  });
  assert.deepEqual(
    wappinParams(named, { poli: "Poli Anak", nama: "Ani", tanggal: "Senin" }),
    { poli: "Poli Anak", nama: "Ani", tanggal: "Senin" },
  );
  assert.equal(wappinParams(named, { nama: "Ani", tanggal: "Senin", ruang: "3" }), undefined);
  assert.deepEqual(wappinParams("No variables", {}), {});
});

Deno.test("expired_datetime is written in the configured time zone", () => {
  const at = Date.UTC(2019, 6, 20, 9, 21, 51);
  assert.equal(wappinDateTime(at, "Asia/Jakarta"), "2019-07-20 16:21:51");
  assert.equal(wappinDateTime(at, "UTC"), "2019-07-20 09:21:51");
  assert.equal(
    wappinDateTime(Date.UTC(2019, 6, 20, 17, 0, 0), "Asia/Jakarta"),
    "2019-07-21 00:00:00",
  );
});

Deno.test("answers keep the document's shape and words", () => {
  assert.deepEqual(wappinAnswer("success", { messageId: "5" }), {
    message_id: "5",
    status: "200",
    message: "Success",
    data: null,
  });
  assert.deepEqual(wappinAnswer("wrongProject"), {
    status: "400",
    message: "Project ID or Client ID cannot be process.",
    data: null,
  });
  assert.match(wappinUniqueId(Date.UTC(2019, 6, 22)), /^[0-9a-f]{13}$/);
  assert.equal(sameWappinId("9", "0009"), true);
  assert.equal(sameWappinId(14, "14"), true);
  assert.equal(sameWappinId("14a", "14"), false);
  assert.equal(sameWappinId(["14"], "14"), false);
});

Deno.test("a callback succeeds only when the receiver answers status 000", () => {
  assert.equal(wappinCallbackAccepted('{"status":"000"}'), true);
  assert.equal(
    wappinCallbackAccepted('{   "status": "000", }'),
    true,
    "the document's own example",
  );
  assert.equal(wappinCallbackAccepted('{"status":"001"}'), false);
  assert.equal(wappinCallbackAccepted("OK"), false);
  assert.equal(wappinCallbackAccepted(""), false);
});
