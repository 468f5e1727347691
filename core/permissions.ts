/** Staff roles, most powerful first. */
export const ROLES = ["admin", "supervisor", "agent"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may reach a path: anyone (`public`), any signed-in staff member
 * (`signed_in`), `api` (checked by API key, not by session), or a list of roles.
 */
export type Access = "public" | "signed_in" | "api" | readonly Role[];

/** Where the JSON API is mounted: every path under it answers only to an API key. */
export const API_PREFIX = "/api";
/** Where the Wappin-compatible API is mounted: its own tokens and keys. */
export const WAPPIN_PREFIX = "/v1";
/** The Indoshopster-compatible endpoint: an API key in the body. */
export const INDOSHOPSTER_PATH = "/sendWhatsappMessage";

/** The surfaces machines call, each checking its own credentials: not the staff session. */
export const MACHINE_SURFACES = [API_PREFIX, WAPPIN_PREFIX, INDOSHOPSTER_PATH] as const;

const everyone: readonly Role[] = ROLES;
const supervisors: readonly Role[] = ["admin", "supervisor"];
const admins: readonly Role[] = ["admin"];

/** Who may import, export, merge and delete contacts (every role may find and edit them). */
export const CONTACT_MANAGERS: readonly Role[] = supervisors;

/**
 * The access table for every route, by path prefix (on segment boundaries);
 * the longest matching prefix wins. A test checks that every registered route
 * has an entry here, so no route is reachable by accident.
 */
export const ACCESS_RULES: ReadonlyArray<readonly [string, Access]> = [
  ["/static", "public"],
  ["/favicon.ico", "public"],
  ["/healthz", "public"],
  ["/metrics", "public"],
  ["/setup", "public"],
  ["/login", "public"],
  ["/language", "public"],
  // The API's description holds no data.
  [`${API_PREFIX}/openapi.json`, "public"],
  [`${API_PREFIX}/docs`, "public"],
  ...MACHINE_SURFACES.map((prefix) => [prefix, "api"] as const),
  ["/", "signed_in"],
  ["/logout", "signed_in"],
  // The stream of a page without live parts of its own: the unread count and notices.
  ["/live", everyone],
  ["/inbox", everyone],
  ["/contacts", everyone],
  // Everyone finds and edits contacts; bringing many in or out is for supervisors.
  ["/contacts/import", supervisors],
  ["/contacts/export.csv", supervisors],
  ["/settings/account", everyone],
  // Agents put labels on conversations from the thread; naming and removing them is for supervisors.
  ["/settings/labels", supervisors],
  ["/broadcasts", supervisors],
  ["/templates", supervisors],
  ["/automation", supervisors],
  ["/reports", supervisors],
  ["/channels", admins],
  ["/settings", admins],
];

const sortedRules = [...ACCESS_RULES].sort((a, b) => b[0].length - a[0].length);

function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === "/") return path === "/";
  return path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === "/");
}

/** The rule for `path`, or undefined when no rule covers it. */
export function accessRuleFor(
  path: string,
): readonly [string, Access] | undefined {
  return sortedRules.find(([prefix]) => prefixMatches(prefix, path));
}

/**
 * The access for `path`. Paths without a rule (unknown URLs) need a sign-in,
 * then answer 404.
 */
export function accessFor(path: string): Access {
  let access = accessByPath.get(path);
  if (access === undefined) {
    access = accessRuleFor(path)?.[1] ?? "signed_in";
    if (accessByPath.size >= MAX_REMEMBERED_PATHS) accessByPath.clear();
    accessByPath.set(path, access);
  }
  return access;
}

/** Every request asks, some twice: the answers for recent paths are kept. */
const accessByPath = new Map<string, Access>();
const MAX_REMEMBERED_PATHS = 1000;

/** Whether `role` passes `access` (for a signed-in user). */
export function roleAllows(access: Access, role: Role): boolean {
  if (access === "public" || access === "signed_in") return true;
  if (access === "api") return false;
  return access.includes(role);
}

/** Whether a signed-in `role` may open `path`. */
export function canOpen(role: Role, path: string): boolean {
  return roleAllows(accessFor(path), role);
}
