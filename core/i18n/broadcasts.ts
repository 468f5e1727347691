import type { Messages } from "./message.ts";

/** Broadcasts: the states, why a row is left out, and the errors of the form. */
export const broadcasts = {
  "broadcasts.status.draft": { en: "Draft", id: "Draf" },
  "broadcasts.status.confirmed": { en: "Confirmed", id: "Dikonfirmasi" },
  "broadcasts.status.scheduled": { en: "Scheduled", id: "Terjadwal" },
  "broadcasts.status.running": { en: "Sending", id: "Sedang dikirim" },
  "broadcasts.status.paused": { en: "Paused", id: "Dijeda" },
  "broadcasts.status.finished": { en: "Finished", id: "Selesai" },
  "broadcasts.status.cancelled": { en: "Cancelled", id: "Dibatalkan" },
  "broadcasts.reason.empty": { en: "No number", id: "Tidak ada nomor" },
  "broadcasts.reason.not_digits": {
    en: "“{value}” is not a number",
    id: "“{value}” bukan nomor",
  },
  "broadcasts.reason.too_short": {
    en: "“{value}” is too short for a number",
    id: "“{value}” terlalu pendek untuk nomor",
  },
  "broadcasts.reason.too_long": {
    en: "“{value}” is too long for a number",
    id: "“{value}” terlalu panjang untuk nomor",
  },
  "broadcasts.reason.invalid_country": {
    en: "“{value}” has no country code after + or 00",
    id: "“{value}” tidak punya kode negara setelah + atau 00",
  },
  "broadcasts.reason.invalid": {
    en: "“{value}” is not a number of its country",
    id: "“{value}” bukan nomor yang berlaku di negaranya",
  },
  "broadcasts.reason.scientific": {
    en: "“{value}” was turned into scientific notation by Excel: its digits are lost",
    id: "“{value}” diubah Excel menjadi notasi ilmiah: sebagian angkanya hilang",
  },
  "broadcasts.reason.variable_missing": {
    en: "The message uses {{{variable}}}, and this row has nothing for it",
    id: "Pesan memakai {{{variable}}}, dan baris ini tidak mengisinya",
  },
  "broadcasts.reason.duplicate": {
    en: "The same number as row {row}",
    id: "Nomor yang sama dengan baris {row}",
  },
  "broadcasts.reason.opted_out": {
    en: "Asked to receive no broadcasts",
    id: "Meminta tidak menerima siaran",
  },
  "broadcasts.reason.not_on_whatsapp": {
    en: "Not on WhatsApp",
    id: "Tidak terdaftar di WhatsApp",
  },
  "err.broadcast_channel": {
    en: "Choose a channel that still exists",
    id: "Pilih saluran yang masih ada",
  },
  "err.broadcast_telegram_label": {
    en: "A Telegram bot cannot write to phone numbers: choose recipients by label",
    id: "Bot Telegram tidak bisa mengirim ke nomor telepon: pilih penerima berdasarkan label",
  },
  "err.broadcast_list_again": {
    en:
      "This list holds Telegram chats, which this channel cannot write to: give the recipients again",
    id:
      "Daftar ini berisi obrolan Telegram yang tidak bisa dikirimi saluran ini: masukkan penerima lagi",
  },
  "err.broadcast_time_past": {
    en: "Choose a time still to come",
    id: "Pilih waktu yang belum lewat",
  },
  "err.broadcast_stop_before_start": {
    en: "The stop time must be after the start time",
    id: "Waktu berhenti harus setelah waktu mulai",
  },
  "err.broadcast_template": {
    en: "Choose an active template",
    id: "Pilih template yang aktif",
  },
  "broadcasts.intro": {
    en:
      "One message to many people: a reminder, an announcement, a schedule change. Messages go out slowly, within the sending hours, so the number is not blocked.",
    id:
      "Satu pesan untuk banyak orang: pengingat, pengumuman, perubahan jadwal. Pesan dikirim perlahan, di jam kirim, agar nomor tidak diblokir.",
  },
  "broadcasts.new": { en: "New broadcast", id: "Siaran baru" },
  "broadcasts.empty_title": { en: "No broadcasts yet", id: "Belum ada siaran" },
  "broadcasts.empty_body": {
    en:
      "A broadcast sends one message to a list of numbers: typed in, from an Excel or CSV file, or the contacts with a label. You check the list and the message before anything is sent.",
    id:
      "Siaran mengirim satu pesan ke daftar nomor: diketik, dari file Excel atau CSV, atau kontak dengan label tertentu. Anda memeriksa daftar dan pesannya sebelum ada yang terkirim.",
  },
  "broadcasts.col.name": { en: "Name", id: "Nama" },
  "broadcasts.col.channel": { en: "Channel", id: "Saluran" },
  "broadcasts.col.status": { en: "Status", id: "Status" },
  "broadcasts.col.valid": { en: "Recipients", id: "Penerima" },
  "broadcasts.col.sent": { en: "Sent", id: "Terkirim" },
  "broadcasts.col.read": { en: "Read", id: "Dibaca" },
  "broadcasts.col.failed": { en: "Failed", id: "Gagal" },
  "broadcasts.col.created": { en: "Created", id: "Dibuat" },
  "broadcasts.col.started": { en: "Started", id: "Dimulai" },
  "broadcasts.col.finished": { en: "Ended", id: "Berakhir" },
  "broadcasts.col.actions": { en: "Actions", id: "Tindakan" },
  "broadcasts.open": { en: "Open", id: "Buka" },
  "broadcasts.more": { en: "Older broadcasts", id: "Siaran lebih lama" },
  "broadcasts.nobody": { en: "—", id: "—" },
  "broadcasts.delete_confirm": {
    en: "Delete the broadcast “{name}” with its list of recipients?",
    id: "Hapus siaran “{name}” beserta daftar penerimanya?",
  },
  "broadcasts.form.new_title": { en: "New broadcast", id: "Siaran baru" },
  "broadcasts.form.edit_title": { en: "Edit broadcast", id: "Ubah siaran" },
  "broadcasts.form.intro": {
    en: "Saving makes a draft: nothing is sent until you check it and press Confirm, then Start.",
    id:
      "Menyimpan membuat draf: tidak ada yang terkirim sampai Anda memeriksanya lalu menekan Konfirmasi, kemudian Mulai.",
  },
  "broadcasts.form.name": { en: "Name", id: "Nama" },
  "broadcasts.form.name_hint": {
    en: "For you and your team, e.g. “Poli Anak reminder 12 March”. Patients do not see it.",
    id: "Untuk Anda dan tim, mis. “Pengingat Poli Anak 12 Maret”. Pasien tidak melihatnya.",
  },
  "broadcasts.form.channel": { en: "Send from", id: "Kirim dari" },
  "broadcasts.form.channel_hint": {
    en:
      "A Telegram bot can only write to contacts who chatted with it: choose recipients by label.",
    id:
      "Bot Telegram hanya bisa mengirim ke kontak yang pernah mengobrol dengannya: pilih penerima berdasarkan label.",
  },
  "broadcasts.form.message": { en: "Message", id: "Pesan" },
  "broadcasts.form.message_text": { en: "Write the text", id: "Tulis teksnya" },
  "broadcasts.form.message_template": { en: "Use a template", id: "Pakai template" },
  "broadcasts.form.text": { en: "Text", id: "Teks" },
  "broadcasts.form.text_hint": {
    en:
      "{{name}} becomes each recipient's name; other {{words}} are filled from the values below or from the file's columns.",
    id:
      "{{nama}} diganti nama tiap penerima; {{kata}} lain diisi dari nilai di bawah atau dari kolom file.",
  },
  "broadcasts.form.template": { en: "Template", id: "Template" },
  "broadcasts.form.template_none": { en: "Choose a template", id: "Pilih template" },
  "broadcasts.form.template_hint": {
    en: "Only active templates. The words in {{ }} are what each message fills in.",
    id: "Hanya template yang aktif. Kata dalam {{ }} diisi di setiap pesan.",
  },
  "broadcasts.form.variables": {
    en: "Values the same for everyone",
    id: "Isi yang sama untuk semua penerima",
  },
  "broadcasts.form.variables_hint": {
    en:
      "One a line, e.g. “date = 12 March”. A column of the file with the same name wins for its row.",
    id:
      "Satu per baris, mis. “tanggal = 12 Maret”. Kolom file dengan nama yang sama dipakai untuk barisnya.",
  },
  "broadcasts.form.recipients": { en: "Recipients", id: "Penerima" },
  "broadcasts.form.recipients_text": { en: "Type or paste numbers", id: "Ketik atau tempel nomor" },
  "broadcasts.form.recipients_file": {
    en: "Upload an Excel (.xlsx) or CSV file",
    id: "Unggah file Excel (.xlsx) atau CSV",
  },
  "broadcasts.form.recipients_label": {
    en: "Contacts with a label",
    id: "Kontak dengan label",
  },
  "broadcasts.form.recipients_keep": {
    en: "Keep the list it has ({count} rows)",
    id: "Tetap pakai daftar yang ada ({count} baris)",
  },
  "broadcasts.form.list": { en: "Numbers", id: "Nomor" },
  "broadcasts.form.list_hint": {
    en:
      "One a line: the number, or “number, name” (a message with {{name}} needs the name). More columns after a comma fill {{1}}, {{2}}…",
    id:
      "Satu per baris: nomornya, atau “nomor, nama” (pesan dengan {{nama}} perlu namanya). Kolom berikutnya setelah koma mengisi {{1}}, {{2}}…",
  },
  "broadcasts.form.file": { en: "File", id: "File" },
  "broadcasts.form.file_hint": {
    en: ".xlsx or .csv, up to {max} MB. Next you choose which column holds the number.",
    id: ".xlsx atau .csv, paling besar {max} MB. Berikutnya Anda memilih kolom yang berisi nomor.",
  },
  "broadcasts.form.label": { en: "Label", id: "Label" },
  "broadcasts.form.label_none": { en: "Choose a label", id: "Pilih label" },
  "broadcasts.form.window": { en: "Sending hours", id: "Jam kirim" },
  "broadcasts.form.window_start": { en: "From", id: "Dari" },
  "broadcasts.form.window_end": { en: "Until", id: "Sampai" },
  "broadcasts.form.window_hint": {
    en: "Hospital time ({zone}). Outside these hours the broadcast waits and goes on by itself.",
    id: "Waktu rumah sakit ({zone}). Di luar jam ini siaran menunggu dan lanjut sendiri.",
  },
  "broadcasts.form.any_time": { en: "Any time of day", id: "Kapan saja" },
  "broadcasts.form.schedule": { en: "Start at (optional)", id: "Mulai pada (opsional)" },
  "broadcasts.form.schedule_hint": {
    en: "Leave empty to start it yourself with the Start button.",
    id: "Kosongkan untuk memulainya sendiri dengan tombol Mulai.",
  },
  "broadcasts.form.stop": { en: "Stop at (optional)", id: "Berhenti pada (opsional)" },
  "broadcasts.form.stop_hint": {
    en: "Messages not sent by then are not sent (for a reminder that is no use after the visit).",
    id:
      "Pesan yang belum terkirim saat itu tidak dikirim (untuk pengingat yang tidak berguna setelah kunjungan).",
  },
  "broadcasts.form.date": { en: "Date", id: "Tanggal" },
  "broadcasts.form.time": { en: "Time", id: "Jam" },
  "broadcasts.form.save": { en: "Save and check", id: "Simpan dan periksa" },
  "broadcasts.form.next": { en: "Next: choose columns", id: "Lanjut: pilih kolom" },
  "broadcasts.map.title": { en: "Which column is what?", id: "Kolom mana berisi apa?" },
  "broadcasts.map.intro": {
    en:
      "These are the first rows of “{file}” as Kabar read them. Choose the column with the phone number; the others are optional.",
    id:
      "Ini baris pertama “{file}” seperti dibaca Kabar. Pilih kolom yang berisi nomor telepon; yang lain boleh dikosongkan.",
  },
  "broadcasts.map.sheet": { en: "Sheet", id: "Sheet" },
  "broadcasts.map.sheet_show": { en: "Show this sheet", id: "Tampilkan sheet ini" },
  "broadcasts.map.header": {
    en: "The first row holds column names (it is not sent to)",
    id: "Baris pertama berisi nama kolom (tidak dikirimi)",
  },
  "broadcasts.map.col_phone": { en: "Phone number", id: "Nomor telepon" },
  "broadcasts.map.col_name": { en: "Name", id: "Nama" },
  "broadcasts.map.col_none": { en: "— none —", id: "— tidak ada —" },
  "broadcasts.map.col_var": { en: "Fills {{{variable}}}", id: "Mengisi {{{variable}}}" },
  "broadcasts.map.column": { en: "Column {letter}", id: "Kolom {letter}" },
  "broadcasts.map.first_rows": { en: "First rows of the file", id: "Baris pertama file" },
  "broadcasts.map.row": { en: "Row", id: "Baris" },
  "broadcasts.review.counts": { en: "The list", id: "Daftar" },
  "broadcasts.review.valid": { en: "Will receive it", id: "Akan menerima" },
  "broadcasts.review.invalid": {
    en: "Numbers that cannot be used",
    id: "Nomor yang tidak bisa dipakai",
  },
  "broadcasts.review.duplicates": { en: "Listed twice", id: "Tercantum dua kali" },
  "broadcasts.review.opted_out": {
    en: "Asked for no broadcasts",
    id: "Meminta tidak dikirimi siaran",
  },
  "broadcasts.review.not_on_whatsapp": { en: "Not on WhatsApp", id: "Tidak ada di WhatsApp" },
  "broadcasts.recipients.only_sent": {
    en: "Sent, not delivered yet",
    id: "Terkirim, belum diterima",
  },
  "broadcasts.recipients.only_delivered": {
    en: "Delivered, not read yet",
    id: "Diterima, belum dibaca",
  },
  "broadcasts.recipients.left_out": {
    en: "Left out (any reason)",
    id: "Tidak dikirimi (alasan apa pun)",
  },
  "broadcasts.review.left_out_link": {
    en: "See who is left out, and why",
    id: "Lihat siapa yang tidak dikirimi, dan alasannya",
  },
  "broadcasts.review.all_link": { en: "See every recipient", id: "Lihat semua penerima" },
  "broadcasts.review.estimate": { en: "Time it will take", id: "Perkiraan lama kirim" },
  "broadcasts.review.time_left": { en: "Time left", id: "Perkiraan sisa waktu" },
  "broadcasts.retry_name_suffix": { en: "retry", id: "kirim ulang" },
  "broadcasts.retry_none": {
    en: "No message of this broadcast failed: there is nothing to send again.",
    id: "Tidak ada pesan siaran ini yang gagal: tidak ada yang perlu dikirim ulang.",
  },
  "broadcasts.report_col.row": { en: "Row", id: "Baris" },
  "broadcasts.report_col.number_as_written": {
    en: "Number as written",
    id: "Nomor seperti ditulis",
  },
  "broadcasts.report_col.phone": { en: "Phone", id: "Nomor telepon" },
  "broadcasts.report_col.name": { en: "Name", id: "Nama" },
  "broadcasts.report_col.status": { en: "Status", id: "Status" },
  "broadcasts.report_col.time": { en: "Time (UTC)", id: "Waktu (UTC)" },
  "broadcasts.report_col.local_time": { en: "Local time", id: "Waktu setempat" },
  "broadcasts.report_col.error": { en: "Reason", id: "Alasan" },
  "broadcasts.report_col.error_code": { en: "Reason code", id: "Kode alasan" },
  "broadcasts.report_col.message_id": { en: "Message id", id: "ID pesan" },
  "broadcasts.review.took": { en: "From start to end", id: "Dari mulai sampai akhir" },
  "broadcasts.review.took_under_minute": { en: "under a minute", id: "kurang dari semenit" },
  "broadcasts.review.took_minutes": { en: "{m} min", id: "{m} menit" },
  "broadcasts.review.took_hours": { en: "{h} h {m} min", id: "{h} jam {m} menit" },
  "broadcasts.review.recipients": { en: "Recipients", id: "Penerima" },
  "broadcasts.review.estimate_none": {
    en: "Nothing left to send",
    id: "Tidak ada yang menunggu dikirim",
  },
  "broadcasts.review.hours": { en: "about {h} h {m} min", id: "sekitar {h} jam {m} menit" },
  "broadcasts.review.minutes": { en: "about {m} min", id: "sekitar {m} menit" },
  "broadcasts.review.under_minute": { en: "under a minute", id: "kurang dari semenit" },
  "broadcasts.review.details": { en: "Details", id: "Rincian" },
  "broadcasts.review.channel": { en: "Sent from", id: "Dikirim dari" },
  "broadcasts.review.template": { en: "Template", id: "Template" },
  "broadcasts.review.window": { en: "Sending hours", id: "Jam kirim" },
  "broadcasts.review.any_time": { en: "Any time of day", id: "Kapan saja" },
  "broadcasts.review.schedule": { en: "Starts", id: "Mulai" },
  "broadcasts.review.by_hand": {
    en: "When someone presses Start",
    id: "Saat seseorang menekan Mulai",
  },
  "broadcasts.review.stop": { en: "Stops at", id: "Berhenti pada" },
  "broadcasts.review.made": { en: "Created", id: "Dibuat" },
  "broadcasts.review.by": { en: "{time} by {name}", id: "{time} oleh {name}" },
  "broadcasts.review.preview": { en: "What recipients will see", id: "Yang akan dilihat penerima" },
  "broadcasts.review.preview_sent": {
    en: "What recipients were sent",
    id: "Yang dikirim ke penerima",
  },
  "broadcasts.review.preview_to": { en: "To {who}", id: "Untuk {who}" },
  "broadcasts.review.preview_none": {
    en: "No recipient on the list can be sent to.",
    id: "Tidak ada penerima di daftar yang bisa dikirimi.",
  },
  "broadcasts.review.progress": { en: "Progress", id: "Perkembangan" },
  "broadcasts.review.progress_not_started": {
    en: "Nothing has been sent yet. Once you start the broadcast, this shows how far it has got.",
    id: "Belum ada yang dikirim. Setelah siaran dimulai, di sini terlihat sejauh mana.",
  },
  "broadcasts.review.progress_never_started": {
    en: "It was cancelled before it started: nothing was sent.",
    id: "Dibatalkan sebelum dimulai: tidak ada yang dikirim.",
  },
  "broadcasts.review.progress_reached": {
    en: "A message counts at every step it reached: one that was read was also sent and delivered.",
    id:
      "Pesan dihitung di setiap tahap yang dicapainya: pesan yang dibaca juga terkirim dan diterima.",
  },
  "broadcasts.review.progress_failed": {
    en: "{count} failed: see who and why",
    id: "{count} gagal: lihat siapa dan sebabnya",
  },
  "broadcasts.review.rate_minute": {
    en: "Sending now: {rate} a minute (last {minutes} min)",
    id: "Kecepatan saat ini: {rate} per menit ({minutes} menit terakhir)",
  },
  "broadcasts.review.rate_hour": {
    en: "Sending now: {rate} an hour (last {minutes} min)",
    id: "Kecepatan saat ini: {rate} per jam ({minutes} menit terakhir)",
  },
  "broadcasts.review.rate_none": {
    en: "Sending now: none in the last {minutes} min",
    id: "Kecepatan saat ini: tidak ada yang terkirim dalam {minutes} menit terakhir",
  },
  "broadcasts.review.progress_text": {
    en: "{done} of {total} handled ({percent} %)",
    id: "{done} dari {total} diproses ({percent} %)",
  },
  "broadcasts.review.next_step.draft": {
    en: "Check the list and the message. Confirm when they are right; nothing is sent yet.",
    id: "Periksa daftar dan pesannya. Konfirmasi bila sudah benar; belum ada yang terkirim.",
  },
  "broadcasts.review.next_step.confirmed": {
    en: "Ready. Press Start to begin sending.",
    id: "Siap. Tekan Mulai untuk mulai mengirim.",
  },
  "broadcasts.review.next_step.scheduled": {
    en: "It starts by itself at the time set, or press Start now.",
    id: "Siaran mulai sendiri pada waktu yang diatur, atau tekan Mulai sekarang.",
  },
  "broadcasts.review.outcome": {
    en: "{sent} sent, {failed} failed, {cancelled} not sent.",
    id: "{sent} terkirim, {failed} gagal, {cancelled} tidak dikirim.",
  },
  "broadcasts.action.confirm": { en: "Confirm", id: "Konfirmasi" },
  "broadcasts.action.start": { en: "Start", id: "Mulai" },
  "broadcasts.action.pause": { en: "Pause", id: "Jeda" },
  "broadcasts.action.resume": { en: "Resume", id: "Lanjutkan" },
  "broadcasts.action.cancel": { en: "Cancel broadcast", id: "Batalkan siaran" },
  "broadcasts.action.cancel_confirm": {
    en: "Cancel “{name}”? Messages not sent yet will not be sent. This cannot be undone.",
    id:
      "Batalkan “{name}”? Pesan yang belum terkirim tidak akan dikirim. Ini tidak bisa diurungkan.",
  },
  "broadcasts.action.retry": {
    en: "Send again to those that failed",
    id: "Kirim ulang ke yang gagal",
  },
  "broadcasts.action.edit": { en: "Edit", id: "Ubah" },
  "broadcasts.action.delete": { en: "Delete", id: "Hapus" },
  "broadcasts.wait.channel_offline": {
    en: "Waiting: the channel is not connected.",
    id: "Menunggu: saluran tidak terhubung.",
  },
  "broadcasts.wait.warmup": {
    en: "Waiting: the number was linked recently, and broadcasts wait for its warm-up.",
    id: "Menunggu: nomor ini baru ditautkan, dan siaran menunggu masa pemanasannya.",
  },
  "broadcasts.wait.daily_cap": {
    en: "Waiting: the channel's daily limit has been reached.",
    id: "Menunggu: batas harian saluran ini sudah tercapai.",
  },
  "broadcasts.wait.window": {
    en: "Waiting: outside sending hours ({hours}).",
    id: "Menunggu: di luar jam kirim ({hours}).",
  },
  "broadcasts.wait_until.goes_on": {
    en: "Goes on by itself at {time}.",
    id: "Lanjut sendiri pada {time}.",
  },
  "broadcasts.wait_until.connected": {
    en: "Messages go once it is connected again.",
    id: "Pesan dikirim setelah saluran terhubung lagi.",
  },
  "broadcasts.wait_until.stops_first": {
    en: "Its stop-after time comes first, at {time}: messages not sent by then will not be sent.",
    id:
      "Batas waktunya tiba lebih dulu, pada {time}: pesan yang belum terkirim saat itu tidak akan dikirim.",
  },
  "broadcasts.wait_short.channel_offline": {
    en: "Waiting: channel not connected",
    id: "Menunggu: saluran tidak terhubung",
  },
  "broadcasts.wait_short.warmup": {
    en: "Waiting: number warm-up",
    id: "Menunggu: pemanasan nomor",
  },
  "broadcasts.wait_short.daily_cap": { en: "Waiting: daily limit", id: "Menunggu: batas harian" },
  "broadcasts.wait_short.window": {
    en: "Waiting: outside sending hours",
    id: "Menunggu: di luar jam kirim",
  },
  "broadcasts.done.confirm": { en: "Confirmed.", id: "Dikonfirmasi." },
  "broadcasts.done.start": { en: "Sending has started.", id: "Pengiriman dimulai." },
  "broadcasts.done.pause": {
    en: "Paused. Messages wait until you resume.",
    id: "Dijeda. Pesan menunggu sampai dilanjutkan.",
  },
  "broadcasts.done.resume": { en: "Sending again.", id: "Mengirim lagi." },
  "broadcasts.done.cancel": { en: "Cancelled.", id: "Dibatalkan." },
  "broadcasts.saved": {
    en: "Draft saved. Check it below.",
    id: "Draf disimpan. Periksa di bawah.",
  },
  "broadcasts.retried": {
    en: "A new draft was made of the recipients whose message failed.",
    id: "Draf baru dibuat dari penerima yang pesannya gagal.",
  },
  "broadcasts.deleted": { en: "Broadcast “{name}” deleted.", id: "Siaran “{name}” dihapus." },
  "broadcasts.action.check": {
    en: "Check numbers on WhatsApp",
    id: "Periksa nomor di WhatsApp",
  },
  "broadcasts.checked": {
    en: "Numbers checked on WhatsApp: {checked}. Newly left out as not on WhatsApp: {left}.",
    id:
      "Nomor diperiksa di WhatsApp: {checked}. Baru tidak dikirimi karena tidak ada di WhatsApp: {left}.",
  },
  "broadcasts.check_unavailable": {
    en: "The numbers cannot be checked now: the channel is not connected. Try again once it is.",
    id:
      "Nomor tidak bisa diperiksa sekarang: saluran tidak tersambung. Coba lagi setelah tersambung.",
  },
  "broadcasts.review.report": { en: "Report:", id: "Laporan:" },
  "broadcasts.review.report_xlsx": { en: "Excel (.xlsx)", id: "Excel (.xlsx)" },
  "broadcasts.review.report_csv": { en: "CSV", id: "CSV" },
  "settings.broadcasts": { en: "Broadcasts", id: "Siaran" },
  "broadcasts.settings.window": {
    en: "Default sending hours",
    id: "Jam kirim bawaan",
  },
  "broadcasts.settings.intro": {
    en: "New broadcasts start with these hours ({zone}); each broadcast may change its own.",
    id: "Siaran baru memakai jam ini ({zone}); tiap siaran boleh mengubahnya sendiri.",
  },
  "broadcasts.settings.save": { en: "Save", id: "Simpan" },
  "broadcasts.settings.saved": {
    en: "The default sending hours were saved.",
    id: "Jam kirim bawaan disimpan.",
  },
  "audit.act.broadcast.settings": {
    en: "Changed the default sending hours of broadcasts",
    id: "Mengubah jam kirim bawaan siaran",
  },
  "broadcasts.refused": {
    en: "“{action}” is not possible now: the broadcast is {status}.",
    id: "“{action}” tidak bisa sekarang: siaran berstatus {status}.",
  },
  "broadcasts.progress.queued": { en: "Waiting", id: "Menunggu" },
  "broadcasts.progress.sending": { en: "Sending", id: "Sedang dikirim" },
  "broadcasts.progress.sent": { en: "Sent", id: "Terkirim" },
  "broadcasts.progress.delivered": { en: "Delivered", id: "Diterima" },
  "broadcasts.progress.read": { en: "Read", id: "Dibaca" },
  "broadcasts.progress.failed": { en: "Failed", id: "Gagal" },
  "broadcasts.progress.cancelled": { en: "Not sent (cancelled)", id: "Tidak dikirim (dibatalkan)" },
  "broadcasts.row.invalid": { en: "Cannot be used", id: "Tidak bisa dipakai" },
  "broadcasts.row.duplicate": { en: "Listed twice", id: "Tercantum dua kali" },
  "broadcasts.row.opted_out": {
    en: "Asked for no broadcasts",
    id: "Meminta tidak dikirimi siaran",
  },
  "broadcasts.row.not_on_whatsapp": { en: "Not on WhatsApp", id: "Tidak ada di WhatsApp" },
  "broadcasts.row.pending": { en: "Not sent yet", id: "Belum dikirim" },
  "broadcasts.recipients.title": { en: "Recipients of “{name}”", id: "Penerima “{name}”" },
  "broadcasts.recipients.filter": { en: "Show", id: "Tampilkan" },
  "broadcasts.recipients.all": { en: "Everyone", id: "Semua" },
  "broadcasts.recipients.apply": { en: "Apply", id: "Terapkan" },
  "broadcasts.recipients.row": { en: "Row", id: "Baris" },
  "broadcasts.recipients.number": { en: "Number", id: "Nomor" },
  "broadcasts.recipients.name": { en: "Name", id: "Nama" },
  "broadcasts.recipients.status": { en: "Status", id: "Status" },
  "broadcasts.recipients.variables": { en: "Variables", id: "Variabel" },
  "broadcasts.recipients.time": { en: "Time", id: "Waktu" },
  "broadcasts.recipients.reason": { en: "Why", id: "Alasan" },
  "broadcasts.recipients.next": { en: "Next rows", id: "Baris berikutnya" },
  "broadcasts.recipients.back": { en: "Back to the broadcast", id: "Kembali ke siaran" },
  "broadcasts.recipients.empty": {
    en: "No row has this status.",
    id: "Tidak ada baris dengan status ini.",
  },
  "err.broadcast_name": { en: "Give the broadcast a name", id: "Beri nama siaran" },
  "err.broadcast_name_long": { en: "Use at most 100 characters", id: "Paling banyak 100 karakter" },
  "err.broadcast_text": { en: "Write the message", id: "Tulis pesannya" },
  "err.broadcast_text_nul": {
    en: "The message holds an invisible NUL character (often pasted from a file); remove it",
    id: "Pesan berisi karakter NUL tak terlihat (sering tertempel dari file); hapus karakter itu",
  },
  "err.broadcast_text_long": {
    en: "Use at most 4096 characters",
    id: "Paling banyak 4096 karakter",
  },
  "err.broadcast_variable_line": {
    en: "“{value}” is not “name = value”",
    id: "“{value}” bukan “nama = isi”",
  },
  "err.broadcast_time": { en: "Write a time like 08:00", id: "Tulis jam seperti 08:00" },
  "err.broadcast_window_same": {
    en: "The end must differ from the start (or tick “Any time of day”)",
    id: "Jam akhir harus beda dari jam mulai (atau centang “Kapan saja”)",
  },
  "err.broadcast_when": { en: "Choose both a date and a time", id: "Pilih tanggal dan jamnya" },
  "err.broadcast_past": { en: "This time has already passed", id: "Waktu ini sudah lewat" },
  "err.broadcast_stop_before": {
    en: "The stop time must come after the start time",
    id: "Waktu berhenti harus setelah waktu mulai",
  },
  "err.broadcast_col_phone": {
    en: "Choose the column that holds the number",
    id: "Pilih kolom yang berisi nomor",
  },
  "err.broadcast_file": { en: "Choose a .xlsx or .csv file", id: "Pilih file .xlsx atau .csv" },
  "err.broadcast_label": { en: "Choose a label", id: "Pilih label" },
  "err.broadcast_list_column": {
    en:
      "The message uses {{{variable}}}, and no line gives it: write it after the number, e.g. “0812…, Siti”",
    id:
      "Pesan memakai {{{variable}}}, dan tidak ada baris yang mengisinya: tulis setelah nomornya, mis. “0812…, Siti”",
  },
  "err.broadcast_label_unknown": {
    en: "That label no longer exists; choose another",
    id: "Label itu sudah tidak ada; pilih yang lain",
  },
  "err.broadcast_recipients_text": {
    en: "Type at least one number",
    id: "Ketik minimal satu nomor",
  },
  "err.broadcast_recipients": {
    en: "Choose where the recipients come from",
    id: "Pilih asal penerima",
  },
  "broadcasts.form.attachment": {
    en: "File sent with the message (optional)",
    id: "File yang dikirim bersama pesan (opsional)",
  },
  "broadcasts.form.attachment_hint": {
    en:
      "An image, a PDF or another document, the same for everyone, up to {max} MB. The text goes with it.",
    id:
      "Gambar, PDF atau dokumen lain, sama untuk semua, paling besar {max} MB. Teksnya ikut bersama file.",
  },
  "broadcasts.form.attachment_current": { en: "Attached: {name}", id: "Terlampir: {name}" },
  "broadcasts.form.attachment_remove": { en: "Send without this file", id: "Kirim tanpa file ini" },
  "broadcasts.review.attachment": { en: "File", id: "File" },
  "err.broadcast_attachment": {
    en: "Programs cannot be sent: choose an image, a PDF or another document",
    id: "Program tidak bisa dikirim: pilih gambar, PDF atau dokumen lain",
  },
} satisfies Messages;
