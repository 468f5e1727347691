/**
 * The broadcast pages: the list, a broadcast's review and progress (one
 * page, its progress live), and its recipients row by row.
 */
import type { SendRate } from "../core/broadcast_estimate.ts";
import type { BroadcastCounts } from "../core/broadcast_recipients.ts";
import type { Child } from "hono/jsx";
import {
  type BroadcastStatus,
  PROGRESS_BUCKETS,
  type ProgressBucket,
  type RecipientFilter,
  SHOWN_RECIPIENT_STATUSES,
  type ShownRecipientStatus,
} from "../core/broadcast_status.ts";
import type { Translate } from "../core/i18n.ts";
import type { SendWindow } from "../core/send_window.ts";
import type { BroadcastWait } from "../core/broadcast_wait.ts";
import { CsrfField } from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { formatTimeOfDayIn, formatTimeWithZone, zoneLabel } from "./format_time.ts";
import { PageHead } from "./kit/page_head.tsx";
import { EmptyState } from "./empty_state.tsx";
import { Layout } from "./layout.tsx";
import type { LivePart } from "./live_part.ts";
import { recipientStatusText } from "../core/broadcast_reason.ts";
import type { PageContext } from "./page_context.ts";

/** Where a broadcast stands. */
export type BroadcastState = BroadcastStatus;
/** The buckets of a broadcast's progress, in the order they are shown. */
const PROGRESS_ORDER = PROGRESS_BUCKETS;
export type Progress = Record<ProgressBucket, number>;
/** What a row of the recipients page may show as its status. */
export const ROW_STATUSES = SHOWN_RECIPIENT_STATUSES;
export type RowStatus = ShownRecipientStatus;

/** A broadcast as the list and the review show it. */
export interface BroadcastView {
  id: number;
  name: string;
  channelName: string;
  channelKind: string | null;
  status: BroadcastState;
  templateName: string | null;
  body: string;
  /** The name of the file sent with every message, if any. */
  mediaName: string | null;
  window: SendWindow | null;
  scheduledAt: number | null;
  stopAfter: number | null;
  createdByName: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  counts: BroadcastCounts;
  progress: Progress;
  estimatedSeconds: number;
  /** Why a running broadcast sends nothing now (null: it may send). */
  wait: BroadcastWait | null;
  /** How fast a running broadcast sends now (null: not running). */
  rate: SendRate | null;
}

const EDITABLE: BroadcastState[] = ["draft", "confirmed", "scheduled"];
const DELETABLE: BroadcastState[] = ["draft", "confirmed", "scheduled", "finished", "cancelled"];

/** The colour of a status badge. */
function badgeClass(status: BroadcastState): string {
  switch (status) {
    case "running":
      return "badge ok";
    case "paused":
    case "scheduled":
    case "confirmed":
      return "badge wait";
    case "cancelled":
      return "badge off";
    default:
      return "badge idle";
  }
}

export function StatusBadge(
  { t, status, id }: { t: Translate; status: BroadcastState; id?: string },
) {
  return <span id={id} class={badgeClass(status)}>{t(`broadcasts.status.${status}`)}</span>;
}

/**
 * The messages that reached `bucket`'s step: a read message was sent and
 * delivered too, so "Sent" counts it as well (each message is in one bucket).
 */
function reached(p: Progress, bucket: ProgressBucket): number {
  if (bucket === "sent") return p.sent + p.delivered + p.read;
  if (bucket === "delivered") return p.delivered + p.read;
  return p[bucket];
}

/** A recipient row's text, in red when its message failed. */
function failedText(status: RowStatus, text: string) {
  return status === "failed" ? <span class="error">{text}</span> : text;
}

/** Messages that went out or ended (sent, delivered, read, failed, not sent). */
export function handled(p: Progress): number {
  return p.sent + p.delivered + p.read + p.failed + p.cancelled;
}

function DeleteForm({ ctx, b }: { ctx: PageContext; b: BroadcastView }) {
  const { t } = ctx;
  return (
    <form
      method="post"
      action={`/broadcasts/${b.id}/delete`}
      data-confirm={t("broadcasts.delete_confirm", { name: b.name })}
    >
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="danger">{t("broadcasts.action.delete")}</button>
    </form>
  );
}

