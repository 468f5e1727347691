import { type Context, Hono } from "hono";
import { AppError, invalidInput } from "../../core/app_error.ts";
import { canSeeConversation, type Viewer } from "../../core/conversation_visibility.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { newConversationSchema } from "../../core/inbox_actions.ts";
import { type InboxQuery, readInboxQuery } from "../../core/inbox_query.ts";
import { encodeCursor, type KeysetPosition } from "../../core/keyset_cursor.ts";
import { listChannels } from "../../db/channels.ts";
import { listDepartments } from "../../db/departments.ts";
import { listLabels } from "../../db/labels.ts";
import { listTemplates } from "../../db/templates.ts";
import { listUsers } from "../../db/users.ts";
import {
  ConversationItem,
  INBOX_LIST_ID,
  INBOX_OLDER_ID,
  INBOX_RESULTS_ID,
  InboxPage,
  InboxResults,
  type InboxRow,
  OlderLink,
} from "../../views/inbox_page.tsx";
import type { PageContext } from "../../views/page_context.ts";
import { type ConversationRow, getConversation } from "../../db/conversations.ts";
import { LiveInboxList } from "./inbox_live_list.ts";
import { renderParts } from "../../views/live_part.ts";
import { NewConversationPage } from "../../views/new_conversation_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { formValues } from "../form_values.ts";
import { liveStream, replacing, SentList, SentParts } from "../live_stream.ts";
import { setFlash } from "../flash.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";
import { inboxAccess } from "./inbox_access.ts";

const PAGE_SIZE = 30;
/** How long a live list trusts the departments it read. */
const VIEWER_FOR_MS = 30_000;

/** A conversation as the list shows it. */
function inboxRow(r: ConversationRow): InboxRow {
  return {
    id: r.id,
    status: r.status,
    channelName: r.channel.name,
    contactName: r.contact.name,
    contactAddress: r.contact.phone ? `+${r.contact.phone}` : r.contact.telegramChatId,
    assigneeName: r.assignee?.name ?? null,
    labels: r.labels,
    unreadCount: r.unreadCount,
    lastMessage: r.lastMessage && {
      outbound: r.lastMessage.direction === "out",
      text: r.lastMessage.text,
      type: r.lastMessage.type,
      at: r.lastMessage.at,
      failed: r.lastMessage.status === "failed",
    },
    lastActivityAt: r.lastActivityAt,
    match: r.match?.excerpt,
  };
}

/**
 * Rows as drawn, by what they show and the page's language and zone: every open live list
 * shows the same changed conversation, drawn once.
 */
const drawnRows = new Map<string, string>();
const MAX_DRAWN_ROWS = 5000;

async function drawnRow(ctx: PageContext, row: InboxRow): Promise<string> {
  const key = `${ctx.lang} ${ctx.timeZone} ${JSON.stringify(row)}`;
  let html = drawnRows.get(key);
  if (html === undefined) {
    html = await (<ConversationItem ctx={ctx} row={row} />).toString();
    if (drawnRows.size >= MAX_DRAWN_ROWS) drawnRows.clear();
    drawnRows.set(key, html);
  }
  return html;
}

/**
 * `/inbox` (every role): the conversations the signed-in person may see,
 * filtered by what the URL says (bookmark a filter, share it), a page at a
 * time. A value that is none of the choices is named beside its field (400).
 */
