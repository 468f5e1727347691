import type { MessageSource } from "../core/message_source.ts";
import type { ActivityKind } from "../core/activity_kind.ts";
import type { ConversationStatus } from "../core/conversation_status.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey, Translate } from "../core/i18n.ts";
import { CsrfField, errorMessage, FormErrorSummary } from "./form_fields.tsx";
import { LabelDot } from "./kit/label_dot.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { LabelView } from "./inbox_page.tsx";
import type { LivePart } from "./live_part.ts";
import type { PageContext } from "./page_context.ts";
import { sendReasonText } from "../core/send_reason.ts";

/** The conversation as its page heads it. */
export interface ThreadHead {
  id: number;
  status: ConversationStatus;
  contactId: number;
  contactName: string | null;
  contactAddress: string | null;
  channelName: string;
  assignee: { id: number; name: string } | null;
  department: { id: number; name: string } | null;
  /** Whether it is assigned to the one looking. */
  mine: boolean;
  unreadCount: number;
}

/** One message of the thread. */
export interface ThreadItem {
  id: number;
  outbound: boolean;
  type: string;
  text: string | null;
  status: string;
  error: string | null;
  at: number;
  author: string | null;
  source: MessageSource | null;
  media: { id: string; mimeType: string; fileName: string | null; size: number } | null;
  /** The failed message this one sends again. */
  retryOfId: number | null;
  /** A failed message already sent again (no second Retry). */
  retried: boolean;
}

/** One line of the thread: a message, a private note, or what someone did. */
export type ThreadEntry =
  | { kind: "message"; message: ThreadItem }
  | { kind: "note"; id: number; at: number; author: string | null; text: string }
  | {
    kind: "activity";
    id: number;
    at: number;
    activity: ActivityKind;
    actor: string | null;
    details: Record<string, string>;
  };

/** A quick reply the `/` picker offers, its variables already filled where known. */
export interface QuickReplyOption {
  shortcut: string | null;
  name: string;
  text: string;
}

/** Someone else on the conversation now. */
export interface PresenceView {
  name: string;
  typing: boolean;
}

/** What the assign and department choices offer. */
export interface ThreadChoices {
  people: Array<{ id: number; name: string }>;
  departments: Array<{ id: number; name: string }>;
}

const STATUS_KEYS: Record<string, MessageKey> = {
  queued: "thread.status.queued",
  sending: "thread.status.sending",
  sent: "thread.status.sent",
  delivered: "thread.status.delivered",
  read: "thread.status.read",
};

/** Ticks as the phone shows them: one for sent, two for delivered, two blue for read. */
const TICKS: Record<string, string> = {
  sent: "✓",
  delivered: "✓✓",
  read: "✓✓",
};

