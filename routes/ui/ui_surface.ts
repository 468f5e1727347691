import { Hono } from "hono";
import type { AppEnv, Deps } from "../app_env.ts";
import { bodyLimit, fileBodyBytes, MAX_FORM_BYTES } from "../body_limit.ts";
import { csrfProtection } from "../csrf.ts";
import { errorHandler, pageErrors } from "../error_handler.tsx";
import { sessionAuth } from "../session_auth.ts";
import { accountRoutes } from "./account.tsx";
import { apiKeyRoutes } from "./api_keys.tsx";
import { auditRoutes } from "./audit.tsx";
import { broadcastRoutes } from "./broadcasts.tsx";
import { broadcastSettingsRoutes } from "./broadcast_settings.tsx";
import { channelRoutes } from "./channels.tsx";
import { contactRoutes } from "./contacts.tsx";
import { departmentRoutes } from "./departments.tsx";
import { homeRoutes } from "./home.tsx";
import { inboxRoutes } from "./inbox.tsx";
import { threadRoutes } from "./thread.tsx";
import { liveRoutes } from "./live.ts";
import { integrationRoutes } from "./integrations.tsx";
import { labelRoutes } from "./labels.tsx";
import { loginRoutes } from "./login.tsx";
import { optOutRoutes } from "./opt_outs.tsx";
import { setupRoutes } from "./setup.tsx";
import { templateRoutes } from "./templates.tsx";
import { userRoutes } from "./users.tsx";
import { webhookRoutes } from "./webhooks.tsx";

/**
 * The staff pages: a signed-in session with the role the access table asks
 * for, the CSRF token on every form, forms up to 1 MiB, and errors as a page
 * (or an htmx fragment) in the user's language.
 */
export function uiSurface(deps: Deps): Hono<AppEnv> {
  const ui = new Hono<AppEnv>();
  // The session first (it reads no body): a page a visitor may not open is refused unread.
  ui.use("*", sessionAuth(deps));
  // A spreadsheet of contacts to import may be as large as a file sent in a message.
  ui.use("/contacts/import", bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes)));
  // A reply may carry a file as large as the API takes.
  ui.use("/inbox/:id{[0-9]+}/reply", bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes)));
  // A broadcast's list of recipients may be uploaded with its form.
  ui.use("/broadcasts/new", bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes)));
  ui.use("/broadcasts/:id{[0-9]+}/edit", bodyLimit(fileBodyBytes(deps.config.mediaMaxBytes)));
  ui.use("*", bodyLimit(MAX_FORM_BYTES));
  ui.use("*", csrfProtection(deps));
  for (
    const routes of [
      setupRoutes,
      loginRoutes,
      homeRoutes,
      inboxRoutes,
      threadRoutes,
      liveRoutes,
      contactRoutes,
      accountRoutes,
      userRoutes,
      departmentRoutes,
      labelRoutes,
      optOutRoutes,
      auditRoutes,
      channelRoutes,
      apiKeyRoutes,
      webhookRoutes,
      integrationRoutes,
      templateRoutes,
      broadcastRoutes,
      broadcastSettingsRoutes,
    ]
  ) {
    ui.route("/", routes(deps));
  }
  ui.onError(errorHandler(deps, pageErrors));
  return ui;
}