/** `/broadcasts`: every broadcast, newest first. */
export function BroadcastsPage(
  { ctx, rows, nextHref }: { ctx: PageContext; rows: BroadcastView[]; nextHref?: string },
) {
  const { t } = ctx;
  const newButton = <a class="button" href="/broadcasts/new">{t("broadcasts.new")}</a>;
  const time = (ms: number | null) => ms === null ? "—" : <LocalTime ms={ms} ctx={ctx} />;
  return (
    <Layout ctx={ctx} title={t("nav.broadcasts")}>
      <PageHead
        title={t("nav.broadcasts")}
        intro={t("broadcasts.intro")}
        actions={rows.length ? newButton : undefined}
      />
      {rows.length === 0
        ? (
          <EmptyState
            title={t("broadcasts.empty_title")}
            body={t("broadcasts.empty_body")}
            action={newButton}
          />
        )
        : (
          <section class="card">
            <DataTable
              label={t("nav.broadcasts")}
              rows={rows}
              columns={[
                {
                  label: t("broadcasts.col.name"),
                  primary: true,
                  cell: (b) => <a href={`/broadcasts/${b.id}`}>{b.name}</a>,
                },
                { label: t("broadcasts.col.channel"), cell: (b) => b.channelName },
                {
                  label: t("broadcasts.col.status"),
                  cell: (b) => (
                    <>
                      <StatusBadge t={t} status={b.status} />
                      {b.wait
                        ? (
                          <div class="small muted">
                            {t(`broadcasts.wait_short.${b.wait.reason}`)}
                          </div>
                        )
                        : null}
                    </>
                  ),
                },
                { label: t("broadcasts.col.valid"), class: "nowrap", cell: (b) => b.counts.valid },
                {
                  label: t("broadcasts.col.sent"),
                  class: "nowrap",
                  cell: (b) => reached(b.progress, "sent"),
                },
                { label: t("broadcasts.col.read"), class: "nowrap", cell: (b) => b.progress.read },
                {
                  label: t("broadcasts.col.failed"),
                  class: "nowrap",
                  cell: (b) => b.progress.failed,
                },
                {
                  label: t("broadcasts.col.created"),
                  cell: (b) => (
                    <>
                      {time(b.createdAt)}
                      {b.createdByName ? ` · ${b.createdByName}` : null}
                    </>
                  ),
                },
                {
                  label: t("broadcasts.col.started"),
                  blank: (b) => b.startedAt === null,
                  cell: (b) => time(b.startedAt),
                },
                {
                  label: t("broadcasts.col.finished"),
                  blank: (b) => b.finishedAt === null,
                  cell: (b) => time(b.finishedAt),
                },
                {
                  label: t("broadcasts.col.actions"),
                  actions: true,
                  cell: (b) => (
                    <div class="row-actions">
                      <a class="button secondary" href={`/broadcasts/${b.id}`}>
                        {t("broadcasts.open")}
                      </a>
                      {EDITABLE.includes(b.status)
                        ? (
                          <a class="button secondary" href={`/broadcasts/${b.id}/edit`}>
                            {t("broadcasts.action.edit")}
                          </a>
                        )
                        : null}
                      {DELETABLE.includes(b.status) ? <DeleteForm ctx={ctx} b={b} /> : null}
                    </div>
                  ),
                },
              ]}
            />
            {nextHref
              ? (
                <p>
                  <a class="button secondary" href={nextHref}>{t("broadcasts.more")}</a>
                </p>
              )
              : null}
          </section>
        )}
    </Layout>
  );
}

