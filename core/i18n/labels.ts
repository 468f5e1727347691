import type { Messages } from "./message.ts";

/** The labels page under Settings. */
export const labels = {
  "settings.labels": { en: "Labels", id: "Label" },
  "labels.title": { en: "Labels", id: "Label" },
  "labels.intro": {
    en:
      "Labels sort conversations (BPJS, Lab, Urgent…). Staff put them on a conversation from its page; here you name them, colour them and remove them.",
    id:
      "Label mengelompokkan percakapan (BPJS, Lab, Mendesak…). Staf memasangnya dari halaman percakapan; di sini Anda memberi nama, warna, dan menghapusnya.",
  },
  "labels.add": { en: "Add label", id: "Tambah label" },
  "labels.name": { en: "Name", id: "Nama" },
  "labels.color": { en: "Colour", id: "Warna" },
  "labels.conversations": { en: "Conversations", id: "Percakapan" },
  "labels.conversation_count": {
    en: { one: "{count} conversation", other: "{count} conversations" },
    id: "{count} percakapan",
  },
  "labels.save": { en: "Save", id: "Simpan" },
  "labels.edit_hint": {
    en: "Change a name or colour, then save its row.",
    id: "Ubah nama atau warna, lalu simpan barisnya.",
  },
  "labels.empty": {
    en: "No labels yet. Add the first one above, or name one on a conversation's page.",
    id: "Belum ada label. Tambahkan yang pertama di atas, atau beri nama dari halaman percakapan.",
  },
  "labels.created": { en: "Label {name} is added.", id: "Label {name} telah ditambahkan." },
  "labels.updated": { en: "Label {name} is saved.", id: "Label {name} telah disimpan." },
  "labels.deleted": {
    en: {
      one: "Label {name} is deleted and taken off {count} conversation.",
      other: "Label {name} is deleted and taken off {count} conversations.",
    },
    id: "Label {name} telah dihapus dan dilepas dari {count} percakapan.",
  },
  "labels.delete_confirm": {
    en: "Delete label {name}? It is taken off every conversation that has it.",
    id: "Hapus label {name}? Label ini dilepas dari semua percakapan yang memakainya.",
  },
  "labels.delete_named": { en: "Delete {name}", id: "Hapus {name}" },
  "err.label_name_empty": { en: "Enter the label's name.", id: "Isi nama label." },
  "err.label_name_long": {
    en: "A label's name is at most {max} characters; “{value}” has {length}.",
    id: "Nama label paling banyak {max} karakter; “{value}” berisi {length}.",
  },
  "err.label_color_value": {
    en: "Choose a colour as #rrggbb; “{value}” is not one.",
    id: "Pilih warna dalam bentuk #rrggbb; “{value}” bukan warna.",
  },
  "err.label_taken": {
    en: "A label named “{value}” already exists (names count as the same in any case).",
    id: "Label bernama “{value}” sudah ada (huruf besar dan kecil dianggap sama).",
  },
  "audit.act.label.create": { en: "Added a label", id: "Menambah label" },
  "audit.act.label.update": { en: "Changed a label", id: "Mengubah label" },
  "audit.act.label.delete": { en: "Deleted a label", id: "Menghapus label" },
} satisfies Messages;
