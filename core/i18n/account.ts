import type { Messages } from "./message.ts";

/** My account: profile, password, two-step verification. */
export const account = {
  "account.title": { en: "My account", id: "Akun saya" },
  "account.profile": { en: "Profile", id: "Profil" },
  "account.saved": { en: "Your profile is saved.", id: "Profil Anda tersimpan." },
  "account.password": { en: "Change password", id: "Ganti kata sandi" },
  "account.password_changed": {
    en: "Your password is changed. Other sessions were signed out.",
    id: "Kata sandi Anda telah diganti. Sesi lain telah dikeluarkan.",
  },
  "account.password_submit": { en: "Change password", id: "Ganti kata sandi" },
  "twofa.title": { en: "Two-step verification", id: "Verifikasi dua langkah" },
  "twofa.on": { en: "On", id: "Aktif" },
  "twofa.off": { en: "Off", id: "Nonaktif" },
  "twofa.explain": {
    en:
      "With two-step verification, signing in needs your password and a code from an authenticator app (Google Authenticator, Microsoft Authenticator, Aegis…).",
    id:
      "Dengan verifikasi dua langkah, masuk memerlukan kata sandi dan kode dari aplikasi autentikator (Google Authenticator, Microsoft Authenticator, Aegis…).",
  },
  "twofa.start": { en: "Turn on two-step verification", id: "Aktifkan verifikasi dua langkah" },
  "twofa.scan": {
    en: "1. Scan this QR code with your authenticator app.",
    id: "1. Pindai kode QR ini dengan aplikasi autentikator Anda.",
  },
  "twofa.manual": { en: "Or type this key:", id: "Atau ketik kunci ini:" },
  "twofa.open_app": {
    en: "On this phone: open in the authenticator app",
    id: "Di ponsel ini: buka di aplikasi autentikator",
  },
  "twofa.confirm": {
    en: "2. Enter the 6-digit code the app shows.",
    id: "2. Masukkan kode 6 digit yang ditampilkan aplikasi.",
  },
  "twofa.confirm_submit": { en: "Turn on", id: "Aktifkan" },
  "twofa.enabled": { en: "Two-step verification is on.", id: "Verifikasi dua langkah aktif." },
  "twofa.recovery_title": { en: "Save your recovery codes", id: "Simpan kode pemulihan Anda" },
  "twofa.recovery_intro": {
    en:
      "Each code signs you in once if you lose your phone. Print them or keep them somewhere safe: they are shown only now.",
    id:
      "Setiap kode dapat dipakai sekali untuk masuk jika ponsel Anda hilang. Cetak atau simpan di tempat aman: kode hanya ditampilkan sekarang.",
  },
  "twofa.recovery_left": {
    en: { one: "{count} unused recovery code left.", other: "{count} unused recovery codes left." },
    id: "Tersisa {count} kode pemulihan yang belum dipakai.",
  },
  "twofa.regenerate": { en: "Make new recovery codes", id: "Buat kode pemulihan baru" },
  "twofa.disable": {
    en: "Turn off two-step verification",
    id: "Nonaktifkan verifikasi dua langkah",
  },
  "twofa.disabled": { en: "Two-step verification is off.", id: "Verifikasi dua langkah nonaktif." },
  "twofa.password_needed": {
    en: "Enter your password to confirm.",
    id: "Masukkan kata sandi Anda untuk konfirmasi.",
  },
} satisfies Messages;
