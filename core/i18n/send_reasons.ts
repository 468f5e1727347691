import type { Messages } from "./message.ts";

/** Why a message was not sent (core/send_reason.ts). */
export const sendReasons = {
  "send_reason.not_connected": {
    en: "WhatsApp is not connected",
    id: "WhatsApp tidak tersambung",
  },
  "send_reason.whatsapp_closed": {
    en: "the connection to WhatsApp closed while it was being sent",
    id: "koneksi ke WhatsApp terputus saat pesan dikirim",
  },
  "send_reason.whatsapp_timed_out": {
    en: "WhatsApp did not answer in time",
    id: "WhatsApp tidak menjawab tepat waktu",
  },
  "send_reason.whatsapp_signed_out": {
    en: "the WhatsApp session is not signed in; pair the channel again",
    id: "sesi WhatsApp belum masuk; pasangkan ulang salurannya",
  },
  "send_reason.whatsapp_upload_failed": {
    en: "WhatsApp could not take the file (its upload failed)",
    id: "WhatsApp tidak dapat menerima filenya (unggahan gagal)",
  },
  "send_reason.not_accepted": {
    en: "WhatsApp did not accept the message",
    id: "WhatsApp tidak menerima pesannya",
  },
  "send_reason.cancelled": {
    en: "cancelled with its broadcast",
    id: "dibatalkan bersama siarannya",
  },
  "send_reason.opted_out": {
    en: "the number opted out of broadcasts",
    id: "nomor ini sudah berhenti berlangganan siaran",
  },
  "send_reason.unknown_after_restart": {
    en: "unknown after restart",
    id: "tidak diketahui setelah Kabar dijalankan ulang",
  },
  "send_reason.no_phone": {
    en: "The contact has no phone number",
    id: "Kontak tidak punya nomor telepon",
  },
  "send_reason.no_telegram_chat": {
    en: "The contact has no Telegram chat with this bot",
    id: "Kontak belum pernah mengobrol dengan bot Telegram ini",
  },
  "send_reason.file_missing": {
    en: "The file {detail} is missing from the media store",
    id: "File {detail} tidak ada di penyimpanan media",
  },
  "send_reason.telegram_refused": {
    en: "Telegram refused the message: {detail}",
    id: "Telegram menolak pesannya: {detail}",
  },
  "send_reason.telegram_stopped": {
    en: "The Telegram channel stopped before the message was sent",
    id: "Saluran Telegram berhenti sebelum pesan terkirim",
  },
} satisfies Messages;
