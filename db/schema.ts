/**
 * The whole data model. Times are integer milliseconds since the Unix epoch;
 * phone numbers are E.164 digits without `+`; JSON columns hold text.
 * Change a table here, then run `deno task db:generate` to add a migration.
 */
import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { ACTIVITY_KINDS } from "../core/activity_kind.ts";
import { AUTO_REPLY_MATCHES } from "../core/auto_reply_match.ts";
import {
  BROADCAST_SOURCES,
  BROADCAST_STATUSES,
  RECIPIENT_STATUSES,
} from "../core/broadcast_status.ts";
import { OPT_OUT_SOURCES } from "../core/opt_out.ts";
import { CHANNEL_KINDS, CHANNEL_STATUSES, STATUS_REASONS } from "../core/channel_types.ts";
import { CONVERSATION_STATUSES } from "../core/conversation_status.ts";
import { DELIVERY_STATUSES } from "../core/delivery_status.ts";
import { LANGUAGES } from "../core/i18n/message.ts";
import { LOGIN_STAGES } from "../core/login_stage.ts";
import { MESSAGE_DIRECTIONS } from "../core/message_direction.ts";
import { MESSAGE_SOURCES } from "../core/message_source.ts";
import { MESSAGE_STATUSES } from "../core/message_status.ts";
import { MESSAGE_TYPES } from "../core/message_type.ts";
import { ROLES } from "../core/permissions.ts";
import { TEMPLATE_KINDS } from "../core/template_kind.ts";
import { WAPPIN_ENVIRONMENTS } from "../core/wappin_environment.ts";
import { WEBHOOK_EVENT_TYPES } from "../core/webhook_events.ts";
import { WEBHOOK_FORMATS } from "../core/webhook_format.ts";

const createdAt = () => integer("created_at").notNull();
const updatedAt = () => integer("updated_at").notNull();

// --- staff -----------------------------------------------------------------

export const users = sqliteTable("users", {
  id: integer().primaryKey({ autoIncrement: true }),
  /** Lowercase sign-in name. */
  username: text().notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text({ enum: ROLES }).notNull(),
  language: text({ enum: LANGUAGES }).notNull().default("id"),
  disabledAt: integer("disabled_at"),
  /** Sealed with the secret box; set once the user confirmed a first code. */
  totpSecret: text("totp_secret"),
  /** Sealed secret shown during enrolment, not yet confirmed. */
  totpPendingSecret: text("totp_pending_secret"),
  totpLastStep: integer("totp_last_step"),
  passwordChangedAt: integer("password_changed_at").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const recoveryCodes = sqliteTable("recovery_codes", {
  id: integer().primaryKey({ autoIncrement: true }),
  userId: integer("user_id").notNull().references(() => users.id, {
    onDelete: "cascade",
  }),
  codeHash: text("code_hash").notNull(),
  usedAt: integer("used_at"),
}, (t) => [index("recovery_codes_user_idx").on(t.userId)]);

export const loginSessions = sqliteTable("login_sessions", {
  /** SHA-256 hex of the cookie token; the token itself is never stored. */
  id: text().primaryKey(),
  userId: integer("user_id").notNull().references(() => users.id, {
    onDelete: "cascade",
  }),
  /** `mfa` while the second factor is still owed, then `full`. */
  stage: text({ enum: LOGIN_STAGES }).notNull(),
  csrfToken: text("csrf_token").notNull(),
  ip: text(),
  userAgent: text("user_agent"),
  createdAt: createdAt(),
  lastSeenAt: integer("last_seen_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
}, (t) => [
  index("login_sessions_user_idx").on(t.userId),
  index("login_sessions_expires_idx").on(t.expiresAt),
]);

/** Failed sign-ins per account (`user:NAME`) and per address (`ip:ADDR`). */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text().primaryKey(),
  failures: integer().notNull(),
  windowStartedAt: integer("window_started_at").notNull(),
  lockedUntil: integer("locked_until"),
});

export const departments = sqliteTable("departments", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  createdAt: createdAt(),
});

