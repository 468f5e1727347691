import type { Messages } from "./message.ts";

/** The opt-out list: its Settings page and the contact page's part. */
export const optOuts = {
  "settings.opt_outs": { en: "Opt-outs", id: "Berhenti langganan" },
  "optouts.title": { en: "Opt-outs", id: "Berhenti langganan" },
  "optouts.intro": {
    en:
      "Numbers on this list get no broadcasts. A patient is put on it by replying one of the stop words; here you can also add or remove a number. Replies from the inbox and messages from the hospital's systems (API) still reach them.",
    id:
      "Nomor di daftar ini tidak menerima pesan siaran. Pasien masuk daftar ini dengan membalas salah satu kata berhenti; di sini Anda juga bisa menambah atau menghapus nomor. Balasan dari kotak masuk dan pesan dari sistem rumah sakit (API) tetap terkirim.",
  },
  "optouts.words.title": {
    en: "Opting out by reply",
    id: "Berhenti langganan lewat balasan",
  },
  "optouts.field.stop_words": { en: "Stop words", id: "Kata berhenti" },
  "optouts.field.stop_words_hint": {
    en:
      "One per line, or separated by commas. A reply that is exactly one of these words (any case, nothing else) opts the number out.",
    id:
      "Satu per baris, atau dipisahkan koma. Balasan yang persis salah satu kata ini (huruf besar atau kecil, tanpa kata lain) menghentikan pesan siaran ke nomor itu.",
  },
  "optouts.field.confirm": {
    en: "Send a confirmation reply",
    id: "Kirim balasan konfirmasi",
  },
  "optouts.field.confirm_hint": {
    en: "Sent once, when the number is put on the list by its reply.",
    id: "Dikirim sekali, saat nomor masuk daftar karena balasannya.",
  },
  "optouts.field.confirm_text": { en: "Confirmation reply", id: "Isi balasan konfirmasi" },
  "optouts.words.save": { en: "Save stop words", id: "Simpan kata berhenti" },
  "optouts.settings_saved": {
    en: "The stop words and the confirmation reply are saved.",
    id: "Kata berhenti dan balasan konfirmasi telah disimpan.",
  },
  "optouts.add.title": { en: "Add a number by hand", id: "Tambah nomor secara manual" },
  "optouts.add.intro": {
    en: "For a patient who asked by phone or at the counter.",
    id: "Untuk pasien yang meminta lewat telepon atau di loket.",
  },
  "optouts.field.phone": { en: "Phone number", id: "Nomor telepon" },
  "optouts.field.phone_hint": {
    en: "Any common form: 0812-3456-7890, +62 812 3456 7890.",
    id: "Bentuk apa saja: 0812-3456-7890, +62 812 3456 7890.",
  },
  "optouts.add.submit": { en: "Add to the list", id: "Tambahkan ke daftar" },
  "optouts.added": {
    en: "{phone} gets no more broadcasts.",
    id: "{phone} tidak akan menerima pesan siaran lagi.",
  },
  "optouts.already": {
    en: "{phone} was already on the list; it stays as it was.",
    id: "{phone} sudah ada di daftar; tetap seperti sebelumnya.",
  },
  "optouts.removed": {
    en: "{phone} is off the list and gets broadcasts again.",
    id: "{phone} dihapus dari daftar dan akan menerima pesan siaran lagi.",
  },
  "optouts.not_listed": {
    en: "{phone} was not on the list.",
    id: "{phone} tidak ada di daftar.",
  },
  "optouts.list.title": { en: "Opted-out numbers", id: "Nomor yang berhenti langganan" },
  "optouts.search": { en: "Number or name", id: "Nomor atau nama" },
  "optouts.search_button": { en: "Search", id: "Cari" },
  "optouts.search_clear": { en: "Show all", id: "Tampilkan semua" },
  "optouts.empty": {
    en: "No number has opted out yet.",
    id: "Belum ada nomor yang berhenti langganan.",
  },
  "optouts.empty_search": {
    en: "No opted-out number matches “{q}”.",
    id: "Tidak ada nomor berhenti langganan yang cocok dengan “{q}”.",
  },
  "optouts.col.number": { en: "Number", id: "Nomor" },
  "optouts.col.since": { en: "Since", id: "Sejak" },
  "optouts.col.how": { en: "How", id: "Cara" },
  "optouts.how.reply": { en: "Replied a stop word", id: "Membalas kata berhenti" },
  "optouts.how.staff": { en: "Added by {name}", id: "Ditambahkan oleh {name}" },
  "optouts.how.staff_unknown": { en: "Added by staff", id: "Ditambahkan oleh staf" },
  "optouts.how.api": {
    en: "Added by the hospital's system (API)",
    id: "Ditambahkan oleh sistem rumah sakit (API)",
  },
  "optouts.open_reply": { en: "See the reply", id: "Lihat balasannya" },
  "optouts.older": { en: "Older", id: "Lebih lama" },
  "optouts.remove": { en: "Remove", id: "Hapus" },
  "optouts.remove_named": {
    en: "Remove {phone} from the list",
    id: "Hapus {phone} dari daftar",
  },
  "optouts.remove_confirm": {
    en: "Take {phone} off the opt-out list? Broadcasts will reach this number again.",
    id:
      "Hapus {phone} dari daftar berhenti langganan? Pesan siaran akan dikirim lagi ke nomor ini.",
  },
  "optouts.contact.title": { en: "Broadcasts", id: "Pesan siaran" },
  "optouts.contact.out": {
    en: "Opted out: gets no broadcasts",
    id: "Berhenti langganan: tidak menerima pesan siaran",
  },
  "optouts.contact.badge": { en: "No broadcasts", id: "Tanpa pesan siaran" },
  "optouts.contact.in": {
    en: "Receives broadcasts.",
    id: "Menerima pesan siaran.",
  },
  "optouts.contact.no_phone": {
    en: "No phone number, so no opt-out: the list holds numbers.",
    id: "Tidak ada nomor telepon, jadi tidak bisa berhenti langganan: daftar ini berisi nomor.",
  },
  "optouts.contact.note": {
    en: "Replies from the inbox and messages from the hospital's systems still reach them.",
    id: "Balasan dari kotak masuk dan pesan dari sistem rumah sakit tetap terkirim.",
  },
  "optouts.contact.opt_out": {
    en: "Stop broadcasts to this number",
    id: "Hentikan pesan siaran ke nomor ini",
  },
  "optouts.contact.opt_out_confirm": {
    en: "Stop broadcasts to {phone}?",
    id: "Hentikan pesan siaran ke {phone}?",
  },
  "optouts.contact.opt_in": {
    en: "Send broadcasts again",
    id: "Kirim pesan siaran lagi",
  },
  "optouts.contact.opt_in_confirm": {
    en: "Take {phone} off the opt-out list? Broadcasts will reach this number again.",
    id:
      "Hapus {phone} dari daftar berhenti langganan? Pesan siaran akan dikirim lagi ke nomor ini.",
  },
  "err.stop_words_none": {
    en: "Enter at least one stop word.",
    id: "Isi setidaknya satu kata berhenti.",
  },
  "err.stop_words_many": {
    en: "At most {max} stop words.",
    id: "Paling banyak {max} kata berhenti.",
  },
  "err.stop_word_long": {
    en: "“{value}” is longer than {max} characters.",
    id: "“{value}” lebih dari {max} karakter.",
  },
  "err.stop_word_twice": {
    en: "“{value}” is in the list twice (case does not count).",
    id: "“{value}” tertulis dua kali (huruf besar dan kecil dianggap sama).",
  },
  "err.opt_out_confirm_empty": {
    en: "Write the confirmation reply, or turn it off.",
    id: "Tulis balasan konfirmasi, atau matikan.",
  },
  "err.opt_out_confirm_long": {
    en: "The confirmation reply can be at most {max} characters.",
    id: "Balasan konfirmasi paling banyak {max} karakter.",
  },
  "audit.act.opt_out.add": {
    en: "Put a number on the opt-out list",
    id: "Memasukkan nomor ke daftar berhenti langganan",
  },
  "audit.act.opt_out.remove": {
    en: "Took a number off the opt-out list",
    id: "Menghapus nomor dari daftar berhenti langganan",
  },
  "audit.act.opt_out.settings": {
    en: "Changed the stop words",
    id: "Mengubah kata berhenti",
  },
} satisfies Messages;
