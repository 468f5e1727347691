/**
 * The live first page of the inbox list, kept up to date one conversation
 * at a time. Fifty agents with the list open while a hundred messages a
 * second arrive must not mean fifty list queries and fifty list renders per
 * message: a changed conversation is read once per event and drawn once per
 * language, whatever the number of open lists (both shared here), and each
 * list only decides — in memory, with the same visibility rule and filter —
 * whether that row enters, moves, stays or leaves its page. A list whose
 * filter only the database can judge (labels, dates, a search, longest
 * waiting), or that lost a row it must fill from further down, reads its
 * page again.
 */
import { canSeeConversation, type Viewer } from "../../core/conversation_visibility.ts";
import type { InboxFilter } from "../../core/inbox_query.ts";
import type { KeysetPosition } from "../../core/keyset_cursor.ts";
import type { ConversationPage, ConversationRow } from "../../db/conversations.ts";
import { eventConversation } from "../event_conversation.ts";
import type { Db } from "../../db/client.ts";
import type { KabarEvent } from "../../sessions/events.ts";
import type { LiveUpdate } from "../live_stream.ts";

/** The conversation an event is about, if it names one. */
function conversationOf(event: KabarEvent): number | undefined {
  if (
    event.type === "message.inbound" || event.type === "message.queued" ||
    event.type === "conversation.changed"
  ) {
    return event.conversationId;
  }
  return undefined;
}

/** Whether only the database can tell which rows pass `filter`: then the page is read again. */
function needsQuery(filter: InboxFilter): boolean {
  return filter.labelIds.length > 0 || filter.since !== undefined ||
    filter.until !== undefined || filter.query !== undefined || filter.sort === "waiting";
}

/** Whether `row` passes the filter's simple choices for `viewer` (as the list query would). */
function passes(row: ConversationRow, filter: InboxFilter, viewer: Viewer): boolean {
  if (filter.status !== "all" && row.status !== filter.status) return false;
  if (filter.channelId !== undefined && row.channel.id !== filter.channelId) return false;
  if (filter.departmentId !== undefined && row.department?.id !== filter.departmentId) {
    return false;
  }
  if (filter.unreadOnly && row.unreadCount === 0) return false;
  const assignee = row.assignee?.id ?? null;
  if (filter.assignee === "none") return assignee === null;
  if (filter.assignee === "me") return assignee === viewer.id;
  if (typeof filter.assignee === "number") return assignee === filter.assignee;
  return true;
}

/** Newest activity first (none last), then the higher id: the list query's order. */
function before(a: ConversationRow, b: ConversationRow): boolean {
  const at = a.lastActivityAt ?? -1;
  const bt = b.lastActivityAt ?? -1;
  return at > bt || (at === bt && a.id > b.id);
}

export class LiveInboxList {
  /** The rows shown, in order, and where the next page starts (none on the last page). */
  #rows: ConversationRow[] = [];
  #next: KeysetPosition | undefined;

  constructor(
    private readonly db: Db,
    private readonly viewer: Viewer,
    private readonly filter: InboxFilter,
    private readonly pageSize: number,
    /** Reads the page from the database. */
    private readonly readPage: () => Promise<ConversationPage>,
  ) {}

  /** The page after `update`: from memory when the events allow, else read again. */
  async after(update: LiveUpdate): Promise<ConversationPage> {
    if (update === "all" || needsQuery(this.filter) || !(await this.#apply(update))) {
      const page = await this.readPage();
      this.#rows = page.rows;
      this.#next = page.next;
    }
    return { rows: this.#rows, next: this.#next };
  }

  /** Applies the events' conversations to the page; false when it must be read again. */
  async #apply(events: readonly KabarEvent[]): Promise<boolean> {
    let more = this.#next !== undefined;
    const seen = new Set<number>();
    for (const event of events) {
      if (event.type === "conversation.labels") return false;
      const id = conversationOf(event);
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      const row = await eventConversation(this.db, event, id);
      const at = this.#rows.findIndex((r) => r.id === id);
      if (at >= 0) this.#rows.splice(at, 1);
      const stays = row !== undefined && passes(row, this.filter, this.viewer) &&
        canSeeConversation(this.viewer, {
          assigneeId: row.assignee?.id ?? null,
          departmentId: row.department?.id ?? null,
          channelDepartmentIds: row.channelDepartmentIds,
        });
      if (stays) {
        const place = this.#rows.findIndex((r) => before(row, r));
        const position = place < 0 ? this.#rows.length : place;
        // Below the last row of a full page with more after it: its place is on a later page.
        if (position < this.pageSize && !(position === this.#rows.length && more)) {
          this.#rows.splice(position, 0, row);
        }
      }
      if (this.#rows.length > this.pageSize) {
        this.#rows.length = this.pageSize;
        more = true;
      }
      // A row left a page that has more: the next one must come up from the database.
      if (this.#rows.length < this.pageSize && more) return false;
    }
    const last = this.#rows.at(-1);
    this.#next = more && last ? { at: last.lastActivityAt, id: last.id } : undefined;
    return true;
  }
}
