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
  "empty.broadcasts.title": { en: "Broadcasts are coming", id: "Siaran segera hadir" },
  "empty.broadcasts.body": {
    en:
      "This page is not built yet. It will send one message to many recipients from an Excel list, with a confirmation step and live progress.",
    id:
      "Halaman ini belum dibuat. Nanti halaman ini mengirim satu pesan ke banyak penerima dari daftar Excel, dengan langkah konfirmasi dan kemajuan langsung.",
  },
  "empty.templates.title": { en: "No templates yet", id: "Belum ada template" },
  "empty.templates.body": {
    en: "Save messages you send often, with {{variables}} filled in per recipient.",
    id: "Simpan pesan yang sering dikirim, dengan {{variabel}} yang diisi per penerima.",
  },
  "empty.channels.title": { en: "No channels yet", id: "Belum ada saluran" },
  "empty.channels.body": {
    en:
      "Pair a WhatsApp number or add a Telegram bot to start receiving messages, or add a sandbox to try Kabar without a phone.",
    id:
      "Hubungkan nomor WhatsApp atau tambahkan bot Telegram untuk mulai menerima pesan, atau tambahkan sandbox untuk mencoba Kabar tanpa ponsel.",
  },
  "empty.automation.title": { en: "Auto-replies are coming", id: "Balasan otomatis segera hadir" },
  "empty.automation.body": {
    en: "This page is not built yet. It will answer common questions automatically, by keyword.",
    id:
      "Halaman ini belum dibuat. Nanti halaman ini menjawab pertanyaan umum secara otomatis berdasarkan kata kunci.",
  },
  "empty.reports.title": { en: "Reports are coming", id: "Laporan segera hadir" },
  "empty.reports.body": {
    en:
      "This page is not built yet. It will show response times per agent and delivery per channel.",
    id:
      "Halaman ini belum dibuat. Nanti halaman ini menampilkan waktu respons per agen dan pengiriman per saluran.",
  },
} satisfies Messages;
