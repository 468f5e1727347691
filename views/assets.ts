import htmx from "./static/htmx.min.js" with { type: "text" };
import css from "./static/app.css" with { type: "text" };
import js from "./static/app.js" with { type: "text" };
import favicon from "./static/favicon.svg" with { type: "text" };

/** A static file embedded in the binary. */
export interface Asset {
  body: string;
  contentType: string;
  /** URL path with a content hash, so it can be cached for a year. */
  url: string;
}

function hashOf(text: string): string {
  // FNV-1a, 32 bit: enough to change the URL whenever the content changes.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function asset(
  name: string,
  ext: string,
  body: string,
  contentType: string,
): Asset {
  return { body, contentType, url: `/static/${name}.${hashOf(body)}.${ext}` };
}

/** Every static file, by short name. */
export const ASSETS = {
  htmx: asset("htmx", "js", htmx, "text/javascript; charset=utf-8"),
  css: asset("app", "css", css, "text/css; charset=utf-8"),
  js: asset("app", "js", js, "text/javascript; charset=utf-8"),
  favicon: asset("favicon", "svg", favicon, "image/svg+xml"),
} as const;

/** Asset by its hashed URL path, for the static route. */
export const ASSETS_BY_URL: ReadonlyMap<string, Asset> = new Map(
  Object.values(ASSETS).map((a) => [a.url, a]),
);
