import type { Messages } from "./message.ts";

/** Error pages, and the form errors every form shares. */
export const errors = {
  "err.required": { en: "Fill in this field.", id: "Kolom ini wajib diisi." },
  "err.given_twice": {
    en: "This field was sent more than once; send it once.",
    id: "Kolom ini terkirim lebih dari sekali; kirim sekali saja.",
  },
  "err.form": {
    en: "Some fields need attention. See the messages below.",
    id: "Beberapa kolom perlu diperbaiki. Lihat pesan di bawah.",
  },
  "error.title": { en: "Something went wrong", id: "Terjadi kesalahan" },
  "error.not_found_title": { en: "Page not found", id: "Halaman tidak ditemukan" },
  "error.forbidden_title": { en: "No access", id: "Akses ditolak" },
  "error.not_found": { en: "This page does not exist.", id: "Halaman ini tidak ada." },
  "error.forbidden": {
    en: "Your role does not allow this page. Ask an administrator if you need it.",
    id: "Peran Anda tidak mengizinkan halaman ini. Hubungi administrator jika Anda membutuhkannya.",
  },
  "error.csrf": {
    en: "This form has expired. Reload the page and try again.",
    id: "Formulir ini sudah kedaluwarsa. Muat ulang halaman dan coba lagi.",
  },
  "error.bad_form": {
    en: "The form could not be read. Reload the page and send it again.",
    id: "Formulir tidak dapat dibaca. Muat ulang halaman lalu kirim lagi.",
  },
  "error.server": {
    en: "Kabar could not finish this request. Reference: {id}",
    id: "Kabar tidak dapat menyelesaikan permintaan ini. Referensi: {id}",
  },
  "error.home": { en: "Go to the inbox", id: "Ke kotak masuk" },
  "error.rate": {
    en: "Too many requests. Try again in a moment.",
    id: "Terlalu banyak permintaan. Coba lagi sebentar lagi.",
  },
  "error.disk_full_title": { en: "The disk is full", id: "Disk penuh" },
  "error.disk_full": {
    en:
      "Nothing was saved: the disk of Kabar's data folder is full. Ask the administrator to free some space, then try again.",
    id:
      "Tidak ada yang tersimpan: disk folder data Kabar penuh. Minta administrator mengosongkan sebagian ruang, lalu coba lagi.",
  },
} satisfies Messages;
