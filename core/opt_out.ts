/**
 * Opting out of broadcasts: the words a reply may be to ask it, and who put
 * a number on the list.
 */

/** How a number came on the opt-out list: its own reply, staff, or the API. */
export const OPT_OUT_SOURCES = ["reply", "staff", "api"] as const;
export type OptOutSource = typeof OPT_OUT_SOURCES[number];

/** The replies that opt out, in any case, until Settings says otherwise. */
export const DEFAULT_STOP_WORDS = ["STOP", "BERHENTI", "UNSUBSCRIBE"] as const;

/** The longest stop word, in characters. */
export const MAX_STOP_WORD = 30;
/** How many stop words Settings keeps at most. */
export const MAX_STOP_WORDS = 20;
/** The longest confirmation reply, in characters. */
export const MAX_CONFIRMATION_TEXT = 1000;

/** What a reply that opts out is answered with, once, when the confirmation is on. */
export const DEFAULT_CONFIRMATION_TEXT =
  "Anda tidak akan menerima pesan siaran lagi. Pesan dari petugas kami tetap sampai kepada Anda.";

/** How opting out by reply works: the words, and the confirmation sent back. */
export interface OptOutSettings {
  stopWords: string[];
  confirm: boolean;
  confirmText: string;
}

/** The settings before anyone changed them: the default words, no confirmation. */
export const DEFAULT_OPT_OUT_SETTINGS: OptOutSettings = {
  stopWords: [...DEFAULT_STOP_WORDS],
  confirm: false,
  confirmText: DEFAULT_CONFIRMATION_TEXT,
};

/**
 * A word as it is compared: full-width and other compatibility forms read as
 * plain letters, invisible formatting characters (a zero-width space) gone,
 * control characters and runs of spaces made one space, ends trimmed, lower case.
 */
function comparable(text: string): string {
  return text.normalize("NFKC").replace(/\p{Cf}/gu, "").replace(/[\s\p{Cc}]+/gu, " ").trim()
    .toLocaleLowerCase("id");
}

/**
 * Whether a received text is exactly one of `stopWords`, in any case, with
 * nothing else but spaces around it ("STOP please" is not).
 */
export function isStopWord(text: string, stopWords: readonly string[]): boolean {
  if (text.length > MAX_STOP_WORD * 4) return false;
  const said = comparable(text);
  return said !== "" && stopWords.some((word) => comparable(word) === said);
}

/** The stop words typed in a box, one per line or separated by commas, blanks left out. */
export function splitStopWords(text: string): string[] {
  return text.split(/[\n\r,]+/u).map((w) => w.trim().replace(/\s+/gu, " ")).filter((w) => w !== "");
}

/** Whether two stop words are one in any case. */
export function sameStopWord(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}
