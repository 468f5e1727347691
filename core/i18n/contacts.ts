import type { Messages } from "./message.ts";

/** Contacts: the list, a contact's page, import, export and merge. */
export const contacts = {
  "contacts.intro": {
    en: "Everyone who wrote to the hospital or was written to, on WhatsApp and Telegram.",
    id: "Semua orang yang menghubungi atau dihubungi rumah sakit, lewat WhatsApp dan Telegram.",
  },
  "contacts.search": { en: "Search", id: "Cari" },
  "contacts.search.q": { en: "Name or number", id: "Nama atau nomor" },
  "contacts.search.q_hint": {
    en: "Part of a name, or of a number in any form (0812…, +62 812…).",
    id: "Sebagian nama, atau sebagian nomor dalam bentuk apa pun (0812…, +62 812…).",
  },
  "contacts.search.label": { en: "Label of a conversation", id: "Label percakapan" },
  "contacts.search.any_label": { en: "Any label", id: "Label apa saja" },
  "contacts.search.clear": { en: "Show all", id: "Tampilkan semua" },
  "contacts.empty_filtered": {
    en: "No contact matches this search.",
    id: "Tidak ada kontak yang cocok dengan pencarian ini.",
  },
  "contacts.next": { en: "Next page", id: "Halaman berikutnya" },
  "contacts.col.name": { en: "Name", id: "Nama" },
  "contacts.col.phone": { en: "Number", id: "Nomor" },
  "contacts.col.telegram": { en: "Telegram chat", id: "Chat Telegram" },
  "contacts.col.labels": { en: "Labels", id: "Label" },
  "contacts.col.activity": { en: "Last activity", id: "Aktivitas terakhir" },
  "contacts.no_name": { en: "(no name)", id: "(tanpa nama)" },
  "contacts.never": { en: "No messages yet", id: "Belum ada pesan" },
  "contacts.import": { en: "Import", id: "Impor" },
  "contacts.export": { en: "Export CSV", id: "Ekspor CSV" },
  "contacts.add": { en: "Add a contact", id: "Tambah kontak" },
  "contacts.created": { en: "The contact is added.", id: "Kontak ditambahkan." },
  "contacts.saved": { en: "The contact is saved.", id: "Kontak disimpan." },
  "contacts.deleted": { en: "The contact {name} is deleted.", id: "Kontak {name} dihapus." },
  "contacts.merged": {
    en: "{name} is merged into this contact.",
    id: "{name} digabungkan ke kontak ini.",
  },
  "contacts.field.name": { en: "Name", id: "Nama" },
  "contacts.field.phone": { en: "Phone number", id: "Nomor telepon" },
  "contacts.field.phone_hint": {
    en: "As you would dial it, e.g. 0812 3456 7890 or +65 9123 4567.",
    id: "Seperti saat menelepon, mis. 0812 3456 7890 atau +65 9123 4567.",
  },
  "contacts.field.email": { en: "Email (optional)", id: "Email (opsional)" },
  "contacts.field.notes": { en: "Notes (optional)", id: "Catatan (opsional)" },
  "contacts.field.notes_hint": {
    en: "For the staff only; the patient never sees them.",
    id: "Hanya untuk staf; pasien tidak pernah melihatnya.",
  },
  "contacts.field.attributes": { en: "More details", id: "Keterangan lain" },
  "contacts.field.attributes_hint": {
    en: "Anything else worth keeping, as a name and a value, e.g. No. RM and 00123456.",
    id: "Hal lain yang perlu disimpan, berupa nama dan isi, mis. No. RM dan 00123456.",
  },
  "contacts.field.attr_key": { en: "Name", id: "Nama" },
  "contacts.field.attr_value": { en: "Value", id: "Isi" },
  "contacts.attr_add": { en: "Add a row", id: "Tambah baris" },
  "contacts.attr_remove": { en: "Remove", id: "Hapus" },
  "contacts.attr_remove_row": { en: "Remove row {n}", id: "Hapus baris {n}" },
  "contacts.edit": { en: "Details", id: "Data kontak" },
  "contacts.push_name": {
    en: "Calls themselves “{name}” on WhatsApp.",
    id: "Menamai dirinya “{name}” di WhatsApp.",
  },
  "contacts.conversations": { en: "Conversations", id: "Percakapan" },
  "contacts.conversations_none": {
    en: "No conversation you may see.",
    id: "Tidak ada percakapan yang boleh Anda lihat.",
  },
  "contacts.conversation_open": { en: "Open the conversation", id: "Buka percakapan" },
  "contacts.unassigned": { en: "Nobody has it", id: "Belum dipegang siapa pun" },
  "contacts.delete": { en: "Delete the contact", id: "Hapus kontak" },
  "contacts.delete_hint": {
    en: "Only a contact without conversations can be deleted; merge a duplicate instead.",
    id:
      "Hanya kontak tanpa percakapan yang dapat dihapus; gabungkan kontak ganda sebagai gantinya.",
  },
  "contacts.delete_confirm": {
    en: "Delete the contact {name}?",
    id: "Hapus kontak {name}?",
  },
  "contacts.merge": {
    en: "Merge a duplicate into this contact",
    id: "Gabungkan kontak ganda ke sini",
  },
  "contacts.merge_intro": {
    en:
      "Find the other contact of the same person. Its conversations and messages move here; conversations on the same channel become one. This contact's details win, empty ones are filled from the other.",
    id:
      "Cari kontak lain dari orang yang sama. Percakapan dan pesannya pindah ke sini; percakapan di saluran yang sama menjadi satu. Data kontak ini yang dipakai, yang kosong diisi dari kontak lain.",
  },
  "contacts.merge_find": { en: "Find", id: "Cari" },
  "contacts.merge_none": {
    en: "No other contact matches.",
    id: "Tidak ada kontak lain yang cocok.",
  },
  "contacts.merge_button": { en: "Merge into this contact", id: "Gabungkan ke kontak ini" },
  "contacts.merge_confirm": {
    en: "Merge {name} into this contact? This cannot be undone.",
    id: "Gabungkan {name} ke kontak ini? Ini tidak dapat dibatalkan.",
  },
  "contacts.import.title": { en: "Import contacts", id: "Impor kontak" },
  "contacts.import.intro": {
    en:
      "A .csv or .xlsx file with one contact a row and a header row. Numbers already known are updated, new ones added.",
    id:
      "Berkas .csv atau .xlsx dengan satu kontak per baris dan baris judul. Nomor yang sudah ada diperbarui, yang baru ditambahkan.",
  },
  "contacts.import.file": { en: "File (.csv or .xlsx)", id: "Berkas (.csv atau .xlsx)" },
  "contacts.import.file_hint": {
    en:
      "Up to {max} MB. A CSV may use commas, semicolons or tabs. An old .xls file: save it as .xlsx first.",
    id:
      "Paling besar {max} MB. CSV boleh memakai koma, titik koma, atau tab. Berkas .xls lama: simpan dulu sebagai .xlsx.",
  },
  "contacts.import.upload": { en: "Upload and choose columns", id: "Unggah dan pilih kolom" },
  "contacts.import.map_title": { en: "Which column holds what?", id: "Kolom mana berisi apa?" },
  "contacts.import.map_intro": {
    en: "{count} rows to import. Below, the first rows as they were read.",
    id: "{count} baris akan diimpor. Di bawah, baris-baris pertama seperti terbaca.",
  },
  "contacts.import.sheet": { en: "Sheet", id: "Lembar" },
  "contacts.import.sheet_show": { en: "Show this sheet", id: "Tampilkan lembar ini" },
  "contacts.import.col_phone": { en: "Phone number column", id: "Kolom nomor telepon" },
  "contacts.import.col_name": { en: "Name column", id: "Kolom nama" },
  "contacts.import.col_email": { en: "Email column", id: "Kolom email" },
  "contacts.import.col_none": { en: "(none)", id: "(tidak ada)" },
  "contacts.import.col_attrs": {
    en: "Columns kept as more details",
    id: "Kolom yang disimpan sebagai keterangan lain",
  },
  "contacts.import.preview": { en: "First rows", id: "Baris pertama" },
  "contacts.import.row": { en: "Row", id: "Baris" },
  "contacts.import.run": { en: "Import", id: "Impor" },
  "contacts.import.again": { en: "Import another file", id: "Impor berkas lain" },
  "contacts.import.report": { en: "Import finished", id: "Impor selesai" },
  "contacts.import.created": { en: "New contacts", id: "Kontak baru" },
  "contacts.import.updated": { en: "Updated contacts", id: "Kontak diperbarui" },
  "contacts.import.skipped": { en: "Rows left out", id: "Baris dilewati" },
  "contacts.import.reason": { en: "Why", id: "Alasan" },
  "contacts.import.value": { en: "Value", id: "Isi" },
  "contacts.import.skip.no_phone": { en: "No phone number.", id: "Tidak ada nomor telepon." },
  "contacts.import.skip.scientific": {
    en:
      "The number is in scientific notation (like 6.28E+12): the spreadsheet rounded it. Format the column as text and type the number again.",
    id:
      "Nomor tertulis dalam notasi ilmiah (seperti 6,28E+12): spreadsheet membulatkannya. Format kolom sebagai teks lalu ketik ulang nomornya.",
  },
  "contacts.import.skip.duplicate": {
    en: "The same number as row {row}.",
    id: "Nomor yang sama dengan baris {row}.",
  },
  "contacts.import.skip.email": {
    en: "Not an email address.",
    id: "Bukan alamat email.",
  },
  "err.contact_name_long": {
    en: "A name has at most {max} characters.",
    id: "Nama paling banyak {max} karakter.",
  },
  "err.contact_notes_long": {
    en: "Notes have at most {max} characters.",
    id: "Catatan paling banyak {max} karakter.",
  },
  "err.contact_email": {
    en: "“{value}” is not an email address (name@example.com).",
    id: "“{value}” bukan alamat email (nama@contoh.com).",
  },
  "err.contact_phone_taken": {
    en: "Another contact has this number; merge the two instead.",
    id: "Kontak lain memakai nomor ini; gabungkan keduanya saja.",
  },
  "err.contact_attribute_key": {
    en: "The row with “{value}” needs a name.",
    id: "Baris berisi “{value}” perlu nama.",
  },
  "err.contact_attribute_key_long": {
    en: "“{value}”: a name has at most {max} characters.",
    id: "“{value}”: nama paling banyak {max} karakter.",
  },
  "err.contact_attribute_value_long": {
    en: "The value of “{value}” has more than {max} characters.",
    id: "Isi “{value}” lebih dari {max} karakter.",
  },
  "err.contact_attribute_twice": {
    en: "“{value}” is written twice; keep one row.",
    id: "“{value}” tertulis dua kali; sisakan satu baris.",
  },
  "err.contact_attributes_many": {
    en: "At most {max} rows of details.",
    id: "Paling banyak {max} baris keterangan.",
  },
  "err.contact_has_conversations": {
    en:
      "This contact has conversations, so it cannot be deleted; merge it into the right contact instead.",
    id: "Kontak ini punya percakapan, jadi tidak dapat dihapus; gabungkan ke kontak yang benar.",
  },
  "err.contact_merge_self": {
    en: "Choose another contact than this one.",
    id: "Pilih kontak selain kontak ini.",
  },
  "err.contact_merge_conflict": {
    en: "These are two people: they have different {field} ({keep} and {drop}).",
    id: "Ini dua orang berbeda: {field} keduanya berlainan ({keep} dan {drop}).",
  },
  "err.contact_merge_missing": {
    en: "That contact no longer exists.",
    id: "Kontak itu sudah tidak ada.",
  },
  "err.import_empty": { en: "The file is empty.", id: "Berkasnya kosong." },
  "err.import_xls": {
    en:
      "This is an old Excel .xls file. Open it in Excel or LibreOffice and save it as .xlsx (or .csv), then upload that.",
    id:
      "Ini berkas Excel .xls lama. Buka di Excel atau LibreOffice, simpan sebagai .xlsx (atau .csv), lalu unggah berkas itu.",
  },
  "err.import_type": {
    en: "Only .csv and .xlsx files can be imported.",
    id: "Hanya berkas .csv dan .xlsx yang dapat diimpor.",
  },
  "err.import_no_file": { en: "Choose a file to upload.", id: "Pilih berkas untuk diunggah." },
  "err.import_too_large": {
    en: "The file is larger than {max} MB.",
    id: "Berkas lebih besar dari {max} MB.",
  },
  "err.import_too_many": {
    en: "The file has too many rows; split it into smaller files.",
    id: "Berkas terlalu banyak barisnya; bagi menjadi beberapa berkas.",
  },
  "err.import_unreadable": {
    en:
      "The file could not be read as an .xlsx workbook; save it again from the spreadsheet, or as .csv.",
    id:
      "Berkas tidak terbaca sebagai buku kerja .xlsx; simpan ulang dari spreadsheet, atau sebagai .csv.",
  },
  "err.import_no_rows": {
    en: "The file has no row to import under its header row.",
    id: "Berkas tidak punya baris untuk diimpor di bawah baris judul.",
  },
  "err.import_phone_column": {
    en: "Choose the column that holds the phone numbers.",
    id: "Pilih kolom yang berisi nomor telepon.",
  },
  "err.import_gone": {
    en: "This upload was already imported, or is more than a day old; upload the file again.",
    id: "Unggahan ini sudah diimpor, atau lebih dari sehari; unggah berkasnya lagi.",
  },
  "audit.act.contact.create": { en: "Added a contact", id: "Menambah kontak" },
  "audit.act.contact.update": { en: "Changed a contact", id: "Mengubah kontak" },
  "audit.act.contact.delete": { en: "Deleted a contact", id: "Menghapus kontak" },
  "audit.act.contact.merge": { en: "Merged two contacts", id: "Menggabungkan dua kontak" },
  "audit.act.contact.import": { en: "Imported contacts", id: "Mengimpor kontak" },
  "audit.act.contact.export": { en: "Exported contacts", id: "Mengekspor kontak" },
} satisfies Messages;
