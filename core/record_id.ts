/**
 * A record id as written in a path or query: decimal digits only, no sign,
 * no leading zero, at most 15 digits (so it is exact as a number). `0x10`,
 * `1e3`, ` 7` or `7.0` are not ids, however JavaScript would read them.
 */
export function parseRecordId(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9][0-9]{0,14}$/.test(text) ? Number(text) : undefined;
}
