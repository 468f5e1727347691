import type { Hono } from "hono";
import type { AppEnv } from "../../routes/app_env.ts";
import { BrowserClient } from "./browser_client.ts";

/**
 * A `BrowserClient` for an app served on `base` (see `TestApp.serve`): each
 * request goes through a real socket, so requests sent together are handled
 * concurrently, as a server handles them.
 */
export function socketBrowser(base: string): BrowserClient {
  const overSocket = {
    request: (url: string, init: RequestInit) => {
      const { pathname, search } = new URL(url);
      return fetch(base + pathname + search, { ...init, redirect: "manual" });
    },
  };
  return new BrowserClient(overSocket as unknown as Hono<AppEnv>);
}

/** How many answers had each status, e.g. `{ 401: 5, 429: 59 }`. */
export function statusCounts(answers: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
