import type { Context } from "hono";
import { nestBrackets } from "../../core/bracket_form.ts";

/**
 * The request's fields in any encoding the compatible APIs' callers use:
 * JSON, `application/x-www-form-urlencoded` or multipart, with bracketed
 * form names nested (`data[fullname]`). Undefined when there is no body or
 * it cannot be read as an object.
 */
export async function compatBody(c: Context): Promise<Record<string, unknown> | undefined> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  try {
    if (type.includes("multipart/form-data") || type.includes("x-www-form-urlencoded")) {
      const fields = nestBrackets(await c.req.parseBody({ all: true }));
      return Object.keys(fields).length ? fields : undefined;
    }
    const text = await c.req.text();
    if (!text.trim()) return undefined;
    if (type.includes("json") || /^\s*[{[]/.test(text)) {
      const parsed = JSON.parse(text);
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? parsed
        : undefined;
    }
    // A form sent without its Content-Type (as `curl -d` can); repeated names become lists.
    const flat: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(text)) {
      flat[name] = name in flat ? [flat[name]].flat().concat(value) : value;
    }
    const fields = nestBrackets(flat);
    return Object.keys(fields).length ? fields : undefined;
  } catch {
    return undefined;
  }
}
