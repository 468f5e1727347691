/**
 * What every live page tells its member of staff, beside its own parts: the
 * count of unread conversations they may see (for the tab title), and a
 * notice — a sound, a desktop notification when allowed — for a new or
 * reopened conversation they may answer, a conversation given to them, and
 * a note that mentions them.
 */
import type { Translate } from "../core/i18n.ts";
import { canSeeConversation, type Viewer } from "../core/conversation_visibility.ts";
import { getConversation } from "../db/conversations.ts";
import { listUsers } from "../db/users.ts";
import type { Role } from "../core/permissions.ts";
import { countUnreadConversations, missedNotices, missedOpened } from "../db/staff_notices.ts";
import type { KabarEvent } from "../sessions/events.ts";
import type { Deps } from "./app_env.ts";
import { eventConversation } from "./event_conversation.ts";

/** One notice, as the page's script shows it (all of it text, never markup). */
export interface StaffNotice {
  kind: "opened" | "assigned" | "mention";
  title: string;
  body: string;
  href: string;
}

/** New conversations told about in one update at most: a burst is one sound, not fifty. */
const MAX_OPENED_PER_UPDATE = 3;
/** How far back a reconnecting page is told what it missed. */
const REPLAY_MS = 10 * 60_000;
const EXCERPT_CHARS = 120;

/** How long a page trusts the departments it read: a change of them shows within this. */
const VIEWER_FOR_MS = 30_000;

export class StaffNotices {
  #viewer?: Promise<Viewer>;
  #viewerAt = -Infinity;

  constructor(
    private readonly deps: Deps,
    private readonly user: { id: number; role: Role },
    private readonly t: Translate,
  ) {}

  /** The person as the visibility rule sees them (their departments read again now and then). */
  #viewerNow(): Promise<Viewer> {
    const now = this.deps.clock.now();
    if (!this.#viewer || now - this.#viewerAt > VIEWER_FOR_MS) {
      this.#viewerAt = now;
      this.#viewer = listUsers(this.deps.db, this.user.id).then((people) => ({
        ...this.user,
        departmentIds: people[0]?.departments.map((d) => d.id) ?? [],
      }));
    }
    return this.#viewer;
  }

  /** Whether `event` may change the unread count or bring a notice. */
  relevant(event: KabarEvent): boolean {
    switch (event.type) {
      case "message.inbound":
      case "conversation.changed":
        return true;
      case "staff.mentioned":
        return event.userIds.includes(this.user.id);
      case "staff.assigned":
        return event.userId === this.user.id;
      default:
        return false;
    }
  }

  async unread(): Promise<number> {
    return countUnreadConversations(this.deps.db, await this.#viewerNow());
  }

  /** The notices `events` bring (those the viewer may see), oldest first. */
  async of(events: readonly KabarEvent[]): Promise<StaffNotice[]> {
    const notices: StaffNotice[] = [];
    let opened = 0;
    for (const event of events) {
      if (event.type === "message.inbound" && event.opened) {
        if (opened++ >= MAX_OPENED_PER_UPDATE) continue;
        const notice = await this.#notice("opened", event.conversationId, null, event);
        if (notice) notices.push(notice);
      } else if (event.type === "staff.mentioned" && event.userIds.includes(this.user.id)) {
        const notice = await this.#notice("mention", event.conversationId, event.by, event);
        if (notice) notices.push(notice);
      } else if (event.type === "staff.assigned" && event.userId === this.user.id) {
        const notice = await this.#notice("assigned", event.conversationId, event.by, event);
        if (notice) notices.push(notice);
      }
    }
    return notices;
  }

  /**
   * What a page reconnecting after `lastSeen` (ms) missed: mentions, assignments and the
   * newest conversations that began or reopened meanwhile.
   */
  async missedSince(lastSeen: number): Promise<StaffNotice[]> {
    const since = Math.max(lastSeen, this.deps.clock.now() - REPLAY_MS);
    const missed = [
      ...await missedNotices(this.deps.db, this.user.id, since),
      ...await missedOpened(this.deps.db, await this.#viewerNow(), since),
    ].sort((a, b) => a.at - b.at);
    const notices: StaffNotice[] = [];
    for (const m of missed) {
      const notice = await this.#notice(m.kind, m.conversationId, m.by);
      if (notice) notices.push(notice);
    }
    return notices;
  }

  async #notice(
    kind: StaffNotice["kind"],
    conversationId: number,
    by: string | null,
    event?: KabarEvent,
  ): Promise<StaffNotice | undefined> {
    const conversation = event
      ? await eventConversation(this.deps.db, event, conversationId)
      : await getConversation(this.deps.db, conversationId);
    if (!conversation) return undefined;
    const place = {
      assigneeId: conversation.assignee?.id ?? null,
      departmentId: conversation.department?.id ?? null,
      channelDepartmentIds: conversation.channelDepartmentIds,
    };
    if (!canSeeConversation(await this.#viewerNow(), place)) return undefined;
    const name = conversation.contact.name?.trim() ||
      (conversation.contact.phone ? `+${conversation.contact.phone}` : null) ||
      conversation.contact.telegramChatId || "—";
    const { t } = this;
    const title = kind === "opened"
      ? t("notice.opened", { name })
      : kind === "assigned"
      ? t("notice.assigned", { name, by: by ?? "Kabar" })
      : t("notice.mention", { name, by: by ?? "—" });
    const text = conversation.lastMessage?.text ?? "";
    return {
      kind,
      title,
      body: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text,
      href: `/inbox/${conversation.id}`,
    };
  }
}
