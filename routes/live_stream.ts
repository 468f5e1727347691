import type { Context } from "hono";
import { accessFor, roleAllows } from "../core/permissions.ts";
import { sseComment, sseEvent, sseRetry } from "../core/sse_event.ts";
import { liveSessionUser } from "../db/login_sessions.ts";
import type { KabarEvent } from "../sessions/events.ts";
import type { AppEnv, Deps } from "./app_env.ts";

/** Events that arrive this close together are sent as one update. */
const COALESCE_MS = 150;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

/**
 * A Server-Sent Events stream of HTML: `render` is sent as an `html` event
 * whenever an event that `relevant` accepts is published, a few at a time.
 * The page's script (`data-live`) swaps it in. Before each update the
 * session is checked again, so signing out or losing the role ends the
 * stream. Ends too when the browser leaves (the body stream is cancelled) or
 * Kabar shuts down.
 */
export function liveStream(
  c: Context<AppEnv>,
  deps: Deps,
  relevant: (event: KabarEvent) => boolean,
  render: () => Promise<string>,
): Response {
  const { events, clock, log, db } = deps;
  const sessionId = c.get("session")?.id;
  const access = accessFor(c.req.path);
  const stillAllowed = async () => {
    const user = sessionId ? await liveSessionUser(db, clock, sessionId) : undefined;
    return user !== undefined && roleAllows(access, user.role);
  };
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let cancelFlush: (() => void) | undefined;
      let cancelHeartbeat = () => {};
      let open = true;
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const flush = async () => {
        cancelFlush = undefined;
        try {
          if (!(await stillAllowed())) return close();
          const html = await render();
          write(sseEvent({ event: "html", data: html }));
        } catch (e) {
          log.warn("live update failed", { error: String(e) });
        }
      };
      const heartbeat = () => {
        write(sseComment("keep-alive"));
        cancelHeartbeat = clock.setTimer(HEARTBEAT_MS, heartbeat);
      };
      const unsubscribe = events.subscribe((event) => {
        if (open && !cancelFlush && relevant(event)) {
          cancelFlush = clock.setTimer(COALESCE_MS, () => void flush());
        }
      });
      cleanup = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        cancelFlush?.();
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
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}
