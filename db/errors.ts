/** The message of an error and of every error in its `cause` chain. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" | ");
}

/** Whether a statement failed on the UNIQUE constraint of `table.column`. */
export function isUniqueViolation(
  error: unknown,
  tableColumn: string,
): boolean {
  return errorText(error).includes(`UNIQUE constraint failed: ${tableColumn}`);
}

/** Whether a trigger aborted the statement with `RAISE(ABORT, 'kabar:<rule>')`. */
export function isRuleViolation(error: unknown, rule: string): boolean {
  return errorText(error).includes(`kabar:${rule}`);
}
