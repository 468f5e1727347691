/**
 * The OpenAPI 3.1 document of the JSON API, generated from the same zod
 * schemas that validate the requests, so the two cannot drift apart.
 */
import { z } from "zod";
import {
  broadcastPageResponse,
  broadcastResponse,
  createBroadcastSchema,
  listBroadcastsQuery,
  listRecipientsQuery,
  recipientPageResponse,
  recipientResponse,
  updateBroadcastSchema,
} from "./api_broadcasts.ts";
import type { ApiScope } from "./api_scopes.ts";
import {
  channelDeletedResponse,
  channelListResponse,
  channelResponse,
  createChannelSchema,
  deleteChannelQuery,
  numberCheckResponse,
  numbersCheckSchema,
  pairingCodeResponse,
  qrCodeResponse,
  qrQuerySchema,
  qrResponse,
  sandboxInboundSchema,
  updateChannelSchema,
} from "./api_channels.ts";
import {
  conversationLabelSchema,
  conversationMessageSchema,
  conversationPageResponse,
  conversationResponse,
  createLabelSchema,
  labelListResponse,
  labelResponse,
  labelWithCountResponse,
  listConversationsQuery,
  mediaFileResponse,
  messagePageResponse,
  messageResponse,
  messageWithHistoryResponse,
  noteResponse,
  noteSchema,
  threadEntryResponse,
  threadPageResponse,
  threadQuery,
  updateConversationSchema,
  updateLabelSchema,
} from "./api_conversations.ts";
import {
  contactBodySchema,
  contactPageResponse,
  contactResponse,
  exportContactsQuery,
  importContactsSchema,
  importReportResponse,
  listContactsQuery,
  mergeContactSchema,
} from "./api_contacts.ts";
import { listMessagesQuery, sendMessageSchema } from "./api_messages.ts";
import {
  addOptOutSchema,
  listOptOutsQuery,
  optOutPageResponse,
  optOutResponse,
} from "./api_opt_outs.ts";
import {
  createTemplateSchema,
  templateListResponse,
  templateResponse,
  updateTemplateSchema,
} from "./api_templates.ts";
import {
  createdWebhookResponse,
  createWebhookSchema,
  deliveriesQuery,
  deliveryPageResponse,
  deliveryResponse,
  rotatedSecretResponse,
  updateWebhookSchema,
  webhookListResponse,
  webhookResponse,
} from "./api_webhooks.ts";
import { MEDIA_MESSAGE_TYPES } from "./message_type.ts";
import {
  wappinIntegrationListResponse,
  wappinIntegrationResponse,
  wappinIntegrationSchema,
  wappinKeysResponse,
  wappinUpdateSchema,
} from "./wappin.ts";

/** One operation as the docs page lists it. */
export interface Operation {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status and what it carries. */
  success: [number, string];
  multipart?: boolean;
  /** Unique name of the operation: what a generated client calls it. */
  operationId: string;
  /** The schema the success answer is built to (the same one the route types it with). */
  response?: z.ZodType;
  /** The media type of a success answer that is a file rather than JSON. */
  file?: string;
  /** The error statuses it can answer beyond 401, 403 and 429. */
  errors: number[];
  /** Whether an idempotency key may answer an earlier request's message (200). */
  replay?: boolean;
  /** Another success status with the same answer, and what it means. */
  alsoSuccess?: [number, string];
}

/** What each error status of the API means, for operations that list theirs. */
const ERROR_TEXT: Record<number, string> = {
  400: "The body cannot be read: not valid JSON, or a broken multipart form",
  401: "The API key is missing, wrong or revoked (with WWW-Authenticate: Bearer)",
  403: "The key lacks the scope, may not be used from this address, or is limited to " +
    "another channel (channel_limited)",
  404: "Nothing with that id (or not on the key's channel)",
  409: "A conflict with what is stored: the message names it",
  413: "The body is too large",
  415: "The body is not JSON",
  422: "A value is wrong: details names each field and why",
  503: "The channel it needs is not connected, or Telegram cannot be reached: try again later",
  429: "Over the key's rate limit (without a valid key, the address's): Retry-After says when " +
    "to try again",
};

const CONVERSATION_ERRORS = [404, 422];
const WITH_BODY = [400, 413, 415, 422];

