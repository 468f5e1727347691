import { raw } from "hono/html";
import type { FieldErrors } from "../core/form.ts";
import type { ConversationStatus } from "../core/conversation_status.ts";
import type { MessageKey } from "../core/i18n.ts";
import { excerptParts } from "../core/search_excerpt.ts";
import { EmptyState } from "./empty_state.tsx";
import { CheckboxGroup, FormErrorSummary, SelectField, TextField } from "./form_fields.tsx";
import { zoneLabel } from "./format_time.ts";
import { LabelDot } from "./kit/label_dot.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** A label as the list shows it. */
export interface LabelView {
  id: number;
  name: string;
  color: string;
}

/** One conversation as the list shows it. */
export interface InboxRow {
  id: number;
  status: ConversationStatus;
  channelName: string;
  contactName: string | null;
  contactAddress: string | null;
  assigneeName: string | null;
  labels: LabelView[];
  unreadCount: number;
  lastMessage: {
    outbound: boolean;
    text: string | null;
    type: string;
    at: number;
    /** An outbound message that was not sent: the list says so, in red. */
    failed: boolean;
  } | null;
  lastActivityAt: number | null;
  /** With a search: the matching message's excerpt, its found words marked. */
  match?: string;
}

/** The choices the filters offer. */
export interface InboxChoices {
  channels: Array<{ id: number; name: string }>;
  people: Array<{ id: number; name: string }>;
  departments: Array<{ id: number; name: string }>;
  labels: LabelView[];
}

const STATUS_KEYS: Record<ConversationStatus | "all", MessageKey> = {
  open: "inbox.status.open",
  pending: "inbox.status.pending",
  resolved: "inbox.status.resolved",
  all: "inbox.status.all",
};

const EXCERPT_CHARS = 120;

/** `/inbox`: the conversations the viewer may see, filtered as the URL says, a page at a time. */
export function InboxPage(
  { ctx, rows, choices, values, errors, nextHref, now, filtered, liveHref }: {
    ctx: PageContext;
    rows: InboxRow[];
    choices: InboxChoices;
    /** The filter's values as given in the URL. */
    values: Record<string, string | string[]>;
    errors?: FieldErrors;
    /** The next page, keeping the filter; none on the last page. */
    nextHref?: string;
    /** The time now, to name the zone of the date filters (WIB). */
    now: number;
    /** Whether any filter narrows the list (an empty list then says so). */
    filtered: boolean;
    /** Where the first page hears of changes (none on later pages). */
    liveHref?: string;
  },
) {
  const { t } = ctx;
  const value = (name: string) => {
    const v = values[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const any: [string, string] = ["", t("inbox.filter.any")];
  return (
    <Layout ctx={ctx} title={t("nav.inbox")}>
      <PageHead
        title={t("nav.inbox")}
        intro={t("inbox.intro")}
        actions={<a class="button" href="/inbox/new">{t("inbox.new")}</a>}
      />
      <form method="get" action="/inbox" class="search-bar" role="search">
        {Object.entries(values).flatMap(([name, v]) =>
          name === "q"
            ? []
            : [v].flat().map((one) => <input type="hidden" name={name} value={one} />)
        )}
        <label for="inbox-q" class="sr-only">{t("inbox.search.label")}</label>
        <input
          id="inbox-q"
          type="search"
          name="q"
          value={value("q") ?? ""}
          placeholder={t("inbox.search.placeholder")}
          maxlength={200}
          autocomplete="off"
        />
        <button type="submit" class="secondary">{t("inbox.search.submit")}</button>
        {value("q")
          ? <a href={`/inbox?${withoutQuery(values)}`}>{t("inbox.search.clear")}</a>
          : null}
      </form>
      {/* A search alone leaves the filters folded: on a phone its results come first. */}
      <details
        class="card filters-box"
        open={errors !== undefined ||
          Object.keys(values).some((name) => name !== "q" && name !== "cursor")}
      >
        <summary>{t("inbox.filters")}</summary>
        <FormErrorSummary t={t} errors={errors} />
        <form method="get" action="/inbox" class="filters" novalidate>
          {value("q") ? <input type="hidden" name="q" value={value("q")} /> : null}
          <SelectField
            t={t}
            name="status"
            label={t("inbox.filter.status")}
            value={value("status") ?? "open"}
            options={(["open", "pending", "resolved", "all"] as const).map((s) => [
              s,
              t(STATUS_KEYS[s]),
            ])}
            errors={errors}
          />
          <SelectField
            t={t}
            name="assignee"
            label={t("inbox.filter.assignee")}
            value={value("assignee") ?? ""}
            options={[
              any,
              ["me", t("inbox.assignee.me")],
              ["none", t("inbox.assignee.none")],
              ...choices.people.map((p): [string, string] => [String(p.id), p.name]),
            ]}
            errors={errors}
          />
          <SelectField
            t={t}
            name="channel"
            label={t("inbox.filter.channel")}
            value={value("channel") ?? ""}
            options={[
              any,
              ...choices.channels.map((c): [string, string] => [String(c.id), c.name]),
            ]}
            errors={errors}
          />
          {choices.departments.length
            ? (
              <SelectField
                t={t}
                name="department"
                label={t("inbox.filter.department")}
                value={value("department") ?? ""}
                options={[
                  any,
                  ...choices.departments.map((d): [string, string] => [String(d.id), d.name]),
                ]}
                errors={errors}
              />
            )
            : null}
          <TextField
            t={t}
            type="date"
            name="since"
            label={t("inbox.filter.since")}
            values={{ since: value("since") ?? "" }}
            errors={errors}
          />
          <TextField
            t={t}
            type="date"
            name="until"
            label={t("inbox.filter.until")}
            values={{ until: value("until") ?? "" }}
            errors={errors}
          />
          <SelectField
            t={t}
            name="sort"
            label={t("inbox.filter.sort")}
            value={value("sort") ?? "activity"}
            options={[
              ["activity", t("inbox.sort.activity")],
              ["waiting", t("inbox.sort.waiting")],
            ]}
            errors={errors}
          />
          {choices.labels.length
            ? (
              <CheckboxGroup
                t={t}
                name="label"
                label={t("inbox.filter.labels")}
                options={choices.labels.map((l): [string, string] => [String(l.id), l.name])}
                checked={[values.label ?? []].flat()}
                errors={errors}
              />
            )
            : null}
          <div class="field">
            <div class="checks">
              <label>
                <input type="checkbox" name="unread" value="1" checked={value("unread") === "1"} />
                {t("inbox.filter.unread")}
              </label>
            </div>
          </div>
          <div class="actions">
            <button type="submit" class="secondary">{t("inbox.filter.apply")}</button>
            {filtered ? <a href="/inbox">{t("inbox.filter.clear")}</a> : null}
          </div>
          <p class="hint small muted">{t("audit.filter.hint", { zone: zoneLabel(now, ctx) })}</p>
        </form>
      </details>
      {errors
        ? null
        : <InboxResults ctx={ctx} rows={rows} nextHref={nextHref} filtered={filtered} />}
      {liveHref ? <div id="live" data-live={liveHref} hidden /> : null}
    </Layout>
  );
}

/** The filter's values without the search, for the link that clears it. */
function withoutQuery(values: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, v] of Object.entries(values)) {
    if (name !== "q") { for (const one of [v].flat()) params.append(name, one); }
  }
  return params.toString();
}

