import { parseRecordId } from "../../core/record_id.ts";
import { type Context, Hono } from "hono";
import { forbidden, invalidInput, notFound } from "../../core/app_error.ts";
import { listMessagesQuery, sendMessageSchema } from "../../core/api_messages.ts";
import { parseTimeBound } from "../../core/local_day.ts";
import { describePhoneProblem, normalisePhone } from "../../core/phone.ts";
import { PRIORITY } from "../../core/priority.ts";
import { findContactId } from "../../db/contacts.ts";
import { getMessageView, listMessageViews } from "../../db/messages.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { requireScope } from "./api_auth.ts";
import { hasScope } from "../../core/api_scopes.ts";
import { sendAnswer, withIdempotencyKey } from "./idempotency.ts";
import { readJson, readQuery } from "./json_input.ts";
import { messageJson } from "../../db/message_json.ts";

/** `/api/v1/messages`: send, look up, list. */
export function messageApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const messages = deps.services.messages;
  /** A key limited to one channel sees only that channel's messages. */
  const visibleChannel = (c: Context<AppEnv>) => c.get("apiKey")?.channelId ?? undefined;

  app.post("/api/v1/messages", async (c) => {
    requireScope(c, "messages:send");
    const input = withIdempotencyKey(c, await readJson(c, sendMessageSchema));
    const apiKey = c.get("apiKey")!;
    const { view, replay } = await messages.send({
      source: "api",
      priority: PRIORITY.api,
      apiKeyId: apiKey.id,
      onlyChannelId: apiKey.channelId,
      privateNetwork: hasScope(apiKey.scopes, "*"),
    }, input);
    return sendAnswer(c, messageJson(view), replay);
  });

  app.get("/api/v1/messages/:id", async (c) => {
    requireScope(c, "messages:read");
    const id = parseRecordId(c.req.param("id"));
    const view = id === undefined ? undefined : await getMessageView(deps.db, id);
    const only = visibleChannel(c);
    if (!view || (only !== undefined && view.message.channelId !== only)) {
      throw notFound(`No message with id ${c.req.param("id")}`);
    }
    return c.json(messageJson(view, view.history));
  });

  app.get("/api/v1/messages", async (c) => {
    requireScope(c, "messages:read");
    const query = readQuery(c, listMessagesQuery);
    const only = visibleChannel(c);
    if (only !== undefined && query.channel !== undefined && query.channel !== only) {
      throw forbidden(`This API key may only read channel ${only}`);
    }
    let contactId: number | undefined;
    if (query.to !== undefined) {
      const phone = normalisePhone(query.to, deps.config.phoneRegion);
      const found = await findContactId(deps.db, phone.ok ? phone.phone : query.to);
      if (found === undefined) {
        if (!phone.ok && !/^-?\d+$/.test(query.to)) {
          const why = `${describePhoneProblem(query.to, phone.problem)}, and is no chat id`;
          throw invalidInput(`to: ${why}`, { to: why });
        }
        return c.json({ data: [], next_cursor: null, has_more: false });
      }
      contactId = found;
    }
    const channel = query.channel ?? only;
    const { views, nextCursor } = await listMessageViews(deps.db, {
      channelIds: channel === undefined ? undefined : [channel],
      contactId,
      status: query.status,
      since: query.since === undefined
        ? undefined
        : parseTimeBound(query.since, "since", deps.config.timeZone),
      until: query.until === undefined
        ? undefined
        : parseTimeBound(query.until, "until", deps.config.timeZone),
      cursor: query.cursor,
      limit: query.limit,
    });
    return c.json({
      data: views.map((v) => messageJson(v)),
      next_cursor: nextCursor,
      has_more: nextCursor !== null,
    });
  });

  return app;
}