/** A file's size as people read it: 850 B, 12.5 kB, 3.4 MB. */
function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `/inbox/{id}`: a conversation's messages, notes and system lines, oldest first. */
export function ThreadPage(
  {
    ctx,
    head,
    entries,
    olderHref,
    reply,
    live,
    labels,
    allLabels,
    choices,
    quickReplies,
    presence,
    mediaMaxBytes,
  }: {
    ctx: PageContext;
    head: ThreadHead;
    entries: ThreadEntry[];
    olderHref?: string;
    /** The newest page: it updates itself as messages come and go. */
    live: boolean;
    /** The conversation's labels, and every label there is to add. */
    labels: LabelView[];
    allLabels: LabelView[];
    choices: ThreadChoices;
    quickReplies: QuickReplyOption[];
    presence: PresenceView[];
    /** The largest file a reply may carry (checked in the browser before uploading, too). */
    mediaMaxBytes: number;
    /** A reply or note that could not be sent: what was typed, and why. */
    reply?: { values: FormValues; errors: FieldErrors };
  },
) {
  const { t } = ctx;
  const name = head.contactName?.trim() || head.contactAddress || "—";
  const mb = Math.round(mediaMaxBytes / 1024 / 1024);
  return (
    <Layout ctx={ctx} title={name}>
      <p class="small">
        <a href="/inbox">← {t("thread.back")}</a>
      </p>
      <PageHead
        actions={<ThreadActions ctx={ctx} head={head} />}
        title={name}
        intro={[
          head.contactName?.trim() ? head.contactAddress : null,
          head.channelName,
          head.assignee?.name ?? t("inbox.unassigned"),
          head.department?.name,
        ].filter(Boolean).join(" · ")}
      />
      <p class="small">
        <a href={`/contacts/${head.contactId}`}>{t("thread.contact_page")}</a>
      </p>
      <ThreadPresence ctx={ctx} people={presence} />
      <section class="card thread" aria-label={t("thread.messages")}>
        {/* The newest page updates itself: new messages and their ticks, never the reply box. */}
        {live
          ? <div id="live" data-live={`/inbox/${head.id}/live`} data-presence={head.id} hidden />
          : null}
        {olderHref
          ? (
            <p>
              <a class="button secondary" href={olderHref}>{t("thread.older")}</a>
            </p>
          )
          : null}
        <ThreadMessages ctx={ctx} head={head} entries={entries} />
      </section>
      <section class="card" aria-label={t("thread.reply")}>
        <FormErrorSummary t={t} errors={reply?.errors} />
        <form
          method="post"
          action={`/inbox/${head.id}/reply`}
          enctype="multipart/form-data"
          class="form reply-form"
          novalidate
        >
          <CsrfField token={ctx.csrfToken} />
          <div class="field">
            <label for="text">{t("thread.reply")}</label>
            <textarea
              id="text"
              name="text"
              rows={3}
              aria-invalid={reply?.errors.text ? "true" : undefined}
              aria-describedby="text-hint"
              aria-autocomplete="list"
              aria-controls="quick-reply-list"
            >
              {typeof reply?.values.text === "string" ? reply.values.text : ""}
            </textarea>
            <span class="hint" id="text-hint">
              {quickReplies.length ? t("thread.reply_hint_quick") : t("thread.reply_hint")}
            </span>
            {reply?.errors.text ? <FieldErrorText t={t} errors={reply.errors} name="text" /> : null}
            <ul id="quick-reply-list" class="quick-replies" role="listbox" hidden>
              {quickReplies.map((q) => (
                <li
                  role="option"
                  data-shortcut={q.shortcut ?? ""}
                  data-name={q.name}
                  data-text={q.text}
                >
                  <strong>{q.shortcut ?? q.name}</strong> <span class="muted">{q.name}</span>
                  <span class="quick-reply-text">{q.text}</span>
                </li>
              ))}
            </ul>
          </div>
          <div class="field">
            <label for="file">{t("thread.attach")}</label>
            <input
              id="file"
              name="file"
              type="file"
              accept="image/*,audio/*,video/*,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.csv,.zip"
              data-max-bytes={String(mediaMaxBytes)}
              data-too-large={t("err.file_too_large", { mb })}
              aria-describedby="file-hint"
            />
            <span class="hint" id="file-hint">{t("thread.attach_hint", { mb })}</span>
            {reply?.errors.file ? <FieldErrorText t={t} errors={reply.errors} name="file" /> : null}
          </div>
          <div class="actions">
            <button type="submit">{t("thread.send")}</button>
            <button
              type="submit"
              class="secondary note-button"
              formaction={`/inbox/${head.id}/notes`}
            >
              {t("thread.save_note")}
            </button>
          </div>
        </form>
      </section>
      <ThreadWork ctx={ctx} head={head} choices={choices} />
      <ThreadLabels ctx={ctx} head={head} labels={labels} allLabels={allLabels} />
    </Layout>
  );
}

function FieldErrorText(
  { t, errors, name }: { t: Translate; errors: FieldErrors; name: string },
) {
  const error = errors[name];
  return error ? <span class="error" role="alert">{errorMessage(t, error)}</span> : null;
}

/** Taking, leaving and resolving the conversation: one button each, posting its form. */
function ThreadActions({ ctx, head }: { ctx: PageContext; head: ThreadHead }) {
  const { t } = ctx;
  const button = (path: string, field: string, value: string, label: string, primary = false) => (
    <form method="post" action={`/inbox/${head.id}/${path}`} class="inline-form">
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name={field} value={value} />
      <button type="submit" class={primary ? undefined : "secondary"}>{label}</button>
    </form>
  );
  return (
    <>
      {head.mine
        ? button("assign", "assignee", "none", t("thread.release"))
        : button("assign", "assignee", "me", t("thread.take"), true)}
      {head.status === "resolved"
        ? button("status", "status", "open", t("thread.reopen"))
        : button("status", "status", "resolved", t("thread.resolve"))}
      {head.status === "open" ? button("status", "status", "pending", t("thread.pending")) : null}
      {button("unread", "unread", "1", t("thread.mark_unread"))}
    </>
  );
}

