import type { Hono } from "hono";
import type { AppEnv } from "../../routes/app_env.ts";

/** One JSON answer. */
export interface ApiAnswer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  headers: Headers;
}

/** Calls the JSON API through `app.request` with an API key, from `remoteAddr`. */
export function apiClient(app: Hono<AppEnv>, key?: string, remoteAddr = "192.0.2.10") {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const init: RequestInit = {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined && !(body instanceof FormData) && typeof body !== "string"
          ? { "content-type": "application/json" }
          : {}),
        ...headers,
      },
      body: body === undefined
        ? undefined
        : body instanceof FormData || typeof body === "string"
        ? body
        : JSON.stringify(body),
    };
    const res = await app.request(`http://kabar.test${path}`, init, {
      remoteAddr: { hostname: remoteAddr, port: 40000, transport: "tcp" },
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call("GET", path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call("POST", path, body, headers),
    patch: (path: string, body?: unknown) => call("PATCH", path, body),
    delete: (path: string) => call("DELETE", path),
  };
}
