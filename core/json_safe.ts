/**
 * Whether `value` comes back unchanged from JSON: strings, finite numbers
 * and nulls, in arrays and plain objects. Bytes, big integers, dates and
 * booleans do not (a boolean would, but the database never gives one).
 * Such values cross between threads as JSON text, which is much cheaper
 * than copying them value by value.
 */
export function isJsonSafe(value: unknown): boolean {
  if (value === null || typeof value === "string") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) {
      if (!isJsonSafe((value as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return false;
}
