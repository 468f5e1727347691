import type { Context } from "hono";
import type { AppError } from "../../core/app_error.ts";
import { wappinAnswer } from "../../core/wappin.ts";
import { INDOSHOPSTER_ERRORS, INDOSHOPSTER_PATH } from "../../core/indoshopster.ts";

/**
 * An error no compatible route answered itself (a body over the size limit,
 * an unknown path, a fault, a full disk), in the form that API's callers
 * read; undefined for every other path. A full disk is 507 in Indoshopster's
 * plain text, and `"status": "507"` in Wappin's answer (HTTP 200, as every
 * Wappin answer).
 */
export function compatErrorAnswer(c: Context, error: AppError): Response | undefined {
  const path = c.req.path;
  if (path === INDOSHOPSTER_PATH) {
    if (error.status >= 500) return c.text(error.message, error.code === "disk_full" ? 507 : 500);
    return c.text(error.status === 413 ? INDOSHOPSTER_ERRORS.wrongData : error.message, 200);
  }
  if (path !== "/v1" && !path.startsWith("/v1/")) return undefined;
  if (error.status === 413) {
    const media = path === "/v1/message/do-send-media";
    return c.json(
      wappinAnswer(media ? "uploadFailed" : "noInput", {
        data: { errors: { [media ? "media" : "request"]: error.message } },
      }),
      200,
    );
  }
  return c.json({ status: String(error.status), message: error.message, data: null }, 200);
}
