import type { Messages } from "./message.ts";

/** Empty states of the pages that have nothing to show yet. */
export const empty = {
  "empty.inbox.title": { en: "No conversations yet", id: "Belum ada percakapan" },
  "empty.inbox.body": {
    en: "Messages from patients on WhatsApp and Telegram appear here once a channel is connected.",
    id:
      "Pesan dari pasien melalui WhatsApp dan Telegram akan muncul di sini setelah saluran terhubung.",
  },
  "empty.contacts.title": { en: "No contacts yet", id: "Belum ada kontak" },
  "empty.contacts.body": {
    en: "People who message you, or whom you message, are added here.",
    id: "Orang yang mengirim atau menerima pesan dari Anda ditambahkan di sini.",
  },
  "empty.broadcasts.title": { en: "No broadcasts yet", id: "Belum ada siaran" },
  "empty.broadcasts.body": {
    en: "Send one message to many recipients, with a confirmation step and live progress.",
    id: "Kirim satu pesan ke banyak penerima, dengan langkah konfirmasi dan kemajuan langsung.",
  },
  "empty.templates.title": { en: "No templates yet", id: "Belum ada template" },
  "empty.templates.body": {
    en: "Save messages you send often, with {{variables}} filled in per recipient.",
    id: "Simpan pesan yang sering dikirim, dengan {{variabel}} yang diisi per penerima.",
  },
  "empty.channels.title": { en: "No channels yet", id: "Belum ada saluran" },
  "empty.channels.body": {
    en: "Pair a WhatsApp number or add a Telegram bot to start receiving messages.",
    id: "Hubungkan nomor WhatsApp atau tambahkan bot Telegram untuk mulai menerima pesan.",
  },
  "empty.automation.title": { en: "No auto-replies yet", id: "Belum ada balasan otomatis" },
  "empty.automation.body": {
    en: "Answer common questions automatically, by keyword.",
    id: "Jawab pertanyaan umum secara otomatis berdasarkan kata kunci.",
  },
  "empty.reports.title": { en: "No data yet", id: "Belum ada data" },
  "empty.reports.body": {
    en: "Response times per agent and delivery per channel appear once messages flow.",
    id: "Waktu respons per agen dan pengiriman per saluran muncul setelah pesan mengalir.",
  },
} satisfies Messages;
