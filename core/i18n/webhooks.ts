import type { Messages } from "./message.ts";

/** Webhooks: the settings page, events, deliveries, target addresses. */
export const webhooks = {
  "webhooks.title": { en: "Webhooks", id: "Webhook" },
  "webhooks.intro": {
    en:
      "Kabar sends each event (a message received, a status change, a channel going up or down) to these addresses as signed JSON, and keeps trying for a day when an address does not answer.",
    id:
      "Kabar mengirim setiap kejadian (pesan masuk, perubahan status, saluran terhubung atau terputus) ke alamat ini sebagai JSON bertanda tangan, dan terus mencoba selama sehari bila alamat tidak menjawab.",
  },
  "webhooks.add": { en: "Add a webhook", id: "Tambah webhook" },
  "webhooks.created": {
    en: "Webhook for {url} is added",
    id: "Webhook untuk {url} sudah ditambahkan",
  },
  "webhooks.copy_secret": {
    en:
      "This is its signing secret: the receiver checks webhook-signature (Standard Webhooks) or X-Kabar-Signature with it. Copy it now; it will not be shown again.",
    id:
      "Ini rahasia tanda tangannya: penerima memeriksa webhook-signature (Standard Webhooks) atau X-Kabar-Signature dengannya. Salin sekarang; tidak akan ditampilkan lagi.",
  },
  "webhooks.rotate": { en: "Rotate the signing secret", id: "Ganti rahasia tanda tangan" },
  "webhooks.rotate_hint": {
    en:
      "Makes a new signing secret. For 24 hours deliveries are signed with the new and the current one, so the receiver can switch without missing a delivery; then only with the new one.",
    id:
      "Membuat rahasia tanda tangan baru. Selama 24 jam kiriman ditandatangani dengan yang baru dan yang sekarang, jadi penerima bisa beralih tanpa kehilangan kiriman; setelah itu hanya dengan yang baru.",
  },
  "webhooks.rotate_confirm": {
    en: "Make a new signing secret for {url}? The current one stops signing in 24 hours.",
    id: "Buat rahasia tanda tangan baru untuk {url}? Yang sekarang berhenti dipakai dalam 24 jam.",
  },
  "webhooks.rotated": {
    en: "New signing secret for {url}",
    id: "Rahasia tanda tangan baru untuk {url}",
  },
  "webhooks.copy_rotated_secret": {
    en:
      "Give it to the receiver: until the time below deliveries are signed with it and with the previous secret, then with it alone. Copy it now; it will not be shown again.",
    id:
      "Berikan ke penerima: sampai waktu di bawah kiriman ditandatangani dengannya dan dengan rahasia sebelumnya, lalu hanya dengannya. Salin sekarang; tidak akan ditampilkan lagi.",
  },
  "webhooks.previous_until": {
    en: "The previous secret also signs until",
    id: "Rahasia sebelumnya juga menandatangani sampai",
  },
  "webhooks.secret": { en: "Signing secret", id: "Rahasia tanda tangan" },
  "webhooks.field.url": { en: "Address (URL)", id: "Alamat (URL)" },
  "webhooks.field.url_hint": {
    en:
      "E.g. https://simrs.rs.local/kabar/events. An address inside the hospital network needs the box below.",
    id:
      "Mis. https://simrs.rs.local/kabar/events. Alamat di jaringan rumah sakit perlu kotak di bawah.",
  },
  "webhooks.field.private_network": {
    en: "The address is on the hospital's own network",
    id: "Alamat ini di jaringan rumah sakit sendiri",
  },
  "webhooks.field.private_network_hint": {
    en:
      "Lets Kabar deliver to loopback, private and link-local addresses (10.x, 192.168.x, localhost…). Tick it only for your own systems.",
    id:
      "Mengizinkan Kabar mengirim ke alamat loopback, privat, dan link-local (10.x, 192.168.x, localhost…). Centang hanya untuk sistem Anda sendiri.",
  },
  "webhooks.private_network": { en: "own network", id: "jaringan sendiri" },
  "webhooks.field.events": { en: "Events", id: "Kejadian" },
  "webhooks.field.channel": {
    en: "Only this channel's events (optional)",
    id: "Hanya kejadian saluran ini (opsional)",
  },
  "webhooks.event.message_received": { en: "a message arrived", id: "pesan masuk" },
  "webhooks.event.message_status": {
    en: "a sent message was sent, delivered, read or failed",
    id: "pesan terkirim, diterima, dibaca, atau gagal",
  },
  "webhooks.event.channel_status": {
    en: "a channel connected or disconnected",
    id: "saluran terhubung atau terputus",
  },
  "webhooks.event.conversation_created": {
    en: "a new conversation began",
    id: "percakapan baru dimulai",
  },
  "webhooks.event.conversation_updated": {
    en: "a conversation was resolved, reopened, assigned, moved or labelled",
    id: "percakapan diselesaikan, dibuka lagi, ditugaskan, dipindah, atau diberi label",
  },
  "webhooks.event.broadcast_progress": {
    en: "a broadcast made progress (at most every 5 seconds)",
    id: "siaran berjalan (paling sering tiap 5 detik)",
  },
  "webhooks.event.broadcast_finished": {
    en: "a broadcast finished or was cancelled",
    id: "siaran selesai atau dibatalkan",
  },
  "webhooks.event.all": { en: "all of these", id: "semua ini" },
  "err.webhook_rotated_meanwhile": {
    en:
      "Someone rotated this secret just now: the page shows the current state; rotate again if you still need to.",
    id:
      "Seseorang baru saja mengganti rahasia ini: halaman menunjukkan keadaan terkini; ganti lagi jika masih perlu.",
  },
  "webhooks.subject.message": { en: "message #{id}", id: "pesan #{id}" },
  "webhooks.subject.conversation": { en: "conversation #{id}", id: "percakapan #{id}" },
  "webhooks.subject.channel": { en: "channel #{id}", id: "saluran #{id}" },
  "webhooks.subject_status.sent": { en: "sent", id: "terkirim" },
  "webhooks.subject_status.delivered": { en: "delivered", id: "sampai" },
  "webhooks.subject_status.read": { en: "read", id: "dibaca" },
  "webhooks.subject_status.failed": { en: "not sent", id: "tidak terkirim" },
  "webhooks.subject_status.received": { en: "received", id: "diterima" },
  "webhooks.backlog": { en: "Waiting / given up", id: "Menunggu / menyerah" },
  "webhooks.pending_failed": {
    en: "{pending} waiting · {failed} given up",
    id: "{pending} menunggu · {failed} menyerah",
  },
  "webhooks.paused": { en: "paused", id: "dijeda" },
  "webhooks.pause": { en: "Pause", id: "Jeda" },
  "webhooks.resume": { en: "Resume", id: "Lanjutkan" },
  "webhooks.paused_done": {
    en: "Webhook {url} is paused; events are no longer recorded for it.",
    id: "Webhook {url} dijeda; kejadian tidak lagi dicatat untuknya.",
  },
  "webhooks.resumed": { en: "Webhook {url} is sending again.", id: "Webhook {url} mengirim lagi." },
  "webhooks.delete_confirm": {
    en: "Delete the webhook for {url} and its delivery log?",
    id: "Hapus webhook untuk {url} beserta catatan pengirimannya?",
  },
  "webhooks.deleted": { en: "Webhook {url} is deleted.", id: "Webhook {url} sudah dihapus." },
  "webhooks.empty": { en: "No webhooks yet.", id: "Belum ada webhook." },
  "webhooks.log_title": { en: "Deliveries", id: "Pengiriman" },
  "webhooks.log_empty": { en: "Nothing sent yet.", id: "Belum ada yang dikirim." },
  "webhooks.log.event": { en: "Event", id: "Kejadian" },
  "webhooks.log.status": { en: "Status", id: "Status" },
  "webhooks.log.answer": { en: "Answer", id: "Jawaban" },
  "webhooks.log.attempts": { en: "Attempts", id: "Percobaan" },
  "webhooks.log.when": { en: "When", id: "Kapan" },
  "webhooks.status.pending": { en: "waiting", id: "menunggu" },
  "webhooks.status.delivering": { en: "sending", id: "mengirim" },
  "webhooks.status.delivered": { en: "delivered", id: "terkirim" },
  "webhooks.status.failed": { en: "given up", id: "menyerah" },
  "webhooks.next_try": { en: "next try", id: "coba lagi" },
  "webhooks.waits_for_earlier": { en: "after the event before it", id: "setelah event sebelumnya" },
  "webhooks.redeliver": { en: "Send again", id: "Kirim lagi" },
  "webhooks.redelivering": { en: "The delivery is sent again.", id: "Pengiriman dikirim lagi." },
  "webhooks.older": { en: "Older deliveries", id: "Pengiriman lebih lama" },
  "err.webhook_url": {
    en: "Enter an http:// or https:// address.",
    id: "Isi alamat http:// atau https://.",
  },
  "err.target_private": {
    en:
      "This address is on a private network (the hospital's own systems): mark it as on the hospital's own network (private_network) to deliver there.",
    id:
      "Alamat ini di jaringan privat (sistem rumah sakit sendiri): tandai sebagai jaringan rumah sakit sendiri (private_network) agar bisa dikirimi.",
  },
  "err.target_forbidden": {
    en: "This address can never receive deliveries (unspecified, multicast or reserved).",
    id: "Alamat ini tidak pernah bisa menerima kiriman (unspecified, multicast, atau dicadangkan).",
  },
  "err.private_network": { en: "Must be true or false.", id: "Harus true atau false." },
  "err.webhook_events": {
    en: "Choose at least one event.",
    id: "Pilih paling sedikit satu kejadian.",
  },
  "webhooks.wappin_callback": {
    en: "Wappin callback of {name}",
    id: "Callback Wappin untuk {name}",
  },
  "webhooks.managed": { en: "Change in Integrations", id: "Ubah di Integrasi" },
  "err.webhook_managed": {
    en: "This webhook belongs to a Wappin integration: change it there.",
    id: "Webhook ini milik integrasi Wappin: ubah di sana.",
  },
  "err.webhook_no_url": {
    en: "This webhook has no address yet: give its integration a callback URL first.",
    id: "Webhook ini belum punya alamat: isi dulu callback URL integrasinya.",
  },
} satisfies Messages;
