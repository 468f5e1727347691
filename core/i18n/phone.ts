import type { Messages } from "./message.ts";

/** Phone numbers as people type them: why one cannot be read. */
export const phone = {
  "err.phone_empty": { en: "Enter a phone number.", id: "Isi nomor telepon." },
  "err.phone_not_digits": {
    en: "A phone number has only digits (spaces, dashes and a leading + are fine).",
    id: "Nomor telepon hanya berisi angka (spasi, tanda hubung, dan + di depan boleh).",
  },
  "err.phone_too_short": {
    en: "This number is too short; include the area or mobile prefix, e.g. 0812 3456 7890.",
    id: "Nomor ini terlalu pendek; sertakan kode area atau awalan HP, mis. 0812 3456 7890.",
  },
  "err.phone_too_long": {
    en: "This number is too long: a phone number has at most 15 digits with the country code.",
    id: "Nomor ini terlalu panjang: nomor telepon paling banyak 15 angka dengan kode negara.",
  },
} satisfies Messages;
