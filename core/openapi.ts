/**
 * The OpenAPI 3.1 document of the JSON API, generated from the same zod
 * schemas that validate the requests, so the two cannot drift apart.
 */
import { z } from "zod";
import type { ApiScope } from "./api_scopes.ts";
import {
  createChannelSchema,
  numbersCheckSchema,
  qrQuerySchema,
  sandboxInboundSchema,
} from "./api_channels.ts";
import { listMessagesQuery, sendMessageSchema } from "./api_messages.ts";
import { createTemplateSchema, updateTemplateSchema } from "./api_templates.ts";
import { createWebhookSchema, updateWebhookSchema } from "./api_webhooks.ts";
import { MEDIA_MESSAGE_TYPES } from "./message_type.ts";
import { wappinIntegrationSchema, wappinUpdateSchema } from "./wappin.ts";

/** One operation as the docs page lists it. */
export interface Operation {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status and what it carries. */
  success: [number, string];
  multipart?: boolean;
}

/** Every operation of `/api/v1`, in the order the docs show them. */
export const OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/v1/messages",
    summary: "Send a message",
    description: "Queues a text, a template or a file; answers once the message is committed. " +
      "With an idempotency_key used before with the same body, answers the earlier message (200).",
    scope: "messages:send",
    body: sendMessageSchema,
    success: [202, "The message, status queued"],
  },
  {
    method: "get",
    path: "/api/v1/messages/{id}",
    summary: "A message with its status history",
    scope: "messages:read",
    success: [200, "The message with history[]"],
  },
  {
    method: "get",
    path: "/api/v1/messages",
    summary: "List messages, newest first",
    description: "Page with cursor=next_cursor of the previous answer.",
    scope: "messages:read",
    query: listMessagesQuery,
    success: [200, "{ data: [message], next_cursor }"],
  },
  {
    method: "post",
    path: "/api/v1/media",
    summary: "Upload a file to send by id",
    description: "multipart/form-data with the file in 'file' and optionally type " +
      `(${MEDIA_MESSAGE_TYPES.join(", ")}; default document). The type is decided by the bytes, ` +
      "never by the label: an image must be JPEG or PNG, a video MP4 or 3GP, an audio MP3, " +
      "M4A, AAC, AMR or OGG Opus; anything else (but a program) goes as a document.",
    scope: "messages:send",
    multipart: true,
    success: [201, "{ id, mimetype, size, filename }"],
  },
  {
    method: "get",
    path: "/api/v1/messages/{id}/media",
    summary: "The file of a message, sent or received",
    description: "The bytes, with the type they were found to be. Pictures, sounds and videos " +
      "come inline; every other type (SVG, HTML, XML, PDF, text...) as an attachment. " +
      "404 when the message has no file or it is no longer kept.",
    scope: "messages:read",
    success: [200, "The file's bytes"],
  },
  {
    method: "post",
    path: "/api/v1/numbers/check",
    summary: "Which numbers are on WhatsApp",
    scope: "numbers:check",
    body: numbersCheckSchema,
    success: [
      200,
      "{ channel, data: [{ input, valid: true, number, type, warning?, on_whatsapp, canonical } " +
      "or { input, valid: false, problem, error }] }",
    ],
  },
  {
    method: "get",
    path: "/api/v1/channels",
    summary: "List channels with their status",
    scope: "channels:read",
    success: [200, "{ data: [channel] }"],
  },
  {
    method: "post",
    path: "/api/v1/channels",
    summary: "Add a channel",
    scope: "channels:write",
    body: createChannelSchema,
    success: [201, "The channel"],
  },
  {
    method: "get",
    path: "/api/v1/channels/{id}",
    summary: "A channel and its status",
    scope: "channels:read",
    success: [200, "The channel"],
  },
  {
    method: "delete",
    path: "/api/v1/channels/{id}",
    summary: "Delete a channel (its messages stay)",
    description: "While messages wait to be sent, answers 409 unless ?force=true.",
    scope: "channels:write",
    success: [200, "{ deleted, failed_messages, logged_out_on_phone }"],
  },
  {
    method: "get",
    path: "/api/v1/channels/{id}/qr",
    summary: "The current pairing QR code, or a pairing code",
    description: "format=json (default), svg, png or raw; pairing_code=true asks WhatsApp for " +
      "an 8-character code instead. 409 when already connected or not ready yet.",
    scope: "channels:write",
    query: qrQuerySchema,
    success: [200, "The QR code"],
  },
  {
    method: "post",
    path: "/api/v1/sandbox/{channelId}/inbound",
    summary: "A simulated person writes to a sandbox channel",
    scope: "messages:send",
    body: sandboxInboundSchema,
    success: [201, "The received message"],
  },
  {
    method: "get",
    path: "/api/v1/templates",
    summary: "List templates",
    scope: "templates:*",
    success: [200, "{ data: [template] }"],
  },
  {
    method: "post",
    path: "/api/v1/templates",
    summary: "Add a template",
    description:
      "Not with a key limited to one channel (403 channel_limited): templates serve every channel.",
    scope: "templates:*",
    body: createTemplateSchema,
    success: [201, "The template with its variables[]"],
  },
  {
    method: "get",
    path: "/api/v1/templates/{id}",
    summary: "A template",
    scope: "templates:*",
    success: [200, "The template"],
  },
  {
    method: "patch",
    path: "/api/v1/templates/{id}",
    summary: "Change a template",
    description:
      "Not with a key limited to one channel (403 channel_limited): templates serve every channel.",
    scope: "templates:*",
    body: updateTemplateSchema,
    success: [200, "The template"],
  },
  {
    method: "delete",
    path: "/api/v1/templates/{id}",
    summary: "Delete a template",
    description:
      "Not with a key limited to one channel (403 channel_limited): templates serve every channel.",
    scope: "templates:*",
    success: [204, "Nothing"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks",
    summary: "List webhooks",
    scope: "webhooks:*",
    success: [200, "{ data: [webhook] }"],
  },
  {
    method: "post",
    path: "/api/v1/webhooks",
    summary: "Add a webhook",
    description: "The answer carries the signing secret, once. Loopback and private addresses " +
      "need a key with the scope *.",
    scope: "webhooks:*",
    body: createWebhookSchema,
    success: [201, "The webhook with its secret"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}",
    summary: "A webhook",
    scope: "webhooks:*",
    success: [200, "The webhook"],
  },
  {
    method: "patch",
    path: "/api/v1/webhooks/{id}",
    summary: "Change a webhook",
    scope: "webhooks:*",
    body: updateWebhookSchema,
    success: [200, "The webhook"],
  },
  {
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    summary: "Delete a webhook and its delivery log",
    scope: "webhooks:*",
    success: [204, "Nothing"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    summary: "A webhook's deliveries, newest first",
    scope: "webhooks:*",
    success: [200, "{ data: [delivery], next_cursor }"],
  },
  {
    method: "get",
    path: "/api/v1/integrations/wappin",
    summary: "List Wappin-compatible integrations",
    scope: "*",
    success: [200, "{ data: [integration] }"],
  },
  {
    method: "post",
    path: "/api/v1/integrations/wappin",
    summary: "Add a Wappin-compatible integration",
    description: "For systems written for Wappin's API. The answer carries client_id, project_id " +
      "and, once, secret_key and client_key. UAT needs a sandbox channel and adds the test " +
      "templates templ_uat_2 and templ_uat_3.",
    scope: "*",
    body: wappinIntegrationSchema,
    success: [201, "The integration with its secret_key and client_key"],
  },
  {
    method: "get",
    path: "/api/v1/integrations/wappin/{id}",
    summary: "A Wappin-compatible integration",
    scope: "*",
    success: [200, "The integration"],
  },
  {
    method: "patch",
    path: "/api/v1/integrations/wappin/{id}",
    summary: "Change an integration's callback URL or IP whitelist",
    description: "callback_url null or empty stops the callbacks.",
    scope: "*",
    body: wappinUpdateSchema,
    success: [200, "The integration"],
  },
  {
    method: "post",
    path: "/api/v1/integrations/wappin/{id}/keys",
    summary: "New secret key and client key for an integration",
    description: "The old keys and the current access token stop working at once. The answer " +
      "carries the new secret_key and client_key, once.",
    scope: "*",
    success: [200, "The integration with its new secret_key and client_key"],
  },
  {
    method: "delete",
    path: "/api/v1/integrations/wappin/{id}",
    summary: "Remove an integration, its credentials and its callback log",
    scope: "*",
    success: [204, "Nothing"],
  },
];

/** A zod schema as JSON Schema, as a request would be written. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

const ERROR_SCHEMA = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string", examples: ["invalid_input"] },
        message: { type: "string" },
        details: {
          type: "object",
          description: "For wrong input: the path of each wrong field and why.",
          additionalProperties: true,
        },
      },
      required: ["code", "message", "details"],
    },
  },
  required: ["error"],
};

/** The whole OpenAPI document. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "integer" },
    }));
    const query = op.query ? jsonSchemaOf(op.query) : undefined;
    const queryParams = query
      ? Object.entries((query.properties ?? {}) as Record<string, unknown>).map((
        [name, schema],
      ) => ({
        name,
        in: "query",
        required: false,
        schema,
      }))
      : [];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      "x-scope": op.scope,
      ...(params.length + queryParams.length ? { parameters: [...params, ...queryParams] } : {}),
      ...(op.body
        ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchemaOf(op.body) } },
          },
        }
        : op.multipart
        ? {
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: {
                    file: { type: "string", format: "binary" },
                    type: jsonSchemaOf(z.enum(MEDIA_MESSAGE_TYPES)),
                  },
                  required: ["file"],
                },
              },
            },
          },
        }
        : {}),
      responses: {
        [String(op.success[0])]: { description: op.success[1] },
        default: {
          description: "An error: 400/415 unreadable body, 401 key missing or wrong, 403 scope " +
            "or address not allowed, 404, 409 conflict, 413 too large, 422 wrong field, 429 " +
            "over the key's rate limit (without a valid key, the address's): Retry-After says " +
            "when to try again.",
          content: { "application/json": { schema: ERROR_SCHEMA } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Kabar API",
      version,
      description: "Send WhatsApp and Telegram messages, follow their status, and receive " +
        "events by webhook. Authenticate with 'Authorization: Bearer <API key>' or " +
        "'X-Api-Key: <API key>'.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}
