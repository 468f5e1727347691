import { type Context, Hono } from "hono";
import {
  contactBodySchema,
  type ContactJson,
  exportContactsQuery,
  importContactsSchema,
  listContactsQuery,
  mergeContactSchema,
} from "../../core/api_contacts.ts";
import { AppError, invalidInput, notFound } from "../../core/app_error.ts";
import { decodeCursor, encodeCursor } from "../../core/keyset_cursor.ts";
import { describePhoneProblem, normalisePhone } from "../../core/phone.ts";
import { parseRecordId } from "../../core/record_id.ts";
import type { ContactListRow } from "../../db/contact_list.ts";
import type { ContactDetail } from "../../db/contacts.ts";
import { listLabels } from "../../db/labels.ts";
import { loadMedia } from "../../db/media.ts";
import type { ContactListFilter } from "../../services/contacts.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { apiActor, requireScope } from "./api_auth.ts";
import { labelJson } from "./conversation_json.ts";
import { readJson, readQuery } from "./json_input.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function contactJson(contact: ContactDetail | ContactListRow): ContactJson {
  return {
    id: contact.id,
    name: contact.name,
    push_name: contact.pushName,
    phone: contact.phone,
    telegram_chat_id: contact.telegramChatId,
    email: contact.email,
    notes: contact.notes,
    attributes: contact.attributes,
    ...("labels" in contact
      ? {
        labels: contact.labels.map(labelJson),
        last_activity_at: contact.lastActivityAt === null ? null : iso(contact.lastActivityAt),
      }
      : {}),
    created_at: iso(contact.createdAt),
  };
}

/**
 * The contact service's errors name page fields with message keys; the API names them with
 * the error's own sentence.
 */
async function inApiWords<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const details = Object.fromEntries(
      Object.entries(e.details).map((
        [k, v],
      ) => [k === "_form" ? "contact" : k, typeof v === "string" || isKey(v) ? e.message : v]),
    );
    throw new AppError(e.status, e.code, e.message, details);
  }
}
const isKey = (v: unknown) => typeof v === "object" && v !== null && "key" in v;

