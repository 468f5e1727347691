/**
 * Wappin's API v1 as its document defines it: the answer shape, the status
 * codes with their exact wording, the integration settings, and the
 * callback bodies. Systems written for Wappin read these strings, so they
 * are kept letter for letter (including "cannot be process.").
 */
import { z } from "zod";
import { isoTime, wholeListOf } from "./api_shapes.ts";
import { localParts } from "./local_day.ts";
import { parseRange } from "./ip_allowlist.ts";
import { templateVariables } from "./template.ts";
import { WAPPIN_ENVIRONMENTS, type WappinEnvironment } from "./wappin_environment.ts";

/** Every answer of the document, by the situation that produces it. */
export const WAPPIN = {
  success: ["200", "Success"],
  tokenNotExpired: ["200", "Token not expired"],
  numberValid: ["200", "Phone Number Valid"],
  noInput: ["400", "Error no input received"],
  wrongProject: ["400", "Project ID or Client ID cannot be process."],
  paramCount: ["400", "Message param count do not match"],
  smsParamCount: ["400", "params sms count do not match"],
  invalidCredential: ["401", "Invalid credential"],
  templateNotFound: ["404", "API Notification Template not found or inactive"],
  dataNotFound: ["404", "Data not Found"],
  authNotRecognized: ["406", "Auth not recognize"],
  ipNotAllowed: ["407", "IP Address not allowed"],
  uatSendText: [
    "419",
    "Sorry, the API Send Message can only be used for projects with production status. " +
    "Please try API Sending Message using Sandbox - Send Session Message.",
  ],
  contactInvalid: ["601", "Contact invalid"],
  numberInvalid: ["601", "Phone Number Invalid"],
  uploadFailed: ["605", "Upload Media Failed"],
  vendorError: ["700", "Error from vendor"],
} as const satisfies Record<string, readonly [string, string]>;

export type WappinOutcome = keyof typeof WAPPIN;

/** The body of every answer; HTTP status is always 200, the code is `status`. */
export interface WappinAnswer {
  message_id?: string;
  status: string;
  message: string;
  data?: unknown;
}

export function wappinAnswer(
  outcome: WappinOutcome,
  extra: { messageId?: string; data?: unknown; note?: string } = {},
): WappinAnswer {
  const [status, message] = WAPPIN[outcome];
  return {
    ...(extra.messageId !== undefined ? { message_id: extra.messageId } : {}),
    status,
    message: extra.note ? `${message}. ${extra.note}` : message,
    data: extra.data ?? null,
  };
}

/** Test templates every UAT integration offers, as Wappin's UAT does (2 and 3 parameters). */
export const UAT_TEMPLATES = [
  {
    name: "templ_uat_2",
    body: "Hello {{1}}, this is a test message from Kabar (UAT) sent at {{2}}.",
  },
  {
    name: "templ_uat_3",
    body: "Hello {{1}}, this is a test message from Kabar (UAT): {{2}}, sent at {{3}}.",
  },
] as const;

/** Access tokens live a day, as Wappin's do. */
export const WAPPIN_TOKEN_TTL_MS = 24 * 3_600_000;

/** `YYYY-MM-DD HH:mm:ss` in `timeZone`, as Wappin writes `expired_datetime`. */
export function wappinDateTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** Unix seconds as a string, as Wappin's inquiry and callbacks carry time. */
export const unixSeconds = (ms: number): string => String(Math.floor(ms / 1000));

/**
 * Wappin's `params` ({"1": …, "2": …}) as values for a Kabar template.
 * Numbered keys fill the template's variables in order of first use, so a
 * template written with names (`{{nama}}`) also works; keys that are the
 * variables' own names are used as they are. Undefined when the count or
 * the names do not fit the template.
 */
export function wappinParams(
  body: string,
  params: Record<string, string>,
): Record<string, string> | undefined {
  const variables = templateVariables(body);
  const keys = Object.keys(params);
  if (keys.length !== variables.length) return undefined;
  if (keys.every((k) => variables.includes(k))) return params;
  // Exactly "1" … "n", written plainly ("01" is not "1").
  if (!variables.every((_, i) => Object.hasOwn(params, String(i + 1)))) return undefined;
  return Object.fromEntries(variables.map((name, i) => [name, params[String(i + 1)]]));
}

/** A client or project id as given, the same as `expected` when both are digits of one number ("9" is "0009"). */
export function sameWappinId(given: unknown, expected: string): boolean {
  if (typeof given !== "string" && typeof given !== "number") return false;
  const text = String(given).trim();
  if (text === expected) return true;
  return /^\d{1,15}$/.test(text) && /^\d{1,15}$/.test(expected) &&
    Number(text) === Number(expected);
}

/** How Kabar writes client ids: the integration's number in at least four digits. */
export function wappinClientId(integrationId: number): string {
  return String(integrationId).padStart(4, "0");
}

