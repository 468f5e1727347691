import type { Hono } from "hono";
import type { AppEnv } from "../../routes/app_env.ts";

/** One answer, with the body already read. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
  /** `Location` of a redirect, or null. */
  location: string | null;
}

/**
 * Talks to the app through `app.request` like a browser: keeps cookies, and
 * puts the CSRF token of the last page into the forms it posts.
 */
export class BrowserClient {
  readonly cookies = new Map<string, string>();
  csrfToken = "";

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly remoteAddr = "192.0.2.10",
  ) {}

  /** GET `path`. */
  get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, { method: "GET", headers });
  }

  /**
   * POSTs a form. The page's CSRF token is added unless `_csrf` is given
   * (use `_csrf: ""` to send none).
   */
  post(
    path: string,
    fields: Record<string, string | string[]> = {},
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    if (!("_csrf" in fields)) body.append("_csrf", this.csrfToken);
    for (const [k, v] of Object.entries(fields)) {
      for (const one of Array.isArray(v) ? v : [v]) {
        if (one !== "" || k !== "_csrf") body.append(k, one);
      }
    }
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: body.toString(),
    });
  }

  /** Signs in with a password (and loads a page first to get a CSRF token). */
  async signIn(username: string, password: string): Promise<Page> {
    await this.get("/login");
    return this.post("/login", { username, password });
  }

  /** GET `path` and hand back the response unread (for event streams). */
  open(path: string, signal?: AbortSignal): Promise<Response> {
    return this.send(path, { method: "GET", signal });
  }

  async request(path: string, init: RequestInit): Promise<Page> {
    const res = await this.send(path, init);
    const text = await res.text();
    const token = text.match(/<meta name="csrf-token" content="([^"]*)"/)?.[1];
    if (token) this.csrfToken = token;
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: res.headers.get("location"),
    };
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const res = await this.app.request(
      `http://kabar.test${path}`,
      { ...init, headers },
      { remoteAddr: { hostname: this.remoteAddr, port: 40000, transport: "tcp" } },
    );
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attrs] = cookie.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      const expired = attrs.some((a) =>
        /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a)
      );
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** The visible text of an HTML page: tags removed, entities decoded, spaces collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
