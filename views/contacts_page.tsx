import type { FieldErrors, FormValues } from "../core/form.ts";
import { EmptyState } from "./empty_state.tsx";
import { FormErrorSummary, SelectField, TextField } from "./form_fields.tsx";
import { LabelDot, type LabelView } from "./inbox_page.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** One contact as the list shows it. */
export interface ContactRowView {
  id: number;
  name: string | null;
  pushName: string | null;
  phone: string | null;
  telegramChatId: string | null;
  labels: LabelView[];
  lastActivityAt: number | null;
}

/** The name a contact goes by: theirs, the one they gave WhatsApp, or their number. */
export function contactTitle(
  c: { name: string | null; pushName: string | null; phone: string | null },
  fallback: string,
): string {
  return c.name?.trim() || c.pushName?.trim() || (c.phone ? `+${c.phone}` : fallback);
}

/** A label's chip: its colour dot and name. */
export function LabelChips({ labels }: { labels: LabelView[] }) {
  if (labels.length === 0) return <span class="muted">—</span>;
  return (
    <span class="label-chips">
      {labels.map((l) => (
        <span class="label-chip">
          <LabelDot color={l.color} />
          {l.name}
        </span>
      ))}
    </span>
  );
}

/** `/contacts`: search by name or number, narrow by label, a page at a time. */
export function ContactsPage(
  { ctx, rows, labels, values, errors, nextHref, exportHref, canManage, add }: {
    ctx: PageContext;
    rows: ContactRowView[];
    labels: LabelView[];
    /** The search as given in the URL. */
    values: Record<string, string>;
    errors?: FieldErrors;
    nextHref?: string;
    /** The export of what is listed (supervisors and admins). */
    exportHref?: string;
    canManage: boolean;
    /** The add form that did not pass, with what was typed. */
    add?: { values: FormValues; errors: FieldErrors };
  },
) {
  const { t } = ctx;
  const filtered = values.q !== undefined || values.label !== undefined;
  return (
    <Layout ctx={ctx} title={t("nav.contacts")}>
      <PageHead
        title={t("nav.contacts")}
        intro={t("contacts.intro")}
        actions={canManage
          ? (
            <>
              <a class="button secondary" href="/contacts/import">{t("contacts.import")}</a>
              {exportHref
                ? <a class="button secondary" href={exportHref}>{t("contacts.export")}</a>
                : null}
            </>
          )
          : null}
      />
      <section class="card" aria-label={t("contacts.search")}>
        <FormErrorSummary t={t} errors={errors} />
        <form method="get" action="/contacts" class="filters contact-search" novalidate>
          <TextField
            t={t}
            type="search"
            name="q"
            label={t("contacts.search.q")}
            hint={t("contacts.search.q_hint")}
            values={values}
            errors={errors}
            class="search-input"
            maxlength={100}
          />
          {labels.length
            ? (
              <SelectField
                t={t}
                name="label"
                label={t("contacts.search.label")}
                value={values.label ?? ""}
                options={[
                  ["", t("contacts.search.any_label")],
                  ...labels.map((l): [string, string] => [String(l.id), l.name]),
                ]}
                errors={errors}
              />
            )
            : null}
          <div class="actions">
            <button type="submit">{t("contacts.search")}</button>
            {filtered ? <a href="/contacts">{t("contacts.search.clear")}</a> : null}
          </div>
        </form>
      </section>
      {errors
        ? null
        : rows.length === 0
        ? (filtered
          ? <p class="card muted">{t("contacts.empty_filtered")}</p>
          : <EmptyState title={t("empty.contacts.title")} body={t("empty.contacts.body")} />)
        : (
          <section class="card">
            <DataTable
              label={t("nav.contacts")}
              rows={rows}
              columns={[
                {
                  label: t("contacts.col.name"),
                  primary: true,
                  cell: (r) => (
                    <a href={`/contacts/${r.id}`}>{contactTitle(r, t("contacts.no_name"))}</a>
                  ),
                },
                {
                  label: t("contacts.col.phone"),
                  class: "mono nowrap",
                  cell: (r) => r.phone ? `+${r.phone}` : "—",
                },
                {
                  label: t("contacts.col.telegram"),
                  class: "mono",
                  long: true,
                  cell: (r) => r.telegramChatId ?? "—",
                },
                {
                  label: t("contacts.col.labels"),
                  class: "small",
                  wide: true,
                  cell: (r) => <LabelChips labels={r.labels} />,
                },
                {
                  label: t("contacts.col.activity"),
                  class: "small",
                  cell: (r) =>
                    r.lastActivityAt === null
                      ? <span class="muted">{t("contacts.never")}</span>
                      : <LocalTime ms={r.lastActivityAt} ctx={ctx} />,
                },
              ]}
            />
            {nextHref
              ? (
                <p>
                  <a class="button secondary" href={nextHref}>{t("contacts.next")}</a>
                </p>
              )
              : null}
          </section>
        )}
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-contact"
        title={t("contacts.add")}
        action="/contacts"
        submit={t("contacts.add")}
        submitClass="secondary"
        errors={add?.errors}
      >
        <div class="field-row">
          <TextField
            t={t}
            idPrefix="add-"
            name="name"
            label={t("contacts.field.name")}
            values={add?.values}
            errors={add?.errors}
            maxlength={200}
          />
          <TextField
            t={t}
            idPrefix="add-"
            name="phone"
            label={t("contacts.field.phone")}
            hint={t("contacts.field.phone_hint")}
            values={add?.values}
            errors={add?.errors}
            inputmode="text"
            autocomplete="off"
          />
        </div>
      </FormCard>
    </Layout>
  );
}
