import type { Context } from "hono";
import { accessFor, roleAllows } from "../core/permissions.ts";
import { sseComment, sseEvent, sseRetry } from "../core/sse_event.ts";
import { liveSessionRole } from "../db/login_sessions.ts";
import type { KabarEvent } from "../sessions/events.ts";
import type { RenderedPart } from "../views/live_part.ts";
import type { AppEnv, Deps } from "./app_env.ts";
import { StaffNotices } from "./staff_notices.ts";

/** Events that arrive this close together are sent as one update. */
const COALESCE_MS = 150;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** More events than this in one update: the page gets all its parts instead. */
const MAX_EVENTS = 200;
/** The unread count (the tab title) is counted again at most this often. */
const UNREAD_EVERY_MS = 1_000;

/** What one update is about: every live part of the page, or what these events changed. */
export type LiveUpdate = "all" | readonly KabarEvent[];

/** What a live page is told, and when. */
export interface LiveParts {
  /** The events that can change what the page shows. */
  relevant: (event: KabarEvent) => boolean;
  /**
   * The HTML of the parts to swap in, each a top-level element the page's
   * script swaps by id (see `views/live_part.tsx`); "" sends nothing. With
   * "all": every live part of the page as it is now, sent when the stream
   * opens (so nothing that happened since the page was drawn is missed),
   * after a burst of events too long to sort and after a failed update.
   * Otherwise the events since the last update, oldest first. Called one at
   * a time, so a render may remember what it sent before.
   */
  render: (update: LiveUpdate) => Promise<string>;
}

/**
 * A Server-Sent Events stream of page parts: `parts` events whose data is
 * the HTML that `live.render` makes for the events `live.relevant` accepts,
 * a few at a time. The page's script (`data-live`) swaps each part in by id,
 * leaving the rest of the page (and what someone is typing) alone. Before
 * each update the session is checked again, so signing out or losing the role
 * ends the stream. Ends too when the browser leaves (the body stream is
 * cancelled) or Kabar shuts down.
 */
export function liveStream(c: Context<AppEnv>, deps: Deps, live: LiveParts): Response {
  // A HEAD answer's body is dropped unread, never cancelled: it must not subscribe.
  if (c.req.method === "HEAD") return new Response(null, { headers: STREAM_HEADERS });
  const { events, clock, log, db } = deps;
  const sessionId = c.get("session")?.id;
  const access = accessFor(c.req.path);
  const stillAllowed = async () => {
    const role = sessionId ? await liveSessionRole(db, clock, sessionId) : undefined;
    return role !== undefined && roleAllows(access, role);
  };
  const notices = staffNoticesOf(c, deps);
  // A browser reconnecting says what it saw last (each event's id is the time it was sent).
  const lastSeen = Number(c.req.header("last-event-id") ?? "");
  const replayFrom = Number.isSafeInteger(lastSeen) && lastSeen > 0 ? lastSeen : undefined;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let cancelFlush: (() => void) | undefined;
      let cancelHeartbeat = () => {};
      let cancelUnread: (() => void) | undefined;
      let open = true;
      /** Events not yet sent, and whether the next update sends every part. */
      let pending: KabarEvent[] = [];
      let all = true;
      let unreadDue = true;
      let unreadAt = -Infinity;
      /** Updates run one after the other, so parts arrive in the order they changed. */
      let updates = Promise.resolve();
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const tellStaff = async (update: LiveUpdate, id: string) => {
        if (!notices) return;
        const told = update === "all"
          ? (replayFrom === undefined ? [] : await notices.missedSince(replayFrom))
          : await notices.of(update);
        for (const notice of told) {
          write(sseEvent({ event: "notice", data: JSON.stringify(notice), id }));
        }
        const now = clock.now();
        if (!unreadDue) return;
        if (now - unreadAt < UNREAD_EVERY_MS) {
          cancelUnread ??= clock.setTimer(UNREAD_EVERY_MS - (now - unreadAt), () => {
            cancelUnread = undefined;
            cancelFlush ??= clock.setTimer(0, queueFlush);
          });
          return;
        }
        unreadDue = false;
        unreadAt = now;
        write(sseEvent({ event: "unread", data: String(await notices.unread()), id }));
      };
      const flush = async () => {
        const update: LiveUpdate = all ? "all" : pending;
        pending = [];
        all = false;
        if (!open) return;
        const id = String(clock.now());
        try {
          if (!(await stillAllowed())) return close();
          const own = update === "all" ? update : update.filter(live.relevant);
          if (own === "all" || own.length > 0) {
            const html = await live.render(own);
            if (html) write(sseEvent({ event: "parts", data: html, id }));
          }
          await tellStaff(update, id);
        } catch (e) {
          all = true;
          log.warn("live update failed", { error: String(e) });
        }
      };
      const queueFlush = () => {
        cancelFlush = undefined;
        updates = updates.then(flush);
      };
      const heartbeat = () => {
        write(sseComment("keep-alive"));
        cancelHeartbeat = clock.setTimer(HEARTBEAT_MS, heartbeat);
      };
      const unsubscribe = events.subscribe((event) => {
        const forStaff = notices?.relevant(event) ?? false;
        if (!open || !(live.relevant(event) || forStaff)) return;
        if (forStaff) unreadDue = true;
        if (pending.length < MAX_EVENTS) pending.push(event);
        else all = true;
        cancelFlush ??= clock.setTimer(COALESCE_MS, queueFlush);
      });
      cleanup = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        cancelFlush?.();
        cancelUnread?.();
        cancelHeartbeat();
        events.closing.removeEventListener("abort", close);
      };
      const close = () => {
        const wasOpen = open;
        cleanup();
        if (wasOpen) controller.close();
      };
      events.closing.addEventListener("abort", close);
      write(sseRetry(3000));
      cancelHeartbeat = clock.setTimer(HEARTBEAT_MS, heartbeat);
      if (events.closing.aborted) close();
      else queueFlush();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, { headers: STREAM_HEADERS });
}

