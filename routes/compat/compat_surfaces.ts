/**
 * The compatible APIs as their callers know them: each checks its own
 * credentials (in its routes), caps its bodies, and answers errors in its
 * own form, whatever went wrong.
 */
import { Hono } from "hono";
import { INDOSHOPSTER_PATH, WAPPIN_PREFIX } from "../../core/permissions.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { bodyLimit, MAX_FORM_BYTES } from "../body_limit.ts";
import { errorHandler, nothingAt } from "../error_handler.tsx";
import { indoshopsterErrors, wappinErrors } from "./compat_errors.ts";
import { indoshopsterRoutes } from "./indoshopster.ts";
import { wappinRoutes } from "./wappin.ts";

/** The Wappin-compatible API under `/v1` (its routes check the token, then cap the body). */
export function wappinSurface(deps: Deps): Hono<AppEnv> {
  const wappin = new Hono<AppEnv>();
  wappin.route("/", wappinRoutes(deps));
  wappin.all(`${WAPPIN_PREFIX}/*`, (c) => {
    throw nothingAt(c);
  });
  wappin.onError(errorHandler(deps, wappinErrors));
  return wappin;
}

/** The Indoshopster-compatible endpoint, one path. */
export function indoshopsterSurface(deps: Deps): Hono<AppEnv> {
  const indoshopster = new Hono<AppEnv>();
  indoshopster.use(INDOSHOPSTER_PATH, bodyLimit(MAX_FORM_BYTES));
  indoshopster.route("/", indoshopsterRoutes(deps));
  for (const path of [INDOSHOPSTER_PATH, `${INDOSHOPSTER_PATH}/*`]) {
    indoshopster.all(path, (c) => {
      throw nothingAt(c);
    });
  }
  indoshopster.onError(errorHandler(deps, indoshopsterErrors));
  return indoshopster;
}
