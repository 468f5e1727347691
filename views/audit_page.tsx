import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";
import { LocalTime } from "./kit/local_time.tsx";

export interface AuditRowView {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
  ip: string | null;
}

/** What an action code means, in the page's language (the code itself when unknown). */
function actionWords(ctx: PageContext, action: string): string {
  return ctx.t.maybe(`audit.act.${action}`) ?? action;
}

/** The audit log, newest first, page by page. */
export function AuditPage(
  { ctx, rows, nextBefore }: {
    ctx: PageContext;
    rows: AuditRowView[];
    nextBefore: number | null;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("audit.title")}>
      <div class="page-head">
        <div>
          <h1>{t("audit.title")}</h1>
          <p>{t("audit.intro")}</p>
        </div>
      </div>
      <section class="card table-wrap">
        {rows.length === 0 ? <p class="muted">{t("audit.empty")}</p> : (
          <table>
            <thead>
              <tr>
                <th>{t("audit.when")}</th>
                <th>{t("audit.who")}</th>
                <th>{t("audit.action")}</th>
                <th>{t("audit.target")}</th>
                <th class="optional">{t("audit.details")}</th>
                <th class="optional">{t("audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td class="small nowrap">
                    <LocalTime ms={r.at} ctx={ctx} seconds />
                  </td>
                  <td>{r.actor}</td>
                  <td>
                    {actionWords(ctx, r.action)}
                    <div class="mono small muted">{r.action}</div>
                  </td>
                  <td class="small">{r.target ?? ""}</td>
                  <td class="optional mono small">{r.details ?? ""}</td>
                  <td class="optional mono small">{r.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextBefore
          ? (
            <p>
              <a
                class="button secondary"
                href={`/settings/audit?before=${nextBefore}`}
              >
                {t("common.older")}
              </a>
            </p>
          )
          : null}
      </section>
    </SettingsLayout>
  );
}