/** The signed-in person's notices, when a person is signed in (a page's stream always has one). */
function staffNoticesOf(c: Context<AppEnv>, deps: Deps): StaffNotices | undefined {
  const user = c.get("user");
  return user ? new StaffNotices(deps, { id: user.id, role: user.role }, c.get("t")) : undefined;
}

const STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
};

const ID = /^[A-Za-z][\w-]*$/;
const FIRST_TAG = /^<([A-Za-z][\w-]*)(?=[\s/>])/;

/** `html` (one element with an id) marked to replace the element with the same id. */
export function replacing(html: string): string {
  if (!FIRST_TAG.test(html)) throw new Error(`A live part must start with its element: ${html}`);
  return html.replace(FIRST_TAG, '<$1 hx-swap-oob="true"');
}

/**
 * `html` (elements with ids) to add at the end or the start of the element
 * with id `into`; an element whose id is on the page already replaces that one.
 */
export function insertingInto(into: string, at: "end" | "start", html: string): string {
  if (!ID.test(into)) throw new Error(`Not an id to insert into: ${JSON.stringify(into)}`);
  return `<template hx-swap-oob="${
    at === "end" ? "beforeend" : "afterbegin"
  }:#${into}">${html}</template>`;
}

/** `html` (elements with ids) to put first in the element with id `into`, moved if there. */
export function movingToTop(into: string, html: string): string {
  if (!ID.test(into)) throw new Error(`Not an id to insert into: ${JSON.stringify(into)}`);
  return `<template hx-swap-oob="movetop:#${into}">${html}</template>`;
}

/** Takes the element with id `id` off the page. */
export function deleting(id: string): string {
  if (!ID.test(id)) throw new Error(`Not an id to delete: ${JSON.stringify(id)}`);
  return `<i id="${id}" hx-swap-oob="delete"></i>`;
}

/** A row of a live list: its element's id and its HTML. */
export interface ListRow {
  id: string;
  html: string;
}

/**
 * What one stream last sent of a list's rows, in order, so an update sends only what changed:
 * rows new or moved to the top (the newest first), rows redrawn in place, rows gone. A list
 * that was or becomes empty, or whose order changed otherwise, is sent whole.
 */
export class SentList {
  #rows: ListRow[] | undefined;

  constructor(private readonly listId: string, private readonly maxMoved = 20) {}

  /** The HTML that turns what was sent into `rows`, or undefined when the list must go whole. */
  changes(rows: ListRow[]): string | undefined {
    const before = this.#rows;
    this.#rows = rows;
    if (!before || before.length === 0 || rows.length === 0) return undefined;
    const place = new Map(before.map((r, i) => [r.id, i]));
    // The shortest head of `rows` after which every row keeps the order it had.
    let head = rows.length;
    let next = Infinity;
    for (let i = rows.length - 1; i >= 0; i--) {
      const at = place.get(rows[i].id);
      if (at === undefined || at >= next) break;
      next = at;
      head = i;
    }
    if (head > this.maxMoved) return undefined;
    const was = new Map(before.map((r) => [r.id, r.html]));
    const now = new Set(rows.map((r) => r.id));
    let out = head > 0
      ? movingToTop(this.listId, rows.slice(0, head).map((r) => r.html).join(""))
      : "";
    for (const row of rows.slice(head)) {
      if (was.get(row.id) !== row.html) out += replacing(row.html);
    }
    for (const row of before) if (!now.has(row.id)) out += deleting(row.id);
    return out;
  }

  /** Forgets what was sent: the next `changes` asks for the whole list. */
  clear(): void {
    this.#rows = undefined;
  }
}

/**
 * What one stream last sent of each part, so an update carries only the
 * parts that look different now. A part whose inner parts changed but that
 * is otherwise the same is sent as those inner parts alone (a new QR code,
 * one row of a list); one that changed around them (a row added, a QR code
 * shown for the first time) is sent whole.
 */
export class SentParts {
  #sent = new Map<string, string>();
  #shells = new Map<string, string>();

  /** The HTML to send for `parts`, remembered as sent. */
  changed(parts: RenderedPart[]): string {
    let out = "";
    for (const part of parts) {
      const before = this.#sent.get(part.id);
      if (before === part.html) continue;
      const shell = shellOf(part);
      const sameShell = before !== undefined && part.inner && this.#shells.get(part.id) === shell;
      this.#sent.set(part.id, part.html);
      this.#shells.set(part.id, shell);
      if (sameShell) {
        out += this.changed(part.inner!);
      } else {
        out += replacing(part.html);
        this.#remember(part.inner ?? []);
      }
    }
    return out;
  }

  /** Forgets everything: the next `changed` sends every part. */
  clear(): void {
    this.#sent.clear();
    this.#shells.clear();
  }

  #remember(parts: RenderedPart[]): void {
    for (const part of parts) {
      this.#sent.set(part.id, part.html);
      this.#shells.set(part.id, shellOf(part));
      this.#remember(part.inner ?? []);
    }
  }
}

/** A part's HTML with its inner parts cut out: what stays when only they change. */
function shellOf(part: RenderedPart): string {
  let shell = part.html;
  for (const inner of part.inner ?? []) shell = shell.replace(inner.html, `\0${inner.id}\0`);
  return shell;
}