/** `/api/v1/contacts`: find, read, add, change, delete, import, export and merge contacts. */
export function contactApi(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config } = deps;
  const contacts = deps.services.contacts;

  /** Contacts serve every channel: a key limited to one may not import, merge or delete. */
  const notChannelLimited = (c: Context<AppEnv>, what: string) => {
    const only = c.get("apiKey")!.channelId;
    if (only !== null) {
      throw new AppError(
        403,
        "channel_limited",
        `This API key is limited to channel ${only} and cannot ${what}`,
        { channel: only },
      );
    }
  };
  /** The contact in the path, if the key may see it (404 otherwise). */
  const pathContact = async (c: Context<AppEnv>, raw = c.req.param("id") ?? "") => {
    const id = parseRecordId(raw);
    const only = c.get("apiKey")!.channelId;
    if (id !== undefined) {
      if (only === null) return await inApiWords(contacts.get(id));
      // Visible to a channel's key only with a conversation there.
      const supervisor = { id: 0, role: "supervisor", departmentIds: [] } as const;
      const theirs = await contacts.conversations(supervisor, id);
      if (theirs.some((r) => r.channel.id === only)) return await contacts.get(id);
    }
    throw notFound(`No contact with id ${raw.slice(0, 40)}`);
  };
  const listFilter = async (
    c: Context<AppEnv>,
    query: { q?: string; label?: string },
  ): Promise<ContactListFilter> => {
    let labelId: number | undefined;
    if (query.label !== undefined) {
      const name = query.label.toLowerCase();
      labelId = (await listLabels(db)).find((l) => l.name.toLowerCase() === name)?.id;
      if (labelId === undefined) {
        throw invalidInput(`label: no label named ${query.label}`, {
          label: `no label named ${query.label}`,
        });
      }
    }
    const q = query.q?.replace(/[\p{Cc}]+/gu, " ").trim();
    return {
      ...(q ? { q } : {}),
      labelId,
      channelId: c.get("apiKey")!.channelId ?? undefined,
    };
  };
  const phoneOf = (raw: string) => {
    const read = normalisePhone(raw, config.phoneRegion);
    if (!read.ok) {
      const why = describePhoneProblem(raw, read.problem);
      throw invalidInput(`phone: ${why}`, { phone: why });
    }
    return read.phone;
  };

  app.get("/api/v1/contacts", async (c) => {
    requireScope(c, "contacts:read");
    const query = readQuery(c, listContactsQuery);
    const page = await contacts.list(await listFilter(c, query), {
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
    });
    return c.json({
      data: page.rows.map(contactJson),
      next_cursor: page.next ? encodeCursor(page.next) : null,
      has_more: page.next !== undefined,
    });
  });

  app.get("/api/v1/contacts/export.csv", async (c) => {
    requireScope(c, "contacts:read");
    const query = readQuery(c, exportContactsQuery);
    const stream = await contacts.exportCsv(apiActor(c, deps), await listFilter(c, query), {
      timeZone: config.timeZone,
    });
    return c.body(stream, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="contacts.csv"',
    });
  });

  app.post("/api/v1/contacts", async (c) => {
    requireScope(c, "contacts:write");
    const input = await readJson(c, contactBodySchema);
    if (input.phone === undefined) {
      throw invalidInput("phone: a new contact needs a phone number", {
        phone: "a new contact needs a phone number",
      });
    }
    const created = await inApiWords(contacts.create(apiActor(c, deps), {
      name: input.name ?? null,
      phone: phoneOf(input.phone),
      email: input.email ?? null,
      notes: input.notes ?? null,
      attributes: input.attributes ?? {},
    }));
    return c.json(contactJson(created), 201);
  });

  app.get("/api/v1/contacts/:id", async (c) => {
    requireScope(c, "contacts:read");
    return c.json(contactJson(await pathContact(c)));
  });

  app.patch("/api/v1/contacts/:id", async (c) => {
    requireScope(c, "contacts:write");
    const contact = await pathContact(c);
    const input = await readJson(c, contactBodySchema);
    const updated = await inApiWords(contacts.update(apiActor(c, deps), contact.id, {
      name: input.name === undefined ? contact.name : input.name,
      phone: input.phone === undefined ? contact.phone : phoneOf(input.phone),
      email: input.email === undefined ? contact.email : input.email,
      notes: input.notes === undefined ? contact.notes : input.notes,
      attributes: input.attributes ?? contact.attributes,
    }));
    return c.json(contactJson(updated));
  });

  app.delete("/api/v1/contacts/:id", async (c) => {
    requireScope(c, "contacts:write");
    notChannelLimited(c, "delete contacts, which every channel uses");
    const contact = await pathContact(c);
    await inApiWords(contacts.delete(apiActor(c, deps), contact.id));
    return c.body(null, 204);
  });

  app.post("/api/v1/contacts/:id/merge", async (c) => {
    requireScope(c, "contacts:write");
    notChannelLimited(c, "merge contacts, which every channel uses");
    const contact = await pathContact(c);
    const input = await readJson(c, mergeContactSchema);
    if (input.into === contact.id) {
      throw invalidInput("into: a contact cannot be merged with itself", {
        into: "a contact cannot be merged with itself",
      });
    }
    const keep = await contacts.get(input.into).catch(() => {
      throw invalidInput(`into: no contact with id ${input.into}`, {
        into: `no contact with id ${input.into}`,
      });
    });
    const kept = await inApiWords(contacts.merge(apiActor(c, deps), keep.id, contact.id));
    return c.json(contactJson(kept));
  });

  app.post("/api/v1/contacts/import", async (c) => {
    requireScope(c, "contacts:write");
    notChannelLimited(c, "import contacts, which every channel uses");
    const input = await readJson(c, importContactsSchema);
    const media = await loadMedia(db, deps.config.dataDir, input.media_id);
    if (!media) {
      throw invalidInput(`media_id: no uploaded file ${input.media_id}`, {
        media_id: "no uploaded file with this id (upload it with POST /api/v1/media)",
      });
    }
    const fileId = await inApiWords(
      contacts.upload({ data: media.data, fileName: media.fileName ?? "contacts.csv" }),
    );
    const preview = await contacts.preview(fileId);
    let sheet = preview.sheet;
    if (input.sheet !== undefined) {
      const index = typeof input.sheet === "number"
        ? input.sheet
        : preview.sheets.findIndex((s) => s.toLowerCase() === String(input.sheet).toLowerCase());
      if (index < 0 || index >= preview.sheets.length) {
        const why = `no sheet ${input.sheet}; the file has ${preview.sheets.join(", ")}`;
        throw invalidInput(`sheet: ${why}`, { sheet: why });
      }
      sheet = index;
    }
    const columns = sheet === preview.sheet ? preview.columns : (await contacts.preview(
      fileId,
      sheet,
    )).columns;
    const columnOf = (field: string, value: number | string): string => {
      const index = typeof value === "number"
        ? value
        : columns.findIndex((name) => name.trim().toLowerCase() === value.toLowerCase());
      if (index < 0 || index >= columns.length) {
        const why = `no column ${value}; the columns are ${columns.join(", ")}`;
        throw invalidInput(`${field}: ${why}`, { [field]: why });
      }
      return String(index);
    };
    const values: Record<string, string | string[]> = {
      phone: columnOf("columns.phone", input.columns.phone),
    };
    if (input.columns.name !== undefined) {
      values.name = columnOf("columns.name", input.columns.name);
    }
    if (input.columns.email !== undefined) {
      values.email = columnOf("columns.email", input.columns.email);
    }
    values.attr = Object.entries(input.columns.attributes ?? {}).map(([key, value]) => {
      const field = `columns.attributes.${key}`;
      const index = columnOf(field, value);
      if (columns[Number(index)].trim() !== key.trim()) {
        const why = `an attribute is named after its column's header: ` +
          `use "${columns[Number(index)]}" as the key of column ${value}`;
        throw invalidInput(`${field}: ${why}`, { [field]: why });
      }
      return index;
    });
    const report = await inApiWords(contacts.runImport(apiActor(c, deps), fileId, sheet, values));
    return c.json({
      created: report.created,
      updated: report.updated,
      skipped: report.skipped.map((s) => ({ row: s.row, reason: s.reason, message: s.message })),
    });
  });

  return app;
}
