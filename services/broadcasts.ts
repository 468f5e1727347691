/**
 * Broadcasts, as the pages and the API drive them: a draft from a list of
 * rows, its review (counts, progress, how long it will take), and each step
 * with what goes with it — a pause holds the messages waiting in the outbox,
 * a resume lets them go, a cancel withdraws them — told to the runner, the
 * outbox and the live pages.
 */
import { AppError, conflict, invalidInput } from "../core/app_error.ts";
import { requireLabel } from "../db/labels.ts";
import { BROADCAST_NAME_MAX } from "../core/broadcast_form.ts";
import type { ChannelRegistry } from "../sessions/registry.ts";
import type { BroadcastAction, BroadcastSource } from "../core/broadcast_status.ts";
import type { BroadcastCounts, Recipient, RecipientColumns } from "../core/broadcast_recipients.ts";
import type { ChannelKind } from "../core/channel_types.ts";
import { type SendWindow, windowAt } from "../core/send_window.ts";
import { templateVariables } from "../core/template.ts";
import type { ImportFile } from "../db/import_files.ts";
import { optOuts } from "../db/schema.ts";
import { findActiveTemplate, templateNames } from "../db/templates.ts";
import { userNames } from "../db/users.ts";
import { readRecipientFile, readRecipientList, readRecipientText } from "./recipient_lists.ts";
import { estimateSeconds, type SendRate } from "../core/broadcast_estimate.ts";
import type { Clock } from "../core/clock.ts";
import { pacingFor, warmupEnd } from "../core/pacing.ts";
import { type BroadcastWait, broadcastWait } from "../core/broadcast_wait.ts";
import { countSentSince } from "../db/outbox.ts";
import { localDay } from "../core/local_day.ts";
import { type Actor, recordAudit } from "../db/audit_log.ts";
import {
  type BroadcastSettings,
  readBroadcastSettings,
  saveBroadcastSettings,
} from "../db/broadcast_settings.ts";
import {
  type ReportFile,
  type ReportFormat,
  type ReportRow,
  type ReportWords,
  writeReport,
} from "./broadcast_reports.ts";
import {
  type Broadcast,
  type BroadcastDraft,
  type BroadcastProgress,
  broadcastProgress,
  countBroadcastSentSince,
  createBroadcast,
  deleteBroadcast,
  listRecipients,
  markNotOnWhatsapp,
  type NewRecipient,
  pendingPhones,
  recipientCounts,
  recipientVariableNames,
  type RecipientView,
  requireBroadcast,
  stepBroadcast,
  updateDraft,
  windowOf,
} from "../db/broadcasts.ts";
import { getChannel, parseChannelOptions } from "../db/channels.ts";
import type { Db } from "../db/client.ts";
import type { GroupCommit } from "../db/group_commit.ts";
import type { BroadcastRunner } from "../sessions/broadcasts.ts";
import type { EventBus } from "../sessions/events.ts";
import type { Outbox } from "../sessions/outbox.ts";

export interface BroadcastServiceDeps {
  db: Db;
  /** Asks WhatsApp which numbers it knows. */
  registry: ChannelRegistry;
  writer: GroupCommit;
  clock: Clock;
  events: EventBus;
  outbox: Outbox;
  runner: BroadcastRunner;
  /** The region of numbers written without a country code. */
  phoneRegion: string;
  /** Where the hospital is: sending windows are in its local time. */
  timeZone: string;
}

/** Numbers asked of WhatsApp at once. */
const NUMBER_CHECK_BATCH = 100;

/** The most rows one broadcast's list may have. */
export const MAX_BROADCAST_ROWS = 100_000;

/** Where a broadcast's recipients come from. */
export type RecipientSource =
  /** Given one by one (the API's `recipients`). */
  | {
    kind: "list";
    recipients: { phone: string; name?: string; variables?: Record<string, string> }[];
  }
  /** Typed or pasted, one a line. */
  | { kind: "text"; text: string; columns?: RecipientColumns; header?: boolean }
  /** An uploaded .xlsx or .csv, read as a stream. */
  | { kind: "file"; file: ImportFile; sheet: number; columns: RecipientColumns; header?: boolean }
  /** The contacts with a conversation that carries a label. */
  | { kind: "label"; labelId: number }
  /** A draft being changed keeps the rows it has (and says where they came from). */
  | { kind: "keep"; broadcastId: number; source: BroadcastSource; labelId: number | null };

