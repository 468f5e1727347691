import { type Context, Hono } from "hono";
import {
  conversationLabelSchema,
  conversationMessageSchema,
  listConversationsQuery,
  noteSchema,
  threadQuery,
  updateConversationSchema,
} from "../../core/api_conversations.ts";
import { hasScope } from "../../core/api_scopes.ts";
import { AppError, forbidden, invalidInput, notFound } from "../../core/app_error.ts";
import type { Viewer } from "../../core/conversation_visibility.ts";
import { DEFAULT_LABEL_COLOR } from "../../core/inbox_actions.ts";
import { decodeCursor, encodeCursor } from "../../core/keyset_cursor.ts";
import { parseTimeBound } from "../../core/local_day.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { getChannel } from "../../db/channels.ts";
import { type ConversationActor, threadTimeline } from "../../db/conversation_timeline.ts";
import { type ConversationFilter, getConversation } from "../../db/conversations.ts";
import { listDepartments } from "../../db/departments.ts";
import { listLabels } from "../../db/labels.ts";
import { getMessageViews } from "../../db/messages.ts";
import { getUser } from "../../db/users.ts";
import type { ReplyTarget } from "../../services/inbox.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { requireScope } from "./api_auth.ts";
import { conversationJson, threadEntryJson, typedMessageJson } from "./conversation_json.ts";
import { sendAnswer, withIdempotencyKey } from "./idempotency.ts";
import { readJson, readQuery } from "./json_input.ts";

/** An API key sees conversations as a supervisor does: all of them (within its channel). */
const API_VIEWER: Viewer = { id: 0, role: "supervisor", departmentIds: [] };

/** The actor a key's changes are written as in a thread. */
export function keyActor(c: Context<AppEnv>): ConversationActor {
  return { userId: null, name: `API key ${c.get("apiKey")!.name}` };
}

/** A 422 naming `field` and the value it holds. */
function unknownValue(field: string, why: string) {
  return invalidInput(`${field}: ${why}`, { [field]: why });
}

/**
 * `/api/v1/conversations`: the team inbox for the hospital's systems — list and search,
 * one conversation, its thread, replies, notes, assignment, status and labels.
 */
