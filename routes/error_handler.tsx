import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, notFound } from "../core/app_error.ts";
import { asDiskFull } from "../db/errors.ts";
import { DEFAULT_LANGUAGE, isMessageKey, type MessageKey, translator } from "../core/i18n.ts";
import { ErrorFragment, ErrorPage } from "../views/error_page.tsx";
import { errorMessage } from "../views/form_fields.tsx";
import type { AppEnv, Deps } from "./app_env.ts";
import { compatErrorAnswer } from "./compat/compat_errors.ts";
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

/**
 * Turns any error into an answer: the API gets
 * `{ "error": { code, message, details } }`, htmx gets an error fragment, a
 * browser gets an error page. Unexpected errors are logged with the request id
 * and answered with that id only: no stack trace leaves the server. A write
 * refused because the disk is full, whether the database or a media file
 * refused it, is 507 `disk_full` (the outage itself is logged once, by the
 * database's disk watch).
 */
export function errorHandler(deps: Deps): ErrorHandler<AppEnv> {
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
    }
    const error = appError ??
      new AppError(
        500,
        "internal",
        `Kabar could not finish this request (reference ${requestId})`,
      );
    return respond(c, deps, error);
  };
}

/** Unknown paths: a 404 page, or a JSON error under /api. */
export function notFoundHandler(deps: Deps): NotFoundHandler<AppEnv> {
  return (c) => respond(c, deps, notFound(`Nothing at ${c.req.method} ${c.req.path}`));
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
  return undefined;
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

function respond(
  c: Context<AppEnv>,
  deps: Deps,
  error: AppError,
): Response | Promise<Response> {
  const status = error.status as 400;
  const compat = compatErrorAnswer(c, error);
  if (compat) return compat;
  if (c.req.path === "/api" || c.req.path.startsWith("/api/")) {
    return c.json(
      {
        error: {
          code: error.code,
          message: error.message,
          details: inEnglish(error.details),
        },
      },
      status,
    );
  }
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
}
