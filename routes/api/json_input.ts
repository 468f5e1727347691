import type { Context } from "hono";
import type { z } from "zod";
import { AppError, invalidInput } from "../../core/app_error.ts";

/** `a.b[0].c` from a zod issue path; "" for the whole value. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part),
    "",
  );
}

/**
 * Validates `value` with `schema`; a 422 lists every wrong field by its path. A field that
 * is not one is named itself, as is a query parameter that is not one.
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what = "request body"): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Without a prototype: a field named `constructor` or `__proto__` is one like any other.
  const details: Record<string, string> = Object.create(null);
  for (const issue of result.error.issues) {
    const path = fieldPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        details[path ? `${path}.${key}` : key] ??= what === "query"
          ? "not a query parameter of this request"
          : "not a field here";
      }
    } else details[path || (what === "query" ? "(query)" : "(body)")] ??= issue.message;
  }
  const [first] = Object.entries(details);
  throw invalidInput(
    `The ${what} is not valid: ${first[0]}: ${first[1]}${
      Object.keys(details).length > 1 ? ` (and ${Object.keys(details).length - 1} more)` : ""
    }`,
    details,
  );
}

/** The JSON body of the request, validated; 415 when not JSON, 400 when it does not parse. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError(
      415,
      "unsupported_media_type",
      `Send the body as JSON with 'Content-Type: application/json' (got '${type || "none"}')`,
    );
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(400, "bad_json", `The body is not valid JSON: ${(e as Error).message}`);
  }
  return validate(schema, body);
}

/**
 * The query string, validated like a body. A parameter given more than once is refused,
 * unless it is one of `repeatable` (those are always lists).
 */
export function readQuery<T>(c: Context, schema: z.ZodType<T>, repeatable: string[] = []): T {
  const query: Record<string, string | string[]> = Object.create(null);
  const repeated: Record<string, string> = Object.create(null);
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (repeatable.includes(key)) query[key] = values;
    else if (values.length > 1) repeated[key] = `given ${values.length} times; give it once`;
    else query[key] = values[0];
  }
  const [first] = Object.entries(repeated);
  if (first) {
    throw invalidInput(`The query is not valid: ${first[0]}: ${first[1]}`, repeated);
  }
  return validate(schema, query, "query");
}
