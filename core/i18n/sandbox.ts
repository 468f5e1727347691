import type { Messages } from "./message.ts";

/** The sandbox channel: its simulated phone and timing. */
export const sandbox = {
  "sandbox.open": { en: "Open the simulated phones", id: "Buka HP simulasi" },
  "sandbox.settings": { en: "Sandbox", id: "Sandbox" },
  "sandbox.field.accept_after": {
    en: "Sent (taken by the network) after (seconds)",
    id: "Terkirim (diterima jaringan) setelah (detik)",
  },
  "sandbox.field.deliver_after": {
    en: "Delivered after (seconds)",
    id: "Diterima setelah (detik)",
  },
  "sandbox.field.read_after": {
    en: "Then read after (seconds)",
    id: "Lalu dibaca setelah (detik)",
  },
  "sandbox.timing_saved": { en: "Sandbox delays saved.", id: "Jeda sandbox disimpan." },
  "err.sandbox_delay": {
    en: "“{value}” is not a number of seconds from 0 to {max}; write e.g. 1.5 or 1,5.",
    id: "“{value}” bukan jumlah detik dari 0 sampai {max}; tulis mis. 1,5 atau 1.5.",
  },
  "sandbox.title": { en: "Sandbox: {name}", id: "Sandbox: {name}" },
  "sandbox.intro": {
    en:
      "What the simulated people see. Messages Kabar sends here are delivered and read after a few seconds. Numbers ending in 0000 count as not on WhatsApp.",
    id:
      "Yang dilihat orang simulasi. Pesan dari Kabar ke sini diterima dan dibaca setelah beberapa detik. Nomor berakhiran 0000 dianggap tidak terdaftar di WhatsApp.",
  },
  "sandbox.reply": { en: "Send a message as a person", id: "Kirim pesan sebagai seseorang" },
  "sandbox.field.phone": { en: "From number", id: "Dari nomor" },
  "sandbox.field.phone_hint": {
    en: "Any number, e.g. 0812 3456 7890.",
    id: "Nomor apa saja, mis. 0812 3456 7890.",
  },
  "sandbox.field.name": { en: "Name (optional)", id: "Nama (opsional)" },
  "sandbox.field.text": { en: "Message", id: "Pesan" },
  "sandbox.send": { en: "Send to Kabar", id: "Kirim ke Kabar" },
  "sandbox.empty": {
    en: "No messages yet. Send one as a person above, or send one from Kabar to any number.",
    id:
      "Belum ada pesan. Kirim sebagai seseorang di atas, atau kirim dari Kabar ke nomor mana saja.",
  },
  "sandbox.status.queued": { en: "waiting", id: "menunggu" },
  "sandbox.status.sending": { en: "sending", id: "mengirim" },
  "sandbox.status.sent": { en: "sent", id: "terkirim" },
  "sandbox.status.delivered": { en: "delivered", id: "diterima" },
  "sandbox.status.read": { en: "read", id: "dibaca" },
  "sandbox.status.failed": { en: "failed", id: "gagal" },
  "sandbox.status.received": { en: "received", id: "masuk" },
  "err.sandbox_name": {
    en: "A name has at most 80 characters.",
    id: "Nama paling banyak 80 karakter.",
  },
  "err.sandbox_text": {
    en: "Write a message of at most 4096 characters.",
    id: "Tulis pesan paling banyak 4096 karakter.",
  },
  "err.sandbox_stopped": {
    en: "The sandbox channel is not running. Turn it on first.",
    id: "Saluran sandbox tidak berjalan. Nyalakan dulu.",
  },
} satisfies Messages;
