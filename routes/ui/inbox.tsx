import { type Context, Hono } from "hono";
import { AppError, forbidden, invalidInput, notFound } from "../../core/app_error.ts";
import {
  assignFormSchema,
  DEFAULT_LABEL_COLOR,
  labelFormSchema,
  statusFormSchema,
} from "../../core/inbox_actions.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import { replySchema } from "../../core/reply_input.ts";
import { canSeeConversation, type Viewer } from "../../core/conversation_visibility.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { type InboxQuery, readInboxQuery } from "../../core/inbox_query.ts";
import { encodeCursor } from "../../core/keyset_cursor.ts";
import { listChannels } from "../../db/channels.ts";
import {
  type ConversationDetail,
  getConversation,
  markConversationRead,
  messageMediaId,
  type ThreadMessage,
  threadMessages,
} from "../../db/conversations.ts";
import { loadMedia } from "../../db/media.ts";
import { listDepartments } from "../../db/departments.ts";
import { listLabels } from "../../db/labels.ts";
import { listUsers, type UserWithDepartments } from "../../db/users.ts";
import {
  INBOX_RESULTS_ID,
  InboxPage,
  InboxResults,
  type InboxRow,
} from "../../views/inbox_page.tsx";
import {
  type ThreadHead,
  type ThreadItem,
  threadMessagesPart,
  ThreadPage,
} from "../../views/thread_page.tsx";
import { renderParts } from "../../views/live_part.ts";
import { liveStream, SentParts } from "../live_stream.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { mediaResponse } from "../media_response.ts";
import { formValues } from "../form_values.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

const PAGE_SIZE = 30;
const THREAD_PAGE_SIZE = 50;

/**
 * `/inbox` (every role): the conversations the signed-in person may see,
 * filtered by what the URL says (bookmark a filter, share it), a page at a
 * time. A value that is none of the choices is named beside its field (400).
 */
