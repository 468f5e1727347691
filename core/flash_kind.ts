/** How a message shown once at the top of the next page looks. */
export const FLASH_KINDS = ["success", "error", "info"] as const;
export type FlashKind = typeof FLASH_KINDS[number];
