import assert from "node:assert/strict";
import { translator } from "../../core/i18n.ts";
import { sendReasonText } from "../../core/send_reason.ts";
import { OPTED_OUT, WITHDRAWN } from "../../db/broadcasts.ts";
import { UNKNOWN_AFTER_RESTART } from "../../db/outbox.ts";

const id = translator("id");
const en = translator("en");

Deno.test("the reasons Kabar writes itself read in Indonesian, with what they name", () => {
  assert.equal(sendReasonText(id, "WhatsApp is not connected"), "WhatsApp tidak tersambung");
  assert.equal(sendReasonText(id, WITHDRAWN), "dibatalkan bersama siarannya");
  assert.equal(sendReasonText(id, OPTED_OUT), "nomor ini sudah berhenti berlangganan siaran");
  assert.equal(
    sendReasonText(id, UNKNOWN_AFTER_RESTART),
    "tidak diketahui setelah Kabar dijalankan ulang",
  );
  assert.equal(
    sendReasonText(id, "Telegram refused the message: Forbidden: bot was blocked by the user"),
    "Telegram menolak pesannya: Forbidden: bot was blocked by the user",
  );
  assert.equal(
    sendReasonText(id, "The file ab12 is missing from the media store"),
    "File ab12 tidak ada di penyimpanan media",
  );
});

Deno.test("WhatsApp's common send errors read in the page's language", () => {
  assert.equal(
    sendReasonText(id, "Connection Closed"),
    "koneksi ke WhatsApp terputus saat pesan dikirim",
  );
  assert.equal(
    sendReasonText(en, "Connection Closed"),
    "the connection to WhatsApp closed while it was being sent",
  );
  assert.equal(sendReasonText(id, "Timed Out"), "WhatsApp tidak menjawab tepat waktu");
  assert.equal(sendReasonText(en, "Timed Out"), "WhatsApp did not answer in time");
  assert.equal(
    sendReasonText(id, "Not authenticated"),
    "sesi WhatsApp belum masuk; pasangkan ulang salurannya",
  );
  assert.equal(
    sendReasonText(id, "Media upload failed on all hosts"),
    "WhatsApp tidak dapat menerima filenya (unggahan gagal)",
  );
});

Deno.test("in English the words are as stored, and words a channel gave stay as they came", () => {
  for (const reason of ["WhatsApp is not connected", WITHDRAWN, OPTED_OUT]) {
    assert.equal(sendReasonText(en, reason), reason);
  }
  assert.equal(sendReasonText(id, "No message present"), "No message present");
  assert.equal(
    sendReasonText(id, "WhatsApp is not connected, really"),
    "WhatsApp is not connected, really",
  );
});