/** A Wappin message id: 13 lowercase hex digits, like the document's `5d366a8d54dce`. */
export function wappinUniqueId(ms: number): string {
  const random = crypto.getRandomValues(new Uint8Array(3));
  const seconds = Math.floor(ms / 1000).toString(16).padStart(8, "0").slice(-8);
  return seconds + Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 5);
}

/** Addresses and CIDRs: a list, or text with one per line or separated by commas or spaces. */
const ipEntries = z.union([z.string(), z.array(z.string())], { error: "err.wappin_ip" })
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((e) => e.split(/[\s,]+/)).filter(Boolean))
  .pipe(z.array(
    z.string().refine((e) => parseRange(e) !== undefined, {
      error: "err.wappin_ip",
    }),
  ));

const httpUrl = z.string().refine((v) => {
  try {
    return ["http:", "https:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, { error: "err.wappin_callback" });

/** Whether callbacks may reach the private network: JSON true/false, or a form's checkbox. */
const privateNetwork = z.union([
  z.boolean(),
  z.enum(["on", "true", "1", "false", "0", ""]).transform((v) => ["on", "true", "1"].includes(v)),
], { error: "err.private_network" });

/** A URL, or nothing when left empty. */
const callbackUrl = z.string({ error: "err.wappin_callback" }).trim()
  .transform((v) => v || undefined).pipe(httpUrl.optional()).optional();

/** A new integration, from the settings form or `POST /api/v1/integrations/wappin`. */
export const wappinIntegrationSchema = z.object({
  channel: z.coerce.number({ error: "err.wappin_channel" }).int({ error: "err.wappin_channel" })
    .positive({ error: "err.wappin_channel" }),
  project_name: z.string({ error: "err.wappin_project" }).trim().min(1, {
    error: "err.wappin_project",
  }).max(80, { error: "err.wappin_project" }),
  environment: z.enum(WAPPIN_ENVIRONMENTS, { error: "err.wappin_environment" }),
  callback_url: callbackUrl,
  private_network: privateNetwork.optional(),
  ip_whitelist: ipEntries.optional().transform((v) => v ?? []),
});

export type WappinIntegrationInput = z.infer<typeof wappinIntegrationSchema>;

/** Changes to an integration: where callbacks go (null: nowhere) and who may call. */
export const wappinUpdateSchema = z.object({
  callback_url: z.union([z.null(), z.string().trim().transform((v) => v || null)])
    .pipe(httpUrl.nullable()).optional(),
  private_network: privateNetwork.optional(),
  ip_whitelist: ipEntries.optional(),
}).strict();

/** An integration as `/api/v1/integrations/wappin` answers it. */
export const wappinIntegrationResponse = z.object({
  id: z.number().int(),
  channel: z.number().int(),
  client_id: z.string(),
  project_id: z.string(),
  client_name: z.string(),
  project_name: z.string(),
  environment: z.enum(WAPPIN_ENVIRONMENTS),
  callback_url: z.string().nullable(),
  private_network: z.boolean(),
  ip_whitelist: z.array(z.string()),
  callback_webhook: z.number().int().nullable().meta({
    description: "The webhook that carries its callbacks.",
  }),
  token_expires_at: isoTime.nullable(),
  created_at: isoTime.nullable(),
});

export const wappinIntegrationListResponse = wholeListOf(wappinIntegrationResponse);

/** An integration with its keys, shown once when made or renewed. */
export const wappinKeysResponse = wappinIntegrationResponse.extend({
  secret_key: z.string(),
  client_key: z.string(),
});

export type WappinIntegrationJson = z.input<typeof wappinIntegrationResponse>;

/** What a callback tells about the integration that sends it. */
export interface WappinCallbackSource {
  clientId: string;
  clientName: string;
  projectId: string;
  projectName: string;
  environment: WappinEnvironment;
}

/**
 * A callback body in the document's shape: `callback_type` `status` for a
 * status change of a sent message, `message` for a message received.
 * (`status_messages` is spelled as in the document's examples.)
 */
export function wappinCallbackBody(
  source: WappinCallbackSource,
  event:
    | { type: "status"; messageId: string; status: string; number: string; at: number }
    | { type: "message"; messageId: string; text: string; number: string; at: number },
): string {
  return JSON.stringify({
    message_id: event.messageId,
    client_id: source.clientId,
    client_name: source.clientName,
    project_id: source.projectId,
    project_name: source.projectName,
    sender_number: event.number,
    status_messages: event.type === "status" ? event.status : "-",
    message_content: event.type === "message" ? event.text : "-",
    environment: source.environment,
    timestamp: unixSeconds(event.at),
    callback_type: event.type,
  });
}

/** Whether a callback receiver's answer means success: `"status": "000"` in its JSON. */
export function wappinCallbackAccepted(body: string): boolean {
  try {
    const parsed = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null && String(parsed.status) === "000";
  } catch {
    // The document's own example has a trailing comma: `{ "status": "000", }`.
    return /"status"\s*:\s*"000"/.test(body);
  }
}
