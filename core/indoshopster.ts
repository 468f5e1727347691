import { normalisePhone } from "./phone.ts";

/**
 * Indoshopster Chat's `sendWhatsappMessage` as its document defines it: the
 * four answers, word for word, and its rule for phone numbers.
 */

export const INDOSHOPSTER_ERRORS = {
  wrongData: "wrong required data",
  templateNotFound: "template not found",
  wrongPhone:
    "phone parameter should contain only digits and start with the country code (e.g. 62)",
  wrongApiKey: "wrong api key",
} as const;

/** The document's parameters, all required. */
export const INDOSHOPSTER_PARAMETERS = ["api_key", "template_id", "phone_number", "data"] as const;

/** The document's parameters as Kabar reads them; `data` is checked against the template later. */
export interface IndoshopsterRequest {
  apiKey: string;
  templateId: string;
  phone: string;
  data: unknown;
}

/**
 * The four parameters of a request, or undefined when one is missing or
 * empty, or is not text (callers' JSON may write a number; an object, a list,
 * true or null is no parameter): the document's "wrong required data".
 */
export function indoshopsterRequest(
  body: Record<string, unknown>,
): IndoshopsterRequest | undefined {
  if (INDOSHOPSTER_PARAMETERS.some((p) => body[p] === undefined || body[p] === "")) {
    return undefined;
  }
  const apiKey = text(body.api_key);
  const templateId = text(body.template_id);
  const phone = text(body.phone_number);
  if (apiKey === undefined || templateId === undefined || phone === undefined) return undefined;
  return { apiKey, templateId, phone, data: body.data };
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

/**
 * Digits only, a country code first (never a leading 0 or +), 8 to 15 digits as E.164 allows,
 * and a valid number of its country.
 */
export function isIndoshopsterPhone(phone: string): boolean {
  return /^[1-9]\d{7,14}$/.test(phone) && normalisePhone(`+${phone}`).ok;
}
