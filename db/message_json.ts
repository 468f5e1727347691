import { failureCode } from "../core/message_failure.ts";
import type { MessageView } from "./messages.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A message as the API answers it (and as webhooks carry it). */
export function messageJson(
  view: MessageView,
  history?: { status: string; at: number; detail: string | null }[],
) {
  const { message: m, contact } = view;
  const address = contact.phone ?? contact.telegramChatId;
  return {
    id: m.id,
    channel: m.channelId,
    conversation: m.conversationId,
    contact: m.contactId,
    direction: m.direction,
    ...(m.direction === "out" ? { to: address } : { from: address }),
    type: m.type,
    text: m.body,
    caption: m.type === "text" ? null : m.body,
    media: m.mediaId && view.media
      ? {
        id: m.mediaId,
        mimetype: view.media.mimeType,
        filename: view.media.fileName,
        size: view.media.size,
      }
      : null,
    status: m.status,
    error: m.error,
    error_code: failureCode(m.error),
    external_id: m.externalId,
    source: m.source,
    // The variables filled in are not stored: the template is named, the text is what was sent.
    template: view.template && { id: view.template.id, name: view.template.name },
    metadata: m.metadata ? JSON.parse(m.metadata) : null,
    attempts: m.attempts,
    created_at: iso(m.createdAt),
    sent_at: iso(m.sentAt),
    delivered_at: iso(m.deliveredAt),
    read_at: iso(m.readAt),
    failed_at: iso(m.failedAt),
    ...(history
      ? { history: history.map((e) => ({ status: e.status, at: iso(e.at), detail: e.detail })) }
      : {}),
  };
}
