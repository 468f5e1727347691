import type { Messages } from "./message.ts";

/** The navigation: main menu, account menu, settings menu. */
export const nav = {
  "nav.inbox": { en: "Inbox", id: "Kotak Masuk" },
  "nav.contacts": { en: "Contacts", id: "Kontak" },
  "nav.broadcasts": { en: "Broadcasts", id: "Siaran" },
  "nav.templates": { en: "Templates", id: "Template" },
  "nav.channels": { en: "Channels", id: "Saluran" },
  "nav.automation": { en: "Automation", id: "Otomasi" },
  "nav.reports": { en: "Reports", id: "Laporan" },
  "nav.settings": { en: "Settings", id: "Pengaturan" },
  "nav.menu": { en: "Menu", id: "Menu" },
  "nav.skip": { en: "Skip to content", id: "Langsung ke isi" },
  "user.menu": { en: "Account menu", id: "Menu akun" },
  "user.signed_in_as": { en: "Signed in as {name}", id: "Masuk sebagai {name}" },
  "user.account": { en: "My account", id: "Akun saya" },
  "user.sign_out": { en: "Sign out", id: "Keluar" },
  "settings.title": { en: "Settings", id: "Pengaturan" },
  "settings.account": { en: "My account", id: "Akun saya" },
  "settings.users": { en: "Staff accounts", id: "Akun staf" },
  "settings.departments": { en: "Departments", id: "Departemen" },
  "settings.audit": { en: "Audit log", id: "Log audit" },
  "settings.api_keys": { en: "API keys", id: "Kunci API" },
  "settings.webhooks": { en: "Webhooks", id: "Webhook" },
  "settings.integrations": { en: "Integrations", id: "Integrasi" },
} satisfies Messages;
