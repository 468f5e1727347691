/**
 * Errors no compatible route answered itself (a body over the size limit, an
 * unknown path, a fault, a full disk), in the form each API's callers read.
 */
import { wappinAnswer } from "../../core/wappin.ts";
import { INDOSHOPSTER_ERRORS } from "../../core/indoshopster.ts";
import type { ErrorShape } from "../error_handler.tsx";

/** Indoshopster's plain text; a full disk is 507. */
export const indoshopsterErrors: ErrorShape = (c, error) => {
  if (error.status >= 500) return c.text(error.message, error.code === "disk_full" ? 507 : 500);
  return c.text(error.status === 413 ? INDOSHOPSTER_ERRORS.wrongData : error.message, 200);
};

/** Wappin's answer, HTTP 200 as every Wappin answer: a full disk is `"status": "507"`. */
export const wappinErrors: ErrorShape = (c, error) => {
  const path = c.req.path;
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
};