export const userDepartments = sqliteTable("user_departments", {
  userId: integer("user_id").notNull().references(() => users.id, {
    onDelete: "cascade",
  }),
  departmentId: integer("department_id").notNull().references(
    () => departments.id,
    {
      onDelete: "cascade",
    },
  ),
}, (t) => [
  primaryKey({ columns: [t.userId, t.departmentId] }),
  index("user_departments_department_idx").on(t.departmentId),
]);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    at: integer().notNull(),
    /** Null for actions from the command line or Kabar itself. */
    actorUserId: integer("actor_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    /** Username at the time, or `cli` / `system`. */
    actor: text().notNull(),
    action: text().notNull(),
    target: text(),
    /** JSON object with what changed. */
    details: text(),
    ip: text(),
  },
  (
    t,
  ) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorUserId),
  ],
);

export const settings = sqliteTable("settings", {
  key: text().primaryKey(),
  /** JSON value. */
  value: text().notNull(),
  updatedAt: updatedAt(),
});

// --- channels and people -----------------------------------------------------

export const channels = sqliteTable("channels", {
  id: integer().primaryKey({ autoIncrement: true }),
  kind: text({ enum: CHANNEL_KINDS }).notNull(),
  name: text().notNull(),
  /** WhatsApp: the paired number. */
  phone: text().unique(),
  /** Telegram: the bot's @username. */
  botUsername: text("bot_username"),
  status: text({ enum: CHANNEL_STATUSES }).notNull().default("disconnected"),
  statusReason: text("status_reason", { enum: STATUS_REASONS }),
  enabled: integer({ mode: "boolean" }).notNull().default(true),
  isDefault: integer("is_default", { mode: "boolean" }).notNull().default(
    false,
  ),
  /** JSON: pacing and adapter options. */
  options: text().notNull().default("{}"),
  /** Sealed secret (bot token). */
  secret: text(),
  pairedAt: integer("paired_at"),
  lastActivityAt: integer("last_activity_at"),
  /** Which process runs this channel, until when (for several processes on one database). */
  leaseOwner: text("lease_owner"),
  leaseExpiresAt: integer("lease_expires_at"),
  /** Set when an admin deletes the channel; its conversations and messages stay. */
  deletedAt: integer("deleted_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Baileys auth state: creds and signal keys, sealed. `creds` is type `creds`, id ``. */
export const channelAuthKeys = sqliteTable("channel_auth_keys", {
  channelId: integer("channel_id").notNull().references(() => channels.id, {
    onDelete: "cascade",
  }),
  type: text().notNull(),
  keyId: text("key_id").notNull(),
  value: text().notNull(),
}, (t) => [primaryKey({ columns: [t.channelId, t.type, t.keyId] })]);

/**
 * What a sandbox channel's simulated phones have been shown, by message id:
 * like a phone, the sandbox shows a message once however often it is sent.
 */
export const sandboxInbox = sqliteTable("sandbox_inbox", {
  channelId: integer("channel_id").notNull(),
  externalId: text("external_id").notNull(),
  /** How many times the message was handed over (more than 1 after a resend). */
  deliveries: integer().notNull().default(1),
  firstAt: integer("first_at").notNull(),
}, (t) => [primaryKey({ columns: [t.channelId, t.externalId] })]);

export const contacts = sqliteTable("contacts", {
  id: integer().primaryKey({ autoIncrement: true }),
  phone: text().unique(),
  /** WhatsApp LID user part, mapped to the same person as `phone`. */
  waLid: text("wa_lid").unique(),
  telegramChatId: text("telegram_chat_id").unique(),
  name: text(),
  pushName: text("push_name"),
  email: text(),
  /** Staff's notes about the person, shown on the contact page. */
  notes: text(),
  /** JSON object of free attributes. */
  attributes: text().notNull().default("{}"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index("contacts_name_idx").on(t.name)]);

export const labels = sqliteTable("labels", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  color: text().notNull().default("#64748b"),
  createdAt: createdAt(),
});

export const conversations = sqliteTable("conversations", {
  id: integer().primaryKey({ autoIncrement: true }),
  channelId: integer("channel_id").notNull().references(() => channels.id),
  contactId: integer("contact_id").notNull().references(() => contacts.id),
  status: text({ enum: CONVERSATION_STATUSES }).notNull().default("open"),
  assigneeId: integer("assignee_id").references(() => users.id, {
    onDelete: "set null",
  }),
  departmentId: integer("department_id").references(() => departments.id, {
    onDelete: "set null",
  }),
  unreadCount: integer("unread_count").notNull().default(0),
  lastMessageAt: integer("last_message_at"),
  lastInboundAt: integer("last_inbound_at"),
  /**
   * The inbox's order: the patient's last message or a staff reply (API,
   * broadcast and automatic sends leave it); null until either happens.
   */
  lastActivityAt: integer("last_activity_at"),
  firstResponseAt: integer("first_response_at"),
  resolvedAt: integer("resolved_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("conversations_channel_contact_idx").on(t.channelId, t.contactId),
  index("conversations_status_last_idx").on(t.status, t.lastMessageAt),
  index("conversations_assignee_idx").on(
    t.assigneeId,
    t.status,
    t.lastMessageAt,
  ),
  index("conversations_department_idx").on(
    t.departmentId,
    t.status,
    t.lastMessageAt,
  ),
  index("conversations_contact_idx").on(t.contactId),
  index("conversations_activity_idx").on(t.status, t.lastActivityAt, t.id),
  index("conversations_assignee_activity_idx").on(t.assigneeId, t.lastActivityAt, t.id),
  index("conversations_department_activity_idx").on(t.departmentId, t.lastActivityAt, t.id),
  // Every status at once (a label and a date range, say): newest activity first, in order.
  index("conversations_last_activity_idx").on(t.lastActivityAt, t.id),
  // Unread conversations are few: the tab title counts them from this index alone.
  index("conversations_unread_idx").on(t.lastActivityAt).where(sql`unread_count > 0`),
]);

/** The departments a channel belongs to: an agent sees its unassigned conversations if theirs. */
export const channelDepartments = sqliteTable("channel_departments", {
  channelId: integer("channel_id").notNull().references(() => channels.id, {
    onDelete: "cascade",
  }),
  departmentId: integer("department_id").notNull().references(() => departments.id, {
    onDelete: "cascade",
  }),
}, (t) => [
  primaryKey({ columns: [t.channelId, t.departmentId] }),
  index("channel_departments_department_idx").on(t.departmentId),
]);

export const conversationLabels = sqliteTable("conversation_labels", {
  conversationId: integer("conversation_id").notNull().references(
    () => conversations.id,
    {
      onDelete: "cascade",
    },
  ),
  labelId: integer("label_id").notNull().references(() => labels.id, {
    onDelete: "cascade",
  }),
}, (t) => [
  primaryKey({ columns: [t.conversationId, t.labelId] }),
  index("conversation_labels_label_idx").on(t.labelId),
]);

export const conversationNotes = sqliteTable("conversation_notes", {
  id: integer().primaryKey({ autoIncrement: true }),
  conversationId: integer("conversation_id").notNull().references(
    () => conversations.id,
    {
      onDelete: "cascade",
    },
  ),
  authorId: integer("author_id").references(() => users.id, {
    onDelete: "set null",
  }),
  /** The author's name when written: an API key's, or kept when the account is deleted. */
  authorName: text("author_name"),
  body: text().notNull(),
  createdAt: createdAt(),
}, (t) => [index("conversation_notes_conversation_idx").on(t.conversationId, t.createdAt)]);

/** Staff named with `@username` in a note; `seen_at` once they opened the conversation. */
export const noteMentions = sqliteTable("note_mentions", {
  noteId: integer("note_id").notNull().references(() => conversationNotes.id, {
    onDelete: "cascade",
  }),
  userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  seenAt: integer("seen_at"),
}, (t) => [
  primaryKey({ columns: [t.noteId, t.userId] }),
  index("note_mentions_user_idx").on(t.userId, t.seenAt),
]);

/** A thread's system lines: assigned, labelled, resolved, reopened. */
export const conversationActivities = sqliteTable("conversation_activities", {
  id: integer().primaryKey({ autoIncrement: true }),
  conversationId: integer("conversation_id").notNull().references(() => conversations.id, {
    onDelete: "cascade",
  }),
  at: integer().notNull(),
  kind: text({ enum: ACTIVITY_KINDS }).notNull(),
  /** Null when Kabar itself or the patient's message did it. */
  actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
  /** The actor's name at the time, kept when the account is deleted. */
  actorName: text("actor_name"),
  /** JSON: what the line names (`{name}` of an assignee, department or label; `{status}`). */
  details: text().notNull().default("{}"),
}, (t) => [index("conversation_activities_conversation_idx").on(t.conversationId, t.at)]);

// --- messages ----------------------------------------------------------------

/** Content-addressed files under `<data dir>/media/`; the id is the SHA-256 hex. */
export const media = sqliteTable("media", {
  id: text().primaryKey(),
  mimeType: text("mime_type").notNull(),
  size: integer().notNull(),
  fileName: text("file_name"),
  createdAt: createdAt(),
});

/**
 * A file stored for a channel by a sender limited to it (an API key's upload,
 * a Wappin integration's file): that sender may send it there by its id.
 * Media ids are content hashes, shared by all channels; this is what makes a
 * file a channel's own.
 */
export const mediaGrants = sqliteTable("media_grants", {
  mediaId: text("media_id").notNull().references(() => media.id, { onDelete: "cascade" }),
  channelId: integer("channel_id").notNull().references(() => channels.id, {
    onDelete: "cascade",
  }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.mediaId, t.channelId] })]);

export const templates = sqliteTable("templates", {
  /** Stable integer id (what Indoshopster calls `template_id`). */
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  body: text().notNull(),
  kind: text({ enum: TEMPLATE_KINDS }).notNull().default("message"),
  /** Quick-reply shortcut typed in the inbox, e.g. `/jadwal`. */
  shortcut: text().unique(),
  active: integer({ mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * A message sent to many: its text (a template's body as it was when chosen,
 * with `variables` for every recipient), where and when it may go, and where
 * it stands (core/broadcast_status.ts).
 */
export const broadcasts = sqliteTable("broadcasts", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull(),
  channelId: integer("channel_id").notNull().references(() => channels.id),
  templateId: integer("template_id").references(() => templates.id, {
    onDelete: "set null",
  }),
  body: text().notNull(),
  /** JSON object: the template variables every recipient gets (their own win). */
  variables: text().notNull().default("{}"),
  mediaId: text("media_id").references(() => media.id),
  status: text({ enum: BROADCAST_STATUSES }).notNull().default("draft"),
  /** When a scheduled broadcast starts by itself. */
  scheduledAt: integer("scheduled_at"),
  /** The local time of day (minutes after midnight) sending may begin and must end; null: any. */
  windowStart: integer("window_start"),
  windowEnd: integer("window_end"),
  /** After this moment nothing more is sent: what waits is cancelled. */
  stopAfter: integer("stop_after"),
  /** Where the recipients came from: what the edit page shows again. */
  source: text({ enum: BROADCAST_SOURCES }).notNull().default("text"),
  labelId: integer("label_id").references(() => labels.id, { onDelete: "set null" }),
  createdBy: integer("created_by").references(() => users.id, {
    onDelete: "set null",
  }),
  confirmedAt: integer("confirmed_at"),
  startedAt: integer("started_at"),
  finishedAt: integer("finished_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index("broadcasts_status_idx").on(t.status, t.scheduledAt)]);

export const messages = sqliteTable("messages", {
  id: integer().primaryKey({ autoIncrement: true }),
  channelId: integer("channel_id").notNull().references(() => channels.id),
  conversationId: integer("conversation_id").notNull().references(() => conversations.id),
  contactId: integer("contact_id").notNull().references(() => contacts.id),
  direction: text({ enum: MESSAGE_DIRECTIONS }).notNull(),
  type: text({ enum: MESSAGE_TYPES }).notNull(),
  /** Text, or the caption of a media message. Emptied by the retention setting. */
  body: text(),
  mediaId: text("media_id").references(() => media.id),
  status: text({ enum: MESSAGE_STATUSES }).notNull(),
  error: text(),
  /** The channel's own id; for WhatsApp generated before the first send attempt. */
  externalId: text("external_id"),
  idempotencyKey: text("idempotency_key"),
  /** SHA-256 of the request that carried the idempotency key, to tell a replay from a conflict. */
  requestHash: text("request_hash"),
  /** Where an outbound message came from. */
  source: text({ enum: MESSAGE_SOURCES }),
  /** Lower goes first: replies and API before broadcasts. */
  priority: integer().notNull().default(0),
  authorId: integer("author_id").references(() => users.id, {
    onDelete: "set null",
  }),
  apiKeyId: integer("api_key_id"),
  broadcastId: integer("broadcast_id").references(() => broadcasts.id, {
    onDelete: "set null",
  }),
  templateId: integer("template_id").references(() => templates.id, {
    onDelete: "set null",
  }),
  /** JSON given by the sender, echoed in webhooks. */
  metadata: text(),
  /** The failed message this one sends again (which stays failed). */
  retryOfId: integer("retry_of_id").references((): AnySQLiteColumn => messages.id, {
    onDelete: "set null",
  }),
  attempts: integer().notNull().default(0),
  nextAttemptAt: integer("next_attempt_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  sentAt: integer("sent_at"),
  deliveredAt: integer("delivered_at"),
  readAt: integer("read_at"),
  failedAt: integer("failed_at"),
}, (t) => [
  uniqueIndex("messages_channel_external_idx").on(t.channelId, t.externalId)
    .where(sql`external_id IS NOT NULL`),
  uniqueIndex("messages_idempotency_idx").on(t.apiKeyId, t.idempotencyKey)
    .where(sql`idempotency_key IS NOT NULL`),
  index("messages_conversation_idx").on(t.conversationId, t.id),
  // Queued messages are found by `messages_queue_idx` (migration 0010).
  index("messages_status_created_idx").on(t.status, t.createdAt),
  // Only broadcast messages have an entry: a plain message costs none. By contact too: a
  // broadcast's rows find their messages as they are queued, thousands at a time.
  index("messages_broadcast_idx").on(t.broadcastId, t.contactId)
    .where(sql`broadcast_id IS NOT NULL`),
  // Which channels a file went through: a key limited to one channel may reuse only its own.
  index("messages_media_idx").on(t.mediaId, t.channelId).where(sql`media_id IS NOT NULL`),
  uniqueIndex("messages_retry_of_idx").on(t.retryOfId).where(sql`retry_of_id IS NOT NULL`),
  // A channel's sends since a moment (its daily cap): only sent messages have an entry.
  index("messages_sent_idx").on(t.channelId, t.sentAt)
    .where(sql`direction = 'out' AND sent_at IS NOT NULL`),
]);

export const messageEvents = sqliteTable("message_events", {
  id: integer().primaryKey({ autoIncrement: true }),
  messageId: integer("message_id").notNull().references(() => messages.id, {
    onDelete: "cascade",
  }),
  status: text().notNull(),
  at: integer().notNull(),
  detail: text(),
}, (t) => [index("message_events_message_idx").on(t.messageId, t.at)]);

/**
 * One row of a broadcast's list, as read: kept also when it is invalid, a
 * duplicate or opted out, with why, so the list can be shown as it was
 * given. A valid row is `pending` until queued, then follows its message.
 */
export const broadcastRecipients = sqliteTable("broadcast_recipients", {
  id: integer().primaryKey({ autoIncrement: true }),
  broadcastId: integer("broadcast_id").notNull().references(
    () => broadcasts.id,
    {
      onDelete: "cascade",
    },
  ),
  /** The row's number in the list or file it came from (1 for the first). */
  row: integer().notNull(),
  /** The number as written in the list. */
  input: text().notNull().default(""),
  /** The number in international form; null when the row holds none. */
  phone: text(),
  telegramChatId: text("telegram_chat_id"),
  name: text(),
  contactId: integer("contact_id").references(() => contacts.id, {
    onDelete: "set null",
  }),
  /** JSON object of template variables for this recipient. */
  variables: text().notNull().default("{}"),
  messageId: integer("message_id").references(() => messages.id, {
    onDelete: "set null",
  }),
  status: text({ enum: RECIPIENT_STATUSES }).notNull().default("pending"),
  /** Why the row is left out, in words, and as a stable code. */
  error: text(),
  errorCode: text("error_code"),
}, (t) => [
  // A number is sent to once: its other rows are duplicates (or invalid for another reason).
  uniqueIndex("broadcast_recipients_phone_idx").on(t.broadcastId, t.phone)
    .where(sql`phone IS NOT NULL AND status NOT IN ('duplicate', 'invalid')`),
  uniqueIndex("broadcast_recipients_row_idx").on(t.broadcastId, t.row),
  // Inserting a message checks this foreign key from the parent side: without the index, a scan.
  index("broadcast_recipients_message_idx").on(t.messageId),
  index("broadcast_recipients_status_idx").on(t.broadcastId, t.status),
]);

/**
 * Numbers that asked to hear no more broadcasts (a STOP reply, or staff or
 * the API on their behalf). Messages from the API still reach them unless
 * the request asks otherwise: they are the person's own appointments.
 */
export const optOuts = sqliteTable("opt_outs", {
  phone: text().primaryKey(),
  source: text({ enum: OPT_OUT_SOURCES }).notNull(),
  /** The reply that asked, when it came as one. */
  messageId: integer("message_id").references(() => messages.id, { onDelete: "set null" }),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

export const autoReplyRules = sqliteTable("auto_reply_rules", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull(),
  /** Null: every channel. */
  channelId: integer("channel_id").references(() => channels.id, {
    onDelete: "cascade",
  }),
  match: text({ enum: AUTO_REPLY_MATCHES }).notNull(),
  pattern: text(),
  reply: text().notNull(),
  templateId: integer("template_id").references(() => templates.id, {
    onDelete: "set null",
  }),
  active: integer({ mode: "boolean" }).notNull().default(true),
  position: integer().notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// --- integrations --------------------------------------------------------------

export const apiKeys = sqliteTable("api_keys", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull(),
  /** SHA-256 hex of the key; the key is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique(),
  /** The first characters, to recognise a key in lists. */
  prefix: text().notNull(),
  /** JSON array of scopes. */
  scopes: text().notNull(),
  /** JSON array of addresses and CIDRs; empty: any address. */
  ipAllowlist: text("ip_allowlist").notNull().default("[]"),
  channelId: integer("channel_id").references(() => channels.id, {
    onDelete: "cascade",
  }),
  createdBy: integer("created_by").references(() => users.id, {
    onDelete: "set null",
  }),
  /**
   * Requests a second this key may make (bursts up to twice as many); null:
   * the default, 0: no limit.
   */
  rateLimit: integer("rate_limit"),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
  createdAt: createdAt(),
});

export const webhooks = sqliteTable("webhooks", {
  id: integer().primaryKey({ autoIncrement: true }),
  url: text().notNull(),
  /** Sealed signing secret. */
  secret: text().notNull(),
  /** JSON array of event names. */
  events: text().notNull(),
  channelId: integer("channel_id").references(() => channels.id, {
    onDelete: "cascade",
  }),
  active: integer({ mode: "boolean" }).notNull().default(true),
  /**
   * `kabar`: Kabar's signed JSON. `wappin`: a Wappin-compatible integration's
   * callbacks, in Wappin's shape (managed by the integration).
   */
  format: text({ enum: WEBHOOK_FORMATS }).notNull().default("kabar"),
  /**
   * Whether deliveries may go to loopback, private and link-local addresses
   * (the hospital's own systems); set only by an administrator or a key with `*`.
   */
  privateNetwork: integer("private_network", { mode: "boolean" }).notNull().default(false),
  /** The secret before the last rotation, sealed; deliveries are signed with it too until it expires. */
  previousSecret: text("previous_secret"),
  /** When the previous secret stops signing (ms). */
  previousSecretExpiresAt: integer("previous_secret_expires_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Every event webhooks may carry, written by triggers in the same
 * transaction as the change it reports (a message status event, a channel
 * status), so none is lost between the change and its delivery.
 */
export const webhookEvents = sqliteTable("webhook_events", {
  id: integer().primaryKey({ autoIncrement: true }),
  type: text({ enum: WEBHOOK_EVENT_TYPES }).notNull(),
  channelId: integer("channel_id"),
  /** Deliveries to one endpoint keep the order of a conversation's events. */
  conversationId: integer("conversation_id"),
  messageId: integer("message_id"),
  messageEventId: integer("message_event_id"),
  /** For channel events, the JSON of what changed; message events are read at delivery. */
  data: text(),
  createdAt: createdAt(),
}, (t) => [index("webhook_events_created_idx").on(t.createdAt)]);

export const webhookDeliveries = sqliteTable("webhook_deliveries", {
  id: integer().primaryKey({ autoIncrement: true }),
  webhookId: integer("webhook_id").notNull().references(() => webhooks.id, {
    onDelete: "cascade",
  }),
  eventId: integer("event_id").references(() => webhookEvents.id, { onDelete: "cascade" }),
  /** The conversation (or, negated, the channel) whose events must reach the endpoint in order. */
  orderKey: integer("order_key"),
  /** The event type, e.g. `message.status`. */
  event: text({ enum: WEBHOOK_EVENT_TYPES }).notNull(),
  /** The JSON body, built at the first attempt and sent the same on every retry. */
  payload: text().notNull(),
  /** The start of the receiver's last answer (or why there was none). */
  responseExcerpt: text("response_excerpt"),
  status: text({ enum: DELIVERY_STATUSES }).notNull(),
  attempts: integer().notNull().default(0),
  nextAttemptAt: integer("next_attempt_at"),
  lastStatusCode: integer("last_status_code"),
  lastError: text("last_error"),
  createdAt: createdAt(),
  deliveredAt: integer("delivered_at"),
}, (t) => [
  index("webhook_deliveries_pending_idx").on(t.status, t.nextAttemptAt),
  index("webhook_deliveries_webhook_idx").on(t.webhookId, t.id),
  index("webhook_deliveries_event_idx").on(t.eventId),
  index("webhook_deliveries_queue_idx").on(t.status, t.webhookId, t.orderKey, t.id),
  /**
   * Each endpoint's due deliveries, so a claim reads only those: not the ones waiting for a
   * retry, nor those waiting behind an earlier one (their next attempt is not set yet).
   */
  index("webhook_deliveries_due_idx").on(t.status, t.webhookId, t.nextAttemptAt, t.orderKey),
]);

/**
 * A Wappin-compatible integration: the credentials and settings a system
 * written for Wappin's API uses, tied to one channel. Its callbacks go out
 * through its webhook (format `wappin`).
 */
export const wappinIntegrations = sqliteTable("wappin_integrations", {
  id: integer().primaryKey({ autoIncrement: true }),
  channelId: integer("channel_id").notNull().references(() => channels.id, {
    onDelete: "cascade",
  }),
  webhookId: integer("webhook_id").notNull().references(() => webhooks.id),
  clientId: text("client_id").notNull().unique(),
  projectId: text("project_id").notNull().unique(),
  clientName: text("client_name").notNull(),
  projectName: text("project_name").notNull(),
  environment: text({ enum: WAPPIN_ENVIRONMENTS }).notNull(),
  callbackUrl: text("callback_url"),
  /** JSON array of addresses and CIDRs; empty allows any. */
  ipWhitelist: text("ip_whitelist").notNull().default("[]"),
  secretKeyHash: text("secret_key_hash").notNull(),
  clientKeyHash: text("client_key_hash").notNull(),
  /** The current access token: its hash to recognise it, sealed to hand it out again. */
  tokenHash: text("token_hash").unique(),
  tokenSealed: text("token_sealed"),
  tokenExpiresAt: integer("token_expires_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  // As with Wappin, a number has one integration: its callback URL gets all of the number's news.
  uniqueIndex("wappin_integrations_channel_idx").on(t.channelId),
]);

/**
 * The live events of the last minutes, so that each Kabar process sharing
 * the database hears what the others publish (a page open on one process
 * sees a message another one sent). `origin` is the publishing process.
 */
export const eventLog = sqliteTable("event_log", {
  id: integer().primaryKey({ autoIncrement: true }),
  origin: text().notNull(),
  at: integer().notNull(),
  event: text().notNull(),
}, (t) => [index("event_log_at_idx").on(t.at)]);
