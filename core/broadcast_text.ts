/** What each recipient of a broadcast reads. */
import { compileTemplate } from "./template.ts";

/**
 * Fills a broadcast's text for one recipient after another: a recipient's own
 * values win over the broadcast's, and a name neither gives is left empty.
 */
export function broadcastTextFiller(
  body: string,
  shared: Record<string, string>,
): (own: Record<string, string>) => string {
  const fill = compileTemplate(body);
  return (own) =>
    fill((name) =>
      Object.hasOwn(own, name) ? own[name] : Object.hasOwn(shared, name) ? shared[name] : ""
    );
}