/** A broadcast as the form or the API asks for it. */
export interface BroadcastInput {
  name: string;
  channelId: number;
  /** The text, or a template by id or name. */
  message: { text: string } | { template: { id?: number; name?: string } };
  variables: Record<string, string>;
  mediaId: string | null;
  window: SendWindow | null;
  stopAfter: number | null;
  scheduledAt: number | null;
  recipients: RecipientSource;
}

/** A broadcast with what the review and progress show of it. */
export interface BroadcastOverview {
  broadcast: Broadcast;
  counts: BroadcastCounts;
  progress: BroadcastProgress;
  /** Seconds the messages not yet sent will take at the channel's pace (0 when none wait). */
  estimatedSeconds: number;
  /** The staff member who made it (null: a key, the command line, or someone since deleted). */
  createdByName: string | null;
  /** Its template's name, when it was made from one that still exists. */
  templateName: string | null;
  /** Why a running broadcast sends nothing now, and until when (null: it may send). */
  wait: BroadcastWait | null;
  /** How fast a running broadcast sends now: over the last `minutes` (null: not running). */
  rate: SendRate | null;
}

/** A running broadcast's current rate is its sends over this long (or since its start). */
const RATE_SPAN_MS = 10 * 60_000;

/** The steps pages and the API may take (finishing is the runner's). */
export type BroadcastStep = Exclude<BroadcastAction, "edit" | "delete" | "finish">;

export class BroadcastService {
  constructor(private readonly deps: BroadcastServiceDeps) {}

  /** Makes a draft from `input`: its rows read and judged, kept whole or not at all. */
  async createFrom(actor: Actor, input: BroadcastInput): Promise<Broadcast> {
    const { draft, rows } = await this.prepare(input);
    return await this.create(actor, draft, rows ?? []);
  }

  /** Changes a draft from `input` (its rows read again). */
  async updateFrom(actor: Actor, id: number, input: BroadcastInput): Promise<Broadcast> {
    const { draft, rows } = await this.prepare(input);
    return await this.update(actor, id, draft, rows);
  }

