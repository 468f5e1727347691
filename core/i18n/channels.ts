import type { Messages } from "./message.ts";

/** Channels: the list, adding, pairing, statuses and reasons, deleting. */
export const channels = {
  "channels.intro": {
    en:
      "WhatsApp numbers, Telegram bots and sandboxes that Kabar sends and receives through. Statuses update by themselves.",
    id:
      "Nomor WhatsApp, bot Telegram, dan sandbox yang dipakai Kabar untuk mengirim dan menerima pesan. Status diperbarui otomatis.",
  },
  "channels.add": { en: "Add channel", id: "Tambah saluran" },
  "channels.add_intro": {
    en: "Choose what to connect. You can add as many channels as you need.",
    id: "Pilih yang ingin dihubungkan. Anda bisa menambah saluran sebanyak yang diperlukan.",
  },
  "channels.kind": { en: "Kind", id: "Jenis" },
  "channels.kind.whatsapp": { en: "WhatsApp", id: "WhatsApp" },
  "channels.kind.telegram": { en: "Telegram bot", id: "Bot Telegram" },
  "channels.kind.sandbox": { en: "Sandbox", id: "Sandbox" },
  "channels.kind_hint.whatsapp": {
    en: "A WhatsApp number, linked like WhatsApp Web by scanning a QR code with the phone.",
    id: "Nomor WhatsApp, ditautkan seperti WhatsApp Web dengan memindai kode QR dari HP.",
  },
  "channels.kind_hint.telegram": {
    en: "A Telegram bot, with the token @BotFather gives you.",
    id: "Bot Telegram, dengan token dari @BotFather.",
  },
  "channels.kind_hint.sandbox": {
    en: "A practice channel without a phone: messages are delivered and read by simulated people.",
    id: "Saluran latihan tanpa HP: pesan diterima dan dibaca oleh orang simulasi.",
  },
  "channels.address": { en: "Number / bot", id: "Nomor / bot" },
  "channels.status": { en: "Status", id: "Status" },
  "channels.last_activity": { en: "Last activity", id: "Aktivitas terakhir" },
  "channels.queued": { en: "Waiting to send", id: "Menunggu dikirim" },
  "channels.departments": { en: "Departments", id: "Departemen" },
  "channels.departments_intro": {
    en:
      "Agents of the departments ticked here see this channel's conversations that have no department of their own. With none ticked, every agent sees them. Supervisors and admins always see every conversation.",
    id:
      "Agen dari departemen yang dicentang di sini melihat percakapan saluran ini yang belum punya departemen. Jika tidak ada yang dicentang, semua agen melihatnya. Supervisor dan admin selalu melihat semua percakapan.",
  },
  "channels.departments_none": {
    en: "None: every agent sees its conversations",
    id: "Tidak ada: semua agen melihat percakapannya",
  },
  "channels.departments_empty": {
    en: "There are no departments yet; add them under Settings › Departments.",
    id: "Belum ada departemen; tambahkan di Pengaturan › Departemen.",
  },
  "channels.departments_save": { en: "Save departments", id: "Simpan departemen" },
  "channels.departments_saved": {
    en: "The departments of {name} are saved.",
    id: "Departemen saluran {name} telah disimpan.",
  },
  "err.department_choice": {
    en: "“{value}” is not one of the departments.",
    id: "“{value}” bukan salah satu departemen.",
  },
  "audit.act.channel.departments": {
    en: "Chose a channel's departments",
    id: "Memilih departemen saluran",
  },
  "channels.default": { en: "default", id: "utama" },
  "channels.disabled": { en: "Turned off", id: "Dimatikan" },
  "channels.status.disconnected": { en: "Not connected", id: "Tidak terhubung" },
  "channels.status.connecting": { en: "Connecting…", id: "Menghubungkan…" },
  "channels.status.qr": { en: "Waiting for scan", id: "Menunggu scan" },
  "channels.status.connected": { en: "Connected", id: "Terhubung" },
  "channels.status.logged_out": { en: "Logged out", id: "Keluar" },
  "channels.status.error": { en: "Problem", id: "Bermasalah" },
  "channels.reason.unreachable": {
    en: "Cannot reach the {service} servers; trying again",
    id: "Tidak dapat menjangkau server {service}; mencoba lagi",
  },
  "channels.reason.replaced": {
    en: "The number was opened on another device or program",
    id: "Nomor dibuka di perangkat atau program lain",
  },
  "channels.reason.logged_out": {
    en: "The device was logged out; pair it again",
    id: "Perangkat sudah keluar; tautkan lagi",
  },
  "channels.reason.bad_session": {
    en: "The saved pairing was damaged; pair again",
    id: "Data tautan rusak; tautkan lagi",
  },
  "channels.reason.forbidden": {
    en: "WhatsApp blocked this number",
    id: "WhatsApp memblokir nomor ini",
  },
  "channels.reason.restarting": { en: "Restarting the connection", id: "Memulai ulang koneksi" },
  "channels.reason.bad_token": {
    en: "Telegram rejected the bot token",
    id: "Telegram menolak token bot",
  },
  "channels.reason.start_failed": {
    en: "Could not start; trying again",
    id: "Gagal dimulai; mencoba lagi",
  },
  "channels.reason.disabled": {
    en: "Turned off by an administrator",
    id: "Dimatikan oleh administrator",
  },
  "channels.reason.qr_timeout": {
    en: "Nobody scanned the QR code in time; a new one follows",
    id: "Kode QR tidak dipindai tepat waktu; kode baru akan muncul",
  },
  "channels.field.name": { en: "Channel name", id: "Nama saluran" },
  "channels.field.name_hint": {
    en: "A name staff will recognise, e.g. “Poli Gigi” or “Pendaftaran”.",
    id: "Nama yang mudah dikenali staf, mis. “Poli Gigi” atau “Pendaftaran”.",
  },
  "channels.field.phone": { en: "WhatsApp number", id: "Nomor WhatsApp" },
  "channels.field.phone_hint": {
    en: "The number of the phone you will link, e.g. 0812 3456 7890 or +62 812 3456 7890.",
    id: "Nomor HP yang akan ditautkan, mis. 0812 3456 7890 atau +62 812 3456 7890.",
  },
  "channels.field.token": { en: "Bot token", id: "Token bot" },
  "channels.field.token_hint": {
    en: "From @BotFather in Telegram: /newbot, then copy the token (123456789:AA…).",
    id: "Dari @BotFather di Telegram: /newbot, lalu salin tokennya (123456789:AA…).",
  },
  "channels.created": { en: "Channel “{name}” added.", id: "Saluran “{name}” ditambahkan." },
  "channels.renamed": {
    en: "Channel renamed to “{name}”.",
    id: "Nama saluran diubah menjadi “{name}”.",
  },
  "channels.enabled": { en: "Channel “{name}” turned on.", id: "Saluran “{name}” dinyalakan." },
  "channels.disabled_done": {
    en: "Channel “{name}” turned off. Its messages wait until it is turned on.",
    id: "Saluran “{name}” dimatikan. Pesannya menunggu sampai dinyalakan lagi.",
  },
  "channels.deleted": {
    en: {
      one: "Channel “{name}” deleted. {count} message was still waiting.",
      other: "Channel “{name}” deleted. Messages that were still waiting: {count}.",
    },
    id: "Saluran “{name}” dihapus. Pesan yang masih menunggu: {count}.",
  },
  "channels.logged_out": { en: "“{name}” is logged out.", id: "“{name}” sudah keluar." },
  "channels.logged_out_local": {
    en:
      "“{name}” is logged out here and its keys are erased. The phone was not connected, so also remove the device on the phone: WhatsApp → Linked devices.",
    id:
      "“{name}” sudah dikeluarkan di sini dan kuncinya dihapus. HP tidak sedang terhubung, jadi hapus juga perangkatnya di HP: WhatsApp → Perangkat tertaut.",
  },
  "channels.deleted_local": {
    en: {
      one:
        "Channel “{name}” deleted. {count} message was still waiting. The phone was not connected, so also remove the device on the phone: WhatsApp → Linked devices.",
      other:
        "Channel “{name}” deleted. Messages that were still waiting: {count}. The phone was not connected, so also remove the device on the phone: WhatsApp → Linked devices.",
    },
    id:
      "Saluran “{name}” dihapus. Pesan yang masih menunggu: {count}. HP tidak sedang terhubung, jadi hapus juga perangkatnya di HP: WhatsApp → Perangkat tertaut.",
  },
  "channels.pair": { en: "Pair with a phone", id: "Tautkan dengan HP" },
  "channels.repair": { en: "Pair again", id: "Tautkan ulang" },
  "channels.pair_hint": {
    en: "Shows a new QR code to scan.",
    id: "Menampilkan kode QR baru untuk dipindai.",
  },
  "channels.pair_connected": {
    en: "“{name}” is already connected. Log it out first to pair another phone.",
    id: "“{name}” sudah terhubung. Keluarkan dulu untuk menautkan HP lain.",
  },
  "channels.pair_disabled": {
    en: "Turn the channel on before pairing it.",
    id: "Nyalakan saluran sebelum menautkannya.",
  },
  "channels.pair_not_whatsapp": {
    en: "Only WhatsApp channels are paired with a phone.",
    id: "Hanya saluran WhatsApp yang ditautkan dengan HP.",
  },
  "channels.pairing_code_not_ready": {
    en: "Wait until the QR code shows, then ask for a pairing code.",
    id: "Tunggu sampai kode QR muncul, lalu minta kode tautan.",
  },
  "channels.pairing_code_failed": {
    en: "WhatsApp gave no pairing code. Scan the QR code instead, or try again in a minute.",
    id: "WhatsApp tidak memberi kode tautan. Pindai kode QR saja, atau coba lagi semenit lagi.",
  },
  "channels.pairing_code_is": { en: "Pairing code:", id: "Kode tautan:" },
  "channels.use_pairing_code": { en: "Use a pairing code instead", id: "Pakai kode tautan saja" },
  "channels.scan_title": { en: "Link the phone", id: "Tautkan HP" },
  "channels.scan_step1": {
    en: "Open WhatsApp on the phone of this number.",
    id: "Buka WhatsApp di HP dengan nomor ini.",
  },
  "channels.scan_step2": {
    en: "Tap Menu or Settings, then Linked devices, then Link a device.",
    id: "Ketuk Menu atau Setelan, lalu Perangkat tertaut, lalu Tautkan perangkat.",
  },
  "channels.scan_step3": {
    en: "Point the phone at this QR code.",
    id: "Arahkan HP ke kode QR ini.",
  },
  "channels.qr_label": { en: "QR code to link WhatsApp", id: "Kode QR untuk menautkan WhatsApp" },
  "channels.qr_expires": { en: "A new code appears in", id: "Kode baru muncul dalam" },
  "channels.connecting_hint": {
    en: "Connecting to WhatsApp. The QR code appears here in a moment.",
    id: "Menghubungkan ke WhatsApp. Kode QR akan muncul di sini sebentar lagi.",
  },
  "channels.retrying": { en: "Next try in", id: "Coba lagi dalam" },
  "channels.trying_now": { en: "a moment", id: "beberapa saat" },
  "channels.pairing_code_asked": {
    en: "Kabar asked WhatsApp for a pairing code: it shows here in a few seconds.",
    id: "Kabar meminta kode tautan ke WhatsApp: kode muncul di sini dalam beberapa detik.",
  },
  "channels.logout": { en: "Log out", id: "Keluarkan" },
  "channels.logout_confirm": {
    en: "Log “{name}” out? The phone will no longer be linked and must be paired again.",
    id: "Keluarkan “{name}”? HP tidak lagi tertaut dan harus ditautkan ulang.",
  },
  "channels.logout_hint.whatsapp": {
    en: "Unlinks the device on the phone too.",
    id: "Melepas tautan perangkat di HP juga.",
  },
  "channels.logout_hint.telegram": {
    en: "Stops the bot and forgets its session.",
    id: "Menghentikan bot dan melupakan sesinya.",
  },
  "channels.disable": { en: "Turn off", id: "Matikan" },
  "channels.enable": { en: "Turn on", id: "Nyalakan" },
  "channels.disable_hint": {
    en: "Stops sending and receiving; waiting messages are kept.",
    id: "Berhenti mengirim dan menerima; pesan yang menunggu tetap disimpan.",
  },
  "channels.enable_hint": {
    en: "Connects again and sends what is waiting.",
    id: "Terhubung lagi dan mengirim pesan yang menunggu.",
  },
  "channels.rename": { en: "Rename", id: "Ubah nama" },
  "channels.delete": { en: "Delete channel", id: "Hapus saluran" },
  "channels.delete_title": { en: "Delete “{name}”?", id: "Hapus “{name}”?" },
  "channels.delete_goes": { en: "What is deleted", id: "Yang dihapus" },
  "channels.delete_goes_whatsapp": {
    en: "The link to the phone: it is logged out on the phone too, and its keys are erased.",
    id: "Tautan ke HP: perangkat dikeluarkan di HP juga, dan kuncinya dihapus.",
  },
  "channels.delete_goes_telegram": {
    en: "The bot token; the bot stops answering in Kabar.",
    id: "Token bot; bot tidak lagi dilayani Kabar.",
  },
  "channels.delete_goes_sandbox": { en: "The sandbox channel.", id: "Saluran sandbox." },
  "channels.delete_goes_queued": {
    en: {
      one:
        "{count} message still waiting to be sent will not be sent (marked failed, or cancelled with its broadcast).",
      other:
        "{count} messages still waiting to be sent will not be sent (marked failed, or cancelled with their broadcast).",
    },
    id:
      "{count} pesan yang masih menunggu tidak akan dikirim (ditandai gagal, atau dibatalkan bersama siarannya).",
  },
  "channels.delete_stays": { en: "What is kept", id: "Yang tetap disimpan" },
  "channels.delete_stays_messages": {
    en: "Contacts, conversations and every message already sent or received.",
    id: "Kontak, percakapan, dan semua pesan yang sudah dikirim atau diterima.",
  },
  "channels.delete_confirm": { en: "Delete channel", id: "Hapus saluran" },
  "channels.delete_confirm_queued": {
    en: {
      one: "Delete channel and {count} waiting message",
      other: "Delete channel and {count} waiting messages",
    },
    id: "Hapus saluran dan {count} pesan yang menunggu",
  },
  "err.channel_name": {
    en: "A channel's name is at most 80 characters.",
    id: "Nama saluran paling banyak 80 karakter.",
  },
  "err.channel_name_taken": {
    en: "Another channel already has this name: choose one that tells them apart.",
    id: "Saluran lain sudah memakai nama ini: pilih nama yang membedakannya.",
  },
  "err.channel_name_empty": {
    en: "Give the channel a name, such as Pendaftaran.",
    id: "Beri nama saluran, misalnya Pendaftaran.",
  },
  "err.channel_kind": {
    en: "Choose WhatsApp, Telegram or Sandbox.",
    id: "Pilih WhatsApp, Telegram, atau Sandbox.",
  },
  "err.channel_phone_taken": {
    en: "Another channel already uses this number.",
    id: "Nomor ini sudah dipakai saluran lain.",
  },
  "err.bot_token_format": {
    en:
      "This is not a bot token. It looks like 123456789:AAH… (digits, a colon, then about 35 characters).",
    id:
      "Ini bukan token bot. Bentuknya 123456789:AAH… (angka, titik dua, lalu sekitar 35 karakter).",
  },
  "err.bot_token": {
    en:
      "Telegram does not accept this token. Copy it again from @BotFather (or make a new one there).",
    id:
      "Telegram tidak menerima token ini. Salin lagi dari @BotFather (atau buat yang baru di sana).",
  },
  "err.telegram_unreachable": {
    en: "Kabar cannot reach Telegram to check the token. Check the server's internet connection.",
    id:
      "Kabar tidak dapat menghubungi Telegram untuk memeriksa token. Periksa koneksi internet server.",
  },
} satisfies Messages;