/** Every operation of `/api/v1`, in the order the docs show them. */
export const OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/v1/messages",
    operationId: "sendMessage",
    summary: "Send a message",
    description: "Queues a text, a template or a file; answers once the message is committed. " +
      "An idempotency_key (or an Idempotency-Key header) used before with the same body " +
      "answers the earlier message (200, with the header Idempotent-Replayed: true); with " +
      "another body, 409.",
    scope: "messages:send",
    errors: [...WITH_BODY, 404, 409],
    replay: true,
    body: sendMessageSchema,
    response: messageResponse,
    success: [202, "The message, status queued"],
  },
  {
    method: "get",
    path: "/api/v1/messages/{id}",
    operationId: "getMessage",
    summary: "A message with its status history",
    scope: "messages:read",
    errors: [404],
    response: messageWithHistoryResponse,
    success: [200, "The message with history[]"],
  },
  {
    method: "get",
    path: "/api/v1/messages",
    operationId: "listMessages",
    summary: "List messages, newest first",
    description: "Page with cursor=next_cursor of the previous answer.",
    scope: "messages:read",
    errors: [403, 422],
    query: listMessagesQuery,
    response: messagePageResponse,
    success: [200, "{ data: [message], next_cursor, has_more }"],
  },
  {
    method: "post",
    path: "/api/v1/media",
    operationId: "uploadMedia",
    summary: "Upload a file to send by id",
    description: "multipart/form-data with the file in 'file' and optionally type " +
      `(${MEDIA_MESSAGE_TYPES.join(", ")}; default document). The type is decided by the bytes, ` +
      "never by the label: an image must be JPEG or PNG, a video MP4 or 3GP, an audio MP3, " +
      "M4A, AAC, AMR or OGG Opus; anything else (but a program) goes as a document.",
    scope: "messages:send",
    response: mediaFileResponse,
    errors: [400, 413, 415, 422],
    multipart: true,
    success: [201, "{ id, mimetype, size, filename }"],
  },
  {
    method: "get",
    path: "/api/v1/messages/{id}/media",
    operationId: "getMessageMedia",
    summary: "The file of a message, sent or received",
    description: "The bytes, with the type they were found to be. Pictures, sounds and videos " +
      "come inline; every other type (SVG, HTML, XML, PDF, text...) as an attachment. " +
      "404 when the message has no file or it is no longer kept.",
    scope: "messages:read",
    errors: [404],
    file: "*/*",
    success: [200, "The file's bytes"],
  },
  {
    method: "post",
    path: "/api/v1/numbers/check",
    operationId: "checkNumbers",
    summary: "Which numbers are on WhatsApp",
    scope: "numbers:check",
    response: numberCheckResponse,
    errors: [...WITH_BODY, 503],
    body: numbersCheckSchema,
    success: [
      200,
      "{ channel, data: [{ input, valid: true, number, type, warning?, on_whatsapp, canonical } " +
      "or { input, valid: false, problem, error }] }",
    ],
  },
  {
    method: "get",
    path: "/api/v1/channels",
    operationId: "listChannels",
    summary: "List channels with their status",
    scope: "channels:read",
    response: channelListResponse,
    errors: [],
    success: [200, "{ data: [channel], next_cursor: null, has_more: false }"],
  },
  {
    method: "post",
    path: "/api/v1/channels",
    operationId: "createChannel",
    summary: "Add a channel",
    scope: "channels:write",
    response: channelResponse,
    errors: [...WITH_BODY, 409, 503],
    body: createChannelSchema,
    success: [201, "The channel"],
  },
  {
    method: "get",
    path: "/api/v1/channels/{id}",
    operationId: "getChannel",
    summary: "A channel and its status",
    scope: "channels:read",
    response: channelResponse,
    errors: [404],
    success: [200, "The channel"],
  },
  {
    method: "patch",
    path: "/api/v1/channels/{id}",
    operationId: "updateChannel",
    summary: "Change a channel: name, on or off, sending pace, a sandbox's delays",
    description: "What the channel page sets, for scripted installs; only the fields given " +
      "change (pace and sandbox field by field). A name another channel has is a 409.",
    scope: "channels:write",
    body: updateChannelSchema,
    response: channelResponse,
    errors: [404, ...WITH_BODY, 409],
    success: [200, "The channel"],
  },
  {
    method: "delete",
    path: "/api/v1/channels/{id}",
    operationId: "deleteChannel",
    summary: "Delete a channel (its messages stay)",
    description: "While messages wait to be sent, answers 409 unless ?force=true.",
    scope: "channels:write",
    query: deleteChannelQuery,
    response: channelDeletedResponse,
    errors: [404, 409, 422],
    success: [200, "{ deleted, failed_messages, logged_out_on_phone }"],
  },
  {
    method: "get",
    path: "/api/v1/channels/{id}/qr",
    operationId: "getChannelQr",
    summary: "The current pairing QR code, or a pairing code",
    description: "format=json (default), svg, png or raw; pairing_code=true asks WhatsApp for " +
      "an 8-character code instead. 409 when already connected or not ready yet.",
    scope: "channels:write",
    response: qrResponse,
    errors: [404, 409, 422],
    query: qrQuerySchema,
    success: [200, "The QR code (as JSON, SVG, PNG or its raw text, by format) or a pairing code"],
  },
  {
    method: "post",
    path: "/api/v1/sandbox/{channelId}/inbound",
    operationId: "simulateInbound",
    summary: "A simulated person writes to a sandbox channel",
    scope: "messages:send",
    response: messageResponse,
    errors: [404, ...WITH_BODY, 503],
    body: sandboxInboundSchema,
    success: [201, "The received message"],
  },
  {
    method: "get",
    path: "/api/v1/templates",
    operationId: "listTemplates",
    summary: "List templates",
    scope: "templates:*",
    response: templateListResponse,
    errors: [],
    success: [200, "{ data: [template], next_cursor: null, has_more: false }"],
  },
  {
    method: "post",
    path: "/api/v1/templates",
    operationId: "createTemplate",
    summary: "Add a template",
    description:
      "Not with a key limited to one channel (403 channel_limited): templates serve every channel.",
    scope: "templates:*",
    response: templateResponse,
    errors: [...WITH_BODY, 409],
    body: createTemplateSchema,
    success: [201, "The template with its variables[]"],
  },
  {
    method: "get",
    path: "/api/v1/templates/{id}",
    operationId: "getTemplate",
    summary: "A template",
    scope: "templates:*",
    response: templateResponse,
    errors: [404],
    success: [200, "The template"],
  },
  {
    method: "patch",
    path: "/api/v1/templates/{id}",
    operationId: "updateTemplate",
    summary: "Change a template",
    description:
      "Not with a key limited to one channel (403 channel_limited): templates serve every channel.",
    scope: "templates:*",
    response: templateResponse,
    errors: [404, ...WITH_BODY, 409],
    body: updateTemplateSchema,
    success: [200, "The template"],
  },
  {
    method: "delete",
    path: "/api/v1/templates/{id}",
    operationId: "deleteTemplate",
    summary: "Delete a template",
    description:
      "Not with a key limited to one channel (403 channel_limited): templates serve every channel.",
    scope: "templates:*",
    errors: [404],
    success: [204, "Nothing"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks",
    operationId: "listWebhooks",
    summary: "List webhooks",
    scope: "webhooks:*",
    response: webhookListResponse,
    errors: [],
    success: [200, "{ data: [webhook], next_cursor: null, has_more: false }"],
  },
  {
    method: "post",
    path: "/api/v1/webhooks",
    operationId: "createWebhook",
    summary: "Add a webhook",
    description: "The answer carries the signing secret, once. Loopback and private addresses " +
      "need a key with the scope *.",
    scope: "webhooks:*",
    response: createdWebhookResponse,
    errors: [...WITH_BODY],
    body: createWebhookSchema,
    success: [201, "The webhook with its secret"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}",
    operationId: "getWebhook",
    summary: "A webhook",
    scope: "webhooks:*",
    response: webhookResponse,
    errors: [404],
    success: [200, "The webhook"],
  },
  {
    method: "patch",
    path: "/api/v1/webhooks/{id}",
    operationId: "updateWebhook",
    summary: "Change a webhook",
    scope: "webhooks:*",
    response: webhookResponse,
    errors: [404, ...WITH_BODY, 409],
    body: updateWebhookSchema,
    success: [200, "The webhook"],
  },
  {
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    operationId: "deleteWebhook",
    summary: "Delete a webhook and its delivery log",
    scope: "webhooks:*",
    errors: [404],
    success: [204, "Nothing"],
  },
  {
    method: "post",
    path: "/api/v1/webhooks/{id}/secret",
    operationId: "rotateWebhookSecret",
    summary: "Rotate a webhook's signing secret",
    description: "Answers the new secret, once. For 24 hours deliveries are signed with both: " +
      "webhook-signature carries 'v1,<new> v1,<old>', X-Kabar-Signature uses the new one. " +
      "A Wappin callback has no secret to rotate (409).",
    scope: "webhooks:*",
    response: rotatedSecretResponse,
    errors: [404, 409],
    success: [201, "{ secret, previous_expires_at }"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "A webhook's deliveries, newest first",
    scope: "webhooks:*",
    query: deliveriesQuery,
    response: deliveryPageResponse,
    errors: [404, 422],
    success: [200, "{ data: [delivery], next_cursor, has_more }"],
  },
  {
    method: "get",
    path: "/api/v1/conversations",
    operationId: "listConversations",
    summary: "List or search conversations",
    description: "Newest activity first (sort=waiting: the longest waiting first); with q, the " +
      "conversation with the newest matching message first. Filters combine (AND). Page with " +
      "cursor=next_cursor: a page never repeats a conversation, and one whose activity did not " +
      "change is never skipped. A key limited to one channel sees only that channel's.",
    scope: "conversations:read",
    query: listConversationsQuery,
    response: conversationPageResponse,
    errors: [422],
    success: [200, "{ data: [conversation], next_cursor, has_more }"],
  },
  {
    method: "get",
    path: "/api/v1/conversations/{id}",
    operationId: "getConversation",
    summary: "A conversation",
    scope: "conversations:read",
    response: conversationResponse,
    errors: [404],
    success: [200, "The conversation"],
  },
  {
    method: "patch",
    path: "/api/v1/conversations/{id}",
    operationId: "updateConversation",
    summary: "Change a conversation's status, assignee or department",
    description: "null clears the assignee or the department. Each change leaves a system line " +
      "in the thread naming the key.",
    scope: "conversations:write",
    body: updateConversationSchema,
    response: conversationResponse,
    errors: [...CONVERSATION_ERRORS, ...WITH_BODY],
    success: [200, "The conversation"],
  },
  {
    method: "get",
    path: "/api/v1/conversations/{id}/messages",
    operationId: "listConversationThread",
    summary: "A conversation's thread, newest first",
    description: "Messages, staff notes and system lines, each with its kind; limit counts " +
      "messages, and the notes and lines between them come along. next_cursor goes older.",
    scope: "conversations:read",
    query: threadQuery,
    response: threadPageResponse,
    errors: CONVERSATION_ERRORS,
    success: [200, "{ data: [message | note | activity], next_cursor, has_more }"],
  },
  {
    method: "post",
    path: "/api/v1/conversations/{id}/messages",
    operationId: "sendToConversation",
    summary: "Send a message in a conversation",
    description: "The body of POST /api/v1/messages without to and channel: it goes to the " +
      "conversation's contact on its channel. An idempotency_key (or an Idempotency-Key " +
      "header) used before with the same body answers the earlier message (200, with the " +
      "header Idempotent-Replayed: true).",
    scope: "conversations:write",
    replay: true,
    body: conversationMessageSchema,
    response: messageResponse,
    errors: [...CONVERSATION_ERRORS, ...WITH_BODY, 409],
    success: [202, "The message, status queued"],
  },
  {
    method: "post",
    path: "/api/v1/conversations/{id}/notes",
    operationId: "addConversationNote",
    summary: "Leave a note for staff in a conversation",
    description: "Never sent to the contact. Staff named as @username are told.",
    scope: "conversations:write",
    body: noteSchema,
    response: noteResponse,
    errors: [...CONVERSATION_ERRORS, ...WITH_BODY],
    success: [201, "The note"],
  },
  {
    method: "post",
    path: "/api/v1/conversations/{id}/labels",
    operationId: "labelConversation",
    summary: "Put a label on a conversation",
    description: "{id} of a label, or {name}: the label of that name in any case, made (grey) " +
      "when there is none — not by a key limited to one channel (403 channel_limited).",
    scope: "conversations:write",
    body: conversationLabelSchema,
    response: conversationResponse,
    errors: [...CONVERSATION_ERRORS, ...WITH_BODY],
    success: [200, "The conversation"],
  },
  {
    method: "delete",
    path: "/api/v1/conversations/{id}/labels/{labelId}",
    operationId: "unlabelConversation",
    summary: "Take a label off a conversation",
    scope: "conversations:write",
    response: conversationResponse,
    errors: [404],
    success: [200, "The conversation"],
  },
  {
    method: "get",
    path: "/api/v1/labels",
    operationId: "listLabels",
    summary: "List labels, by name",
    scope: "conversations:read",
    errors: [],
    response: labelListResponse,
    success: [200, "{ data: [label], next_cursor: null, has_more: false }"],
  },
  {
    method: "post",
    path: "/api/v1/labels",
    operationId: "createLabel",
    summary: "Add a label",
    description: "Names are unique in any case (409). Not with a key limited to one channel " +
      "(403 channel_limited): labels serve every channel.",
    scope: "conversations:*",
    body: createLabelSchema,
    response: labelResponse,
    errors: [...WITH_BODY, 409],
    success: [201, "The label"],
  },
  {
    method: "patch",
    path: "/api/v1/labels/{id}",
    operationId: "updateLabel",
    summary: "Rename or recolour a label",
    description: "Not with a key limited to one channel (403 channel_limited).",
    scope: "conversations:*",
    body: updateLabelSchema,
    response: labelResponse,
    errors: [404, ...WITH_BODY, 409],
    success: [200, "The label"],
  },
  {
    method: "delete",
    path: "/api/v1/labels/{id}",
    operationId: "deleteLabel",
    summary: "Delete a label and take it off every conversation",
    description: "Not with a key limited to one channel (403 channel_limited).",
    scope: "conversations:*",
    errors: [404],
    success: [204, "Nothing"],
  },
  {
    method: "get",
    path: "/api/v1/contacts",
    operationId: "listContacts",
    summary: "List or find contacts",
    description: "Latest activity first. A key limited to one channel sees the contacts with a " +
      "conversation there.",
    scope: "contacts:read",
    query: listContactsQuery,
    response: contactPageResponse,
    errors: [422],
    success: [200, "{ data: [contact], next_cursor, has_more }"],
  },
  {
    method: "post",
    path: "/api/v1/contacts",
    operationId: "createContact",
    summary: "Add a contact",
    description: "phone is needed; a number another contact has is a 409 naming it.",
    scope: "contacts:write",
    body: contactBodySchema,
    response: contactResponse,
    errors: [...WITH_BODY, 409],
    success: [201, "The contact"],
  },
  {
    method: "get",
    path: "/api/v1/contacts/export.csv",
    operationId: "exportContacts",
    summary: "The contacts as CSV",
    description: "UTF-8 with a BOM, comma-separated; cells are never formulas. The export is " +
      "written to the audit log.",
    scope: "contacts:read",
    file: "text/csv",
    query: exportContactsQuery,
    errors: [422],
    success: [200, "text/csv"],
  },
  {
    method: "post",
    path: "/api/v1/contacts/import",
    operationId: "importContacts",
    summary: "Import contacts from an uploaded .csv or .xlsx file",
    description: "Upload the file with POST /api/v1/media first. Contacts with a number Kabar " +
      "has are updated, the others created, in one transaction; each row left out is named " +
      "with why. Not with a key limited to one channel (403 channel_limited).",
    scope: "contacts:write",
    body: importContactsSchema,
    response: importReportResponse,
    errors: [...WITH_BODY],
    success: [200, "{ created, updated, skipped: [{ row, reason, message }] }"],
  },
  {
    method: "get",
    path: "/api/v1/contacts/{id}",
    operationId: "getContact",
    summary: "A contact",
    scope: "contacts:read",
    response: contactResponse,
    errors: [404],
    success: [200, "The contact"],
  },
  {
    method: "patch",
    path: "/api/v1/contacts/{id}",
    operationId: "updateContact",
    summary: "Change a contact",
    description: "Only the fields given change; null clears one.",
    scope: "contacts:write",
    body: contactBodySchema,
    response: contactResponse,
    errors: [404, ...WITH_BODY, 409],
    success: [200, "The contact"],
  },
  {
    method: "delete",
    path: "/api/v1/contacts/{id}",
    operationId: "deleteContact",
    summary: "Delete a contact nobody wrote with",
    description: "A contact with conversations is a 409: merge it instead. Not with a key " +
      "limited to one channel (403 channel_limited).",
    scope: "contacts:write",
    errors: [404, 409],
    success: [204, "Nothing"],
  },
  {
    method: "post",
    path: "/api/v1/contacts/{id}/merge",
    operationId: "mergeContact",
    summary: "Merge a contact into another (one person, two rows)",
    description: "Its conversations and messages move to into, which is kept. Two contacts " +
      "with different numbers, LIDs or Telegram chats are two people: 409. Not with a key " +
      "limited to one channel (403 channel_limited).",
    scope: "contacts:write",
    body: mergeContactSchema,
    response: contactResponse,
    errors: [404, ...WITH_BODY, 409],
    success: [200, "The kept contact"],
  },
  {
    method: "get",
    path: "/api/v1/opt-outs",
    operationId: "listOptOuts",
    summary: "List the numbers that opted out of broadcasts",
    description: "Newest first; q finds part of a number in any form. Broadcasts never send to " +
      "these numbers; messages through the API still go unless they say respect_opt_out.",
    scope: "contacts:read",
    query: listOptOutsQuery,
    response: optOutPageResponse,
    errors: [422],
    success: [200, "{ data: [opt-out], next_cursor, has_more }"],
  },
  {
    method: "post",
    path: "/api/v1/opt-outs",
    operationId: "addOptOut",
    summary: "Put a number on the opt-out list",
    description: "A number already on the list stays as it was (200, its entry). Not with a " +
      "key limited to one channel (403 channel_limited): the list serves every channel.",
    scope: "contacts:write",
    body: addOptOutSchema,
    response: optOutResponse,
    errors: [...WITH_BODY],
    success: [201, "The new entry"],
    alsoSuccess: [200, "The number was already on the list: its entry, as it was"],
  },
  {
    method: "delete",
    path: "/api/v1/opt-outs/{phone}",
    operationId: "removeOptOut",
    summary: "Take a number off the opt-out list",
    description: "The number in any form, URL-encoded (%2B62…). 404 when it is not on the " +
      "list. Not with a key limited to one channel (403 channel_limited).",
    scope: "contacts:write",
    errors: [404, 422],
    success: [204, "Nothing"],
  },
  {
    method: "get",
    path: "/api/v1/broadcasts",
    operationId: "listBroadcasts",
    summary: "List broadcasts, newest first",
    description: "A key limited to one channel sees only that channel's.",
    scope: "broadcasts:read",
    query: listBroadcastsQuery,
    response: broadcastPageResponse,
    errors: [422],
    success: [200, "{ data: [broadcast], next_cursor, has_more }"],
  },
  {
    method: "post",
    path: "/api/v1/broadcasts",
    operationId: "createBroadcast",
    summary: "Make a broadcast (a draft)",
    description: "text or template; recipients (at most 10,000), recipients_file (an .xlsx or " +
      ".csv uploaded with POST /api/v1/media, columns by header text or letter) or label. Each " +
      "row is judged: invalid ones with their reason, the same number twice merged (duplicate), " +
      "opted-out numbers left out; see them with /recipients. Confirm, then start it.",
    scope: "broadcasts:write",
    body: createBroadcastSchema,
    response: broadcastResponse,
    errors: [...WITH_BODY],
    success: [201, "The draft"],
  },
  {
    method: "get",
    path: "/api/v1/broadcasts/{id}",
    operationId: "getBroadcast",
    summary: "A broadcast with its counts and progress",
    scope: "broadcasts:read",
    response: broadcastResponse,
    errors: [404],
    success: [200, "The broadcast"],
  },
  {
    method: "patch",
    path: "/api/v1/broadcasts/{id}",
    operationId: "updateBroadcast",
    summary: "Change a draft",
    description: "Only the fields given change; recipients, recipients_file or label replace " +
      "the list. A confirmed or scheduled broadcast goes back to draft; any other is a 409.",
    scope: "broadcasts:write",
    body: updateBroadcastSchema,
    response: broadcastResponse,
    errors: [404, ...WITH_BODY, 409],
    success: [200, "The draft"],
  },
  {
    method: "delete",
    path: "/api/v1/broadcasts/{id}",
    operationId: "deleteBroadcast",
    summary: "Delete a broadcast (its messages stay)",
    description: "Not while it is running or paused (409): cancel it first.",
    scope: "broadcasts:write",
    errors: [404, 409],
    success: [204, "Nothing"],
  },
  ...([
    [
      "confirm",
      "confirmBroadcast",
      "Confirm a draft",
      "A draft becomes confirmed, or " +
      "scheduled when it has scheduled_at (it then starts by itself, also after a restart).",
    ],
    [
      "start",
      "startBroadcast",
      "Start a confirmed or scheduled broadcast",
      "Its messages " +
      "are queued as broadcast traffic: replies and API messages still go first, and the " +
      "channel's broadcast pace, warm-up and daily cap apply. Outside its sending window it " +
      "waits.",
    ],
    ["pause", "pauseBroadcast", "Pause a running broadcast", "What waits in the outbox is held."],
    ["resume", "resumeBroadcast", "Resume a paused broadcast", "What waits goes on."],
    [
      "cancel",
      "cancelBroadcast",
      "Cancel a broadcast",
      "Messages not yet sent are withdrawn: " +
      "failed with error_code cancelled, counted in progress.cancelled.",
    ],
  ] as const).map(([action, operationId, summary, description]): Operation => ({
    method: "post",
    path: `/api/v1/broadcasts/{id}/${action}`,
    operationId,
    summary,
    description: `${description} A status that does not allow it is a 409 saying why.`,
    scope: "broadcasts:write",
    response: broadcastResponse,
    errors: [404, 409],
    success: [200, "The broadcast"],
  })),
  {
    method: "post",
    path: "/api/v1/broadcasts/{id}/check-numbers",
    operationId: "checkBroadcastNumbers",
    summary: "Ask WhatsApp which of a draft's numbers it knows",
    description: "In batches of 100; the numbers it does not know are left out " +
      "(status not_on_whatsapp, counted in counts.not_on_whatsapp). Only on a draft (409); " +
      "503 while the channel is not connected.",
    scope: "broadcasts:write",
    response: broadcastResponse,
    errors: [404, 409, 503],
    success: [200, "The draft, counted again"],
  },
  {
    method: "post",
    path: "/api/v1/broadcasts/{id}/retry-failed",
    operationId: "retryFailedBroadcast",
    summary: "A new draft of the recipients whose message failed",
    description: "409 when no message of the broadcast failed.",
    scope: "broadcasts:write",
    response: broadcastResponse,
    errors: [404, 409],
    success: [201, "The new draft"],
  },
  {
    method: "get",
    path: "/api/v1/broadcasts/{id}/recipients",
    operationId: "listBroadcastRecipients",
    summary: "A broadcast's rows, in list order",
    description: "Each row's number, name, variables, status (invalid, duplicate, opted_out, " +
      "not_on_whatsapp, pending, or its message's progress bucket), time, error and " +
      "error_code; status= narrows to one.",
    scope: "broadcasts:read",
    query: listRecipientsQuery,
    response: recipientPageResponse,
    errors: [404, 422],
    success: [200, "{ data: [recipient], next_cursor, has_more }"],
  },
  {
    method: "get",
    path: "/api/v1/broadcasts/{id}/report.csv",
    operationId: "broadcastReportCsv",
    summary: "A broadcast's report as CSV",
    description: "Every row with its status, time and reason; UTF-8 with a BOM, cells never " +
      "formulas. Each download is written to the audit log.",
    scope: "broadcasts:read",
    file: "text/csv",
    errors: [404],
    success: [200, "text/csv"],
  },
  {
    method: "get",
    path: "/api/v1/broadcasts/{id}/report.xlsx",
    operationId: "broadcastReportXlsx",
    summary: "A broadcast's report as an Excel workbook",
    description: "The rows and columns of the CSV report in one sheet: numbers as numbers, " +
      "text as text, cells never formulas. Each download is written to the audit log.",
    scope: "broadcasts:read",
    file: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    errors: [404],
    success: [200, "an .xlsx workbook"],
  },
  {
    method: "get",
    path: "/api/v1/integrations/wappin",
    operationId: "listWappinIntegrations",
    summary: "List Wappin-compatible integrations",
    scope: "*",
    response: wappinIntegrationListResponse,
    errors: [],
    success: [200, "{ data: [integration], next_cursor: null, has_more: false }"],
  },
  {
    method: "post",
    path: "/api/v1/integrations/wappin",
    operationId: "createWappinIntegration",
    summary: "Add a Wappin-compatible integration",
    description: "For systems written for Wappin's API. The answer carries client_id, project_id " +
      "and, once, secret_key and client_key. UAT needs a sandbox channel and adds the test " +
      "templates templ_uat_2 and templ_uat_3.",
    scope: "*",
    response: wappinKeysResponse,
    errors: [...WITH_BODY, 409],
    body: wappinIntegrationSchema,
    success: [201, "The integration with its secret_key and client_key"],
  },
  {
    method: "get",
    path: "/api/v1/integrations/wappin/{id}",
    operationId: "getWappinIntegration",
    summary: "A Wappin-compatible integration",
    scope: "*",
    response: wappinIntegrationResponse,
    errors: [404],
    success: [200, "The integration"],
  },
  {
    method: "patch",
    path: "/api/v1/integrations/wappin/{id}",
    operationId: "updateWappinIntegration",
    summary: "Change an integration's callback URL or IP whitelist",
    description: "callback_url null or empty stops the callbacks.",
    scope: "*",
    response: wappinIntegrationResponse,
    errors: [404, ...WITH_BODY],
    body: wappinUpdateSchema,
    success: [200, "The integration"],
  },
  {
    method: "post",
    path: "/api/v1/integrations/wappin/{id}/keys",
    operationId: "renewWappinKeys",
    summary: "New secret key and client key for an integration",
    description: "The old keys and the current access token stop working at once. The answer " +
      "carries the new secret_key and client_key, once.",
    scope: "*",
    response: wappinKeysResponse,
    errors: [404],
    success: [200, "The integration with its new secret_key and client_key"],
  },
  {
    method: "delete",
    path: "/api/v1/integrations/wappin/{id}",
    operationId: "deleteWappinIntegration",
    summary: "Remove an integration, its credentials and its callback log",
    scope: "*",
    errors: [404],
    success: [204, "Nothing"],
  },
];

/** A zod schema as JSON Schema: as a request would be written, or (`output`) as answered. */
export function jsonSchemaOf(
  schema: z.ZodType,
  io: "input" | "output" = "input",
): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

/** The answers by the name they have in `components.schemas`. */
const NAMED_ANSWERS: Record<string, z.ZodType> = {
  Broadcast: broadcastResponse,
  BroadcastPage: broadcastPageResponse,
  BroadcastRecipient: recipientResponse,
  BroadcastRecipientPage: recipientPageResponse,
  Message: messageResponse,
  MessageWithHistory: messageWithHistoryResponse,
  MessagePage: messagePageResponse,
  MediaFile: mediaFileResponse,
  NumberCheck: numberCheckResponse,
  Channel: channelResponse,
  ChannelList: channelListResponse,
  ChannelDeleted: channelDeletedResponse,
  QrCode: qrCodeResponse,
  PairingCode: pairingCodeResponse,
  QrAnswer: qrResponse,
  Template: templateResponse,
  TemplateList: templateListResponse,
  Webhook: webhookResponse,
  WebhookList: webhookListResponse,
  WebhookWithSecret: createdWebhookResponse,
  RotatedSecret: rotatedSecretResponse,
  Delivery: deliveryResponse,
  DeliveryPage: deliveryPageResponse,
  Conversation: conversationResponse,
  ConversationPage: conversationPageResponse,
  Label: labelResponse,
  LabelWithCount: labelWithCountResponse,
  LabelList: labelListResponse,
  Note: noteResponse,
  ThreadEntry: threadEntryResponse,
  ThreadPage: threadPageResponse,
  Contact: contactResponse,
  ContactPage: contactPageResponse,
  ImportReport: importReportResponse,
  OptOut: optOutResponse,
  OptOutPage: optOutPageResponse,
  WappinIntegration: wappinIntegrationResponse,
  WappinIntegrationList: wappinIntegrationListResponse,
  WappinIntegrationWithKeys: wappinKeysResponse,
};

const errorAnswer = z.object({
  error: z.object({
    code: z.string().meta({ examples: ["invalid_input"] }),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).meta({
      description: "For wrong input: the path of each wrong field and why.",
    }),
  }),
});

