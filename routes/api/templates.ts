import { parseRecordId } from "../../core/record_id.ts";
import { type Context, Hono } from "hono";
import { AppError, notFound } from "../../core/app_error.ts";
import {
  createTemplateSchema,
  type TemplateJson,
  type templateListResponse,
  updateTemplateSchema,
} from "../../core/api_templates.ts";
import type { z } from "zod";
import { templateVariables } from "../../core/template.ts";
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  requireTemplate,
  type Template,
  updateTemplate,
} from "../../db/templates.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { readJson } from "./json_input.ts";

/** A template as the API shows it, with the variables its body uses. */
export function templateJson(t: Template): TemplateJson {
  return {
    id: t.id,
    name: t.name,
    body: t.body,
    variables: templateVariables(t.body),
    kind: t.kind,
    shortcut: t.shortcut,
    active: t.active,
    created_at: new Date(t.createdAt).toISOString(),
    updated_at: new Date(t.updatedAt).toISOString(),
  };
}

/** `/api/v1/templates`. */
export function templateApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, clock } = deps;
  const idOf = (c: Context<AppEnv>) => {
    const id = parseRecordId(c.req.param("id"));
    if (id === undefined) {
      throw notFound(`No template with id ${c.req.param("id")}`);
    }
    return id;
  };
  /** Templates serve every channel, so a key limited to one may read them but not change them. */
  const requireEveryChannel = (c: Context<AppEnv>) => {
    const channel = c.get("apiKey")!.channelId;
    if (channel !== null) {
      throw new AppError(
        403,
        "channel_limited",
        `This API key is limited to channel ${channel} and cannot change templates, ` +
          "which every channel uses",
        { channel },
      );
    }
  };

  app.get("/api/v1/templates", async (c) => {
    requireScope(c, "templates:read");
    return c.json<z.input<typeof templateListResponse>>({
      data: (await listTemplates(db)).map(templateJson),
      next_cursor: null,
      has_more: false,
    });
  });
  app.post("/api/v1/templates", async (c) => {
    requireScope(c, "templates:write");
    requireEveryChannel(c);
    const input = await readJson(c, createTemplateSchema);
    return c.json(templateJson(await createTemplate(db, clock, apiActor(c, deps), input)), 201);
  });
  app.get("/api/v1/templates/:id", async (c) => {
    requireScope(c, "templates:read");
    return c.json(templateJson(await requireTemplate(db, idOf(c))));
  });
  app.patch("/api/v1/templates/:id", async (c) => {
    requireScope(c, "templates:write");
    requireEveryChannel(c);
    const id = idOf(c);
    const patch = await readJson(c, updateTemplateSchema);
    return c.json(templateJson(await updateTemplate(db, clock, apiActor(c, deps), id, patch)));
  });
  app.delete("/api/v1/templates/:id", async (c) => {
    requireScope(c, "templates:write");
    requireEveryChannel(c);
    await deleteTemplate(db, clock, apiActor(c, deps), idOf(c));
    return c.body(null, 204);
  });
  return app;
}
