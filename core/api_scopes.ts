/** What an API key may do. `*` is everything; `area:*` is everything in one area. */
export const API_SCOPES = [
  "messages:send",
  "messages:read",
  "numbers:check",
  "channels:read",
  "channels:write",
  "conversations:read",
  "conversations:write",
  "conversations:*",
  "contacts:read",
  "contacts:write",
  "contacts:*",
  "templates:*",
  "webhooks:*",
  "broadcasts:read",
  "broadcasts:write",
  "broadcasts:*",
  "*",
] as const;
export type ApiScope = typeof API_SCOPES[number];

/** Whether a key with `granted` scopes may do `needed` (e.g. `templates:write`). */
export function hasScope(granted: readonly string[], needed: string): boolean {
  if (granted.includes("*") || granted.includes(needed)) return true;
  const area = needed.split(":")[0];
  return granted.includes(`${area}:*`);
}
