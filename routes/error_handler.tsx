import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, notFound } from "../core/app_error.ts";
import { asDiskFull } from "../db/errors.ts";
import { DEFAULT_LANGUAGE, isMessageKey, type MessageKey, translator } from "../core/i18n.ts";
import { ErrorFragment, ErrorPage } from "../views/error_page.tsx";
import { errorMessage } from "../views/form_fields.tsx";
import type { AppEnv, Deps } from "./app_env.ts";
import { pageContext, renderPage } from "./render.tsx";

const PAGE_TITLES: Record<number, MessageKey> = {
  403: "error.forbidden_title",
  404: "error.not_found_title",
  507: "error.disk_full_title",
};

const PAGE_MESSAGES: Record<number, MessageKey> = {
  403: "error.forbidden",
  404: "error.not_found",
  429: "error.rate",
  507: "error.disk_full",
};

/** How a surface answers an error: each surface has its own shape. */
export type ErrorShape = (
  c: Context<AppEnv>,
  error: AppError,
  deps: Deps,
) => Response | Promise<Response>;

/**
 * Turns any error into an answer of the surface's `shape`. Unexpected errors
 * are logged with the request id and answered with that id only: no stack
 * trace leaves the server. A write refused because the disk is full, whether
 * the database or a media file refused it, is 507 `disk_full` (the outage
 * itself is logged once, by the database's disk watch).
 */
export function errorHandler(deps: Deps, shape: ErrorShape): ErrorHandler<AppEnv> {
  return (err, c) => {
    const appError = toAppError(err, deps);
    const requestId = c.get("requestId") ?? "-";
    if (!appError) {
      (c.get("log") ?? deps.log).error("unhandled error", {
        error: err instanceof Error
          ? { name: err.name, message: err.message, stack: err.stack }
          : String(err),
        path: c.req.path,
      });
    } else if (appError.status >= 500 && appError.code !== "disk_full") {
      // A failure Kabar foresaw (a service it depends on is down): the line says why.
      (c.get("log") ?? deps.log).warn("request failed", {
        error: { message: appError.message, code: appError.code },
        path: c.req.path,
      });
    }
    const error = appError ??
      new AppError(
        500,
        "internal",
        `Kabar could not finish this request (reference ${requestId})`,
      );
    return shape(c, error, deps);
  };
}

/** The error for a path a surface has no route for. */
export function nothingAt(c: Context): AppError {
  return notFound(`Nothing at ${c.req.method} ${c.req.path}`);
}

/** Unknown paths outside every surface: answered in the surface's `shape`. */
export function notFoundHandler(deps: Deps, shape: ErrorShape): NotFoundHandler<AppEnv> {
  return (c) => shape(c, nothingAt(c), deps);
}

function toAppError(err: unknown, deps: Deps): AppError | undefined {
  const diskFull = asDiskFull(err, deps.config.dataDir);
  if (diskFull) return diskFull;
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    return new AppError(
      err.status,
      err.status === 413 ? "too_large" : "bad_request",
      err.message,
    );
  }
  if (unreadableBody(err)) {
    return new AppError(400, "bad_request", "The request body could not be read to its end");
  }
  return undefined;
}

/** A body the client broke off or garbled while it was read: the client's fault, not Kabar's. */
function unreadableBody(err: unknown): boolean {
  return err instanceof Error &&
    (err.name === "Http" || err.name === "BadResource" ||
      /request body|invalid HTTP\/1/i.test(err.message));
}

const english = translator("en");

/** Details that are message keys (shared with the pages) become English sentences. */
function inEnglish(details: AppError["details"]): AppError["details"] {
  return Object.fromEntries(
    Object.entries(details).map((
      [field, value],
    ) => [
      field,
      typeof value === "string" && isMessageKey(value) ? errorMessage(english, value) : value,
    ]),
  );
}

/** The JSON API's errors: `{ "error": { code, message, details } }`. */
export const jsonErrors: ErrorShape = (c, error) =>
  c.json(
    { error: { code: error.code, message: error.message, details: inEnglish(error.details) } },
    error.status as 400,
  );

/** The pages' errors: an error fragment for htmx, an error page for a browser. */
export const pageErrors: ErrorShape = (c, error, deps) => {
  const status = error.status as 400;
  if (
    error.status === 429 && typeof error.details.retryAfterSeconds === "number"
  ) {
    c.header("Retry-After", String(error.details.retryAfterSeconds));
  }
  if (!c.get("t")) {
    c.set("t", translator(DEFAULT_LANGUAGE));
    c.set("lang", DEFAULT_LANGUAGE);
    c.set("csrfToken", "");
  }
  const t = c.get("t");
  const message = error.code === "csrf_failed"
    ? t("error.csrf")
    : error.code === "disk_full"
    ? t("error.disk_full")
    : error.status >= 500
    ? t("error.server", { id: c.get("requestId") ?? "-" })
    : PAGE_MESSAGES[error.status]
    ? t(PAGE_MESSAGES[error.status])
    : error.message;
  if (c.req.header("hx-request")) {
    return c.html(String(<ErrorFragment message={message} />), status);
  }
  return renderPage(
    c,
    <ErrorPage
      ctx={pageContext(c, deps)}
      title={t(PAGE_TITLES[error.status] ?? "error.title")}
      message={message}
    />,
    status,
  );
};
