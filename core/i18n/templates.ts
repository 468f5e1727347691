import type { Messages } from "./message.ts";

/** Message templates and quick replies. */
export const templates = {
  "templates.intro": {
    en:
      "Messages with blanks such as {{nama}} or {{1}}, filled in by whoever sends them (the API, a broadcast, the hospital's system). Quick replies are offered in the inbox by their shortcut.",
    id:
      "Pesan dengan isian seperti {{nama}} atau {{1}}, diisi oleh pengirimnya (API, siaran, sistem rumah sakit). Balasan cepat ditawarkan di kotak masuk lewat pintasannya.",
  },
  "templates.add": { en: "Add a template", id: "Tambah template" },
  "templates.variables": { en: "Variables", id: "Variabel" },
  "templates.inactive": { en: "inactive", id: "nonaktif" },
  "templates.field.name": { en: "Name", id: "Nama" },
  "templates.field.name_hint": {
    en:
      "Letters, digits, _ . or -, no spaces, e.g. jadwal_kontrol. Systems use it to pick the template.",
    id:
      "Huruf, angka, _ . atau -, tanpa spasi, mis. jadwal_kontrol. Sistem memakainya untuk memilih template.",
  },
  "templates.field.body": { en: "Text", id: "Teks" },
  "templates.field.body_hint": {
    en: "Write {{name}} or {{1}} where a value goes, e.g. Halo {{nama}}, jadwal Anda {{tanggal}}.",
    id: "Tulis {{nama}} atau {{1}} di tempat isian, mis. Halo {{nama}}, jadwal Anda {{tanggal}}.",
  },
  "templates.field.kind": { en: "Kind", id: "Jenis" },
  "templates.kind.message": { en: "Message", id: "Pesan" },
  "templates.kind.quick_reply": { en: "Quick reply", id: "Balasan cepat" },
  "templates.field.shortcut": { en: "Shortcut (optional)", id: "Pintasan (opsional)" },
  "templates.field.shortcut_hint": {
    en: "For quick replies: a slash and a word, e.g. /jadwal.",
    id: "Untuk balasan cepat: garis miring dan satu kata, mis. /jadwal.",
  },
  "templates.field.active": { en: "Active (can be used)", id: "Aktif (bisa dipakai)" },
  "templates.created": { en: "Template {name} is added.", id: "Template {name} ditambahkan." },
  "templates.saved": { en: "Template {name} is saved.", id: "Template {name} disimpan." },
  "templates.deleted": { en: "Template {name} is deleted.", id: "Template {name} dihapus." },
  "templates.delete_confirm": {
    en: "Delete the template {name}? Messages already sent keep their text.",
    id: "Hapus template {name}? Pesan yang sudah terkirim tetap dengan teksnya.",
  },
  "err.template_name": {
    en: "Use 1 to 100 letters, digits, _ . or -, without spaces.",
    id: "Pakai 1 sampai 100 huruf, angka, _ . atau -, tanpa spasi.",
  },
  "err.template_body": {
    en: "Write the text (at most 4096 characters).",
    id: "Tulis teksnya (paling banyak 4096 karakter).",
  },
  "err.template_braces": {
    en:
      "“{value}” is not a variable: write {{name}} or {{1}} (letters, digits, _ . -), or leave the braces out.",
    id:
      "“{value}” bukan variabel: tulis {{nama}} atau {{1}} (huruf, angka, _ . -), atau hapus kurung kurawalnya.",
  },
  "err.template_kind": {
    en: "Choose Message or Quick reply.",
    id: "Pilih Pesan atau Balasan cepat.",
  },
  "err.template_shortcut": {
    en: "A shortcut is a slash and up to 30 letters or digits, e.g. /jadwal.",
    id: "Pintasan adalah garis miring dan paling banyak 30 huruf atau angka, mis. /jadwal.",
  },
  "err.template_taken": {
    en: "Another template has this name.",
    id: "Template lain sudah memakai nama ini.",
  },
  "err.shortcut_taken": {
    en: "Another template has this shortcut.",
    id: "Template lain sudah memakai pintasan ini.",
  },
  "templates.field.id": { en: "ID", id: "ID" },
} satisfies Messages;
