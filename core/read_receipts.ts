/**
 * Read receipts: opening a conversation tells the patient their messages
 * were read (WhatsApp's blue ticks), as the phone app does, unless the
 * channel's options turn it off (`read_receipts: false`).
 */

/** Whether a channel with these options sends read receipts; on unless turned off. */
export function readReceiptsOn(options: Record<string, unknown>): boolean {
  return options.read_receipts !== false;
}

/** The most messages one opening of a conversation marks read (the newest). */
export const MAX_READ_RECEIPTS = 100;