/**
 * The answers as JSON Schemas that refer to each other by `$ref`. Answers may
 * gain fields, so they do not forbid other properties.
 */
function answerComponents(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...NAMED_ANSWERS, Error: errorAnswer })) {
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, {
    io: "output",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const open = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(open);
    if (typeof node !== "object" || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) =>
          !(key === "additionalProperties" && value === false) && key !== "$schema" && key !== "$id"
        )
        .map(([key, value]) => [key, open(value)]),
    );
  };
  return open(schemas) as Record<string, unknown>;
}

const refTo = (schema: z.ZodType) => {
  const name = Object.keys(NAMED_ANSWERS).find((n) => NAMED_ANSWERS[n] === schema);
  if (!name) throw new Error("An answer schema has no name in NAMED_ANSWERS");
  return { $ref: `#/components/schemas/${name}` };
};

const HEADERS: Record<number, Record<string, unknown>> = {
  401: {
    "WWW-Authenticate": { description: "Bearer", schema: { type: "string" } },
  },
  429: {
    "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } },
  },
};

/** The other forms the QR code comes in, by `format`. */
const QR_FORMATS = {
  "image/svg+xml": { schema: { type: "string" } },
  "image/png": { schema: { type: "string", format: "binary" } },
  "text/plain": { schema: { type: "string", description: "The QR code's content" } },
};

