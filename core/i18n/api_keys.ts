import type { Messages } from "./message.ts";

/** API keys: the settings page, scopes and rate limits. */
export const apiKeys = {
  "apikeys.title": { en: "API keys", id: "Kunci API" },
  "apikeys.intro": {
    en:
      "Keys let the hospital's own systems send messages and read statuses through Kabar's JSON API (Authorization: Bearer <key>). A key is shown once; Kabar keeps only a fingerprint of it.",
    id:
      "Kunci membuat sistem rumah sakit bisa mengirim pesan dan membaca status lewat API JSON Kabar (Authorization: Bearer <kunci>). Kunci hanya ditampilkan sekali; Kabar hanya menyimpan sidik jarinya.",
  },
  "apikeys.add": { en: "Make a key", id: "Buat kunci" },
  "apikeys.created": { en: "Key “{name}” is made", id: "Kunci “{name}” sudah dibuat" },
  "apikeys.copy_now": {
    en:
      "Copy it now and store it where the system that uses it can read it. It will not be shown again.",
    id:
      "Salin sekarang dan simpan di tempat yang bisa dibaca sistem yang memakainya. Kunci tidak akan ditampilkan lagi.",
  },
  "apikeys.key": { en: "The new key", id: "Kunci baru" },
  "apikeys.field.name": { en: "Name", id: "Nama" },
  "apikeys.field.name_hint": {
    en: "What uses it, e.g. “SIMRS notifications”.",
    id: "Yang memakainya, mis. “Notifikasi SIMRS”.",
  },
  "apikeys.field.scopes": { en: "May do", id: "Boleh" },
  "apikeys.field.ips": {
    en: "Only from these addresses (optional)",
    id: "Hanya dari alamat ini (opsional)",
  },
  "apikeys.field.ips_hint": {
    en: "One per line: addresses or ranges, e.g. 10.20.0.0/16. Empty: any address.",
    id: "Satu per baris: alamat atau rentang, mis. 10.20.0.0/16. Kosong: alamat mana saja.",
  },
  "apikeys.field.channel": {
    en: "Only through this channel (optional)",
    id: "Hanya lewat saluran ini (opsional)",
  },
  "apikeys.field.channel_hint": {
    en: "Messages sent with this key always go out on it.",
    id: "Pesan yang dikirim dengan kunci ini selalu keluar lewat saluran ini.",
  },
  "apikeys.any_channel": { en: "Any channel", id: "Saluran mana saja" },
  "apikeys.any_address": { en: "Any address", id: "Alamat mana saja" },
  "apikeys.field.rate": {
    en: "Requests per second (optional)",
    id: "Permintaan per detik (opsional)",
  },
  "apikeys.field.rate_hint": {
    en:
      "Blank: {rate} a second, with bursts of {burst}. 0: no limit. Requests over the limit are answered 429 Too Many Requests.",
    id:
      "Kosong: {rate} per detik, dengan lonjakan sampai {burst}. 0: tanpa batas. Permintaan yang melewati batas dijawab 429 Too Many Requests.",
  },
  "apikeys.rate": {
    en: { one: "{count} request/s", other: "{count} requests/s" },
    id: "{count} permintaan/detik",
  },
  "apikeys.rate_default": {
    en: { one: "{count} request/s (default)", other: "{count} requests/s (default)" },
    id: "{count} permintaan/detik (bawaan)",
  },
  "apikeys.rate_none": { en: "No rate limit", id: "Tanpa batas laju" },
  "apikeys.limits": { en: "Limits", id: "Batas" },
  "apikeys.last_used": { en: "Last used", id: "Terakhir dipakai" },
  "apikeys.never": { en: "Never", id: "Belum pernah" },
  "apikeys.revoke": { en: "Revoke", id: "Cabut" },
  "apikeys.revoked": { en: "Revoked", id: "Dicabut" },
  "apikeys.revoke_confirm": {
    en: "Revoke “{name}”? Systems using it stop working at once.",
    id: "Cabut “{name}”? Sistem yang memakainya langsung berhenti bekerja.",
  },
  "apikeys.revoked_done": { en: "Key “{name}” is revoked.", id: "Kunci “{name}” sudah dicabut." },
  "apikeys.empty": { en: "No keys yet.", id: "Belum ada kunci." },
  "apikeys.scope.messages_send": { en: "send messages", id: "mengirim pesan" },
  "apikeys.scope.messages_read": {
    en: "read messages and statuses",
    id: "membaca pesan dan status",
  },
  "apikeys.scope.numbers_check": {
    en: "check whether numbers are on WhatsApp",
    id: "memeriksa apakah nomor terdaftar di WhatsApp",
  },
  "apikeys.scope.channels_read": { en: "see channels", id: "melihat saluran" },
  "apikeys.scope.channels_write": {
    en: "add, pair and delete channels",
    id: "menambah, menautkan, dan menghapus saluran",
  },
  "apikeys.scope.conversations_read": {
    en: "read conversations, their threads and labels",
    id: "membaca percakapan, utas, dan label",
  },
  "apikeys.scope.conversations_write": {
    en: "reply, write notes, assign, label and resolve conversations",
    id: "membalas, menulis catatan, menugaskan, memberi label, dan menyelesaikan percakapan",
  },
  "apikeys.scope.conversations": {
    en: "conversations, and managing labels",
    id: "percakapan, dan mengelola label",
  },
  "apikeys.scope.contacts_read": {
    en: "read and export contacts",
    id: "membaca dan mengekspor kontak",
  },
  "apikeys.scope.contacts_write": {
    en: "add, change, import, merge and delete contacts",
    id: "menambah, mengubah, mengimpor, menggabungkan, dan menghapus kontak",
  },
  "apikeys.scope.contacts": { en: "contacts", id: "kontak" },
  "apikeys.scope.templates": { en: "templates", id: "template" },
  "apikeys.scope.webhooks": { en: "webhooks", id: "webhook" },
  "apikeys.scope.broadcasts_read": {
    en: "see broadcasts, their recipients and reports",
    id: "melihat siaran, penerimanya, dan laporannya",
  },
  "apikeys.scope.broadcasts_write": {
    en: "make, change, start, pause and cancel broadcasts",
    id: "membuat, mengubah, memulai, menjeda, dan membatalkan siaran",
  },
  "apikeys.scope.broadcasts": { en: "broadcasts", id: "siaran" },
  "apikeys.scope.all": {
    en: "everything, also files and webhooks on the hospital's own network",
    id: "semuanya, juga berkas dan webhook di jaringan rumah sakit sendiri",
  },
  "apikeys.docs": { en: "API reference", id: "Referensi API" },
  "err.apikey_name": {
    en: "A key's name is at most 80 characters.",
    id: "Nama kunci paling banyak 80 karakter.",
  },
  "err.apikey_name_empty": {
    en: "Give the key a name that says who uses it, such as SIMRS.",
    id: "Beri nama kunci yang menyebut pemakainya, misalnya SIMRS.",
  },
  "err.apikey_scope": {
    en: "Choose only from the listed permissions.",
    id: "Pilih hanya dari izin yang tersedia.",
  },
  "err.apikey_scopes": {
    en: "Choose at least one thing the key may do.",
    id: "Pilih paling sedikit satu hal yang boleh dilakukan kunci ini.",
  },
  "err.apikey_ip_entry": {
    en: "“{value}” is not an address or a range like 10.20.0.0/16.",
    id: "“{value}” bukan alamat atau rentang seperti 10.20.0.0/16.",
  },
  "err.apikey_channel": { en: "Choose a channel from the list.", id: "Pilih saluran dari daftar." },
  "err.apikey_rate": {
    en:
      "Give a whole number of requests per second from 0 (no limit) to 100000, or leave it blank.",
    id:
      "Isi bilangan bulat permintaan per detik dari 0 (tanpa batas) sampai 100000, atau kosongkan.",
  },
} satisfies Messages;