  /**
   * The draft and rows `input` makes: the channel one a broadcast can use,
   * the template's body and variables, and each row judged (invalid with its
   * reason, duplicate, opted out). Anything wrong is a 422 naming the field.
   */
  async prepare(
    input: BroadcastInput,
  ): Promise<{ draft: BroadcastDraft; rows: NewRecipient[] | undefined }> {
    const { db } = this.deps;
    const channel = await getChannel(db, input.channelId);
    if (!channel) {
      throw invalidInput(`No channel with id ${input.channelId}`, {
        channel: "err.broadcast_channel",
      });
    }
    if (input.recipients.kind === "label") {
      const labelId = input.recipients.labelId;
      await requireLabel(db, labelId).catch(() => {
        throw invalidInput(`No label with id ${labelId}`, { label: "err.broadcast_label_unknown" });
      });
    }
    const now = this.deps.clock.now();
    if (input.scheduledAt !== null && input.scheduledAt <= now) {
      throw invalidInput("scheduled_at: must be a time still to come", {
        scheduled_at: "err.broadcast_time_past",
      });
    }
    if (input.stopAfter !== null && input.stopAfter <= now) {
      throw invalidInput("stop_after: must be a time still to come", {
        stop_after: "err.broadcast_time_past",
      });
    }
    if (
      input.stopAfter !== null && input.scheduledAt !== null &&
      input.stopAfter <= input.scheduledAt
    ) {
      throw invalidInput("stop_after: must be after scheduled_at", {
        stop_after: "err.broadcast_stop_before_start",
      });
    }
    if (input.recipients.kind === "keep") {
      await this.#keptRowsFit(input.recipients.broadcastId, channel.kind);
    } else if (channel.kind === "telegram" && input.recipients.kind !== "label") {
      throw invalidInput(
        "A Telegram bot cannot write to phone numbers: choose recipients by label",
        { recipients: "err.broadcast_telegram_label" },
      );
    }
    let body: string;
    let templateId: number | null = null;
    if ("text" in input.message) {
      body = input.message.text;
    } else {
      const template = await findActiveTemplate(db, input.message.template);
      if (!template) {
        const ref = input.message.template.name ?? String(input.message.template.id ?? "");
        throw invalidInput(`No active template ${ref}`, { template: "err.broadcast_template" });
      }
      body = template.body;
      templateId = template.id;
    }
    const required = templateVariables(body);
    const optedOut = new Set(
      (await db.select({ phone: optOuts.phone }).from(optOuts)).map((o) => o.phone),
    );
    const options = {
      region: this.deps.phoneRegion,
      required,
      shared: input.variables,
      isOptedOut: (phone: string) => optedOut.has(phone),
      maxRows: MAX_BROADCAST_ROWS,
    };
    // The name column fills {{nama}} (or {{name}}) unless a column is chosen for it.
    const named = (columns: RecipientColumns): RecipientColumns => {
      if (columns.name === undefined) return columns;
      const variables = { ...columns.variables };
      for (const n of ["nama", "name"]) {
        if (required.includes(n) && variables[n] === undefined) variables[n] = columns.name;
      }
      return { ...columns, variables };
    };
    const rows: NewRecipient[] = [];
    const keep = (r: Recipient) => {
      rows.push({ ...r, telegramChatId: null, contactId: null });
    };
    const source = input.recipients;
    if (source.kind === "list") {
      // Only the variables the message uses become columns: however many names the
      // recipients bring, the list stays as wide as the template.
      const names = required.filter((n) =>
        source.recipients.some((r) => r.variables?.[n] !== undefined)
      );
      await readRecipientList(
        source.recipients.map((r, i) => ({
          number: i + 1,
          cells: [r.phone, r.name ?? "", ...names.map((n) => r.variables?.[n] ?? "")],
        })),
        {
          columns: named({
            phone: 0,
            name: 1,
            variables: Object.fromEntries(names.map((n, i) => [n, i + 2])),
          }),
          header: false,
        },
        options,
        keep,
      );
    } else if (source.kind === "text") {
      await readRecipientText(
        source.text,
        { columns: named(source.columns ?? { phone: 0, name: 1 }), header: source.header },
        options,
        keep,
      );
    } else if (source.kind === "file") {
      await readRecipientFile(
        source.file,
        source.sheet,
        { columns: named(source.columns), header: source.header },
        options,
        keep,
      );
    } else if (source.kind === "label") {
      rows.push(
        ...await labelRecipients(
          db,
          source.labelId,
          channel.kind,
          required,
          input.variables,
          optedOut,
        ),
      );
    }
    return {
      draft: {
        name: input.name,
        channelId: channel.id,
        templateId,
        body,
        variables: input.variables,
        mediaId: input.mediaId,
        window: input.window,
        stopAfter: input.stopAfter,
        scheduledAt: input.scheduledAt,
        source: source.kind === "keep"
          ? source.source
          : source.kind === "list"
          ? "text"
          : source.kind,
        labelId: source.kind === "label" || source.kind === "keep" ? source.labelId : null,
      },
      rows: source.kind === "keep" ? undefined : rows,
    };
  }

