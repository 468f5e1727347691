import type { Messages } from "./message.ts";

/** A channel's sending pace: gaps, warm-up, daily cap, retries. */
export const pacing = {
  "pacing.title": { en: "Sending pace", id: "Kecepatan kirim" },
  "pacing.intro.whatsapp": {
    en:
      "WhatsApp bans numbers that send like machines: keep gaps of a second or more, longer for broadcasts, and let a new number warm up before broadcasting. Replies and API messages always go before broadcasts.",
    id:
      'WhatsApp memblokir nomor yang mengirim seperti mesin: beri jeda satu detik atau lebih, lebih lama untuk siaran, dan biarkan nomor baru "pemanasan" sebelum siaran. Balasan dan pesan API selalu didahulukan dari siaran.',
  },
  "pacing.intro.telegram": {
    en:
      "Telegram takes about 30 messages a second per bot. Replies and API messages always go before broadcasts.",
    id:
      "Telegram menerima sekitar 30 pesan per detik per bot. Balasan dan pesan API selalu didahulukan dari siaran.",
  },
  "pacing.intro.sandbox": {
    en:
      "The sandbox takes messages as fast as they come; set a pace to try how Kabar behaves with one.",
    id: "Sandbox menerima pesan secepat datangnya; atur kecepatan untuk mencoba perilaku Kabar.",
  },
  "pacing.gap": { en: "Seconds between messages", id: "Detik antar pesan" },
  "pacing.jitter": { en: "Plus up to (random seconds)", id: "Ditambah hingga (detik acak)" },
  "pacing.broadcast_gap": {
    en: "Seconds between broadcast messages",
    id: "Detik antar pesan siaran",
  },
  "pacing.broadcast_jitter": {
    en: "Plus up to (random seconds, broadcasts)",
    id: "Ditambah hingga (detik acak, siaran)",
  },
  "pacing.warmup_days": {
    en: "Days after pairing without broadcasts",
    id: "Hari setelah ditautkan tanpa siaran",
  },
  "pacing.daily_cap": {
    en: "At most per day (0: no limit)",
    id: "Paling banyak per hari (0: tanpa batas)",
  },
  "pacing.max_attempts": {
    en: "Attempts before a message fails",
    id: "Percobaan sebelum pesan gagal",
  },
  "pacing.saved": { en: "Sending pace saved.", id: "Kecepatan kirim disimpan." },
  "pacing.read_receipts": {
    en: "Send read receipts (blue ticks) when staff open a conversation",
    id: "Kirim tanda dibaca (centang biru) saat staf membuka percakapan",
  },
  "pacing.read_receipts_hint": {
    en:
      "As the phone app does: the patient sees their messages read. Off, they stay delivered (grey ticks) whatever staff do.",
    id:
      "Seperti aplikasi di ponsel: pasien melihat pesannya sudah dibaca. Jika mati, pesan tetap terkirim (centang abu-abu) apa pun yang dilakukan staf.",
  },
  "err.pacing_seconds": {
    en:
      "“{value}” is not a number of seconds from 0 to {max} (1.5 or 1,5 for a second and a half).",
    id:
      "“{value}” bukan jumlah detik dari 0 sampai {max} (1,5 atau 1.5 untuk satu setengah detik).",
  },
  "err.pacing_whole": {
    en: "“{value}” is not a whole number from {min} to {max}.",
    id: "“{value}” bukan bilangan bulat dari {min} sampai {max}.",
  },
} satisfies Messages;