/** Seconds as "about 2 h 5 min". */
export function durationText(t: Translate, seconds: number, waiting: number): string {
  if (waiting === 0) return t("broadcasts.review.estimate_none");
  if (seconds < 60) return t("broadcasts.review.under_minute");
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t("broadcasts.review.minutes", { m: minutes });
  return t("broadcasts.review.hours", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** The sending hours as the page's language writes times, with the zone: `08.00–20.00 WIB`. */
function windowText(ctx: PageContext, window: SendWindow | null, at: number): string {
  if (!window) return ctx.t("broadcasts.review.any_time");
  const time = (minutes: number) => formatTimeOfDayIn(minutes, ctx.lang);
  return `${time(window.start)}–${time(window.end)} ${zoneLabel(at, ctx)}`;
}

/** The buttons a broadcast's state allows (a live part: they change as it runs). */
function Actions({ ctx, b }: { ctx: PageContext; b: BroadcastView }) {
  const { t } = ctx;
  const step = (action: string, cls?: string, confirm?: string) => (
    <form method="post" action={`/broadcasts/${b.id}/${action}`} data-confirm={confirm}>
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class={cls}>
        {t(`broadcasts.action.${action}` as "broadcasts.action.start")}
      </button>
    </form>
  );
  const s = b.status;
  return (
    <div id="broadcast-actions" class="broadcast-actions">
      {s === "draft" ? step("confirm") : null}
      {s === "draft" && (b.channelKind === "whatsapp" || b.channelKind === "sandbox")
        ? (
          <form method="post" action={`/broadcasts/${b.id}/check-numbers`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="secondary">{t("broadcasts.action.check")}</button>
          </form>
        )
        : null}
      {s === "confirmed" || s === "scheduled" ? step("start") : null}
      {s === "running" ? step("pause", "secondary") : null}
      {s === "paused" ? step("resume") : null}
      {EDITABLE.includes(s)
        ? (
          <a class="button secondary" href={`/broadcasts/${b.id}/edit`}>
            {t("broadcasts.action.edit")}
          </a>
        )
        : null}
      {b.progress.failed > 0 ? step("retry", "secondary") : null}
      {["confirmed", "scheduled", "running", "paused"].includes(s)
        ? step("cancel", "danger", t("broadcasts.action.cancel_confirm", { name: b.name }))
        : null}
      {DELETABLE.includes(s) ? <DeleteForm ctx={ctx} b={b} /> : null}
    </div>
  );
}

function ProgressPanel({ t, b }: { t: Translate; b: BroadcastView }) {
  const total = b.counts.valid;
  const done = handled(b.progress);
  const percent = total ? Math.floor((done / total) * 100) : 0;
  if (b.startedAt === null) {
    return (
      <section id="broadcast-progress" class="card" aria-labelledby="broadcast-progress-title">
        <h2 id="broadcast-progress-title">{t("broadcasts.review.progress")}</h2>
        <p class="muted">
          {t(
            b.status === "cancelled"
              ? "broadcasts.review.progress_never_started"
              : "broadcasts.review.progress_not_started",
          )}
        </p>
      </section>
    );
  }
  return (
    <section id="broadcast-progress" class="card" aria-labelledby="broadcast-progress-title">
      <h2 id="broadcast-progress-title">{t("broadcasts.review.progress")}</h2>
      <progress class="broadcast-bar" max={Math.max(total, 1)} value={done}>
        {percent} %
      </progress>
      <p class="progress-text">
        {t("broadcasts.review.progress_text", { done, total, percent })}
        {b.progress.failed > 0
          ? (
            <>
              {" · "}
              <a class="error" href={`/broadcasts/${b.id}/recipients?status=failed`}>
                {t("broadcasts.review.progress_failed", { count: b.progress.failed })}
              </a>
            </>
          )
          : null}
      </p>
      {b.rate ? <p id="broadcast-rate">{rateText(t, b.rate)}</p> : null}
      <dl class="facts progress-counts">
        {PROGRESS_ORDER.map((bucket) => {
          const count = reached(b.progress, bucket);
          return (
            <>
              <dt>{t(`broadcasts.progress.${bucket}`)}</dt>
              <dd data-bucket={bucket}>
                {count > 0 && (bucket === "failed" || bucket === "cancelled")
                  ? (
                    <a
                      class={bucket === "failed" ? "error" : undefined}
                      href={`/broadcasts/${b.id}/recipients?status=${bucket}`}
                    >
                      {count}
                    </a>
                  )
                  : count}
              </dd>
            </>
          );
        })}
      </dl>
      <p class="small muted">{t("broadcasts.review.progress_reached")}</p>
    </section>
  );
}

/** A running broadcast's current rate: a minute, or an hour when under one a minute. */
function rateText(t: Translate, rate: SendRate): string {
  const { perMinute, minutes } = rate;
  if (perMinute === 0) return t("broadcasts.review.rate_none", { minutes });
  return perMinute >= 1
    ? t("broadcasts.review.rate_minute", { rate: Math.round(perMinute), minutes })
    : t("broadcasts.review.rate_hour", { rate: Math.round(perMinute * 60), minutes });
}

function StatusLine({ ctx, b }: { ctx: PageContext; b: BroadcastView }) {
  const { t } = ctx;
  const next = b.status === "draft" || b.status === "confirmed" || b.status === "scheduled"
    ? t(`broadcasts.review.next_step.${b.status}`)
    : b.status === "finished" || b.status === "cancelled"
    ? t("broadcasts.review.outcome", {
      sent: reached(b.progress, "sent"),
      failed: b.progress.failed,
      cancelled: b.progress.cancelled,
    })
    : null;
  return (
    <div id="broadcast-state" class="status-line" data-state={b.status}>
      <StatusBadge t={t} status={b.status} />
      {next ? <span class="muted">{` ${next}`}</span> : null}
      {b.wait ? <span class="waiting">{` ${waitText(ctx, b, b.wait)}`}</span> : null}
    </div>
  );
}

/** Why a running broadcast sends nothing now, and when it goes on (or that it stops first). */
function waitText(ctx: PageContext, b: BroadcastView, wait: BroadcastWait): string {
  const { t } = ctx;
  const why = t(`broadcasts.wait.${wait.reason}`, {
    hours: windowText(ctx, b.window, wait.until ?? wait.stopsAt ?? b.createdAt),
  });
  const then = wait.stopsAt !== null
    ? t("broadcasts.wait_until.stops_first", { time: formatTimeWithZone(wait.stopsAt, ctx) })
    : wait.until !== null
    ? t("broadcasts.wait_until.goes_on", { time: formatTimeWithZone(wait.until, ctx) })
    : t("broadcasts.wait_until.connected");
  return `${why} ${then}`;
}

/** Whether the broadcast has been started: the review then speaks of what happened. */
function started(b: BroadcastView): boolean {
  return b.startedAt !== null;
}

/** How long it will take, has left, or took from start to end (pauses and nights included). */
function Estimate({ t, b }: { t: Translate; b: BroadcastView }) {
  const over = started(b) && (b.status === "finished" || b.status === "cancelled");
  const label = over
    ? t("broadcasts.review.took")
    : started(b)
    ? t("broadcasts.review.time_left")
    : t("broadcasts.review.estimate");
  const value = over
    ? tookText(t, b)
    : durationText(t, b.estimatedSeconds, b.progress.queued + b.progress.sending);
  return (
    <div id="broadcast-estimate">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function tookText(t: Translate, b: BroadcastView): string {
  if (b.startedAt === null || b.finishedAt === null) return "—";
  const minutes = Math.round((b.finishedAt - b.startedAt) / 60_000);
  if (minutes < 1) return t("broadcasts.review.took_under_minute");
  if (minutes < 60) return t("broadcasts.review.took_minutes", { m: minutes });
  return t("broadcasts.review.took_hours", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** The list's count of recipients: who will receive it, then who it was for. */
function RecipientCount({ t, b }: { t: Translate; b: BroadcastView }) {
  return (
    <div id="broadcast-valid">
      <dt>{t(started(b) ? "broadcasts.review.recipients" : "broadcasts.review.valid")}</dt>
      <dd>
        <strong>{b.counts.valid}</strong>
      </dd>
    </div>
  );
}

function PreviewTitle({ t, b }: { t: Translate; b: BroadcastView }) {
  return (
    <h2 id="broadcast-preview">
      {t(started(b) ? "broadcasts.review.preview_sent" : "broadcasts.review.preview")}
    </h2>
  );
}

function fact(label: string, value: Child) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

/** What the broadcast is and when it started, ended and was made; its times fill in as it runs. */
function DetailFacts({ ctx, b }: { ctx: PageContext; b: BroadcastView }) {
  const { t } = ctx;
  return (
    <dl id="broadcast-details-facts" class="facts">
      {fact(t("broadcasts.review.channel"), b.channelName)}
      {b.templateName ? fact(t("broadcasts.review.template"), b.templateName) : null}
      {b.mediaName ? fact(t("broadcasts.review.attachment"), b.mediaName) : null}
      {fact(t("broadcasts.review.window"), windowText(ctx, b.window, b.createdAt))}
      {b.startedAt === null
        ? fact(
          t("broadcasts.review.schedule"),
          b.scheduledAt === null
            ? t("broadcasts.review.by_hand")
            : <LocalTime ms={b.scheduledAt} ctx={ctx} />,
        )
        : fact(t("broadcasts.col.started"), <LocalTime ms={b.startedAt} ctx={ctx} />)}
      {b.finishedAt === null
        ? null
        : fact(t("broadcasts.col.finished"), <LocalTime ms={b.finishedAt} ctx={ctx} />)}
      {b.stopAfter === null
        ? null
        : fact(t("broadcasts.review.stop"), <LocalTime ms={b.stopAfter} ctx={ctx} />)}
      {fact(
        t("broadcasts.review.made"),
        <>
          <LocalTime ms={b.createdAt} ctx={ctx} />
          {b.createdByName ? ` · ${b.createdByName}` : null}
        </>,
      )}
    </dl>
  );
}

/** The parts of the review that move while the broadcast runs. */
export function broadcastParts(ctx: PageContext, b: BroadcastView): LivePart[] {
  return [
    { id: "broadcast-state", node: <StatusLine ctx={ctx} b={b} /> },
    { id: "broadcast-valid", node: <RecipientCount t={ctx.t} b={b} /> },
    { id: "broadcast-preview", node: <PreviewTitle t={ctx.t} b={b} /> },
    { id: "broadcast-actions", node: <Actions ctx={ctx} b={b} /> },
    { id: "broadcast-estimate", node: <Estimate t={ctx.t} b={b} /> },
    { id: "broadcast-details-facts", node: <DetailFacts ctx={ctx} b={b} /> },
    { id: "broadcast-progress", node: <ProgressPanel t={ctx.t} b={b} /> },
  ];
}

/** `/broadcasts/{id}`: the list's counts, the message as three recipients see it, and progress. */
export function BroadcastReviewPage(
  { ctx, b, previews }: {
    ctx: PageContext;
    b: BroadcastView;
    previews: Array<{ to: string; text: string }>;
  },
) {
  const { t } = ctx;
  const c = b.counts;
  const leftOut = c.invalid + c.duplicates + c.opted_out + c.not_on_whatsapp;
  // What a step's message says ("Sending has started.") holds until the state changes.
  const flash = ctx.flash && { ...ctx.flash, until: "broadcast-state" };
  return (
    <Layout ctx={{ ...ctx, flash }} title={b.name}>
      <div id="live" data-live={`/broadcasts/${b.id}/live`}>
        <PageHead
          title={b.name}
          actions={<a class="button secondary" href="/broadcasts">{t("common.back")}</a>}
        />
        <section class="card">
          <StatusLine ctx={ctx} b={b} />
          <Actions ctx={ctx} b={b} />
        </section>
        {/* Once it has started, what happened comes first. */}
        {started(b) ? <ProgressPanel t={t} b={b} /> : null}
        <div class="broadcast-columns">
          <section class="card" aria-labelledby="broadcast-counts">
            <h2 id="broadcast-counts">{t("broadcasts.review.counts")}</h2>
            <dl class="facts">
              <RecipientCount t={t} b={b} />
              {fact(t("broadcasts.review.invalid"), c.invalid)}
              {fact(t("broadcasts.review.duplicates"), c.duplicates)}
              {fact(t("broadcasts.review.opted_out"), c.opted_out)}
              {c.not_on_whatsapp || b.channelKind === "whatsapp" || b.channelKind === "sandbox"
                ? fact(
                  t("broadcasts.review.not_on_whatsapp"),
                  c.not_on_whatsapp
                    ? (
                      <a href={`/broadcasts/${b.id}/recipients?status=not_on_whatsapp`}>
                        {c.not_on_whatsapp}
                      </a>
                    )
                    : 0,
                )
                : null}
              <Estimate t={t} b={b} />
            </dl>
            <p class="broadcast-links">
              {leftOut
                ? (
                  <a href={`/broadcasts/${b.id}/recipients?status=left_out`}>
                    {t("broadcasts.review.left_out_link")}
                  </a>
                )
                : null}
              {leftOut ? " · " : null}
              <a href={`/broadcasts/${b.id}/recipients`}>{t("broadcasts.review.all_link")}</a>
            </p>
            <p class="broadcast-downloads">
              {t("broadcasts.review.report")}{" "}
              <a href={`/broadcasts/${b.id}/report.xlsx`} download>
                {t("broadcasts.review.report_xlsx")}
              </a>
              {" · "}
              <a href={`/broadcasts/${b.id}/report.csv`} download>
                {t("broadcasts.review.report_csv")}
              </a>
            </p>
          </section>
          <section class="card" aria-labelledby="broadcast-details">
            <h2 id="broadcast-details">{t("broadcasts.review.details")}</h2>
            <DetailFacts ctx={ctx} b={b} />
          </section>
        </div>
        <section class="card" aria-labelledby="broadcast-preview">
          <PreviewTitle t={t} b={b} />
          {previews.length === 0
            ? <p class="muted">{t("broadcasts.review.preview_none")}</p>
            : (
              <div class="broadcast-previews">
                {previews.map((p) => (
                  <figure class="broadcast-preview">
                    <figcaption class="small muted">
                      {t("broadcasts.review.preview_to", { who: p.to })}
                    </figcaption>
                    <p class="bubble-text">{p.text}</p>
                  </figure>
                ))}
              </div>
            )}
        </section>
        {started(b) ? null : <ProgressPanel t={t} b={b} />}
      </div>
    </Layout>
  );
}

/** A row of the recipients page. */
export interface RecipientRowView {
  row: number;
  number: string;
  name: string | null;
  status: RowStatus;
  at: number | null;
  reason: string | null;
  /** The reason's stable code, as the API and the report give it. */
  code: string | null;
  /** The row's own values for the message's `{{variables}}`. */
  variables: Record<string, string>;
}

/** `/broadcasts/{id}/recipients`: each row with its status and why it was left out or failed. */
export function BroadcastRecipientsPage(
  { ctx, b, rows, status, nextHref }: {
    ctx: PageContext;
    b: { id: number; name: string };
    rows: RecipientRowView[];
    status: RecipientFilter | "";
    nextHref?: string;
  },
) {
  const { t } = ctx;
  const statusText = (s: RowStatus) => recipientStatusText(t, s);
  return (
    <Layout ctx={ctx} title={t("broadcasts.recipients.title", { name: b.name })}>
      <PageHead
        title={t("broadcasts.recipients.title", { name: b.name })}
        actions={
          <a class="button secondary" href={`/broadcasts/${b.id}`}>
            {t("broadcasts.recipients.back")}
          </a>
        }
      />
      <section class="card">
        <form
          method="get"
          action={`/broadcasts/${b.id}/recipients`}
          class="filters broadcast-filters"
        >
          <div class="field">
            <label for="status">{t("broadcasts.recipients.filter")}</label>
            <select id="status" name="status" data-autosubmit="">
              <option value="" selected={status === ""}>{t("broadcasts.recipients.all")}</option>
              <option value="left_out" selected={status === "left_out"}>
                {t("broadcasts.recipients.left_out")}
              </option>
              {ROW_STATUSES.map((s) => (
                <option value={s} selected={s === status}>
                  {s === "sent"
                    ? t("broadcasts.recipients.only_sent")
                    : s === "delivered"
                    ? t("broadcasts.recipients.only_delivered")
                    : statusText(s)}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit" class="secondary">{t("broadcasts.recipients.apply")}</button>
          </div>
        </form>
        <DataTable
          label={t("broadcasts.recipients.title", { name: b.name })}
          rows={rows}
          empty={t("broadcasts.recipients.empty")}
          columns={[
            { label: t("broadcasts.recipients.row"), class: "mono muted", cell: (r) => r.row },
            {
              label: t("broadcasts.recipients.number"),
              primary: true,
              class: "mono phone-number",
              long: true,
              cell: (r) => r.number || "—",
            },
            { label: t("broadcasts.recipients.name"), cell: (r) => r.name ?? "—" },
            {
              label: t("broadcasts.recipients.variables"),
              blank: (r) => Object.keys(r.variables).length === 0,
              cell: (r) =>
                Object.keys(r.variables).length === 0 ? "—" : (
                  <span class="variables">
                    {Object.entries(r.variables).map(([name, value]) => (
                      <span>
                        <span class="muted">{name}:</span> {value}
                      </span>
                    ))}
                  </span>
                ),
            },
            {
              label: t("broadcasts.recipients.status"),
              cell: (r) => failedText(r.status, statusText(r.status)),
            },
            {
              label: t("broadcasts.recipients.time"),
              blank: (r) => r.at === null,
              cell: (r) => r.at === null ? "—" : <LocalTime ms={r.at} ctx={ctx} />,
            },
            {
              label: t("broadcasts.recipients.reason"),
              wide: true,
              blank: (r) => r.reason === null,
              cell: (r) => (
                <>
                  {failedText(r.status, r.reason ?? "—")}
                  {r.code ? <span class="mono muted reason-code">{r.code}</span> : null}
                </>
              ),
            },
          ]}
        />
        {nextHref
          ? (
            <p>
              <a class="button secondary" href={nextHref}>{t("broadcasts.recipients.next")}</a>
            </p>
          )
          : null}
      </section>
    </Layout>
  );
}
