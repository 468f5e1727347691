/**
 * Indoshopster Chat's `sendWhatsappMessage` as its document defines it: the
 * four answers, word for word, and its rule for phone numbers.
 */

export const INDOSHOPSTER_PATH = "/sendWhatsappMessage";

export const INDOSHOPSTER_ERRORS = {
  wrongData: "wrong required data",
  templateNotFound: "template not found",
  wrongPhone:
    "phone parameter should contain only digits and start with the country code (e.g. 62)",
  wrongApiKey: "wrong api key",
} as const;

/** The document's parameters, all required. */
export const INDOSHOPSTER_PARAMETERS = ["api_key", "template_id", "phone_number", "data"] as const;

/** Digits only, a country code first (never a leading 0 or +), 8 to 15 digits as E.164 allows. */
export function isIndoshopsterPhone(phone: string): boolean {
  return /^[1-9]\d{7,14}$/.test(phone);
}
