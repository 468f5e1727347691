import type { Messages } from "./message.ts";

/** The audit log and its actions. */
export const audit = {
  "audit.title": { en: "Audit log", id: "Log audit" },
  "audit.intro": {
    en:
      "Every sign-in and every change to staff accounts, departments, channels, templates, API keys, webhooks and integrations.",
    id:
      "Setiap proses masuk dan setiap perubahan pada akun staf, departemen, saluran, template, kunci API, webhook, dan integrasi.",
  },
  "audit.when": { en: "When", id: "Waktu" },
  "audit.who": { en: "Who", id: "Oleh" },
  "audit.action": { en: "Action", id: "Tindakan" },
  "audit.target": { en: "Target", id: "Sasaran" },
  "audit.details": { en: "Details", id: "Rincian" },
  "audit.ip": { en: "IP address", id: "Alamat IP" },
  "audit.empty": { en: "Nothing recorded yet.", id: "Belum ada catatan." },
  "audit.filter": { en: "Days to show", id: "Tanggal yang ditampilkan" },
  "audit.filter.since": { en: "From", id: "Dari tanggal" },
  "audit.filter.until": { en: "To", id: "Sampai tanggal" },
  "audit.filter.hint": {
    en: "Whole days in {zone}, both included.",
    id: "Hari penuh dalam {zone}, keduanya termasuk.",
  },
  "audit.filter.apply": { en: "Show", id: "Tampilkan" },
  "audit.filter.clear": { en: "All dates", id: "Semua tanggal" },
  "audit.filter.empty": {
    en: "Nothing recorded on these days.",
    id: "Tidak ada catatan pada tanggal tersebut.",
  },
  "err.date": {
    en: "“{value}” is not a date. Pick one, or type it like 2026-03-14.",
    id: "“{value}” bukan tanggal. Pilih tanggal, atau ketik seperti 2026-03-14.",
  },
  "err.date_order": {
    en: "The last day is before the first one.",
    id: "Tanggal akhir lebih awal dari tanggal awal.",
  },
  "audit.act.account.2fa_disable": {
    en: "Turned off two-step sign-in",
    id: "Mematikan masuk dua langkah",
  },
  "audit.act.account.2fa_enable": {
    en: "Turned on two-step sign-in",
    id: "Menyalakan masuk dua langkah",
  },
  "audit.act.account.2fa_recovery_codes": {
    en: "Made new recovery codes",
    id: "Membuat kode pemulihan baru",
  },
  "audit.act.account.password_change": {
    en: "Changed own password",
    id: "Mengganti kata sandi sendiri",
  },
  "audit.act.account.profile": { en: "Changed own profile", id: "Mengubah profil sendiri" },
  "audit.act.apikey.create": { en: "Made an API key", id: "Membuat kunci API" },
  "audit.act.apikey.revoke": { en: "Revoked an API key", id: "Mencabut kunci API" },
  "audit.act.auth.login": { en: "Signed in", id: "Masuk" },
  "audit.act.auth.login_failed": { en: "Sign-in failed", id: "Gagal masuk" },
  "audit.act.auth.logout": { en: "Signed out", id: "Keluar" },
  "audit.act.broadcast.cancel": { en: "Cancelled a broadcast", id: "Membatalkan siaran" },
  "audit.act.broadcast.confirm": { en: "Confirmed a broadcast", id: "Mengonfirmasi siaran" },
  "audit.act.broadcast.create": { en: "Made a broadcast", id: "Membuat siaran" },
  "audit.act.broadcast.delete": { en: "Deleted a broadcast", id: "Menghapus siaran" },
  "audit.act.broadcast.finish": { en: "A broadcast finished", id: "Siaran selesai" },
  "audit.act.broadcast.pause": { en: "Paused a broadcast", id: "Menjeda siaran" },
  "audit.act.broadcast.report": {
    en: "Downloaded a broadcast's report",
    id: "Mengunduh laporan siaran",
  },
  "audit.act.broadcast.resume": { en: "Resumed a broadcast", id: "Melanjutkan siaran" },
  "audit.act.broadcast.start": { en: "Started a broadcast", id: "Memulai siaran" },
  "audit.act.broadcast.update": { en: "Changed a broadcast", id: "Mengubah siaran" },
  "audit.act.channel.create": { en: "Added a channel", id: "Menambah saluran" },
  "audit.act.channel.delete": { en: "Deleted a channel", id: "Menghapus saluran" },
  "audit.act.channel.disable": { en: "Turned a channel off", id: "Mematikan saluran" },
  "audit.act.channel.enable": { en: "Turned a channel on", id: "Menyalakan saluran" },
  "audit.act.channel.options": {
    en: "Changed a channel's settings",
    id: "Mengubah pengaturan saluran",
  },
  "audit.act.channel.rename": { en: "Renamed a channel", id: "Mengganti nama saluran" },
  "audit.act.department.create": { en: "Added a department", id: "Menambah departemen" },
  "audit.act.department.delete": { en: "Deleted a department", id: "Menghapus departemen" },
  "audit.act.department.rename": { en: "Renamed a department", id: "Mengganti nama departemen" },
  "audit.act.setup.admin_created": {
    en: "Made the first administrator",
    id: "Membuat administrator pertama",
  },
  "audit.act.template.create": { en: "Added a template", id: "Menambah template" },
  "audit.act.template.delete": { en: "Deleted a template", id: "Menghapus template" },
  "audit.act.template.update": { en: "Changed a template", id: "Mengubah template" },
  "audit.act.user.2fa_reset": {
    en: "Reset someone's two-step sign-in",
    id: "Mengatur ulang masuk dua langkah seseorang",
  },
  "audit.act.user.create": { en: "Added a staff account", id: "Menambah akun staf" },
  "audit.act.user.disable": { en: "Disabled a staff account", id: "Menonaktifkan akun staf" },
  "audit.act.user.enable": { en: "Enabled a staff account", id: "Mengaktifkan akun staf" },
  "audit.act.user.password_reset": {
    en: "Reset someone's password",
    id: "Mengatur ulang kata sandi seseorang",
  },
  "audit.act.user.update": { en: "Changed a staff account", id: "Mengubah akun staf" },
  "audit.act.wappin.create": { en: "Added a Wappin integration", id: "Menambah integrasi Wappin" },
  "audit.act.wappin.delete": {
    en: "Removed a Wappin integration",
    id: "Menghapus integrasi Wappin",
  },
  "audit.act.wappin.new_keys": {
    en: "Made new keys for a Wappin integration",
    id: "Membuat kunci baru integrasi Wappin",
  },
  "audit.act.wappin.update": {
    en: "Changed a Wappin integration",
    id: "Mengubah integrasi Wappin",
  },
  "audit.act.webhook.create": { en: "Added a webhook", id: "Menambah webhook" },
  "audit.act.webhook.delete": { en: "Deleted a webhook", id: "Menghapus webhook" },
  "audit.act.webhook.rotate_secret": {
    en: "Rotated a webhook's signing secret",
    id: "Mengganti rahasia tanda tangan webhook",
  },
  "audit.act.webhook.update": { en: "Changed a webhook", id: "Mengubah webhook" },
} satisfies Messages;