  /** A list kept for a draft moved to another channel must reach its people there (422). */
  async #keptRowsFit(broadcastId: number, kind: ChannelKind): Promise<void> {
    const { rows } = await this.deps.db.$client.execute({
      sql: `SELECT count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ?
        AND status = 'pending' AND ${kind === "telegram" ? "telegram_chat_id" : "phone"} IS NULL`,
      args: [broadcastId],
    });
    if (Number(rows[0].n) > 0) {
      throw invalidInput(
        kind === "telegram"
          ? "A Telegram bot cannot write to the phone numbers of this list: choose recipients by label"
          : "This list holds Telegram chats, which this channel cannot write to: give the recipients again",
        {
          recipients: kind === "telegram"
            ? "err.broadcast_telegram_label"
            : "err.broadcast_list_again",
        },
      );
    }
  }

  async create(actor: Actor, draft: BroadcastDraft, rows: NewRecipient[]): Promise<Broadcast> {
    const { db, writer, clock } = this.deps;
    const broadcast = await createBroadcast(db, writer, clock, actor, draft, rows);
    this.#changed(broadcast);
    return broadcast;
  }

  /** Changes a draft (a confirmed or scheduled one goes back to draft); rows too when given. */
  async update(
    actor: Actor,
    id: number,
    draft: BroadcastDraft,
    rows?: NewRecipient[],
  ): Promise<Broadcast> {
    const { db, writer, clock } = this.deps;
    const broadcast = await updateDraft(db, writer, clock, actor, id, draft, rows);
    this.#changed(broadcast);
    this.deps.runner.wake();
    return broadcast;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    const { db, writer, clock } = this.deps;
    const broadcast = await requireBroadcast(db, id);
    await deleteBroadcast(db, writer, clock, actor, id);
    this.#changed(broadcast);
  }

  /** Takes one step, with what goes with it; a step the status does not allow is a 409. */
  async step(actor: Actor, id: number, action: BroadcastStep): Promise<Broadcast> {
    const { db, writer, clock } = this.deps;
    // Resumed while its sending window is shut, what waits goes when it opens.
    const window = windowAt(
      windowOf(await requireBroadcast(db, id)),
      clock.now(),
      this.deps.timeZone,
    );
    const broadcast = await stepBroadcast(db, writer, clock, actor, id, action, {
      releaseAt: window.open ? clock.now() : window.changesAt,
    });
    if (action === "resume") this.deps.outbox.wake(broadcast.channelId);
    this.#changed(broadcast);
    this.deps.runner.wake();
    return broadcast;
  }

  /**
   * Asks WhatsApp which of a draft's numbers it knows, 100 at a time, and
   * leaves out those it does not (`not_on_whatsapp`). Answers how many were
   * checked and left out; a channel that is not connected is a 503.
   */
  async checkNumbers(id: number): Promise<{ checked: number; notOnWhatsapp: number }> {
    const { db, writer, registry } = this.deps;
    const broadcast = await requireBroadcast(db, id);
    if (broadcast.status !== "draft") {
      throw conflict(`Broadcast ${id} is ${broadcast.status}: numbers are checked on a draft`, {
        status: broadcast.status,
        action: "check",
      });
    }
    let checked = 0;
    let notOnWhatsapp = 0;
    for (let cursor = 0;;) {
      const batch = await pendingPhones(db, id, { cursor, limit: NUMBER_CHECK_BATCH });
      if (batch.length === 0) break;
      const asking = registry.checkNumbers(broadcast.channelId, batch.map((r) => r.phone));
      if (!asking) {
        throw new AppError(
          503,
          "channel_unavailable",
          `Channel ${broadcast.channelId} is not connected: its numbers cannot be checked now`,
          { channel: broadcast.channelId },
        );
      }
      const answers = await asking;
      const unknown = answers.filter((a) => !a.exists).map((a) => a.phone);
      notOnWhatsapp += await markNotOnWhatsapp(writer, id, unknown);
      checked += batch.length;
      cursor = batch[batch.length - 1].row;
    }
    this.#changed(broadcast);
    return { checked, notOnWhatsapp };
  }

  /** The rows of a broadcast's report, in list order, read a thousand at a time. */
  async *reportRows(
    id: number,
    reason: (r: RecipientView) => string | null = (r) => r.error ?? r.messageError,
  ): AsyncGenerator<ReportRow> {
    for (let cursor: number | null = 0; cursor !== null;) {
      const page = await listRecipients(this.deps.db, id, { cursor, limit: 1000 });
      for (const r of page.recipients) {
        yield {
          row: r.row,
          input: r.input,
          phone: r.phone ?? r.telegramChatId,
          name: r.name,
          status: r.shownStatus,
          at: r.at,
          reason: reason(r),
          reasonCode: r.code,
          messageId: r.messageId,
          variables: JSON.parse(r.variables),
        };
      }
      cursor = page.nextCursor;
    }
  }

  /**
   * A broadcast's report as a CSV or .xlsx file (with the local time beside
   * each time when `timeZone` is given); the download is written to the audit log.
   */
  async report(
    actor: Actor,
    id: number,
    format: ReportFormat,
    options: {
      timeZone?: string;
      /** The reason of a row in the reader's words (by default, the stored English ones). */
      reason?: (r: RecipientView) => string | null;
      /** Column heads and statuses in the reader's words (by default, as a program reads them). */
      words?: ReportWords;
    } = {},
  ): Promise<ReportFile> {
    const { db, clock } = this.deps;
    const broadcast = await requireBroadcast(db, id);
    const variables = await recipientVariableNames(db, id);
    await recordAudit(db, clock, actor, {
      action: "broadcast.report",
      target: broadcast.name,
      details: { format, broadcast: id },
    });
    return writeReport(id, format, {
      variables,
      rows: this.reportRows(id, options.reason),
      timeZone: options.timeZone,
      words: options.words,
    });
  }

  /** What new broadcasts start with: the default sending hours. */
  settings(): Promise<BroadcastSettings> {
    return readBroadcastSettings(this.deps.db);
  }

  /** Changes the default sending hours (audited). */
  saveSettings(actor: Actor, settings: BroadcastSettings): Promise<BroadcastSettings> {
    return saveBroadcastSettings(this.deps.db, this.deps.clock, actor, settings);
  }

  /**
   * A new draft of the rows whose message failed (not those withdrawn by a
   * cancel), named after the broadcast with `nameSuffix` (the page's word
   * for a retry; the API's is English).
   */
  async retryFailed(actor: Actor, id: number, nameSuffix = "retry"): Promise<Broadcast> {
    const { db } = this.deps;
    const original = await requireBroadcast(db, id);
    const rows: NewRecipient[] = [];
    for (let cursor: number | null = 0; cursor !== null;) {
      const page = await listRecipients(db, id, { status: "failed", cursor, limit: 1000 });
      for (const r of page.recipients) {
        rows.push({
          row: rows.length + 1,
          input: r.input,
          phone: r.phone,
          telegramChatId: r.telegramChatId,
          name: r.name,
          contactId: r.contactId,
          variables: JSON.parse(r.variables),
          status: "pending",
          error: null,
          errorCode: null,
        });
      }
      cursor = page.nextCursor;
    }
    if (rows.length === 0) {
      throw conflict(`Broadcast ${id} has no failed message to send again`, { failed: 0 });
    }
    const suffix = ` (${nameSuffix})`;
    return await this.create(actor, {
      // Within the longest name a broadcast may have, however often it is retried.
      name: `${original.name.slice(0, BROADCAST_NAME_MAX - suffix.length).trimEnd()}${suffix}`,
      channelId: original.channelId,
      templateId: original.templateId,
      body: original.body,
      variables: JSON.parse(original.variables),
      mediaId: original.mediaId,
      window: windowOf(original),
      stopAfter: null,
      scheduledAt: null,
      source: original.source,
      labelId: original.labelId,
    }, rows);
  }

  /** Each broadcast with its counts, progress and the time what is left will take. */
  async overviews(broadcasts: Broadcast[]): Promise<BroadcastOverview[]> {
    const { db } = this.deps;
    const now = this.deps.clock.now();
    const today = localDay(now, this.deps.timeZone).start;
    // Broadcasts on one channel share its count of today's sends: counted once.
    const sentCounts = new Map<number, Promise<number>>();
    const sentToday = (channelId: number) => {
      if (!sentCounts.has(channelId)) {
        sentCounts.set(channelId, countSentSince(db, channelId, today));
      }
      return sentCounts.get(channelId)!;
    };
    const ids = broadcasts.map((b) => b.id);
    const [counts, progress, names, templates] = await Promise.all([
      recipientCounts(db, ids),
      broadcastProgress(db, ids),
      userNames(db, broadcasts.flatMap((b) => b.createdBy ?? [])),
      templateNames(db, broadcasts.flatMap((b) => b.templateId ?? [])),
    ]);
    return await Promise.all(broadcasts.map(async (broadcast) => {
      const p = progress.get(broadcast.id)!;
      const channel = await getChannel(db, broadcast.channelId);
      const waiting = ["draft", "confirmed", "scheduled", "running", "paused"]
          .includes(broadcast.status)
        ? p.queued + p.sending
        : 0;
      const pacing = channel && pacingFor(channel.kind, parseChannelOptions(channel.options));
      const wait = channel && pacing && broadcast.status === "running" && p.queued > 0
        ? broadcastWait({
          now,
          timeZone: this.deps.timeZone,
          window: windowOf(broadcast),
          // The process running the channel knows its status first; the stored one is for the rest.
          channelConnected: channel.enabled &&
            (this.deps.registry.live(channel.id)?.status ?? channel.status) === "connected",
          warmupEndsAt: warmupEnd(pacing, channel.pairedAt),
          dailyCap: pacing.dailyCap,
          sentToday: pacing.dailyCap > 0 ? await sentToday(channel.id) : 0,
          stopAfter: broadcast.stopAfter,
        })
        : null;
      return {
        broadcast,
        createdByName: broadcast.createdBy === null ? null : names.get(broadcast.createdBy) ?? null,
        templateName: broadcast.templateId === null
          ? null
          : templates.get(broadcast.templateId) ?? null,
        counts: counts.get(broadcast.id)!,
        progress: p,
        estimatedSeconds: pacing
          ? timeLeft(
            now,
            wait,
            estimateSeconds(waiting, pacing, windowOf(broadcast)),
            broadcast.status === "running" ? broadcast.stopAfter : null,
          )
          : 0,
        wait,
        rate: broadcast.status === "running" ? await this.#rate(broadcast, now) : null,
      };
    }));
  }

  /** Its sends a minute over the last RATE_SPAN_MS, or since its start when that is later. */
  async #rate(broadcast: Broadcast, now: number): Promise<SendRate> {
    const since = Math.max(now - RATE_SPAN_MS, broadcast.startedAt ?? now);
    const minutes = Math.max(1, Math.ceil((now - since) / 60_000));
    const sent = await countBroadcastSentSince(this.deps.db, broadcast, since);
    return { perMinute: sent / minutes, minutes };
  }

  async overview(id: number): Promise<BroadcastOverview> {
    return (await this.overviews([await requireBroadcast(this.deps.db, id)]))[0];
  }

  #changed(broadcast: Broadcast): void {
    this.deps.events.publish({
      type: "broadcast.changed",
      channelId: broadcast.channelId,
      broadcastId: broadcast.id,
    });
  }
}

