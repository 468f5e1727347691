import type { Messages } from "./message.ts";

/** Broadcasts: the states, why a row is left out, and the errors of the form. */
export const broadcasts = {
  "broadcasts.status.draft": { en: "Draft", id: "Draf" },
  "broadcasts.status.confirmed": { en: "Confirmed", id: "Dikonfirmasi" },
  "broadcasts.status.scheduled": { en: "Scheduled", id: "Terjadwal" },
  "broadcasts.status.running": { en: "Sending", id: "Sedang dikirim" },
  "broadcasts.status.paused": { en: "Paused", id: "Dijeda" },
  "broadcasts.status.finished": { en: "Finished", id: "Selesai" },
  "broadcasts.status.cancelled": { en: "Cancelled", id: "Dibatalkan" },
  "broadcasts.reason.empty": { en: "No number", id: "Tidak ada nomor" },
  "broadcasts.reason.not_digits": {
    en: "“{value}” is not a number",
    id: "“{value}” bukan nomor",
  },
  "broadcasts.reason.too_short": {
    en: "“{value}” is too short for a number",
    id: "“{value}” terlalu pendek untuk nomor",
  },
  "broadcasts.reason.too_long": {
    en: "“{value}” is too long for a number",
    id: "“{value}” terlalu panjang untuk nomor",
  },
  "broadcasts.reason.invalid_country": {
    en: "“{value}” has no country code after + or 00",
    id: "“{value}” tidak punya kode negara setelah + atau 00",
  },
  "broadcasts.reason.invalid": {
    en: "“{value}” is not a number of its country",
    id: "“{value}” bukan nomor yang berlaku di negaranya",
  },
  "broadcasts.reason.scientific": {
    en: "“{value}” was turned into scientific notation by Excel: its digits are lost",
    id: "“{value}” diubah Excel menjadi notasi ilmiah: sebagian angkanya hilang",
  },
  "broadcasts.reason.variable_missing": {
    en: "No value for {{{variable}}}",
    id: "Tidak ada isi untuk {{{variable}}}",
  },
  "broadcasts.reason.duplicate": {
    en: "The same number as row {row}",
    id: "Nomor yang sama dengan baris {row}",
  },
  "broadcasts.reason.opted_out": {
    en: "Asked to receive no broadcasts",
    id: "Meminta tidak menerima siaran",
  },
  "broadcasts.reason.not_on_whatsapp": {
    en: "Not on WhatsApp",
    id: "Tidak terdaftar di WhatsApp",
  },
  "err.broadcast_channel": {
    en: "Choose a channel that still exists",
    id: "Pilih saluran yang masih ada",
  },
  "err.broadcast_telegram_label": {
    en: "A Telegram bot cannot write to phone numbers: choose recipients by label",
    id: "Bot Telegram tidak bisa mengirim ke nomor telepon: pilih penerima berdasarkan label",
  },
  "err.broadcast_template": {
    en: "Choose an active template",
    id: "Pilih template yang aktif",
  },
} satisfies Messages;
