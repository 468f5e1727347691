/**
 * Why a row of a broadcast was left out or its message failed, in the
 * reader's language: the reason code's message (`broadcasts.reason.<code>`,
 * with the value as written, the variable or the earlier row it names), or
 * the stored words (a channel's own) when there is no code.
 */
import { PROGRESS_BUCKETS, type ShownRecipientStatus } from "./broadcast_status.ts";
import { isMessageKey, type Translate } from "./i18n.ts";
import { sendReasonText } from "./send_reason.ts";

export interface ReasonSource {
  errorCode: string | null;
  /** The row's reason in English words, naming `{{variable}}` or `row N` where it has them. */
  error: string | null;
  messageError: string | null;
  /** The number as the list wrote it. */
  input: string;
}

export function reasonText(t: Translate, r: ReasonSource): string | null {
  const key = r.errorCode ? `broadcasts.reason.${r.errorCode}` : "";
  if (!key || !isMessageKey(key)) {
    return r.messageError !== null ? sendReasonText(t, r.messageError) : r.error;
  }
  return t(key as "broadcasts.reason.empty", {
    value: r.input,
    variable: /\{\{([^}]+)\}\}/.exec(r.error ?? "")?.[1] ?? "",
    row: /row (\d+)/.exec(r.error ?? "")?.[1] ?? "",
  });
}

/** A row's status in the reader's words: its message's step, or why it is left out. */
export function recipientStatusText(t: Translate, status: ShownRecipientStatus): string {
  return (PROGRESS_BUCKETS as readonly string[]).includes(status)
    ? t(`broadcasts.progress.${status as typeof PROGRESS_BUCKETS[number]}`)
    : t(
      `broadcasts.row.${status as Exclude<ShownRecipientStatus, typeof PROGRESS_BUCKETS[number]>}`,
    );
}
