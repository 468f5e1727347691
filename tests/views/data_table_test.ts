/**
 * The views kit's table: every cell carries its column's label (the phone
 * layout shows it), the row's name and buttons are marked, and no rows show
 * the empty text instead.
 */
import assert from "node:assert/strict";
import { DataTable } from "../../views/kit/data_table.tsx";

const columns = [
  { label: "Nama", primary: true, cell: (r: { name: string; n: number }) => r.name },
  { label: "Anggota", cell: (r: { name: string; n: number }) => r.n },
  { label: "Alamat", long: true, wide: true, cell: () => "https://simrs.example/x" },
  { label: "Tindakan", actions: true, cell: () => "…" },
];

Deno.test("each cell has its column's label; the name, the long and the action cells are marked", async () => {
  const html = String(
    await DataTable({ columns, rows: [{ name: "Farmasi", n: 3 }], label: "Departemen" }),
  );
  assert.match(html, /^<div class="table-wrap"><table class="data-table">/);
  assert.match(html, /<caption class="sr-only">Departemen<\/caption>/);
  assert.match(html, /<th scope="col"\s*>Nama<\/th>/);
  assert.match(html, /<th scope="col" class="actions-head"><span class="muted">Tindakan<\/span>/);
  assert.match(html, /<tr><td data-label="Nama" class="primary">Farmasi<\/td>/);
  assert.match(html, /<td data-label="Anggota"\s*>3<\/td>/);
  assert.match(html, /<td data-label="Alamat" class="wide long">/);
  assert.match(html, /<td data-label="Tindakan" class="row-actions-cell">/);
});

Deno.test("no rows: the empty text, no table", async () => {
  const html = String(await DataTable({ columns, rows: [], empty: "Belum ada departemen." }));
  assert.equal(html, '<p class="muted">Belum ada departemen.</p>');
});