/** Giving the conversation to a colleague or a department. */
function ThreadWork(
  { ctx, head, choices }: { ctx: PageContext; head: ThreadHead; choices: ThreadChoices },
) {
  const { t } = ctx;
  return (
    <section class="card" aria-labelledby="thread-work">
      <h2 id="thread-work">{t("thread.work")}</h2>
      <div class="work-forms">
        <form method="post" action={`/inbox/${head.id}/assign`} class="filters" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <div class="field">
            <label for="assignee">{t("thread.assign_to")}</label>
            <select id="assignee" name="assignee">
              <option value="none" selected={head.assignee === null}>
                {t("inbox.assignee.none")}
              </option>
              {choices.people.map((p) => (
                <option value={String(p.id)} selected={head.assignee?.id === p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit" class="secondary">{t("thread.assign")}</button>
          </div>
        </form>
        {choices.departments.length
          ? (
            <form method="post" action={`/inbox/${head.id}/department`} class="filters" novalidate>
              <CsrfField token={ctx.csrfToken} />
              <div class="field">
                <label for="department">{t("thread.department")}</label>
                <select id="department" name="department">
                  <option value="none" selected={head.department === null}>
                    {t("thread.no_department")}
                  </option>
                  {choices.departments.map((d) => (
                    <option value={String(d.id)} selected={head.department?.id === d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class="actions">
                <button type="submit" class="secondary">{t("thread.move")}</button>
              </div>
            </form>
          )
          : null}
      </div>
    </section>
  );
}

/** The id of the "who else is here" line: a live part. */
export const THREAD_PRESENCE_ID = "thread-presence";

/** Who else has the conversation open, and who is typing: so two people do not both answer. */
export function ThreadPresence({ ctx, people }: { ctx: PageContext; people: PresenceView[] }) {
  const { t } = ctx;
  const typing = people.filter((p) => p.typing).map((p) => p.name);
  const viewing = people.filter((p) => !p.typing).map((p) => p.name);
  return (
    <p
      id={THREAD_PRESENCE_ID}
      class={typing.length ? "presence typing" : "presence"}
      aria-live="polite"
    >
      {typing.length ? t("thread.typing", { names: typing.join(", ") }) : null}
      {typing.length && viewing.length ? " · " : null}
      {viewing.length ? t("thread.viewing", { names: viewing.join(", ") }) : null}
    </p>
  );
}

/** The id of the thread's messages: the part a live update replaces. */
export const THREAD_MESSAGES_ID = "thread-messages";

const entryId = (entry: ThreadEntry) =>
  entry.kind === "message" ? `message-${entry.message.id}` : `${entry.kind}-${entry.id}`;

/** The thread's lines, oldest first: drawn alike by the page and by its live updates. */
export function threadMessagesPart(
  ctx: PageContext,
  head: ThreadHead,
  entries: ThreadEntry[],
): LivePart {
  return {
    id: THREAD_MESSAGES_ID,
    node: <ThreadMessages ctx={ctx} head={head} entries={entries} />,
    inner: entries.map((entry) => ({
      id: entryId(entry),
      node: <ThreadLine ctx={ctx} head={head} entry={entry} />,
    })),
  };
}

export function ThreadMessages(
  { ctx, head, entries }: { ctx: PageContext; head: ThreadHead; entries: ThreadEntry[] },
) {
  const { t } = ctx;
  return (
    <ol class="thread-messages" id={THREAD_MESSAGES_ID}>
      {entries.length === 0 ? <li class="muted">{t("thread.empty")}</li> : null}
      {entries.map((entry) => <ThreadLine ctx={ctx} head={head} entry={entry} />)}
    </ol>
  );
}

function ThreadLine(
  { ctx, head, entry }: { ctx: PageContext; head: ThreadHead; entry: ThreadEntry },
) {
  if (entry.kind === "message") return <ThreadBubble ctx={ctx} head={head} m={entry.message} />;
  if (entry.kind === "note") {
    return (
      <li class="bubble note" id={entryId(entry)}>
        <p class="note-label small">{ctx.t("thread.note_label")}</p>
        <p class="bubble-text">{entry.text}</p>
        <p class="bubble-meta small muted">
          <LocalTime ms={entry.at} ctx={ctx} />
          {" · "}
          {entry.author ?? "—"}
        </p>
      </li>
    );
  }
  return (
    <li class="system-line small muted" id={entryId(entry)}>
      {activitySentence(ctx.t, entry)} · <LocalTime ms={entry.at} ctx={ctx} />
    </li>
  );
}

/** A system line in words: "Assigned to Rina by Budi", "Reopened by the patient's message". */
export function activitySentence(
  t: Translate,
  entry: { activity: ActivityKind; actor: string | null; details: Record<string, string> },
): string {
  const actor = entry.actor ?? "Kabar";
  const name = entry.details.name ?? "";
  switch (entry.activity) {
    case "assigned":
      return t("thread.activity.assigned", { name, actor });
    case "unassigned":
      return t("thread.activity.unassigned", { actor });
    case "department":
      return name
        ? t("thread.activity.department", { name, actor })
        : t("thread.activity.department_cleared", { actor });
    case "labelled":
      return t("thread.activity.labelled", { name, actor });
    case "unlabelled":
      return t("thread.activity.unlabelled", { name, actor });
    case "status": {
      const status = entry.details.status;
      if (status === "open") {
        return entry.actor === null
          ? t("thread.activity.reopened_by_patient")
          : t("thread.activity.reopened", { actor });
      }
      return status === "resolved"
        ? t("thread.activity.resolved", { actor })
        : t("thread.activity.pending", { actor });
    }
  }
}

/** One message of the thread. */
function ThreadBubble({ ctx, head, m }: { ctx: PageContext; head: ThreadHead; m: ThreadItem }) {
  const { t } = ctx;
  const href = `/inbox/${head.id}/media/${m.id}`;
  const kind = m.media?.mimeType.split("/")[0];
  return (
    <li
      class={m.outbound
        ? (m.status === "failed" ? "bubble out failed" : "bubble out")
        : "bubble in"}
      id={`message-${m.id}`}
    >
      {m.media && kind === "image"
        ? (
          <a href={href} target="_blank" rel="noopener" class="bubble-image">
            <img src={href} alt={m.media.fileName ?? t("thread.image")} loading="lazy" />
          </a>
        )
        : m.media && kind === "audio"
        ? <audio controls preload="none" src={href} />
        : m.media && kind === "video"
        ? <video controls preload="none" src={href} class="bubble-video" />
        : null}
      {m.media
        ? (
          <p class="bubble-file">
            <a href={href} download={m.media.fileName ?? undefined}>
              {t("thread.file", { name: m.media.fileName ?? m.type, size: fileSize(m.media.size) })}
            </a>
          </p>
        )
        : null}
      {m.text !== null
        ? <p class="bubble-text">{m.text}</p>
        : m.media
        ? null
        : <p class="bubble-text muted">[{m.type}]</p>}
      <p class="bubble-meta small muted">
        <LocalTime ms={m.at} ctx={ctx} />
        {m.outbound
          ? (
            <>
              {" · "}
              {m.author
                ? t("thread.sent_by", { name: m.author })
                : m.source
                ? t("thread.sent_by_system", { source: t(`thread.source.${m.source}`) })
                : null}
              {m.retryOfId ? <>{" · "}{t("thread.is_retry")}</> : null}
              {" · "}
              {m.status === "failed"
                ? (
                  <span class="error">
                    {t("thread.status.failed", {
                      reason: m.error ? sendReasonText(t, m.error) : "?",
                    })}
                  </span>
                )
                : (
                  <span
                    class={`ticks status-${m.status}`}
                    title={t(STATUS_KEYS[m.status] ?? "thread.status.queued")}
                  >
                    <span aria-hidden="true">{TICKS[m.status] ?? ""}</span>{" "}
                    {STATUS_KEYS[m.status] ? t(STATUS_KEYS[m.status]) : m.status}
                  </span>
                )}
            </>
          )
          : null}
      </p>
      {m.status === "failed" && m.outbound && !m.retried
        ? (
          <form
            method="post"
            action={`/inbox/${head.id}/messages/${m.id}/retry`}
            class="inline-form"
          >
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="secondary small-button">{t("thread.retry")}</button>
          </form>
        )
        : null}
      {m.status === "failed" && m.retried ? <p class="small muted">{t("thread.retried")}</p> : null}
    </li>
  );
}

/** The conversation's labels, each with its remove button, and a form to add one. */
function ThreadLabels(
  { ctx, head, labels, allLabels }: {
    ctx: PageContext;
    head: ThreadHead;
    labels: LabelView[];
    allLabels: LabelView[];
  },
) {
  const { t } = ctx;
  const on = new Set(labels.map((l) => l.id));
  return (
    <section class="card" aria-labelledby="thread-labels">
      <h2 id="thread-labels">{t("thread.labels")}</h2>
      <div class="label-list">
        {labels.length === 0 ? <span class="muted">{t("thread.no_labels")}</span> : null}
        {labels.map((l) => (
          <form
            method="post"
            action={`/inbox/${head.id}/labels/${l.id}/remove`}
            class="inline-form label-chip"
          >
            <CsrfField token={ctx.csrfToken} />
            <LabelDot color={l.color} />
            {l.name}
            <button
              type="submit"
              class="link"
              aria-label={t("thread.label_remove", { name: l.name })}
            >
              ×
            </button>
          </form>
        ))}
      </div>
      <form method="post" action={`/inbox/${head.id}/labels`} class="filters" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for="label">{t("thread.label_pick")}</label>
          <select id="label" name="label">
            <option value="">—</option>
            {allLabels.filter((l) => !on.has(l.id)).map((l) => (
              <option value={String(l.id)}>{l.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="label-name">{t("thread.label_new")}</label>
          <input id="label-name" name="name" type="text" maxlength={40} />
        </div>
        <div class="field">
          <label for="label-color">{t("thread.label_color")}</label>
          <input id="label-color" name="color" type="color" value="#0f766e" />
        </div>
        <div class="actions">
          <button type="submit" class="secondary">{t("thread.label_add")}</button>
        </div>
      </form>
    </section>
  );
}
