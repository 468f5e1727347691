import assert from "node:assert/strict";
import { broadcastTextFiller } from "../../core/broadcast_text.ts";

Deno.test("a recipient's own values win over the broadcast's, and a name neither gives is empty", () => {
  const textFor = broadcastTextFiller("Halo {{nama}}, {{ poli }} pukul {{jam}}{{catatan}}.", {
    poli: "Poli Gigi",
    jam: "08:00",
  });
  assert.equal(
    textFor({ nama: "Budi", jam: "09:30" }),
    "Halo Budi, Poli Gigi pukul 09:30.",
  );
  assert.equal(textFor({}), "Halo , Poli Gigi pukul 08:00.");
});

Deno.test("values are put in once: braces in a value are not filled again", () => {
  const textFor = broadcastTextFiller("{{nama}} / {{jam}}", { jam: "08:00" });
  assert.equal(textFor({ nama: "{{jam}}" }), "{{jam}} / 08:00");
});

Deno.test("names an object inherits are not values", () => {
  const textFor = broadcastTextFiller("[{{constructor}}][{{toString}}]", {});
  assert.equal(textFor({}), "[][]");
});

Deno.test("a row with values the text does not use still reads as filled", () => {
  const textFor = broadcastTextFiller("Halo {{nama}}", {});
  assert.equal(textFor({ nama: "Sari", kamar: "12" }), "Halo Sari");
});

Deno.test("a text without variables reads as written", () => {
  assert.equal(
    broadcastTextFiller("Klinik tutup besok.", {})({ nama: "X" }),
    "Klinik tutup besok.",
  );
});
