/**
 * What a webhook delivery was about, read from the body Kabar sent (its own
 * format): the message and the status it reported, or the conversation or
 * channel. Another format, or a body that is not Kabar's JSON, says nothing.
 */
export interface DeliverySubject {
  messageId?: number;
  /** The status a `message.status` event reported (sent, delivered, read, failed). */
  status?: string;
  conversationId?: number;
  channelId?: number;
}

export function deliverySubject(payload: string): DeliverySubject {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return {};
  }
  const data = (body as { data?: Record<string, unknown> } | null)?.data;
  if (typeof data !== "object" || data === null) return {};
  const idOf = (v: unknown) => {
    const id = (v as { id?: unknown } | null)?.id;
    return typeof id === "number" ? id : undefined;
  };
  const subject: DeliverySubject = {};
  const messageId = idOf(data.message);
  if (messageId !== undefined) subject.messageId = messageId;
  if (typeof data.status === "string") subject.status = data.status.slice(0, 20);
  const conversationId = idOf(data.conversation);
  if (conversationId !== undefined) subject.conversationId = conversationId;
  const channelId = idOf(data.channel);
  if (channelId !== undefined) subject.channelId = channelId;
  return subject;
}
