import { type Context, Hono } from "hono";
import { createLabelSchema, updateLabelSchema } from "../../core/api_conversations.ts";
import { AppError, notFound } from "../../core/app_error.ts";
import { DEFAULT_LABEL_COLOR } from "../../core/inbox_actions.ts";
import { parseRecordId } from "../../core/record_id.ts";
import { requireLabel } from "../../db/labels.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { labelJson } from "./conversation_json.ts";
import { readJson } from "./json_input.ts";

/** `/api/v1/labels`: the labels conversations carry. Changing them needs `conversations:*`. */
export function labelApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const labels = deps.services.labels;

  /** Labels serve every channel: a key limited to one may read them, not change them. */
  const notChannelLimited = (c: Context<AppEnv>) => {
    const only = c.get("apiKey")!.channelId;
    if (only !== null) {
      throw new AppError(
        403,
        "channel_limited",
        `This API key is limited to channel ${only} and cannot change labels, which every ` +
          "channel uses",
        { channel: only },
      );
    }
  };
  /** The label in the path (404 when there is none). */
  const pathLabel = async (c: Context<AppEnv>) => {
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    if (id === undefined) throw notFound(`No label with id ${raw.slice(0, 40)}`);
    return await requireLabel(deps.db, id);
  };
  /** A taken name is a 409 naming the field in the API's words. */
  const taken = <T>(work: Promise<T>, name: string): Promise<T> =>
    work.catch((e) => {
      if (e instanceof AppError && e.status === 409) {
        throw new AppError(409, "label_taken", `A label named ${name} already exists`, {
          name: "already taken (labels are told apart in any case)",
        });
      }
      throw e;
    });

  app.get("/api/v1/labels", async (c) => {
    requireScope(c, "conversations:read");
    const all = await labels.list();
    return c.json({
      data: all.map((l) => ({ ...labelJson(l), conversation_count: l.conversationCount })),
      next_cursor: null,
      has_more: false,
    });
  });

  app.post("/api/v1/labels", async (c) => {
    requireScope(c, "conversations:*");
    notChannelLimited(c);
    const input = await readJson(c, createLabelSchema);
    const label = await taken(
      labels.create(apiActor(c, deps), {
        name: input.name,
        color: input.color ?? DEFAULT_LABEL_COLOR,
      }),
      input.name,
    );
    return c.json(labelJson(label), 201);
  });

  app.patch("/api/v1/labels/:id", async (c) => {
    requireScope(c, "conversations:*");
    notChannelLimited(c);
    const label = await pathLabel(c);
    const input = await readJson(c, updateLabelSchema);
    const next = { name: input.name ?? label.name, color: input.color ?? label.color };
    await taken(labels.update(apiActor(c, deps), label.id, next), next.name);
    return c.json(labelJson({ id: label.id, ...next }));
  });

  app.delete("/api/v1/labels/:id", async (c) => {
    requireScope(c, "conversations:*");
    notChannelLimited(c);
    const label = await pathLabel(c);
    await labels.remove(apiActor(c, deps), label.id);
    return c.body(null, 204);
  });

  return app;
}
