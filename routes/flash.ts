import type { Context } from "hono";
import type { Config } from "../core/config.ts";
import { FLASH_KINDS } from "../core/flash_kind.ts";
import { isMessageKey, type MessageKey, type Translate } from "../core/i18n.ts";
import { base64url } from "../core/tokens.ts";
import type { Flash } from "../views/page_context.ts";
import { clearKabarCookie, FLASH_COOKIE, getCookie, setKabarCookie } from "./cookies.ts";

type Params = Record<string, string | number>;

/** Leaves a message for the next page (after a redirect). */
export function setFlash(
  c: Context,
  config: Config,
  kind: Flash["kind"],
  key: MessageKey,
  params?: Params,
): void {
  const json = JSON.stringify({ kind, key, params });
  setKabarCookie(
    c,
    config,
    FLASH_COOKIE,
    base64url(new TextEncoder().encode(json)),
    60,
  );
}

/**
 * The message left for this page, translated, and forgets it. Only message
 * keys are carried, so a forged cookie cannot put arbitrary text on a page.
 */
export function takeFlash(
  c: Context,
  config: Config,
  t: Translate,
): Flash | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return undefined;
  clearKabarCookie(c, config, FLASH_COOKIE);
  try {
    const bytes = Uint8Array.from(
      atob(raw.replaceAll("-", "+").replaceAll("_", "/")),
      (ch) => ch.charCodeAt(0),
    );
    const { kind, key, params } = JSON.parse(new TextDecoder().decode(bytes));
    if (!(FLASH_KINDS as readonly string[]).includes(kind) || !isMessageKey(key)) {
      return undefined;
    }
    const safeParams: Params = {};
    for (const [k, v] of Object.entries(params ?? {})) {
      if (typeof v === "string" || typeof v === "number") safeParams[k] = v;
    }
    return { kind, text: t(key, safeParams) };
  } catch {
    return undefined;
  }
}
