import type { Messages } from "./message.ts";

/** Integrations with other systems' APIs (Wappin). */
export const integrations = {
  "integrations.title": { en: "Integrations", id: "Integrasi" },
  "integrations.intro": {
    en:
      "Systems written for Wappin or Indoshopster Chat can send through Kabar without changing their code: only the address they call changes.",
    id:
      "Sistem yang dibuat untuk Wappin atau Indoshopster Chat bisa mengirim lewat Kabar tanpa mengubah kodenya: hanya alamat yang dipanggil yang berubah.",
  },
  "integrations.wappin": { en: "Wappin-compatible", id: "Kompatibel Wappin" },
  "integrations.wappin_intro": {
    en:
      "For systems that use Wappin's API v1. Give them the address {base}/v1/… instead of https://api.wappin.id/v1/…, and the client ID and secret key below.",
    id:
      "Untuk sistem yang memakai API v1 Wappin. Beri mereka alamat {base}/v1/… sebagai ganti https://api.wappin.id/v1/…, serta client ID dan secret key di bawah.",
  },
  "integrations.wappin_add": { en: "Add a Wappin integration", id: "Tambah integrasi Wappin" },
  "integrations.field.channel": { en: "Channel", id: "Saluran" },
  "integrations.field.channel_hint": {
    en: "A WhatsApp channel, or a sandbox channel for UAT.",
    id: "Saluran WhatsApp, atau saluran sandbox untuk UAT.",
  },
  "integrations.field.project": { en: "Project name", id: "Nama proyek" },
  "integrations.field.environment": { en: "Environment", id: "Lingkungan" },
  "integrations.field.environment_hint": {
    en: "UAT runs on a sandbox channel and offers the test templates templ_uat_2 and templ_uat_3.",
    id: "UAT berjalan di saluran sandbox dan menyediakan template uji templ_uat_2 dan templ_uat_3.",
  },
  "integrations.field.callback": { en: "Callback URL (optional)", id: "Callback URL (opsional)" },
  "integrations.field.callback_hint": {
    en: "Kabar sends status changes and received messages here, as Wappin does.",
    id: "Kabar mengirim perubahan status dan pesan masuk ke sini, seperti Wappin.",
  },
  "integrations.field.ip": { en: "IP whitelist (optional)", id: "IP whitelist (opsional)" },
  "integrations.field.ip_hint": {
    en: "Addresses or ranges such as 10.20.0.0/16, one per line. Empty: any address may call.",
    id: "Alamat atau rentang seperti 10.20.0.0/16, satu per baris. Kosong: alamat mana pun boleh.",
  },
  "integrations.created": { en: "Integration {name} is ready", id: "Integrasi {name} siap" },
  "integrations.renewed": { en: "New keys for {name}", id: "Kunci baru untuk {name}" },
  "integrations.renew": { en: "New secret key", id: "Secret key baru" },
  "integrations.renew_confirm": {
    en:
      "Make new keys for {name}? Its current secret key and token stop working at once; the systems using them need the new key.",
    id:
      "Buat kunci baru untuk {name}? Secret key dan token yang sekarang langsung tidak berlaku; sistem yang memakainya perlu kunci baru.",
  },
  "integrations.copy_keys": {
    en:
      "Copy the secret key and client key now: Kabar keeps only their fingerprint and cannot show them again.",
    id:
      "Salin secret key dan client key sekarang: Kabar hanya menyimpan sidik jarinya dan tidak bisa menampilkannya lagi.",
  },
  "integrations.client_id": { en: "Client ID", id: "Client ID" },
  "integrations.project_id": { en: "Project ID", id: "Project ID" },
  "integrations.secret_key": { en: "Secret key", id: "Secret key" },
  "integrations.client_key": { en: "Client key", id: "Client key" },
  "integrations.empty": { en: "No Wappin integration yet.", id: "Belum ada integrasi Wappin." },
  "integrations.col.project": { en: "Project", id: "Proyek" },
  "integrations.col.ids": { en: "Client ID / Project ID", id: "Client ID / Project ID" },
  "integrations.col.callback": { en: "Callbacks", id: "Callback" },
  "integrations.col.ip": { en: "IP whitelist", id: "IP whitelist" },
  "integrations.no_callback": { en: "No callback URL", id: "Tanpa callback URL" },
  "integrations.callback_log": { en: "Callback log", id: "Log callback" },
  "integrations.any_ip": { en: "Any address", id: "Alamat mana pun" },
  "integrations.token_until": { en: "Token valid until {time}", id: "Token berlaku sampai {time}" },
  "integrations.no_token": { en: "No token asked for yet", id: "Belum ada token yang diminta" },
  "integrations.edit": { en: "Change", id: "Ubah" },
  "integrations.save": { en: "Save", id: "Simpan" },
  "integrations.delete_confirm": {
    en: "Remove integration {name}? Systems using its client ID stop working at once.",
    id: "Hapus integrasi {name}? Sistem yang memakai client ID-nya langsung berhenti bekerja.",
  },
  "integrations.deleted": { en: "Integration {name} removed.", id: "Integrasi {name} dihapus." },
  "integrations.updated": { en: "Integration {name} saved.", id: "Integrasi {name} disimpan." },
  "integrations.channel_removed": { en: "channel removed", id: "saluran dihapus" },
  "integrations.indoshopster": { en: "Indoshopster-compatible", id: "Kompatibel Indoshopster" },
  "integrations.indoshopster_intro": {
    en:
      "For pages and systems that call Indoshopster Chat's sendWhatsappMessage. Point them at {base}/sendWhatsappMessage instead of http://chat.indoshopster.com:1212/sendWhatsappMessage.",
    id:
      "Untuk halaman dan sistem yang memanggil sendWhatsappMessage milik Indoshopster Chat. Arahkan ke {base}/sendWhatsappMessage sebagai ganti http://chat.indoshopster.com:1212/sendWhatsappMessage.",
  },
  "integrations.indoshopster_key": {
    en:
      "api_key: an API key with the scope messages:send (Settings → API keys). It sends on the key's channel, or the default channel.",
    id:
      "api_key: kunci API dengan cakupan messages:send (Pengaturan → Kunci API). Pesan dikirim lewat saluran kunci itu, atau saluran utama.",
  },
  "integrations.indoshopster_template": {
    en:
      "template_id: the ID shown on the Templates page; data must carry exactly that template's variables.",
    id:
      "template_id: ID yang tampil di halaman Template; data harus berisi tepat variabel template itu.",
  },
  "integrations.indoshopster_origins": {
    en: "Web pages that may call it from a browser: {origins}",
    id: "Halaman web yang boleh memanggilnya dari browser: {origins}",
  },
  "integrations.no_origins": {
    en: "none (set KABAR_CORS_ORIGINS)",
    id: "tidak ada (atur KABAR_CORS_ORIGINS)",
  },
  "err.wappin_channel": { en: "Choose a channel.", id: "Pilih saluran." },
  "err.wappin_project": {
    en: "Give the project a name (up to 80 characters).",
    id: "Beri nama proyek (paling banyak 80 karakter).",
  },
  "err.wappin_environment": { en: "Choose PRODUCTION or UAT.", id: "Pilih PRODUCTION atau UAT." },
  "err.wappin_callback": {
    en: "Enter a full address starting with http:// or https://.",
    id: "Masukkan alamat lengkap yang diawali http:// atau https://.",
  },
  "err.wappin_ip": {
    en: "Each entry must be an address or a range like 10.20.0.0/16.",
    id: "Setiap baris harus alamat atau rentang seperti 10.20.0.0/16.",
  },
  "err.wappin_uat_sandbox": {
    en: "A UAT integration needs a sandbox channel.",
    id: "Integrasi UAT memerlukan saluran sandbox.",
  },
  "err.wappin_channel_taken": {
    en: "This channel has a Wappin integration already: one per channel.",
    id: "Saluran ini sudah punya integrasi Wappin: satu per saluran.",
  },
  "err.wappin_not_whatsapp": {
    en: "Wappin integrations send on WhatsApp: choose a WhatsApp or sandbox channel.",
    id: "Integrasi Wappin mengirim lewat WhatsApp: pilih saluran WhatsApp atau sandbox.",
  },
} satisfies Messages;
