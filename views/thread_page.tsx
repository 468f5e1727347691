import type { ConversationStatus } from "../core/conversation_status.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import { CsrfField, FormErrorSummary, TextAreaField } from "./form_fields.tsx";
import { PostForm } from "./kit/post_form.tsx";
import type { MessageKey } from "../core/i18n.ts";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import { LabelDot, type LabelView } from "./inbox_page.tsx";
import type { LivePart } from "./live_part.ts";
import type { PageContext } from "./page_context.ts";

/** The conversation as its page heads it. */
export interface ThreadHead {
  id: number;
  status: ConversationStatus;
  contactName: string | null;
  contactAddress: string | null;
  channelName: string;
  assigneeName: string | null;
  /** Whether it is assigned to the one looking. */
  mine: boolean;
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
  source: string | null;
  media: { id: string; fileName: string | null; size: number } | null;
}

const STATUS_KEYS: Record<string, MessageKey> = {
  queued: "thread.status.queued",
  sending: "thread.status.sending",
  sent: "thread.status.sent",
  delivered: "thread.status.delivered",
  read: "thread.status.read",
};

/** A file's size as people read it: 850 B, 12.5 kB, 3.4 MB. */
function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `/inbox/{id}`: a conversation's messages, oldest first, earlier ones a page back. */
export function ThreadPage(
  { ctx, head, items, olderHref, reply, live, labels, allLabels }: {
    ctx: PageContext;
    head: ThreadHead;
    items: ThreadItem[];
    olderHref?: string;
    /** The newest page: it updates itself as messages come and go. */
    live: boolean;
    /** The conversation's labels, and every label there is to add. */
    labels: LabelView[];
    allLabels: LabelView[];
    /** A reply that could not be sent: what was typed, and why. */
    reply?: { values: FormValues; errors: FieldErrors };
  },
) {
  const { t } = ctx;
  const name = head.contactName?.trim() || head.contactAddress || "—";
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
          head.assigneeName ?? t("inbox.unassigned"),
        ].filter(Boolean).join(" · ")}
      />
      <section class="card thread" aria-label={t("thread.messages")}>
        {/* The newest page updates itself: new messages and their ticks, never the reply box. */}
        {live ? <div id="live" data-live={`/inbox/${head.id}/live`} hidden /> : null}
        {olderHref
          ? (
            <p>
              <a class="button secondary" href={olderHref}>{t("thread.older")}</a>
            </p>
          )
          : null}
        <ThreadMessages ctx={ctx} head={head} items={items} />
      </section>
      <section class="card" aria-label={t("thread.reply")}>
        <FormErrorSummary t={t} errors={reply?.errors} />
        <PostForm
          csrfToken={ctx.csrfToken}
          action={`/inbox/${head.id}/reply`}
          submit={t("thread.send")}
          class="reply-form"
        >
          <TextAreaField
            t={t}
            name="text"
            label={t("thread.reply")}
            hint={t("thread.reply_hint")}
            values={reply?.values}
            errors={reply?.errors}
            rows={3}
          />
        </PostForm>
      </section>
      <ThreadLabels ctx={ctx} head={head} labels={labels} allLabels={allLabels} />
    </Layout>
  );
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
    </>
  );
}

/** The id of the thread's messages: the part a live update replaces. */
export const THREAD_MESSAGES_ID = "thread-messages";

/** The thread's messages, oldest first: drawn alike by the page and by its live updates. */
export function threadMessagesPart(
  ctx: PageContext,
  head: ThreadHead,
  items: ThreadItem[],
): LivePart {
  return {
    id: THREAD_MESSAGES_ID,
    node: <ThreadMessages ctx={ctx} head={head} items={items} />,
    inner: items.map((m) => ({
      id: `message-${m.id}`,
      node: <ThreadBubble ctx={ctx} head={head} m={m} />,
    })),
  };
}

export function ThreadMessages(
  { ctx, head, items }: { ctx: PageContext; head: ThreadHead; items: ThreadItem[] },
) {
  const { t } = ctx;
  return (
    <ol class="thread-messages" id={THREAD_MESSAGES_ID}>
      {items.length === 0 ? <li class="muted">{t("thread.empty")}</li> : null}
      {items.map((m) => <ThreadBubble ctx={ctx} head={head} m={m} />)}
    </ol>
  );
}

/** One message of the thread. */
function ThreadBubble({ ctx, head, m }: { ctx: PageContext; head: ThreadHead; m: ThreadItem }) {
  const { t } = ctx;
  return (
    <li class={m.outbound ? "bubble out" : "bubble in"} id={`message-${m.id}`}>
      {m.text !== null
        ? <p class="bubble-text">{m.text}</p>
        : m.media
        ? null
        : <p class="bubble-text muted">[{m.type}]</p>}
      {m.media
        ? (
          <p class="bubble-file">
            <a href={`/inbox/${head.id}/media/${m.id}`}>
              {t("thread.file", {
                name: m.media.fileName ?? m.type,
                size: fileSize(m.media.size),
              })}
            </a>
          </p>
        )
        : null}
      <p class="bubble-meta small muted">
        <LocalTime ms={m.at} ctx={ctx} />
        {m.outbound
          ? (
            <>
              {" · "}
              {m.author
                ? t("thread.sent_by", { name: m.author })
                : m.source
                ? t("thread.sent_by_system", { source: m.source })
                : null}
              {" · "}
              <span class={m.status === "failed" ? "error" : undefined}>
                {m.status === "failed"
                  ? t("thread.status.failed", { reason: m.error ?? "?" })
                  : STATUS_KEYS[m.status]
                  ? t(STATUS_KEYS[m.status])
                  : m.status}
              </span>
            </>
          )
          : null}
      </p>
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
