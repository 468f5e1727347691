import type { Messages } from "./message.ts";

/** Words every page uses: buttons, yes/no, the language switcher. */
export const common = {
  "app.tagline": {
    en: "WhatsApp and Telegram gateway and team inbox",
    id: "Gateway WhatsApp dan Telegram serta kotak masuk tim",
  },
  "lang.label": { en: "Language", id: "Bahasa" },
  "lang.switch": { en: "Change language", id: "Ganti bahasa" },
  "common.save": { en: "Save", id: "Simpan" },
  "common.cancel": { en: "Cancel", id: "Batal" },
  "common.edit": { en: "Edit", id: "Ubah" },
  "common.delete": { en: "Delete", id: "Hapus" },
  "common.back": { en: "Back", id: "Kembali" },
  "common.yes": { en: "Yes", id: "Ya" },
  "common.no": { en: "No", id: "Tidak" },
  "common.none": { en: "None", id: "Tidak ada" },
  "common.actions": { en: "Actions", id: "Tindakan" },
  "common.optional": { en: "optional", id: "opsional" },
  "common.print": { en: "Print", id: "Cetak" },
  "common.newer": { en: "Newer", id: "Lebih baru" },
  "common.older": { en: "Older", id: "Lebih lama" },
  "common.copy": { en: "Copy", id: "Salin" },
  "common.copied": { en: "Copied", id: "Disalin" },
  "common.copy_failed": {
    en: "Selected: press Ctrl+C to copy",
    id: "Sudah dipilih: tekan Ctrl+C untuk menyalin",
  },
} satisfies Messages;
