/** Details attached to an error: usually a map from field path to message. */
export type ErrorDetails = Record<string, unknown>;

/**
 * The one error type that routes turn into a response: pages get an error
 * fragment or page, the API gets `{ "error": { code, message, details } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** 400: the request itself is malformed. */
export const badRequest = (message: string, details?: ErrorDetails) =>
  new AppError(400, "bad_request", message, details);

/** 422: a field has a wrong value; `details` maps field path to reason. */
export const invalidInput = (message: string, details?: ErrorDetails) =>
  new AppError(422, "invalid_input", message, details);

/** 401: not signed in, or the credentials are wrong. */
export const unauthorized = (message = "Sign-in required") =>
  new AppError(401, "unauthorized", message);

/** 403: signed in, but the role or scope does not allow this. */
export const forbidden = (message = "Not allowed for your role", details?: ErrorDetails) =>
  new AppError(403, "forbidden", message, details);

/** 404: the thing asked for does not exist. */
export const notFound = (message = "Not found", details?: ErrorDetails) =>
  new AppError(404, "not_found", message, details);

/** 409: conflicts with what is stored (a duplicate name, a changed row). */
export const conflict = (message: string, details?: ErrorDetails) =>
  new AppError(409, "conflict", message, details);

/** 429: too many attempts; `retryAfterSeconds` tells when to try again. */
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, "too_many_requests", message, { retryAfterSeconds });
