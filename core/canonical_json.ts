/**
 * JSON text of `value` with every object's keys in sorted order, so the same
 * data gives the same text whatever order its keys were written in (the
 * fingerprint of an idempotent request).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
}
