import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../core/config.ts";

/** The signed-in session token. */
export const SESSION_COOKIE = "kabar_session";
/** CSRF token of a visitor who is not signed in (setup, login). */
export const CSRF_COOKIE = "kabar_csrf";
/** Interface language before sign-in. */
export const LANGUAGE_COOKIE = "kabar_lang";
/** One-time message for the next page. */
export const FLASH_COOKIE = "kabar_flash";

/** Sets an HttpOnly, SameSite=Lax cookie (Secure when Kabar is served over https). */
export function setKabarCookie(
  c: Context,
  config: Config,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  setCookie(c, name, value, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: config.secureCookies,
    maxAge: maxAgeSeconds,
  });
}

/** Removes a cookie set with `setKabarCookie`. */
export function clearKabarCookie(
  c: Context,
  config: Config,
  name: string,
): void {
  deleteCookie(c, name, { path: "/", secure: config.secureCookies });
}

export { getCookie };
