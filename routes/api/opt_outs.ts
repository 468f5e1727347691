import { type Context, Hono } from "hono";
import type { z } from "zod";
import {
  addOptOutSchema,
  listOptOutsQuery,
  type OptOutJson,
  type optOutPageResponse,
} from "../../core/api_opt_outs.ts";
import { AppError, invalidInput, notFound } from "../../core/app_error.ts";
import { decodeCursor, encodeCursor } from "../../core/keyset_cursor.ts";
import { describePhoneProblem, normalisePhone } from "../../core/phone.ts";
import type { OptOutEntry } from "../../db/opt_outs.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { readJson, readQuery } from "./json_input.ts";

/** An entry of the opt-out list as the API shows it. */
export function optOutJson(e: OptOutEntry): OptOutJson {
  return {
    phone: e.phone,
    source: e.source,
    message_id: e.messageId,
    created_by: e.createdBy,
    created_at: new Date(e.createdAt).toISOString(),
  };
}

/** `/api/v1/opt-outs`: the numbers broadcasts leave out, listed, added and removed. */
export function optOutApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { config } = deps;
  const service = deps.services.optOuts;

  /** The list serves every channel: a key limited to one may read it but not change it. */
  const requireEveryChannel = (c: Context<AppEnv>) => {
    const channel = c.get("apiKey")!.channelId;
    if (channel !== null) {
      throw new AppError(
        403,
        "channel_limited",
        `This API key is limited to channel ${channel} and cannot change the opt-out list, ` +
          "which every channel uses",
        { channel },
      );
    }
  };
  const phoneOf = (raw: string, field: string) => {
    const read = normalisePhone(raw, config.phoneRegion);
    if (!read.ok) {
      const why = describePhoneProblem(raw, read.problem);
      throw invalidInput(`${field}: the number ${why}`, { [field]: why });
    }
    return read.phone;
  };

  app.get("/api/v1/opt-outs", async (c) => {
    requireScope(c, "contacts:read");
    const query = readQuery(c, listOptOutsQuery);
    const page = await service.list(query.q, {
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
    });
    return c.json<z.input<typeof optOutPageResponse>>({
      data: page.rows.map(optOutJson),
      next_cursor: page.next ? encodeCursor(page.next) : null,
      has_more: page.next !== undefined,
    });
  });

  app.post("/api/v1/opt-outs", async (c) => {
    requireScope(c, "contacts:write");
    requireEveryChannel(c);
    const input = await readJson(c, addOptOutSchema);
    const phone = phoneOf(input.phone, "phone");
    const { entry, added } = await service.add(apiActor(c, deps), phone, "api");
    return c.json(optOutJson(entry), added ? 201 : 200);
  });

  app.delete("/api/v1/opt-outs/:phone", async (c) => {
    requireScope(c, "contacts:write");
    requireEveryChannel(c);
    const raw = c.req.param("phone");
    const phone = phoneOf(raw, "phone");
    const removed = await service.remove(apiActor(c, deps), phone);
    if (!removed) {
      throw notFound(`+${phone} is not on the opt-out list`, { phone: "not on the list" });
    }
    return c.body(null, 204);
  });

  return app;
}
