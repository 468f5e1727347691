import { Hono } from "hono";
import { readInboxQuery } from "../../core/inbox_query.ts";
import { encodeCursor } from "../../core/keyset_cursor.ts";
import { listChannels } from "../../db/channels.ts";
import { listConversations } from "../../db/conversations.ts";
import { listDepartments } from "../../db/departments.ts";
import { listLabels } from "../../db/labels.ts";
import { listUsers } from "../../db/users.ts";
import { InboxPage, type InboxRow } from "../../views/inbox_page.tsx";
import type { AppEnv, Deps } from "../app_env.ts";
import { pageContext, renderPage } from "../render.tsx";

const PAGE_SIZE = 30;

/**
 * `/inbox` (every role): the conversations the signed-in person may see,
 * filtered by what the URL says (bookmark a filter, share it), a page at a
 * time. A value that is none of the choices is named beside its field (400).
 */
export function inboxRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  app.get("/inbox", async (c) => {
    const user = c.get("user")!;
    const query = readInboxQuery(c.req.queries(), deps.config.timeZone);
    const [people, channels, departments, labels] = await Promise.all([
      listUsers(db),
      listChannels(db),
      listDepartments(db),
      listLabels(db),
    ]);
    const me = people.find((p) => p.id === user.id);
    const viewer = {
      id: user.id,
      role: user.role,
      departmentIds: me?.departments.map((d) => d.id) ?? [],
    };
    const page = query.errors ? { rows: [] } : await listConversations(db, viewer, query.filter, {
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
    }));
    const keep = new URLSearchParams();
    for (const [name, value] of Object.entries(query.values)) {
      for (const v of [value].flat()) keep.append(name, v);
    }
    const next = "next" in page && page.next ? page.next : undefined;
    if (next) keep.set("cursor", encodeCursor(next));
    return renderPage(
      c,
      <InboxPage
        ctx={pageContext(c, deps)}
        rows={rows}
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
        nextHref={next ? `/inbox?${keep}` : undefined}
        now={deps.clock.now()}
        filtered={Object.keys(query.values).length > 0}
      />,
      query.errors ? 400 : 200,
    );
  });

  return app;
}