export function inboxRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  /** The signed-in person as the visibility rule sees them, from `people` (at least them). */
  const viewerAmong = (c: Context<AppEnv>, people: UserWithDepartments[]): Viewer => {
    const user = c.get("user")!;
    const me = people.find((p) => p.id === user.id);
    return { id: user.id, role: user.role, departmentIds: me?.departments.map((d) => d.id) ?? [] };
  };
  const viewerOf = async (c: Context<AppEnv>) =>
    viewerAmong(c, await listUsers(db, c.get("user")!.id));
  const placeOf = (conversation: ConversationDetail) => ({
    assigneeId: conversation.assignee?.id ?? null,
    departmentId: conversation.department?.id ?? null,
    channelDepartmentIds: conversation.channelDepartmentIds,
  });
  /** The conversation in the path, if the viewer may see it: 404 when there is none, else 403. */
  const conversationOf = async (c: Context<AppEnv>) => {
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    const conversation = id === undefined ? undefined : await getConversation(db, id);
    if (!conversation) throw notFound(`No conversation with id ${raw}`);
    if (
      !canSeeConversation(await viewerOf(c), placeOf(conversation))
    ) {
      throw forbidden("This conversation belongs to another department");
    }
    return conversation;
  };

  /** The first page (or the one after `cursor`) of the list, drawn for the page and its updates. */
  const results = async (viewer: Viewer, query: InboxQuery) => {
    const page = await deps.services.inbox.conversations(viewer, query.filter, {
      cursor: query.cursor,
      limit: PAGE_SIZE,
    });
    const rows = page.rows.map((r): InboxRow => ({
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
      },
      lastActivityAt: r.lastActivityAt,
      match: r.match?.excerpt,
    }));
    const keep = filterParams(query);
    if (page.next) keep.set("cursor", encodeCursor(page.next));
    return { rows, nextHref: page.next ? `/inbox?${keep}` : undefined };
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
    const viewer = await viewerOf(c);
    const ctx = pageContext(c, deps);
    const filtered = Object.keys(query.values).length > 0;
    const sent = new SentParts();
    return liveStream(c, deps, {
      // Ticks are not in the list: a status change, the most frequent event, changes nothing here.
      relevant: (e) =>
        e.type === "message.inbound" || e.type === "message.queued" ||
        e.type.startsWith("conversation."),
      render: async (update) => {
        if (update === "all") sent.clear();
        const { rows, nextHref } = await results(viewer, query);
        return sent.changed(
          await renderParts([{
            id: INBOX_RESULTS_ID,
            node: <InboxResults ctx={ctx} rows={rows} nextHref={nextHref} filtered={filtered} />,
          }]),
        );
      },
    });
  });

  const headOf = (c: Context<AppEnv>, conversation: ConversationDetail): ThreadHead => ({
    id: conversation.id,
    status: conversation.status,
    contactName: conversation.contact.name,
    contactAddress: conversation.contact.phone
      ? `+${conversation.contact.phone}`
      : conversation.contact.telegramChatId,
    channelName: conversation.channel.name,
    assigneeName: conversation.assignee?.name ?? null,
    mine: conversation.assignee?.id === c.get("user")!.id,
  });
  const itemsOf = (messages: ThreadMessage[]): ThreadItem[] =>
    messages.map((m) => ({
      id: m.id,
      outbound: m.direction === "out",
      type: m.type,
      text: m.text,
      status: m.status,
      error: m.error,
      at: m.at,
      author: m.author,
      source: m.source,
      media: m.media && { id: m.media.id, fileName: m.media.fileName, size: m.media.size },
    }));

  const showThread = async (
    c: Context<AppEnv>,
    conversation: ConversationDetail,
    reply?: { values: FormValues; errors: FieldErrors },
  ) => {
    const before = reply ? undefined : parseRecordId(c.req.query("before") ?? "");
    const { messages, olderFrom } = await threadMessages(db, conversation.id, {
      beforeId: before,
      limit: THREAD_PAGE_SIZE,
    });
    // Opening the newest page reads the conversation for everyone.
    if (before === undefined) await markConversationRead(db, conversation.id, deps.clock.now());
    if (before === undefined) void deps.services.readReceipts.opened(conversation); // not awaited
    return renderPage(
      c,
      <ThreadPage
        ctx={pageContext(c, deps)}
        head={headOf(c, conversation)}
        items={itemsOf(messages)}
        olderHref={olderFrom ? `/inbox/${conversation.id}?before=${olderFrom}` : undefined}
        reply={reply}
        live={before === undefined}
        labels={conversation.labels}
        allLabels={await listLabels(db)}
      />,
      reply ? 422 : 200,
    );
  };

  /**
   * The open thread, live: its newest messages and their ticks as they change
   * (read for everyone, as the page is open), while the viewer may still see it.
   */
  app.get("/inbox/:id{[0-9]+}/live", async (c) => {
    const conversation = await conversationOf(c);
    const ctx = pageContext(c, deps);
    const viewer = await viewerOf(c);
    const sent = new SentParts();
    return liveStream(c, deps, {
      relevant: (e) =>
        (e.type.startsWith("message.") && "channelId" in e &&
          e.channelId === conversation.channel.id) ||
        (e.type === "conversation.changed" && e.conversationId === conversation.id),
      render: async (update) => {
        if (update === "all") sent.clear();
        const now = await getConversation(db, conversation.id);
        if (!now || !canSeeConversation(viewer, placeOf(now))) return "";
        const { messages } = await threadMessages(db, conversation.id, { limit: THREAD_PAGE_SIZE });
        await markConversationRead(db, conversation.id, deps.clock.now());
        return sent.changed(
          await renderParts([threadMessagesPart(ctx, headOf(c, now), itemsOf(messages))]),
        );
      },
    });
  });

  app.get("/inbox/:id{[0-9]+}", async (c) => showThread(c, await conversationOf(c)));

  app.post("/inbox/:id{[0-9]+}/reply", async (c) => {
    const conversation = await conversationOf(c);
    const values = await formValues(c);
    const parsed = parseForm(replySchema, values);
    if (!parsed.ok) return showThread(c, conversation, { values, errors: parsed.errors });
    let queued;
    try {
      queued = await deps.services.inbox.reply(
        staffOf(c),
        targetOf(conversation),
        { text: parsed.data.text },
      );
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return showThread(c, conversation, {
        values,
        errors: { _form: { key: "err.reply_failed", params: { reason: e.message } } },
      });
    }
    return redirectTo(c, `/inbox/${conversation.id}#message-${queued.message.id}`);
  });

  const staffOf = (c: Context<AppEnv>) => {
    const user = c.get("user")!;
    return { id: user.id, name: user.displayName };
  };
  const actorOf = (c: Context<AppEnv>) => {
    const user = c.get("user")!;
    return { userId: user.id, name: user.displayName };
  };
  const targetOf = (conversation: ConversationDetail) => ({
    id: conversation.id,
    channelId: conversation.channel.id,
    contactId: conversation.contact.id,
  });

  app.post("/inbox/:id{[0-9]+}/status", async (c) => {
    const conversation = await conversationOf(c);
    const parsed = parseForm(statusFormSchema, await formValues(c));
    if (!parsed.ok) throw invalidInput("Choose open, pending or resolved", parsed.errors);
    await deps.services.inbox.setStatus(actorOf(c), targetOf(conversation), parsed.data.status);
    return redirectTo(c, `/inbox/${conversation.id}`);
  });

  app.post("/inbox/:id{[0-9]+}/assign", async (c) => {
    const conversation = await conversationOf(c);
    const parsed = parseForm(assignFormSchema, await formValues(c));
    if (!parsed.ok) throw invalidInput("Choose who takes the conversation", parsed.errors);
    const { assignee } = parsed.data;
    await deps.services.inbox.assign(
      actorOf(c),
      targetOf(conversation),
      assignee === "me" ? c.get("user")!.id : assignee === "none" ? null : Number(assignee),
    );
    return redirectTo(c, `/inbox/${conversation.id}`);
  });

  app.post("/inbox/:id{[0-9]+}/labels", async (c) => {
    const conversation = await conversationOf(c);
    const parsed = parseForm(labelFormSchema, await formValues(c));
    if (!parsed.ok) throw invalidInput("Choose a label, or name a new one", parsed.errors);
    const { label, name, color } = parsed.data;
    await deps.services.inbox.label(
      actorOf(c),
      targetOf(conversation),
      label !== "" ? { labelId: Number(label) } : { name, color: color || DEFAULT_LABEL_COLOR },
    );
    return redirectTo(c, `/inbox/${conversation.id}`);
  });

  app.post("/inbox/:id{[0-9]+}/labels/:label{[0-9]+}/remove", async (c) => {
    const conversation = await conversationOf(c);
    const labelId = parseRecordId(c.req.param("label"));
    if (labelId !== undefined) {
      await deps.services.inbox.unlabel(actorOf(c), targetOf(conversation), labelId);
    }
    return redirectTo(c, `/inbox/${conversation.id}`);
  });

  /** A message's file, for those who may see its conversation. */
  app.get("/inbox/:id{[0-9]+}/media/:message{[0-9]+}", async (c) => {
    const conversation = await conversationOf(c);
    const messageId = parseRecordId(c.req.param("message"));
    const mediaId = messageId === undefined
      ? undefined
      : await messageMediaId(db, conversation.id, messageId);
    const file = mediaId ? await loadMedia(db, deps.config.dataDir, mediaId) : undefined;
    if (!file) throw notFound(`No file in message ${c.req.param("message")}`);
    return mediaResponse(file);
  });

  return app;
}
