import type { Child } from "hono/jsx";
import { LANGUAGE_NAMES, type MessageKey } from "../core/i18n.ts";
import { LANGUAGES } from "../core/i18n/message.ts";
import { canOpen } from "../core/permissions.ts";
import { ASSETS } from "./assets.ts";
import { CsrfField } from "./form_fields.tsx";
import type { Flash, PageContext } from "./page_context.ts";

const NAV: Array<[string, MessageKey]> = [
  ["/inbox", "nav.inbox"],
  ["/contacts", "nav.contacts"],
  ["/broadcasts", "nav.broadcasts"],
  ["/templates", "nav.templates"],
  ["/channels", "nav.channels"],
  ["/automation", "nav.automation"],
  ["/reports", "nav.reports"],
  ["/settings", "nav.settings"],
];

function isCurrent(path: string, href: string): boolean {
  return path === href || path.startsWith(href + "/");
}

function Head({ title, ctx }: { title: string; ctx: PageContext }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta
        name="htmx-config"
        content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'
      />
      <title>{title} · Kabar</title>
      <link rel="icon" href={ASSETS.favicon.url} type="image/svg+xml" />
      <link rel="stylesheet" href={ASSETS.css.url} />
      <script src={ASSETS.htmx.url} defer></script>
      <script src={ASSETS.js.url} defer></script>
      <meta name="csrf-token" content={ctx.csrfToken} />
    </head>
  );
}

/** The flash message of the page, if any. */
export function FlashMessage({ flash }: { flash?: Flash }) {
  if (!flash) return null;
  return (
    <div class={`flash ${flash.kind}`} role="status" data-until-change={flash.until}>
      {flash.text}
    </div>
  );
}

/** The language picker: a select that submits itself, with a button when scripts are off. */
export function LanguageForm({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <form method="post" action="/language" class="lang-form">
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name="next" value={ctx.path} />
      <label for="language-switch" class="small muted">{t("lang.label")}</label>
      <select id="language-switch" name="language" data-autosubmit="">
        {LANGUAGES.map((l) => (
          <option value={l} selected={l === ctx.lang}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" class="secondary">{t("lang.switch")}</button>
      </noscript>
    </form>
  );
}

function Nav({ ctx, class: cls, label }: { ctx: PageContext; class?: string; label: string }) {
  const role = ctx.user!.role;
  return (
    <nav class={cls} aria-label={label}>
      {NAV.filter(([href]) => canOpen(role, href)).map(([href, key]) => (
        <a
          href={href}
          aria-current={isCurrent(ctx.path, href) ? "page" : undefined}
        >
          {ctx.t(key)}
        </a>
      ))}
    </nav>
  );
}

/** The signed-in page: top bar with navigation and user menu, then the content. */
export function Layout(
  { ctx, title, children }: {
    ctx: PageContext;
    title: string;
    children?: Child;
  },
) {
  const { t, user } = ctx;
  return (
    <html lang={ctx.lang}>
      <Head title={title} ctx={ctx} />
      {/* data-notices: the page's one live stream also brings the unread count and notices. */}
      <body hx-headers={JSON.stringify({ "X-CSRF-Token": ctx.csrfToken })} data-notices="">
        <a class="skip-link" href="#content">{t("nav.skip")}</a>
        <header class="topbar">
          <a class="brand" href="/inbox">
            <img src={ASSETS.favicon.url} alt="" />
            Kabar
          </a>
          <Nav ctx={ctx} class="wide" label="Kabar" />
          <details class="nav-toggle">
            <summary>{t("nav.menu")}</summary>
            <Nav ctx={ctx} label={t("nav.menu")} />
          </details>
          <details class="menu">
            <summary aria-label={`${t("user.menu")}: ${user!.displayName}`}>
              {user!.displayName}
            </summary>
            <div class="menu-panel">
              <div class="who">
                {t("user.signed_in_as", { name: user!.username })} · {t(`role.${user!.role}`)}
              </div>
              <a href="/settings/account">{t("user.account")}</a>
              <button type="button" class="secondary" data-enable-notifications hidden>
                {t("notice.enable")}
              </button>
              <LanguageForm ctx={ctx} />
              <form method="post" action="/logout">
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" class="secondary">
                  {t("user.sign_out")}
                </button>
              </form>
            </div>
          </details>
        </header>
        <main id="content">
          <FlashMessage flash={ctx.flash} />
          {children}
        </main>
        <div id="notices" class="notices" role="status" aria-live="polite"></div>
      </body>
    </html>
  );
}

/** Pages before sign-in (setup, login, second factor): one centred card. */
export function AuthLayout(
  { ctx, title, children }: {
    ctx: PageContext;
    title: string;
    children?: Child;
  },
) {
  const { t } = ctx;
  return (
    <html lang={ctx.lang}>
      <Head title={title} ctx={ctx} />
      <body>
        <main class="auth" id="content">
          <div class="auth-card">
            <div class="auth-brand">
              <img src={ASSETS.favicon.url} alt="" />
              <div>
                <strong>Kabar</strong>
                <span>{t("app.tagline")}</span>
              </div>
            </div>
            <div class="card">
              <FlashMessage flash={ctx.flash} />
              {children}
            </div>
            <form method="post" action="/language" class="auth-lang">
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="next" value={ctx.path} />
              {LANGUAGES.map((l) => (
                <button
                  type="submit"
                  name="language"
                  value={l}
                  class="link"
                  aria-pressed={l === ctx.lang ? "true" : "false"}
                  disabled={l === ctx.lang}
                >
                  {LANGUAGE_NAMES[l]}
                </button>
              ))}
            </form>
          </div>
        </main>
      </body>
    </html>
  );
}

/** A settings page: the settings menu on the side, the content beside it. */
export function SettingsLayout(
  { ctx, title, children }: {
    ctx: PageContext;
    title: string;
    children?: Child;
  },
) {
  const { t } = ctx;
  const links: Array<[string, MessageKey]> = [
    ["/settings/account", "settings.account"],
    ["/settings/users", "settings.users"],
    ["/settings/departments", "settings.departments"],
    ["/settings/labels", "settings.labels"],
    ["/settings/opt-outs", "settings.opt_outs"],
    ["/settings/broadcasts", "settings.broadcasts"],
    ["/settings/api-keys", "settings.api_keys"],
    ["/settings/webhooks", "settings.webhooks"],
    ["/settings/integrations", "settings.integrations"],
    ["/settings/audit", "settings.audit"],
  ];
  return (
    <Layout ctx={ctx} title={title}>
      <div class="with-sidebar">
        <nav class="sidebar" aria-label={t("settings.title")}>
          {links.filter(([href]) => canOpen(ctx.user!.role, href)).map((
            [href, key],
          ) => (
            <a
              href={href}
              aria-current={isCurrent(ctx.path, href) ? "page" : undefined}
            >
              {t(key)}
            </a>
          ))}
        </nav>
        <div>{children}</div>
      </div>
    </Layout>
  );
}