export function inboxRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  const { viewerAmong, viewerOf, placeOf, staffOf } = inboxAccess(deps);

  /** The first page (or the one after `cursor`) of the list, drawn for the page. */
  const results = async (viewer: Viewer, query: InboxQuery) => {
    const page = await deps.services.inbox.conversations(viewer, query.filter, {
      cursor: query.cursor,
      limit: PAGE_SIZE,
    });
    return { rows: page.rows.map(inboxRow), nextHref: nextHref(query, page.next) };
  };
  const nextHref = (query: InboxQuery, next: KeysetPosition | undefined) => {
    if (!next) return undefined;
    const keep = filterParams(query);
    keep.set("cursor", encodeCursor(next));
    return `/inbox?${keep}`;
  };
  const filterParams = (query: InboxQuery) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query.values)) {
      for (const v of [value].flat()) params.append(name, v);
    }
    return params;
  };

  app.get("/inbox", async (c) => {
    const query = readInboxQuery(c.req.queries(), deps.config.timeZone);
    const [people, channels, departments, labels] = await Promise.all([
      listUsers(db),
      listChannels(db),
      listDepartments(db),
      listLabels(db),
    ]);
    const viewer = viewerAmong(c, people);
    const found = query.errors ? { rows: [] } : await results(viewer, query);
    // The first page keeps itself up to date; a later one stays as it was paged to.
    const live = !query.errors && !query.cursor;
    return renderPage(
      c,
      <InboxPage
        ctx={pageContext(c, deps)}
        rows={found.rows}
        choices={{
          channels: channels.map((ch) => ({ id: ch.id, name: ch.name })),
          people: people.filter((p) => !p.disabledAt).map((p) => ({
            id: p.id,
            name: p.displayName,
          })),
          departments: departments.map((d) => ({ id: d.id, name: d.name })),
          labels,
        }}
        values={query.values}
        errors={query.errors}
        nextHref={"nextHref" in found ? found.nextHref : undefined}
        now={deps.clock.now()}
        filtered={Object.keys(query.values).length > 0}
        liveHref={live ? `/inbox/live?${filterParams(query)}` : undefined}
      />,
      query.errors ? 400 : 200,
    );
  });

  /** The list's first page, live: new messages, replies, ticks and changes of the conversations. */
  app.get("/inbox/live", async (c) => {
    const query = readInboxQuery(c.req.queries(), deps.config.timeZone);
    if (query.errors || query.cursor) {
      throw invalidInput("Only the first page of a valid filter is live");
    }
    const ctx = pageContext(c, deps);
    const filtered = Object.keys(query.values).length > 0;
    // Rows go one at a time (new, moved to the top, redrawn, gone); the list whole when it must.
    const sentRows = new SentList(INBOX_LIST_ID);
    const sentOlder = new SentParts();
    const listFor = (viewer: Viewer) =>
      new LiveInboxList(
        db,
        viewer,
        query.filter,
        PAGE_SIZE,
        () => deps.services.inbox.conversations(viewer, query.filter, { limit: PAGE_SIZE }),
      );
    // The viewer's departments are read again now and then: a change shows within that.
    let viewer = await viewerOf(c);
    let viewerAt = deps.clock.now();
    let list = listFor(viewer);
    return liveStream(c, deps, {
      // Ticks are not in the list: a status change, the most frequent event, changes nothing here.
      relevant: (e) =>
        e.type === "message.inbound" || e.type === "message.queued" ||
        e.type === "conversation.changed" || e.type === "conversation.labels",
      render: async (update) => {
        let fresh = update === "all";
        if (deps.clock.now() - viewerAt > VIEWER_FOR_MS) {
          viewerAt = deps.clock.now();
          const now = await viewerOf(c);
          if (String(now.departmentIds) !== String(viewer.departmentIds)) {
            viewer = now;
            list = listFor(viewer);
            fresh = true;
          }
        }
        if (fresh) sentRows.clear();
        const { rows, next } = await list.after(fresh ? "all" : update);
        const shown = rows.map(inboxRow);
        const drawn = await Promise.all(shown.map((row) => drawnRow(ctx, row)));
        const older = await renderParts([{
          id: INBOX_OLDER_ID,
          node: <OlderLink ctx={ctx} href={nextHref(query, next)} />,
        }]);
        const rowChanges = sentRows.changes(
          shown.map((row, i) => ({ id: `conversation-${row.id}`, html: drawn[i] })),
        );
        if (rowChanges !== undefined) return rowChanges + sentOlder.changed(older);
        // Sent whole: the list and its link as they now are.
        sentOlder.clear();
        sentOlder.changed(older);
        const [whole] = await renderParts([{
          id: INBOX_RESULTS_ID,
          node: (
            <InboxResults
              ctx={ctx}
              rows={shown}
              drawn={drawn}
              nextHref={nextHref(query, next)}
              filtered={filtered}
            />
          ),
        }]);
        return replacing(whole.html);
      },
    });
  });

  /** A new conversation: with any number, contact or not, on a channel that can start one. */
  const showNew = async (
    c: Context<AppEnv>,
    form?: { values: FormValues; errors: FieldErrors },
  ) => {
    const [channels, templates] = await Promise.all([listChannels(db), listTemplates(db)]);
    return renderPage(
      c,
      <NewConversationPage
        ctx={pageContext(c, deps)}
        channels={channels.filter((ch) => ch.enabled).map((ch) => ({
          id: ch.id,
          name: ch.name,
          kind: ch.kind,
          isDefault: ch.isDefault,
        }))}
        templates={templates.filter((tpl) => tpl.active && tpl.kind === "message").map((tpl) => ({
          id: tpl.id,
          name: tpl.name,
          body: tpl.body,
        }))}
        values={form?.values ?? { to: c.req.query("to") ?? "" }}
        errors={form?.errors}
      />,
      form ? 422 : 200,
    );
  };

  app.get("/inbox/new", (c) => showNew(c));

  app.post("/inbox/new", async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(newConversationSchema, values);
    if (!parsed.ok) return showNew(c, { values, errors: parsed.errors });
    const { channel, to, text, template } = parsed.data;
    let queued;
    try {
      queued = await deps.services.inbox.start(staffOf(c), {
        channelId: Number(channel),
        to,
        ...(template !== "" ? { templateId: Number(template) } : { text }),
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      const field = Object.keys(e.details).find((k) => ["to", "channel", "template"].includes(k));
      return showNew(c, {
        values,
        errors: field
          ? { [field]: { key: "err.start_failed", params: { reason: e.message } } }
          : { _form: { key: "err.start_failed", params: { reason: e.message } } },
      });
    }
    const conversation = await getConversation(db, queued.message.conversationId);
    if (conversation && !canSeeConversation(await viewerOf(c), placeOf(conversation))) {
      // The number's conversation on that channel is another department's: the message went
      // there, and the sender is told so rather than shown a page they may not open.
      setFlash(c, deps.config, "success", "new.sent_elsewhere", {
        to: conversation.contact.phone ? `+${conversation.contact.phone}` : to,
        channel: conversation.channel.name,
      });
      return redirectTo(c, "/inbox");
    }
    return redirectTo(c, `/inbox/${queued.message.conversationId}`);
  });

  return app;
}
