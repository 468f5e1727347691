import type { Messages } from "./message.ts";

/** Phone numbers as people type them: why one cannot be read. */
export const phone = {
  "err.phone_empty": { en: "Enter a phone number.", id: "Isi nomor telepon." },
  "err.phone_not_digits": {
    en:
      "A phone number has only digits (spaces, dashes, dots, parentheses and a leading + are fine; letters are not, not even O for 0).",
    id:
      "Nomor telepon hanya berisi angka (spasi, tanda hubung, titik, kurung, dan + di depan boleh; huruf tidak, termasuk O untuk 0).",
  },
  "err.phone_too_short": {
    en: "This number is too short; include the area or mobile prefix, e.g. 0812 3456 7890.",
    id: "Nomor ini terlalu pendek; sertakan kode area atau awalan HP, mis. 0812 3456 7890.",
  },
  "err.phone_too_long": {
    en: "This number is too long for a phone number of its country; check for an extra digit.",
    id:
      "Nomor ini terlalu panjang untuk nomor telepon negaranya; periksa apakah ada angka berlebih.",
  },
  "err.phone_invalid_country": {
    en: "No country has this code: after + or 00 comes a country code, e.g. +62 for Indonesia.",
    id:
      "Tidak ada negara dengan kode ini: setelah + atau 00 ditulis kode negara, mis. +62 untuk Indonesia.",
  },
  "err.phone_invalid": {
    en:
      "This is not a phone number of its country; check the digits, e.g. 0812 3456 7890 or +65 9123 4567.",
    id:
      "Ini bukan nomor telepon yang berlaku di negaranya; periksa angkanya, mis. 0812 3456 7890 atau +65 9123 4567.",
  },
} satisfies Messages;
