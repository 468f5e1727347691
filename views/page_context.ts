import type { FlashKind } from "../core/flash_kind.ts";
import type { Translate } from "../core/i18n.ts";
import type { Language } from "../core/i18n/message.ts";
import type { Role } from "../core/permissions.ts";

/** A message shown once at the top of the next page. */
export interface Flash {
  kind: FlashKind;
  text: string;
  /** The live part (its id) whose change makes the message stale: the page then drops it. */
  until?: string;
}

/** What every page needs to know about the request, given by the route. */
export interface PageContext {
  t: Translate;
  lang: Language;
  csrfToken: string;
  /** `KABAR_TIMEZONE`: every time on a page is shown in it. */
  timeZone: string;
  /** Path of the current page, to mark the navigation. */
  path: string;
  user?: { displayName: string; username: string; role: Role };
  flash?: Flash;
}