/** One conversation of the list: drawn by the list, and alone for live lists to share. */
export function ConversationItem({ ctx, row }: { ctx: PageContext; row: InboxRow }) {
  const { t } = ctx;
  const last = row.lastMessage;
  const excerpt = last
    ? (last.text ?? t("inbox.no_text", { type: last.type })).slice(0, EXCERPT_CHARS)
    : "";
  const at = row.lastActivityAt ?? last?.at;
  const name = row.contactName?.trim() || null;
  return (
    <li
      id={`conversation-${row.id}`}
      class={row.unreadCount > 0 ? "conversation unread" : "conversation"}
    >
      <a href={`/inbox/${row.id}`}>
        <span class="conversation-head">
          <strong class="conversation-name">{name ?? row.contactAddress ?? "—"}</strong>
          {at ? <LocalTime ms={at} ctx={ctx} /> : null}
        </span>
        {row.match !== undefined
          ? (
            <span class="conversation-excerpt match">
              {excerptParts(row.match).map((part) =>
                part.marked ? <mark>{part.text}</mark> : part.text
              )}
            </span>
          )
          : (
            <span class="conversation-excerpt">
              {last?.failed ? <span class="error">{t("inbox.not_sent")}</span> : null}
              {last?.outbound ? <span class="muted">{t("inbox.you")}</span> : null}
              {excerpt}
            </span>
          )}
        <span class="conversation-meta small">
          <span class="muted">{row.channelName}</span>
          {name && row.contactAddress ? <span class="muted mono">{row.contactAddress}</span> : null}
          <span>{row.assigneeName ?? t("inbox.unassigned")}</span>
          <span class={`badge status-${row.status}`}>{t(STATUS_KEYS[row.status])}</span>
          {row.labels.map((l) => (
            <span class="label-chip">
              <LabelDot color={l.color} />
              {l.name}
            </span>
          ))}
          {row.unreadCount > 0
            ? <span class="unread-count">{t("inbox.unread", { count: row.unreadCount })}</span>
            : null}
        </span>
      </a>
    </li>
  );
}

/** A dot of a label's colour (kept in the kit, as the labels page draws it too). */
export { LabelDot };

/** The id of the list and its paging: the part a live update replaces. */
export const INBOX_RESULTS_ID = "inbox-results";
/** The list itself, which live updates add rows to, move rows in and take rows from. */
export const INBOX_LIST_ID = "inbox-list";
/** The link to the next page: a part of its own, as its cursor moves with the last row. */
export const INBOX_OLDER_ID = "inbox-older";

/** The link to older conversations (an empty placeholder on the last page, to swap in later). */
export function OlderLink({ ctx, href }: { ctx: PageContext; href?: string }) {
  return (
    <p id={INBOX_OLDER_ID}>
      {href ? <a class="button secondary" href={href}>{ctx.t("common.older")}</a> : null}
    </p>
  );
}

/** The conversations found, or why there are none: drawn alike by the page and its live updates. */
export function InboxResults(
  { ctx, rows, drawn, nextHref, filtered }: {
    ctx: PageContext;
    rows: InboxRow[];
    /** The rows already drawn (`ConversationItem`, as HTML), when a live list has them. */
    drawn?: string[];
    nextHref?: string;
    filtered: boolean;
  },
) {
  const { t } = ctx;
  return (
    <div id={INBOX_RESULTS_ID}>
      {rows.length === 0
        ? (filtered
          ? <p class="card muted">{t("inbox.empty_filtered")}</p>
          : <EmptyState title={t("empty.inbox.title")} body={t("empty.inbox.body")} />)
        : (
          <section class="card">
            <ul class="conversation-list" id={INBOX_LIST_ID} aria-label={t("nav.inbox")}>
              {drawn
                ? drawn.map((html) => raw(html))
                : rows.map((row) => <ConversationItem ctx={ctx} row={row} />)}
            </ul>
            <OlderLink ctx={ctx} href={nextHref} />
          </section>
        )}
    </div>
  );
}
