/**
 * `/inbox/{id}` (every role that may see the conversation): the thread, live;
 * the reply box (text, a file, a quick reply) and private notes; and the work
 * on the conversation — take, assign, move, label, hold, resolve, mark unread.
 * Every change goes through the inbox service, which writes its system line.
 */
import { type Context, Hono } from "hono";
import { AppError, invalidInput, notFound } from "../../core/app_error.ts";
import { canSeeConversation } from "../../core/conversation_visibility.ts";
import { type FieldErrors, type FormValues, parseForm } from "../../core/form.ts";
import {
  assignFormSchema,
  DEFAULT_LABEL_COLOR,
  departmentFormSchema,
  labelFormSchema,
  noteSchema,
  replyFormSchema,
  statusFormSchema,
} from "../../core/inbox_actions.ts";
import { fillQuickReply } from "../../core/quick_reply.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { markMentionsSeen, threadTimeline } from "../../db/conversation_timeline.ts";
import {
  type ConversationDetail,
  getConversation,
  markConversationRead,
  messageMediaId,
} from "../../db/conversations.ts";
import { listDepartments } from "../../db/departments.ts";
import { listLabels } from "../../db/labels.ts";
import { loadMedia } from "../../db/media.ts";
import { listTemplates } from "../../db/templates.ts";
import { listUsers } from "../../db/users.ts";
import { renderParts } from "../../views/live_part.ts";
import {
  type ThreadEntry,
  type ThreadHead,
  threadMessagesPart,
  ThreadPage,
  ThreadPresence,
} from "../../views/thread_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { formValues } from "../form_values.ts";
import { liveStream, SentParts } from "../live_stream.ts";
import { mediaResponse } from "../media_response.ts";
import { pageContext, redirectTo, renderPage } from "../render.tsx";
import { inboxAccess } from "./inbox_access.ts";

const THREAD_PAGE_SIZE = 50;

