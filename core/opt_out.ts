/**
 * Opting out of broadcasts: the words a reply may be to ask it, and who put
 * a number on the list.
 */

/** How a number came on the opt-out list: its own reply, staff, or the API. */
export const OPT_OUT_SOURCES = ["reply", "staff", "api"] as const;
export type OptOutSource = typeof OPT_OUT_SOURCES[number];

/** The replies that opt out, in any case, until Settings says otherwise. */
export const DEFAULT_STOP_WORDS = ["STOP", "BERHENTI", "UNSUBSCRIBE"] as const;
