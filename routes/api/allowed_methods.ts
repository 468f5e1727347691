/** A registered route: what `Hono#routes` lists. */
export interface RouteEntry {
  method: string;
  path: string;
}

/** A route path (`/api/v1/messages/:id`) as a pattern that matches whole request paths. */
function pathPattern(path: string): RegExp {
  const parts = path.split("/").map((part) =>
    part === "*"
      ? ".*"
      : part.startsWith(":")
      ? "[^/]+"
      : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  );
  return new RegExp(`^${parts.join("/")}/?$`);
}

/**
 * The methods a set of routes takes, by request path: what a `405` names in
 * its `Allow` header. Middleware (method `ALL`) is left out; a path with GET
 * also takes HEAD, as Hono answers it.
 */
export function allowedMethods(routes: readonly RouteEntry[]): (path: string) => string[] {
  const patterns = routes.filter((r) => r.method !== "ALL").map((r) => ({
    method: r.method.toUpperCase(),
    pattern: pathPattern(r.path),
  }));
  return (path) => {
    const methods = new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method));
    if (methods.has("GET")) methods.add("HEAD");
    const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    return [...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  };
}
