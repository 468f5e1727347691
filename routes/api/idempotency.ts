import type { Context } from "hono";
import { invalidInput } from "../../core/app_error.ts";
import type { AppEnv } from "../app_env.ts";

const MAX_KEY = 128;

/**
 * `input` with the request's idempotency key: the `Idempotency-Key` header
 * counts as the body's `idempotency_key`. Both given and different is a 422
 * naming the field; a header longer than 128 characters is a 422 naming it.
 */
export function withIdempotencyKey<T extends { idempotency_key?: string }>(
  c: Context<AppEnv>,
  input: T,
): T {
  const header = c.req.header("idempotency-key")?.trim();
  if (header === undefined || header === "") return input;
  if (header.length > MAX_KEY) {
    const why = `must be at most ${MAX_KEY} characters`;
    throw invalidInput(`Idempotency-Key: ${why}`, { "Idempotency-Key": why });
  }
  if (input.idempotency_key !== undefined && input.idempotency_key !== header) {
    const why = "differs from the Idempotency-Key header; give one of them";
    throw invalidInput(`idempotency_key: ${why}`, { idempotency_key: why });
  }
  return { ...input, idempotency_key: header };
}

/**
 * The answer to a send: 202 with the new message, or for a replay of an
 * earlier request the message it made, 200, with `Idempotent-Replayed: true`.
 */
export function sendAnswer(c: Context<AppEnv>, body: object, replay: boolean): Response {
  if (replay) c.header("Idempotent-Replayed", "true");
  return c.json(body, replay ? 200 : 202);
}
