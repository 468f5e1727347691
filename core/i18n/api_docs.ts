import type { Messages } from "./message.ts";

/** `/api/docs`: the page around the operations, whose own words stay those of the OpenAPI document. */
export const apiDocs = {
  "apidocs.intro": {
    en:
      "Send WhatsApp and Telegram messages, follow their status, and receive events by webhook. The machine-readable description (OpenAPI 3.1) is",
    id:
      "Kirim pesan WhatsApp dan Telegram, ikuti statusnya, dan terima kejadian lewat webhook. Deskripsi yang bisa dibaca mesin (OpenAPI 3.1) ada di",
  },
  "apidocs.english": {
    en: "The operations below are described as in the OpenAPI document.",
    id:
      "Setiap operasi di bawah dijelaskan dalam bahasa Inggris, sama seperti dokumen OpenAPI dan pesan galat API.",
  },
  "apidocs.auth_title": { en: "Authentication and errors", id: "Autentikasi dan galat" },
  "apidocs.auth": {
    en:
      "Make a key on Settings → API keys (or `kabar apikey create`) and send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Each operation names the scope it needs.",
    id:
      "Buat kunci di Pengaturan → Kunci API (atau `kabar apikey create`) lalu kirim sebagai `Authorization: Bearer <kunci>` atau `X-Api-Key: <kunci>`. Setiap operasi menyebut cakupan (scope) yang dibutuhkannya.",
  },
  "apidocs.errors": {
    en:
      'Every error answers `{"error":{"code","message","details"}}`; for a wrong field, `details` maps its path (e.g. `media.base64`) to why. 401: the key is missing, wrong or revoked. 403: a scope is missing or the address is not allowed. 404: nothing with that id that this key may reach. 409: a conflict: a step a broadcast\'s state does not allow, or an `Idempotency-Key` reused for another request. 413: the body is too large. 422: a field or query parameter is wrong, unknown (`"sort": "not a field here"`) or given twice. 429: too many requests; `Retry-After` says in how many seconds to try again.',
    id:
      'Setiap galat dijawab `{"error":{"code","message","details"}}`; untuk isian yang salah, `details` memetakan jalurnya (mis. `media.base64`) ke alasannya. 401: kunci tidak ada, salah, atau dicabut. 403: cakupan kurang atau alamat tidak diizinkan. 404: tidak ada yang ber-id itu yang boleh dicapai kunci ini. 409: bentrok: langkah yang tidak diizinkan keadaan siaran, atau `Idempotency-Key` dipakai lagi untuk permintaan lain. 413: isi permintaan terlalu besar. 422: isian atau parameter kueri salah, tidak dikenal (`"sort": "not a field here"`), atau diberikan dua kali. 429: terlalu banyak permintaan; `Retry-After` menyebut berapa detik lagi boleh dicoba.',
  },
  "apidocs.webhooks_title": { en: "Webhooks", id: "Webhook" },
  "apidocs.webhooks_kabar": {
    en:
      'Kabar POSTs each event as JSON with `X-Kabar-Event`, `X-Kabar-Delivery` (the same on a retry: use it to drop duplicates), `X-Kabar-Timestamp` and `X-Kabar-Signature`: `sha256=` HMAC-SHA256 of `timestamp + "." + body` with the webhook\'s secret. Any 2xx is success; otherwise it retries for a day.',
    id:
      'Kabar mengirim (POST) setiap kejadian sebagai JSON dengan `X-Kabar-Event`, `X-Kabar-Delivery` (sama saat dicoba ulang: pakai untuk membuang duplikat), `X-Kabar-Timestamp` dan `X-Kabar-Signature`: `sha256=` HMAC-SHA256 dari `timestamp + "." + body` dengan rahasia webhook. Jawaban 2xx apa pun berarti berhasil; selain itu dicoba ulang selama sehari.',
  },
  "apidocs.webhooks_standard": {
    en:
      "Each delivery also carries the Standard Webhooks headers `webhook-id`, `webhook-timestamp` and `webhook-signature` for libraries such as standardwebhooks, with the same secret. After a rotation (below), the new and the previous secret both sign for 24 hours.",
    id:
      "Setiap pengiriman juga membawa header Standard Webhooks `webhook-id`, `webhook-timestamp` dan `webhook-signature` untuk pustaka seperti standardwebhooks, dengan rahasia yang sama. Setelah rahasia diganti (lihat di bawah), rahasia baru dan lama sama-sama menandatangani selama 24 jam.",
  },
  "apidocs.scope": { en: "Scope", id: "Cakupan" },
  "apidocs.success": { en: "success", id: "berhasil" },
  "apidocs.errors_short": { en: "errors", id: "galat" },
  "apidocs.multipart": { en: "body: multipart/form-data", id: "isi: multipart/form-data" },
  "apidocs.request_body": { en: "Request body (JSON Schema)", id: "Isi permintaan (JSON Schema)" },
  "apidocs.query": { en: "Query parameters (JSON Schema)", id: "Parameter query (JSON Schema)" },
  "apidocs.answer": { en: "Answer (JSON Schema)", id: "Jawaban (JSON Schema)" },
} satisfies Messages;
