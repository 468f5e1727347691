import type { Role } from "../../core/permissions.ts";
import type { User } from "../../db/users.ts";
import { BrowserClient } from "./browser_client.ts";
import { TEST_PASSWORD, type TestApp } from "./test_app.ts";

/** A browser signed in, and the account it is signed in as. */
export type SignedIn = BrowserClient & { user: User };

/** How `signedIn` makes the account and the browser. */
export interface SignedInOptions {
  /** Default: the role's name (`admin`), then `admin2`, `admin3`… for more of one role. */
  username?: string;
  /** Default: `TEST_PASSWORD`. */
  password?: string;
  /** The browser's address (default: `BrowserClient`'s). */
  remoteAddr?: string;
}

const taken = new WeakMap<object, Map<Role, number>>();

/**
 * Adds a new account of `role` and signs a browser in as it (cookie jar and
 * CSRF token kept by the `BrowserClient`). Throws if the sign-in does not
 * succeed, so tests of signing in itself use `BrowserClient.signIn`.
 *
 *     const admin = await signedIn(t, "admin");
 *     await admin.post("/channels", { kind: "sandbox", name: "Latihan" });
 */
export async function signedIn(
  t: Pick<TestApp, "app" | "addUser">,
  role: Role,
  options: SignedInOptions = {},
): Promise<SignedIn> {
  const counts = taken.get(t) ?? new Map<Role, number>();
  taken.set(t, counts);
  const n = (counts.get(role) ?? 0) + 1;
  counts.set(role, n);
  const username = options.username ?? (n === 1 ? role : `${role}${n}`);
  const password = options.password ?? TEST_PASSWORD;
  const user = await t.addUser(username, role, password);
  const browser = options.remoteAddr === undefined
    ? new BrowserClient(t.app)
    : new BrowserClient(t.app, options.remoteAddr);
  const page = await browser.signIn(username, password);
  if (page.status !== 303) {
    throw new Error(
      `signing in as ${username} (${role}) answered ${page.status}, not 303: ${
        page.text.slice(0, 200)
      }`,
    );
  }
  return Object.assign(browser, { user });
}
