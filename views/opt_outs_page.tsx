import type { FieldErrors, FormValues } from "../core/form.ts";
import type { Translate } from "../core/i18n.ts";
import type { OptOutSource } from "../core/opt_out.ts";
import { CheckboxField, CsrfField, TextAreaField, TextField } from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** A number on the list, as the pages show it. */
export interface OptOutView {
  phone: string;
  source: OptOutSource;
  createdAt: number;
  /** The staff member who added it. */
  createdByName: string | null;
  /** The conversation of the reply that asked. */
  conversationId: number | null;
  contact: { id: number; name: string | null } | null;
}

/** The form that did not pass: the number added by hand, or the stop words. */
export interface OptOutFormFailure {
  form: "add" | "words";
  values: FormValues;
  errors: FieldErrors;
}

/** How a number came on the list, in words. */
export function optOutHow(t: Translate, entry: Pick<OptOutView, "source" | "createdByName">) {
  if (entry.source === "reply") return t("optouts.how.reply");
  if (entry.source === "api") return t("optouts.how.api");
  return entry.createdByName === null
    ? t("optouts.how.staff_unknown")
    : t("optouts.how.staff", { name: entry.createdByName });
}

/**
 * `/settings/opt-outs`: a number added by hand, the numbers on the list
 * (newest first, searched by number or name, each with a remove button after
 * a question), and the stop words with the confirmation reply.
 */
export function OptOutsPage(
  { ctx, rows, q, nextHref, words, failed }: {
    ctx: PageContext;
    rows: OptOutView[];
    /** The search as typed. */
    q: string;
    nextHref?: string;
    /** The stored settings, shown when the form did not fail. */
    words: { stopWords: string[]; confirm: boolean; confirmText: string };
    failed?: OptOutFormFailure;
  },
) {
  const { t } = ctx;
  const addFailed = failed?.form === "add" ? failed : undefined;
  const wordsFailed = failed?.form === "words" ? failed : undefined;
  const wordValues: FormValues = wordsFailed?.values ?? {
    stop_words: words.stopWords.join("\n"),
    confirm_text: words.confirmText,
  };
  const back = q === "" ? "/settings/opt-outs" : `/settings/opt-outs?${new URLSearchParams({ q })}`;
  return (
    <SettingsLayout ctx={ctx} title={t("optouts.title")}>
      <PageHead title={t("optouts.title")} intro={t("optouts.intro")} />
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-opt-out"
        title={t("optouts.add.title")}
        intro={t("optouts.add.intro")}
        action="/settings/opt-outs"
        submit={t("optouts.add.submit")}
        errors={addFailed?.errors}
      >
        <TextField
          t={t}
          name="phone"
          idPrefix="add-"
          label={t("optouts.field.phone")}
          hint={t("optouts.field.phone_hint")}
          values={addFailed?.values}
          errors={addFailed?.errors}
          inputmode="text"
          autocomplete="off"
          maxlength={64}
        />
      </FormCard>
      <section class="card" aria-labelledby="opt-out-list">
        <h2 id="opt-out-list">{t("optouts.list.title")}</h2>
        <form method="get" action="/settings/opt-outs" class="search-bar" role="search">
          <label class="sr-only" for="opt-out-q">{t("optouts.search")}</label>
          <input
            id="opt-out-q"
            type="search"
            name="q"
            value={q}
            placeholder={t("optouts.search")}
            maxlength={100}
          />
          <button type="submit" class="secondary">{t("optouts.search_button")}</button>
          {q !== "" ? <a href="/settings/opt-outs">{t("optouts.search_clear")}</a> : null}
        </form>
        <DataTable
          label={t("optouts.list.title")}
          rows={rows}
          empty={q === "" ? t("optouts.empty") : t("optouts.empty_search", { q })}
          columns={[
            {
              label: t("optouts.col.number"),
              primary: true,
              cell: (r) => (
                <span class="opt-out-number">
                  <span class="mono nowrap">+{r.phone}</span>
                  {r.contact
                    ? (
                      <>
                        {" "}
                        <a href={`/contacts/${r.contact.id}`}>
                          {r.contact.name ?? t("contacts.no_name")}
                        </a>
                      </>
                    )
                    : null}
                </span>
              ),
            },
            {
              label: t("optouts.col.since"),
              class: "small",
              cell: (r) => <LocalTime ms={r.createdAt} ctx={ctx} />,
            },
            {
              label: t("optouts.col.how"),
              class: "small",
              cell: (r) => (
                <>
                  {optOutHow(t, r)}
                  {r.conversationId !== null
                    ? (
                      <>
                        {" · "}
                        <a href={`/inbox/${r.conversationId}`}>{t("optouts.open_reply")}</a>
                      </>
                    )
                    : null}
                </>
              ),
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (r) => (
                <form
                  method="post"
                  action={`/settings/opt-outs/${r.phone}/delete`}
                  data-confirm={t("optouts.remove_confirm", { phone: `+${r.phone}` })}
                >
                  <CsrfField token={ctx.csrfToken} />
                  <input type="hidden" name="back" value={back} />
                  <button
                    type="submit"
                    class="danger"
                    aria-label={t("optouts.remove_named", { phone: `+${r.phone}` })}
                  >
                    {t("optouts.remove")}
                  </button>
                </form>
              ),
            },
          ]}
        />
        {nextHref
          ? (
            <p>
              <a class="button secondary" href={nextHref}>{t("optouts.older")}</a>
            </p>
          )
          : null}
      </section>
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="stop-words"
        title={t("optouts.words.title")}
        action="/settings/opt-outs/stop-words"
        submit={t("optouts.words.save")}
        errors={wordsFailed?.errors}
      >
        <TextAreaField
          t={t}
          name="stop_words"
          label={t("optouts.field.stop_words")}
          hint={t("optouts.field.stop_words_hint")}
          values={wordValues}
          errors={wordsFailed?.errors}
          rows={4}
        />
        <CheckboxField
          t={t}
          name="confirm"
          label={t("optouts.field.confirm")}
          hint={t("optouts.field.confirm_hint")}
          values={wordsFailed?.values}
          checked={wordsFailed ? false : words.confirm}
          errors={wordsFailed?.errors}
        />
        <TextAreaField
          t={t}
          name="confirm_text"
          label={t("optouts.field.confirm_text")}
          values={wordValues}
          errors={wordsFailed?.errors}
          rows={3}
        />
      </FormCard>
    </SettingsLayout>
  );
}