function successAnswers(op: Operation): Record<string, unknown> {
  const [status, description] = op.success;
  const content = op.file
    ? { [op.file]: { schema: { type: "string", format: "binary" } } }
    : op.response
    ? {
      "application/json": { schema: refTo(op.response) },
      ...(op.path.endsWith("/qr") ? QR_FORMATS : {}),
    }
    : undefined;
  return {
    ...(op.replay
      ? {
        "200": {
          description: "A request with this idempotency key and body was answered before: " +
            "its message, as it is now",
          headers: {
            "Idempotent-Replayed": { schema: { type: "string", enum: ["true"] } },
          },
          content,
        },
      }
      : {}),
    ...(op.alsoSuccess
      ? { [String(op.alsoSuccess[0])]: { description: op.alsoSuccess[1], content } }
      : {}),
    [String(status)]: { description, ...(content ? { content } : {}) },
  };
}

/** Every error status an operation can answer: its own, and those of every operation. */
export function errorStatuses(op: Operation): number[] {
  return [...new Set([401, 403, ...op.errors, 429])].sort((a, b) => a - b);
}

function errorAnswers(op: Operation): Record<string, unknown> {
  return Object.fromEntries(
    errorStatuses(op).map((status) => [String(status), {
      description: ERROR_TEXT[status],
      ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    }]),
  );
}