export function conversationApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;
  const inbox = deps.services.inbox;

  /** The conversation in the path, if the key may see it (404 otherwise). */
  const pathConversation = async (c: Context<AppEnv>) => {
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    const found = id === undefined ? undefined : await getConversation(db, id);
    const only = c.get("apiKey")!.channelId;
    if (!found || (only !== null && found.channel.id !== only)) {
      throw notFound(`No conversation with id ${raw.slice(0, 40)}`);
    }
    return found;
  };
  const targetOf = (row: { id: number; channel: { id: number }; contact: { id: number } }) =>
    ({ id: row.id, channelId: row.channel.id, contactId: row.contact.id }) satisfies ReplyTarget;
  const answerConversation = async (c: Context<AppEnv>, id: number) => {
    const row = await getConversation(db, id);
    if (!row) throw notFound(`No conversation with id ${id}`);
    return c.json(conversationJson(row));
  };

  app.get("/api/v1/conversations", async (c) => {
    requireScope(c, "conversations:read");
    const query = readQuery(c, listConversationsQuery, ["label"]);
    const only = c.get("apiKey")!.channelId;
    if (query.channel !== undefined) {
      if (only !== null && query.channel !== only) {
        throw forbidden(`This API key may only read channel ${only}`, { channel: query.channel });
      }
      if (!(await getChannel(db, query.channel))) {
        throw unknownValue("channel", `no channel with id ${query.channel}`);
      }
    }
    if (typeof query.assignee === "number" && !(await getUser(db, query.assignee))) {
      throw unknownValue("assignee", `no staff member with id ${query.assignee}`);
    }
    if (
      query.department !== undefined &&
      !(await listDepartments(db)).some((d) => d.id === query.department)
    ) {
      throw unknownValue("department", `no department with id ${query.department}`);
    }
    let labelIds: number[] | undefined;
    if (query.label?.length) {
      const byName = new Map((await listLabels(db)).map((l) => [l.name.toLowerCase(), l.id]));
      labelIds = query.label.map((name) => {
        const id = byName.get(name.toLowerCase());
        if (id === undefined) throw unknownValue("label", `no label named ${name}`);
        return id;
      });
    }
    const since = query.since === undefined
      ? undefined
      : parseTimeBound(query.since, "since", deps.config.timeZone);
    const until = query.until === undefined
      ? undefined
      : parseTimeBound(query.until, "until", deps.config.timeZone);
    if (since !== undefined && until !== undefined && until < since) {
      throw unknownValue("until", `${query.until} is before since (${query.since})`);
    }
    const text = query.q?.replace(/[\p{Cc}]+/gu, " ").trim();
    const filter: ConversationFilter = {
      status: query.status,
      channelId: query.channel ?? only ?? undefined,
      assignee: query.assignee ?? "any",
      departmentId: query.department,
      labelIds: labelIds && [...new Set(labelIds)],
      unreadOnly: query.unread === "true",
      since,
      until,
      sort: query.sort,
      ...(text ? { query: text } : {}),
    };
    const page = await inbox.conversations(API_VIEWER, filter, {
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
    });
    return c.json({
      data: page.rows.map((row) => conversationJson(text ? row : { ...row, match: undefined })),
      next_cursor: page.next ? encodeCursor(page.next) : null,
      has_more: page.next !== undefined,
    });
  });

  app.get("/api/v1/conversations/:id", async (c) => {
    requireScope(c, "conversations:read");
    return c.json(conversationJson(await pathConversation(c)));
  });

  app.patch("/api/v1/conversations/:id", async (c) => {
    requireScope(c, "conversations:write");
    const conversation = await pathConversation(c);
    const input = await readJson(c, updateConversationSchema);
    // Every value is checked before anything changes: a wrong one changes nothing.
    if (typeof input.assignee_id === "number") {
      const user = await getUser(db, input.assignee_id);
      if (!user || user.disabledAt !== null) {
        throw unknownValue("assignee_id", `no active staff member with id ${input.assignee_id}`);
      }
    }
    if (
      typeof input.department_id === "number" &&
      !(await listDepartments(db)).some((d) => d.id === input.department_id)
    ) {
      throw unknownValue("department_id", `no department with id ${input.department_id}`);
    }
    const actor = keyActor(c);
    const target = targetOf(conversation);
    if (input.assignee_id !== undefined) await inbox.assign(actor, target, input.assignee_id);
    if (input.department_id !== undefined) {
      await inbox.setDepartment(actor, target, input.department_id);
    }
    if (input.status !== undefined) await inbox.setStatus(actor, target, input.status);
    return await answerConversation(c, conversation.id);
  });

  app.get("/api/v1/conversations/:id/messages", async (c) => {
    requireScope(c, "conversations:read");
    const conversation = await pathConversation(c);
    const query = readQuery(c, threadQuery);
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { entries, olderFrom } = await threadTimeline(db, conversation.id, {
      beforeId: cursor?.id,
      limit: query.limit,
    });
    const views = await getMessageViews(
      db,
      entries.flatMap((e) => (e.kind === "message" ? [e.message.id] : [])),
    );
    const oldest = entries.find((e) => e.kind === "message");
    return c.json({
      data: entries.toReversed().flatMap((e) => threadEntryJson(e, views) ?? []),
      next_cursor: olderFrom === undefined
        ? null
        : encodeCursor({ at: oldest?.at ?? null, id: olderFrom }),
      has_more: olderFrom !== undefined,
    });
  });

  app.post("/api/v1/conversations/:id/messages", async (c) => {
    requireScope(c, "conversations:write");
    const conversation = await pathConversation(c);
    const input = withIdempotencyKey(c, await readJson(c, conversationMessageSchema));
    const apiKey = c.get("apiKey")!;
    const { view, replay } = await inbox.sendToConversation(
      {
        apiKeyId: apiKey.id,
        onlyChannelId: apiKey.channelId,
        privateNetwork: hasScope(apiKey.scopes, "*"),
      },
      targetOf(conversation),
      input,
    );
    return sendAnswer(c, typedMessageJson(view), replay);
  });

  app.post("/api/v1/conversations/:id/notes", async (c) => {
    requireScope(c, "conversations:write");
    const conversation = await pathConversation(c);
    const input = await readJson(c, noteSchema);
    const actor = keyActor(c);
    const id = await inbox.note(actor, targetOf(conversation), input.text);
    return c.json(
      { id, author: actor.name, text: input.text, at: new Date(deps.clock.now()).toISOString() },
      201,
    );
  });

  app.post("/api/v1/conversations/:id/labels", async (c) => {
    requireScope(c, "conversations:write");
    const conversation = await pathConversation(c);
    const input = await readJson(c, conversationLabelSchema);
    const labels = await listLabels(db);
    const actor = keyActor(c);
    if ("id" in input) {
      if (!labels.some((l) => l.id === input.id)) {
        throw unknownValue("id", `no label with id ${input.id}`);
      }
      await inbox.label(actor, targetOf(conversation), { labelId: input.id });
    } else {
      const existing = labels.find((l) => l.name.toLowerCase() === input.name.toLowerCase());
      const only = c.get("apiKey")!.channelId;
      if (!existing && only !== null) {
        throw new AppError(
          403,
          "channel_limited",
          `This API key is limited to channel ${only} and cannot make the new label ` +
            `${input.name}, which every channel uses`,
          { channel: only, name: input.name },
        );
      }
      await inbox.label(
        actor,
        targetOf(conversation),
        existing ? { labelId: existing.id } : { name: input.name, color: DEFAULT_LABEL_COLOR },
      );
    }
    return await answerConversation(c, conversation.id);
  });

  app.delete("/api/v1/conversations/:id/labels/:labelId", async (c) => {
    requireScope(c, "conversations:write");
    const conversation = await pathConversation(c);
    const raw = c.req.param("labelId");
    const labelId = parseRecordId(raw);
    if (labelId === undefined || !conversation.labels.some((l) => l.id === labelId)) {
      throw notFound(`Conversation ${conversation.id} has no label with id ${raw.slice(0, 40)}`);
    }
    await inbox.unlabel(keyActor(c), targetOf(conversation), labelId);
    return await answerConversation(c, conversation.id);
  });

  return app;
}