export function threadRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;
  const { viewerOf, placeOf, conversationOf, staffOf, actorOf, targetOf } = inboxAccess(deps);

  const headOf = (c: Context<AppEnv>, conversation: ConversationDetail): ThreadHead => ({
    id: conversation.id,
    status: conversation.status,
    contactId: conversation.contact.id,
    contactName: conversation.contact.name,
    contactAddress: conversation.contact.phone
      ? `+${conversation.contact.phone}`
      : conversation.contact.telegramChatId,
    channelName: conversation.channel.name,
    assignee: conversation.assignee,
    department: conversation.department,
    mine: conversation.assignee?.id === c.get("user")!.id,
    unreadCount: conversation.unreadCount,
  });

  const timeline = async (conversationId: number, beforeId?: number) => {
    const { entries, olderFrom } = await threadTimeline(db, conversationId, {
      beforeId,
      limit: THREAD_PAGE_SIZE,
    });
    return {
      olderFrom,
      entries: entries.map((e): ThreadEntry =>
        e.kind === "message"
          ? { kind: "message", message: { ...e.message, outbound: e.message.direction === "out" } }
          : e
      ),
    };
  };

  /**
   * Opening the newest page reads the conversation for everyone (on WhatsApp too: blue
   * ticks, beside the page, never holding it up), and the viewer's mentions in it.
   * `conversation` is as read before: its unread count says how many messages to tick.
   */
  const markRead = async (c: Context<AppEnv>, conversation: ConversationDetail) => {
    const now = deps.clock.now();
    await markConversationRead(db, conversation.id, now);
    void deps.services.readReceipts.opened(conversation);
    await markMentionsSeen(db, c.get("user")!.id, conversation.id, now);
  };

  const showThread = async (
    c: Context<AppEnv>,
    conversation: ConversationDetail,
    reply?: { values: FormValues; errors: FieldErrors },
  ) => {
    const before = reply ? undefined : parseRecordId(c.req.query("before") ?? "");
    const [{ entries, olderFrom }, allLabels, people, departments, templates] = await Promise.all([
      timeline(conversation.id, before),
      listLabels(db),
      listUsers(db),
      listDepartments(db),
      listTemplates(db),
    ]);
    if (before === undefined) await markRead(c, conversation);
    const me = staffOf(c);
    const context = {
      contactName: conversation.contact.name,
      phone: conversation.contact.phone,
      attributes: conversation.contactAttributes,
      agentName: me.name,
    };
    return renderPage(
      c,
      <ThreadPage
        ctx={pageContext(c, deps)}
        head={headOf(c, conversation)}
        entries={entries}
        olderHref={olderFrom ? `/inbox/${conversation.id}?before=${olderFrom}` : undefined}
        reply={reply}
        live={before === undefined}
        labels={conversation.labels}
        allLabels={allLabels}
        choices={{
          people: people.filter((p) => !p.disabledAt).map((p) => ({
            id: p.id,
            name: p.displayName,
          })),
          departments: departments.map((d) => ({ id: d.id, name: d.name })),
        }}
        quickReplies={templates
          .filter((tpl) => tpl.active && tpl.kind === "quick_reply")
          .map((tpl) => ({
            shortcut: tpl.shortcut,
            name: tpl.name,
            text: fillQuickReply(tpl.body, context),
          }))}
        presence={deps.presence.in(conversation.id, me.id)}
        mediaMaxBytes={deps.config.mediaMaxBytes}
      />,
      reply ? 422 : 200,
    );
  };

  /**
   * The open thread, live: its newest lines and their ticks as they change (read for
   * everyone, as the page is open), and who else is on it, while the viewer may still see it.
   */
  app.get("/inbox/:id{[0-9]+}/live", async (c) => {
    const conversation = await conversationOf(c);
    const ctx = pageContext(c, deps);
    const me = staffOf(c);
    const sent = new SentParts();
    return liveStream(c, deps, {
      // New messages by their conversation; ticks name only their channel.
      relevant: (e) =>
        ((e.type === "message.inbound" || e.type === "message.queued" ||
          e.type === "conversation.changed" || e.type === "conversation.presence") &&
          e.conversationId === conversation.id) ||
        (e.type === "message.status" && e.channelId === conversation.channel.id) ||
        e.type === "conversation.labels",
      render: async (update) => {
        if (update === "all") sent.clear();
        // Read again each time: the conversation may have moved, or the viewer's departments.
        const now = await getConversation(db, conversation.id);
        if (!now || !canSeeConversation(await viewerOf(c), placeOf(now))) return "";
        const presence = {
          id: "thread-presence",
          node: <ThreadPresence ctx={ctx} people={deps.presence.in(conversation.id, me.id)} />,
        };
        if (update !== "all" && update.every((e) => e.type === "conversation.presence")) {
          return sent.changed(await renderParts([presence]));
        }
        const { entries } = await timeline(conversation.id);
        await markRead(c, now);
        return sent.changed(
          await renderParts([threadMessagesPart(ctx, headOf(c, now), entries), presence]),
        );
      },
    });
  });

  app.get("/inbox/:id{[0-9]+}", async (c) => showThread(c, await conversationOf(c)));

  /** The page says it is open (every few seconds) or typing; `left` when it closes. */
  app.post("/inbox/:id{[0-9]+}/presence", async (c) => {
    const conversation = await conversationOf(c);
    const values = await formValues(c);
    deps.services.inbox.present(staffOf(c), conversation.id, {
      typing: values.typing === "1",
      left: values.left === "1",
    });
    return c.body(null, 204);
  });

  app.post("/inbox/:id{[0-9]+}/reply", async (c) => {
    const conversation = await conversationOf(c);
    const body = await c.req.parseBody();
    const values = await formValues(c);
    const parsed = parseForm(replyFormSchema, values);
    const upload = body.file instanceof File && body.file.size > 0 ? body.file : undefined;
    if (parsed.ok && parsed.data.text === "" && !upload) {
      return showThread(c, conversation, { values, errors: { text: "err.reply_empty" } });
    }
    if (!parsed.ok) return showThread(c, conversation, { values, errors: parsed.errors });
    if (upload && upload.size > deps.config.mediaMaxBytes) {
      const mb = Math.round(deps.config.mediaMaxBytes / 1024 / 1024);
      return showThread(c, conversation, {
        values,
        errors: { file: { key: "err.file_too_large", params: { mb } } },
      });
    }
    let queued;
    try {
      queued = await deps.services.inbox.reply(staffOf(c), targetOf(conversation), {
        text: parsed.data.text || undefined,
        file: upload && {
          bytes: new Uint8Array(await upload.arrayBuffer()),
          fileName: upload.name.slice(0, 200) || "file",
          mimeType: upload.type || "application/octet-stream",
        },
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return showThread(c, conversation, {
        values,
        errors: { _form: { key: "err.reply_failed", params: { reason: e.message } } },
      });
    }
    return redirectTo(c, `/inbox/${conversation.id}#message-${queued.message.id}`);
  });

  app.post("/inbox/:id{[0-9]+}/notes", async (c) => {
    const conversation = await conversationOf(c);
    const values = await formValues(c);
    const parsed = parseForm(noteSchema, values);
    if (!parsed.ok) return showThread(c, conversation, { values, errors: parsed.errors });
    const noteId = await deps.services.inbox.note(
      actorOf(c),
      targetOf(conversation),
      parsed.data.text,
    );
    return redirectTo(c, `/inbox/${conversation.id}#note-${noteId}`);
  });

  app.post("/inbox/:id{[0-9]+}/messages/:message{[0-9]+}/retry", async (c) => {
    const conversation = await conversationOf(c);
    const messageId = parseRecordId(c.req.param("message"));
    if (messageId === undefined) throw notFound(`No message ${c.req.param("message")}`);
    const queued = await deps.services.inbox.retry(staffOf(c), targetOf(conversation), messageId);
    return redirectTo(c, `/inbox/${conversation.id}#message-${queued.message.id}`);
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

  app.post("/inbox/:id{[0-9]+}/department", async (c) => {
    const conversation = await conversationOf(c);
    const parsed = parseForm(departmentFormSchema, await formValues(c));
    if (!parsed.ok) throw invalidInput("Choose a department, or none", parsed.errors);
    const { department } = parsed.data;
    await deps.services.inbox.setDepartment(
      actorOf(c),
      targetOf(conversation),
      department === "none" ? null : Number(department),
    );
    return redirectTo(c, `/inbox/${conversation.id}`);
  });

  /** Back to the list: staying on the thread would read it again at once. */
  app.post("/inbox/:id{[0-9]+}/unread", async (c) => {
    const conversation = await conversationOf(c);
    await deps.services.inbox.markUnread(targetOf(conversation));
    return redirectTo(c, "/inbox");
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
