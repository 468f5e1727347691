import type { FieldErrors } from "../core/form.ts";
import { FormErrorSummary, TextField } from "./form_fields.tsx";
import { zoneLabel } from "./format_time.ts";
import { DataTable } from "./kit/data_table.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

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

/** The audit log, newest first, page by page, for a range of days if one is given. */
export function AuditPage(
  { ctx, now, rows, nextBefore, filter, errors }: {
    ctx: PageContext;
    /** The time now, to name the zone as it is today (WIB). */
    now: number;
    rows: AuditRowView[];
    nextBefore: number | null;
    /** The days asked for, as typed (`YYYY-MM-DD` or blank). */
    filter?: { since: string; until: string };
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  const since = filter?.since ?? "";
  const until = filter?.until ?? "";
  const filtered = since !== "" || until !== "";
  const keep = new URLSearchParams({
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  }).toString();
  return (
    <SettingsLayout ctx={ctx} title={t("audit.title")}>
      <PageHead title={t("audit.title")} intro={t("audit.intro")} />
      <section class="card" aria-labelledby="audit-filter">
        <h2 id="audit-filter" class="sr-only">{t("audit.filter")}</h2>
        <FormErrorSummary t={t} errors={errors} />
        <form method="get" action="/settings/audit" class="filters" novalidate>
          <TextField
            t={t}
            type="date"
            name="since"
            label={t("audit.filter.since")}
            values={{ since }}
            errors={errors}
          />
          <TextField
            t={t}
            type="date"
            name="until"
            label={t("audit.filter.until")}
            values={{ until }}
            errors={errors}
          />
          <div class="actions">
            <button type="submit" class="secondary">{t("audit.filter.apply")}</button>
            {filtered ? <a href="/settings/audit">{t("audit.filter.clear")}</a> : null}
          </div>
          <p class="hint small muted">
            {t("audit.filter.hint", { zone: zoneLabel(now, ctx) })}
          </p>
        </form>
      </section>
      <section class="card">
        <DataTable
          label={t("audit.title")}
          rows={rows}
          empty={errors ? undefined : t(filtered ? "audit.filter.empty" : "audit.empty")}
          columns={[
            {
              label: t("audit.when"),
              class: "small nowrap",
              cell: (r) => <LocalTime ms={r.at} ctx={ctx} seconds />,
            },
            { label: t("audit.who"), cell: (r) => r.actor },
            {
              label: t("audit.action"),
              primary: true,
              cell: (r) => (
                <>
                  {actionWords(ctx, r.action)}
                  <div class="mono small muted">{r.action}</div>
                </>
              ),
            },
            { label: t("audit.target"), class: "small", long: true, cell: (r) => r.target ?? "" },
            {
              label: t("audit.details"),
              class: "mono small",
              wide: true,
              long: true,
              cell: (r) => r.details ?? "",
            },
            { label: t("audit.ip"), class: "mono small", long: true, cell: (r) => r.ip ?? "" },
          ]}
        />
        {nextBefore
          ? (
            <p>
              <a
                class="button secondary"
                href={`/settings/audit?${keep ? `${keep}&` : ""}before=${nextBefore}`}
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
