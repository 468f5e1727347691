/**
 * Why a message was not sent, in the reader's language. Kabar stores the
 * reason in English words (the API answers them as they are); the ones Kabar
 * writes itself are known here and read in Indonesian on Indonesian pages,
 * as are the WhatsApp (Baileys) errors a send meets most. Other words a
 * channel gave (Telegram's description, a rarer WhatsApp error) stay as they
 * came.
 */
import type { Translate } from "./i18n.ts";
import type { sendReasons } from "./i18n/send_reasons.ts";

type ReasonKey = keyof typeof sendReasons;

/** Each reason known: its words (the end of it after `(.*)`), and the message key. */
const KNOWN: Array<[RegExp, ReasonKey]> = [
  [/^WhatsApp is not connected$/, "send_reason.not_connected"],
  [/^WhatsApp did not accept the message$/, "send_reason.not_accepted"],
  [/^cancelled with its broadcast$/, "send_reason.cancelled"],
  [/^the number opted out of broadcasts$/, "send_reason.opted_out"],
  [/^unknown after restart$/, "send_reason.unknown_after_restart"],
  [/^The contact has no phone number$/, "send_reason.no_phone"],
  [/^The contact has no Telegram chat with this bot$/, "send_reason.no_telegram_chat"],
  [/^The file (.*) is missing from the media store$/, "send_reason.file_missing"],
  [/^Telegram refused the message: (.*)$/s, "send_reason.telegram_refused"],
  [/^The Telegram channel stopped before the message was sent$/, "send_reason.telegram_stopped"],
  [/^Connection Closed$/, "send_reason.whatsapp_closed"],
  [/^Timed Out$/, "send_reason.whatsapp_timed_out"],
  [/^Not authenticated$/, "send_reason.whatsapp_signed_out"],
  [/^Media upload failed on all hosts$/, "send_reason.whatsapp_upload_failed"],
];

export function sendReasonText(t: Translate, reason: string): string {
  for (const [words, key] of KNOWN) {
    const match = words.exec(reason);
    if (match) return t(key, { detail: match[1] ?? "" });
  }
  return reason;
}