/**
 * The seconds a broadcast has left: what it waits (for its hours, a warm-up,
 * the next day) and then the sending itself, at most until its stop-after time.
 */
function timeLeft(
  now: number,
  wait: BroadcastWait | null,
  sendingSeconds: number,
  stopAfter: number | null,
): number {
  const seconds = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
  if (wait?.stopsAt) return seconds(wait.stopsAt);
  const total = (wait?.until ? seconds(wait.until) : 0) + sendingSeconds;
  return stopAfter === null ? total : Math.min(total, seconds(stopAfter));
}

/**
 * The contacts with a conversation carrying label `labelId`, as rows: by
 * their number, or on a Telegram bot by their chat with it; one without
 * either is invalid, one that opted out is left out. The contact's name fills
 * `{{nama}}` and `{{name}}`; any other variable needs the broadcast's own value.
 */
async function labelRecipients(
  db: Db,
  labelId: number,
  kind: ChannelKind,
  required: string[],
  shared: Record<string, string>,
  optedOut: Set<string>,
): Promise<NewRecipient[]> {
  const { rows } = await db.$client.execute({
    sql: `SELECT DISTINCT c.id, c.phone, c.telegram_chat_id, coalesce(c.name, c.push_name) AS name
      FROM contacts c JOIN conversations v ON v.contact_id = c.id
        JOIN conversation_labels l ON l.conversation_id = v.id
      WHERE l.label_id = ? ORDER BY c.id`,
    args: [labelId],
  });
  return rows.map((c, i): NewRecipient => {
    const phone = c.phone === null ? null : String(c.phone);
    const chat = c.telegram_chat_id === null ? null : String(c.telegram_chat_id);
    const name = c.name === null ? null : String(c.name);
    const address = kind === "telegram" ? chat : phone;
    const base = {
      row: i + 1,
      input: address ?? "",
      phone: kind === "telegram" ? null : phone,
      telegramChatId: kind === "telegram" ? chat : null,
      name,
      contactId: Number(c.id),
      variables: name ? { nama: name, name } as Record<string, string> : {},
    };
    const missing = required.filter((n) =>
      !Object.hasOwn(shared, n) && !Object.hasOwn(base.variables, n)
    );
    if (!address) {
      return {
        ...base,
        status: "invalid",
        error: kind === "telegram" ? "has no chat with this Telegram bot" : "has no phone number",
        errorCode: "empty",
      };
    }
    if (phone && optedOut.has(phone)) {
      return {
        ...base,
        status: "opted_out",
        error: "opted out of broadcasts",
        errorCode: "opted_out",
      };
    }
    if (missing.length) {
      return {
        ...base,
        status: "invalid",
        error: `no value for {{${missing[0]}}}`,
        errorCode: "variable_missing",
      };
    }
    return { ...base, status: "pending", error: null, errorCode: null };
  });
}
