import type { Messages } from "./message.ts";

/** First-run setup, signing in, and the two-step verification at sign-in. */
export const login = {
  "err.too_many_attempts": {
    en: "Too many wrong passwords or codes. Wait, then try again.",
    id: "Terlalu banyak kata sandi atau kode salah. Tunggu, lalu coba lagi.",
  },
  "setup.title": { en: "Welcome to Kabar", id: "Selamat datang di Kabar" },
  "setup.intro": {
    en:
      "Create the administrator account. The administrator adds channels, staff accounts and API keys. This page disappears once the account exists.",
    id:
      "Buat akun administrator. Administrator menambahkan saluran, akun staf, dan kunci API. Halaman ini hilang setelah akun dibuat.",
  },
  "setup.submit": { en: "Create administrator", id: "Buat administrator" },
  "login.next_not_allowed": {
    en: "The page the link led to is not open to your role, so here is your inbox.",
    id: "Halaman tujuan tautan itu tidak terbuka untuk peran Anda, jadi ini kotak masuk Anda.",
  },
  "setup.done": {
    en:
      "The administrator account is ready and you are signed in. Add a channel to start: a sandbox to try Kabar, or a WhatsApp number or Telegram bot.",
    id:
      "Akun administrator siap dan Anda sudah masuk. Tambahkan saluran untuk mulai: sandbox untuk mencoba Kabar, atau nomor WhatsApp atau bot Telegram.",
  },
  "login.title": { en: "Sign in", id: "Masuk" },
  "login.submit": { en: "Sign in", id: "Masuk" },
  "login.forgot": {
    en: "Forgot your password? Ask an administrator to set a new one.",
    id: "Lupa kata sandi? Minta administrator mengatur kata sandi baru.",
  },
  "login.failed": { en: "Wrong username or password.", id: "Nama pengguna atau kata sandi salah." },
  "login.throttled": {
    en: {
      one: "Too many failed attempts. Try again in {count} minute.",
      other: "Too many failed attempts. Try again in {count} minutes.",
    },
    id: "Terlalu banyak percobaan gagal. Coba lagi dalam {count} menit.",
  },
  "login.signed_out": { en: "You have signed out.", id: "Anda telah keluar." },
  "login.expired": {
    en: "Your session has ended. Sign in again.",
    id: "Sesi Anda telah berakhir. Silakan masuk lagi.",
  },
  "mfa.title": { en: "Two-step verification", id: "Verifikasi dua langkah" },
  "mfa.intro": {
    en: "Enter the 6-digit code from your authenticator app.",
    id: "Masukkan kode 6 digit dari aplikasi autentikator Anda.",
  },
  "mfa.code": { en: "Authentication code", id: "Kode autentikasi" },
  "mfa.submit": { en: "Verify", id: "Verifikasi" },
  "mfa.use_recovery": {
    en: "Lost your phone? Use a recovery code",
    id: "Kehilangan ponsel? Gunakan kode pemulihan",
  },
  "mfa.use_code": { en: "Use a code from the app instead", id: "Gunakan kode dari aplikasi" },
  "mfa.recovery_code": { en: "Recovery code", id: "Kode pemulihan" },
  "mfa.recovery_hint": {
    en: "One of the codes you saved when you turned on two-step verification.",
    id: "Salah satu kode yang Anda simpan saat mengaktifkan verifikasi dua langkah.",
  },
  "mfa.code_used": {
    en:
      "That code was already used. Wait for the next code in your authenticator app (a few seconds).",
    id: "Kode itu sudah dipakai. Tunggu kode berikutnya di aplikasi autentikator (beberapa detik).",
  },
  "mfa.failed": {
    en: "That code is not valid. Check your phone's clock and try a new code.",
    id: "Kode tidak valid. Periksa jam ponsel Anda dan coba kode yang baru.",
  },
  "mfa.recovery_failed": {
    en: "That recovery code is not valid or has been used.",
    id: "Kode pemulihan tidak valid atau sudah dipakai.",
  },
  "mfa.cancel": { en: "Sign in as someone else", id: "Masuk sebagai orang lain" },
} satisfies Messages;
