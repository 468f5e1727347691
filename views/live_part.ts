/**
 * Live parts: the pieces of a page that a `data-live` stream updates, each
 * an element with an `id` that the page's script (views/static/app.js)
 * swaps in by that id, in htmx's out-of-band style (`hx-swap-oob`). A
 * component draws a part the same way for the page and for the stream; the
 * stream (routes/live_stream.ts) only adds the marker. Parts are small (a row, a badge, a counter, a
 * QR code) and never hold a form someone types in.
 */
import type { JSX } from "hono/jsx/jsx-runtime";

/** One part as a page draws it: its id, its element, and smaller parts inside it. */
export interface LivePart {
  id: string;
  node: JSX.Element;
  /** Parts inside this one, sent alone when only they changed. */
  inner?: LivePart[];
}

/** A part drawn as HTML. */
export interface RenderedPart {
  id: string;
  html: string;
  inner?: RenderedPart[];
}

/** Draws `parts` (and the parts inside them) as HTML. */
export async function renderParts(parts: LivePart[]): Promise<RenderedPart[]> {
  return await Promise.all(parts.map(async ({ id, node, inner }) => ({
    id,
    html: String(await node),
    inner: inner ? await renderParts(inner) : undefined,
  })));
}