function requestBody(op: Operation): Record<string, unknown> | undefined {
  if (op.body) {
    return {
      required: true,
      content: { "application/json": { schema: jsonSchemaOf(op.body) } },
    };
  }
  if (!op.multipart) return undefined;
  return {
    required: true,
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          properties: {
            file: { type: "string", format: "binary" },
            type: jsonSchemaOf(z.enum(MEDIA_MESSAGE_TYPES)),
          },
          required: ["file"],
        },
      },
    },
  };
}

/** The path parameters that are text rather than an id. */
const PATH_TEXT: Record<string, Record<string, unknown>> = {
  phone: { type: "string", description: "A phone number in any form, URL-encoded." },
};

function parameters(op: Operation): Record<string, unknown>[] {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: PATH_TEXT[m[1]] ?? { type: "integer" },
  }));
  const query = op.query ? jsonSchemaOf(op.query) : undefined;
  const inQuery = Object.entries((query?.properties ?? {}) as Record<string, unknown>).map((
    [name, schema],
  ) => ({ name, in: "query", required: false, schema }));
  return [...inPath, ...inQuery];
}

/** The whole OpenAPI document. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = parameters(op);
    const body = requestBody(op);
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      "x-scope": op.scope,
      ...(params.length ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: { ...successAnswers(op), ...errorAnswers(op) },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Kabar API",
      version,
      description: "Send WhatsApp and Telegram messages, follow their status, and receive " +
        "events by webhook. Authenticate with 'Authorization: Bearer <API key>' or " +
        "'X-Api-Key: <API key>'. Any path answers 405, with Allow listing its methods, to a " +
        "method it does not take.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/" }],
    components: {
      schemas: answerComponents(),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}
