import type { Messages } from "./message.ts";

/** Staff accounts: the users page, roles, the account fields and their errors. */
export const users = {
  "role.admin": { en: "Administrator", id: "Administrator" },
  "role.supervisor": { en: "Supervisor", id: "Supervisor" },
  "role.agent": { en: "Agent", id: "Agen" },
  "field.display_name": { en: "Full name", id: "Nama lengkap" },
  "field.display_name.hint": {
    en: "Shown to colleagues, e.g. Siti Rahma",
    id: "Terlihat oleh rekan kerja, mis. Siti Rahma",
  },
  "field.username": { en: "Username", id: "Nama pengguna" },
  "field.username.hint": {
    en: "3–32 lowercase letters, digits, dot, dash or underscore",
    id: "3–32 huruf kecil, angka, titik, tanda hubung, atau garis bawah",
  },
  "field.password": { en: "Password", id: "Kata sandi" },
  "field.password.hint": {
    en: { one: "At least {count} character", other: "At least {count} characters" },
    id: "Minimal {count} karakter",
  },
  "field.password_confirm": { en: "Repeat password", id: "Ulangi kata sandi" },
  "field.current_password": { en: "Current password", id: "Kata sandi saat ini" },
  "field.new_password": { en: "New password", id: "Kata sandi baru" },
  "field.role": { en: "Role", id: "Peran" },
  "field.departments": { en: "Departments", id: "Departemen" },
  "field.language": { en: "Language", id: "Bahasa" },
  "field.name": { en: "Name", id: "Nama" },
  "field.code": { en: "Code", id: "Kode" },
  "err.display_name": {
    en: "A name is at most 80 characters.",
    id: "Nama paling banyak 80 karakter.",
  },
  "err.display_name_empty": {
    en: "Enter the person's name.",
    id: "Isi nama orangnya.",
  },
  "err.username": {
    en: "Use 3–32 lowercase letters, digits, dot, dash or underscore.",
    id: "Gunakan 3–32 huruf kecil, angka, titik, tanda hubung, atau garis bawah.",
  },
  "err.username_taken": {
    en: "This username is already taken.",
    id: "Nama pengguna ini sudah dipakai.",
  },
  "err.password_short": {
    en: { one: "Use at least {count} character.", other: "Use at least {count} characters." },
    id: "Gunakan minimal {count} karakter.",
  },
  "err.password_long": { en: "Use at most 200 characters.", id: "Gunakan maksimal 200 karakter." },
  "err.password_mismatch": {
    en: "The two passwords are not the same.",
    id: "Kedua kata sandi tidak sama.",
  },
  "err.password_wrong": {
    en: "The current password is not correct.",
    id: "Kata sandi saat ini salah.",
  },
  "err.role": {
    en: "Choose one of: administrator, supervisor, agent.",
    id: "Pilih salah satu: administrator, supervisor, agen.",
  },
  "err.language": {
    en: "Choose Bahasa Indonesia or English.",
    id: "Pilih Bahasa Indonesia atau English.",
  },
  "err.last_admin": {
    en: "Kabar needs at least one active administrator.",
    id: "Kabar membutuhkan minimal satu administrator aktif.",
  },
  "err.self_disable": {
    en: "You cannot disable your own account.",
    id: "Anda tidak dapat menonaktifkan akun sendiri.",
  },
  "users.title": { en: "Staff accounts", id: "Akun staf" },
  "users.add": { en: "Add staff account", id: "Tambah akun staf" },
  "users.created": { en: "Account {username} is created.", id: "Akun {username} telah dibuat." },
  "users.saved": { en: "Account {username} is saved.", id: "Akun {username} tersimpan." },
  "users.edit": { en: "Edit {name}", id: "Ubah {name}" },
  "users.status": { en: "Status", id: "Status" },
  "users.active": { en: "Active", id: "Aktif" },
  "users.disabled": { en: "Disabled", id: "Nonaktif" },
  "users.disable": { en: "Disable", id: "Nonaktifkan" },
  "users.enable": { en: "Enable", id: "Aktifkan" },
  "users.disabled_done": {
    en: "Account {username} is disabled and signed out.",
    id: "Akun {username} dinonaktifkan dan dikeluarkan.",
  },
  "users.enabled_done": { en: "Account {username} is enabled.", id: "Akun {username} diaktifkan." },
  "users.reset_password": { en: "Set a new password", id: "Atur kata sandi baru" },
  "users.reset_password_hint": {
    en: "The user is signed out everywhere and signs in with this password.",
    id: "Pengguna dikeluarkan dari semua sesi dan masuk dengan kata sandi ini.",
  },
  "users.password_reset_done": {
    en: "The password of {username} is changed.",
    id: "Kata sandi {username} telah diganti.",
  },
  "users.reset_2fa": {
    en: "Turn off two-step verification",
    id: "Nonaktifkan verifikasi dua langkah",
  },
  "users.reset_2fa_hint": {
    en: "For a user who lost their phone and their recovery codes.",
    id: "Untuk pengguna yang kehilangan ponsel dan kode pemulihannya.",
  },
  "users.twofa_reset_done": {
    en: "Two-step verification of {username} is off.",
    id: "Verifikasi dua langkah {username} dinonaktifkan.",
  },
  "users.no_departments": { en: "No departments yet.", id: "Belum ada departemen." },
} satisfies Messages;
