import assert from "node:assert/strict";
import { renderTemplate, templateVariables } from "../../core/template.ts";

Deno.test("templates are filled with exactly their variables, named or numbered", () => {
  const body = "Halo {{nama}}, jadwal {{ 1 }} di {{poli.nama}}; lagi: {{nama}}";
  assert.deepEqual(templateVariables(body), ["nama", "1", "poli.nama"]);
  assert.deepEqual(renderTemplate(body, { nama: "Bu Siti", 1: "Senin", "poli.nama": "Anak" }), {
    ok: true,
    text: "Halo Bu Siti, jadwal Senin di Anak; lagi: Bu Siti",
  });
  assert.deepEqual(renderTemplate(body, { nama: "x", 1: "y", lain: "z" }), {
    ok: false,
    missing: ["poli.nama"],
    unknown: ["lain"],
  });
});

Deno.test("{{__proto__}} is no variable: it stays as written and never blocks a send", () => {
  const body = "Kode {{__proto__}} untuk {{nama}}";
  assert.deepEqual(templateVariables(body), ["nama"]);
  assert.deepEqual(renderTemplate(body, JSON.parse('{"nama": "Budi"}')), {
    ok: true,
    text: "Kode {{__proto__}} untuk Budi",
  });
});
