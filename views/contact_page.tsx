import type { ConversationStatus } from "../core/conversation_status.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey } from "../core/i18n.ts";
import { CsrfField, errorMessage, TextAreaField, TextField } from "./form_fields.tsx";
import { type ContactRowView, contactTitle, LabelChips } from "./contacts_page.tsx";
import type { LabelView } from "./inbox_page.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { PostForm } from "./kit/post_form.tsx";
import { Layout } from "./layout.tsx";
import { optOutHow, type OptOutView } from "./opt_outs_page.tsx";
import type { PageContext } from "./page_context.ts";

/** A contact as their page shows them. */
export interface ContactView {
  id: number;
  name: string | null;
  pushName: string | null;
  phone: string | null;
  telegramChatId: string | null;
  email: string | null;
  notes: string | null;
  attributes: Record<string, string>;
}

/** One of the contact's conversations. */
export interface ContactConversationView {
  id: number;
  channelName: string;
  status: ConversationStatus;
  assigneeName: string | null;
  labels: LabelView[];
  unreadCount: number;
  lastActivityAt: number | null;
}

const STATUS_KEYS: Record<ConversationStatus, MessageKey> = {
  open: "inbox.status.open",
  pending: "inbox.status.pending",
  resolved: "inbox.status.resolved",
};

/** Blank attribute rows offered under the existing ones, to add details. */
const BLANK_ROWS = 3;

/** The form's values for a contact as stored. */
export function contactFormValues(contact: ContactView): FormValues {
  return {
    name: contact.name ?? "",
    phone: contact.phone ? `+${contact.phone}` : "",
    email: contact.email ?? "",
    notes: contact.notes ?? "",
    attr_key: Object.keys(contact.attributes),
    attr_value: Object.values(contact.attributes),
  };
}

const listOf = (v: string | string[] | undefined) => v === undefined ? [] : [v].flat();

/** The attribute rows: name and value side by side, a Remove box each, blank rows to add. */
function AttributeRows(
  { ctx, values, errors }: { ctx: PageContext; values: FormValues; errors?: FieldErrors },
) {
  const { t } = ctx;
  const keys = listOf(values.attr_key);
  const vals = listOf(values.attr_value);
  const removed = listOf(values.attr_remove);
  const filled = Math.max(keys.length, vals.length);
  const rows = Array.from(
    { length: filled },
    (_, i) => ({ key: keys[i] ?? "", value: vals[i] ?? "" }),
  )
    .filter((r) => r.key !== "" || r.value !== "");
  const all = [...rows, ...Array.from({ length: BLANK_ROWS }, () => ({ key: "", value: "" }))];
  const error = errors?.attributes;
  return (
    <fieldset class="field attributes" aria-invalid={error ? "true" : undefined}>
      <legend>{t("contacts.field.attributes")}</legend>
      <span class="hint" id="attributes-hint">{t("contacts.field.attributes_hint")}</span>
      {error ? <span class="error" id="attributes-error">{errorMessage(t, error)}</span> : null}
      <div class="attribute-rows">
        {all.map((row, i) => (
          <div class="attribute-row">
            <label class="sr-only" for={`attr-key-${i}`}>
              {t("contacts.field.attr_key")} {i + 1}
            </label>
            <input
              id={`attr-key-${i}`}
              type="text"
              name="attr_key"
              value={row.key}
              placeholder={t("contacts.field.attr_key")}
              maxlength={64}
              aria-describedby="attributes-hint"
            />
            <label class="sr-only" for={`attr-value-${i}`}>
              {t("contacts.field.attr_value")} {i + 1}
            </label>
            <input
              id={`attr-value-${i}`}
              type="text"
              name="attr_value"
              value={row.value}
              placeholder={t("contacts.field.attr_value")}
            />
            {i < rows.length
              ? (
                <label class="attribute-remove">
                  <input
                    type="checkbox"
                    name="attr_remove"
                    value={String(i)}
                    checked={removed.includes(String(i))}
                    aria-label={t("contacts.attr_remove_row", { n: i + 1 })}
                  />{" "}
                  {t("contacts.attr_remove")}
                </label>
              )
              : <span class="attribute-remove" />}
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * `/contacts/{id}`: the contact's conversations the viewer may see, the
 * form to edit their details, and for supervisors and admins merge and delete.
 */
export function ContactPage(
  {
    ctx,
    contact,
    conversations,
    values,
    errors,
    canManage,
    merge,
    deleteError,
    optOut,
  }: {
    ctx: PageContext;
    contact: ContactView;
    conversations: ContactConversationView[];
    /** What was typed in the form that did not pass (else the stored values). */
    values?: FormValues;
    errors?: FieldErrors;
    canManage: boolean;
    /** The merge search: its text, the contacts it found, and why a merge was refused. */
    merge?: { q: string; candidates?: ContactRowView[]; error?: string };
    deleteError?: string;
    /** Whether the number gets broadcasts: its opt-out entry, and whether the viewer may change it. */
    optOut?: { entry?: OptOutView; canChange: boolean };
  },
) {
  const { t } = ctx;
  const title = contactTitle(contact, t("contacts.no_name"));
  const shown = values ?? contactFormValues(contact);
  const address = [
    contact.phone ? `+${contact.phone}` : null,
    contact.telegramChatId ? `Telegram ${contact.telegramChatId}` : null,
  ].filter(Boolean).join(" · ");
  return (
    <Layout ctx={ctx} title={title}>
      <PageHead
        title={title}
        intro={
          <>
            <span class="mono">{address || "—"}</span>
            {contact.pushName && contact.pushName !== contact.name
              ? (
                <>
                  {" "}
                  <span class="muted">{t("contacts.push_name", { name: contact.pushName })}</span>
                </>
              )
              : null}
            {optOut?.entry
              ? (
                <>
                  {" "}
                  <a class="badge bad" href="#opt-out">{t("optouts.contact.badge")}</a>
                </>
              )
              : null}
          </>
        }
        actions={<a class="button secondary" href="/contacts">{t("common.back")}</a>}
      />
      <div class="contact-columns">
        <section class="card" aria-labelledby="contact-conversations">
          <h2 id="contact-conversations">{t("contacts.conversations")}</h2>
          {conversations.length === 0
            ? <p class="muted">{t("contacts.conversations_none")}</p>
            : (
              <ul class="contact-conversations">
                {conversations.map((c) => (
                  <li>
                    <a href={`/inbox/${c.id}`} class="contact-conversation">
                      <span class="conversation-head">
                        <strong>{c.channelName}</strong>
                        {c.lastActivityAt !== null
                          ? <LocalTime ms={c.lastActivityAt} ctx={ctx} />
                          : null}
                      </span>
                      <span class="conversation-meta small">
                        <span class={`badge status-${c.status}`}>
                          {t(STATUS_KEYS[c.status])}
                        </span>
                        <span>{c.assigneeName ?? t("contacts.unassigned")}</span>
                        {c.labels.length ? <LabelChips labels={c.labels} /> : null}
                        {c.unreadCount > 0
                          ? (
                            <span class="unread-count">
                              {t("inbox.unread", { count: c.unreadCount })}
                            </span>
                          )
                          : null}
                        <span class="sr-only">{t("contacts.conversation_open")}</span>
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
        </section>
        <FormCard
          t={t}
          csrfToken={ctx.csrfToken}
          id="contact-edit"
          title={t("contacts.edit")}
          action={`/contacts/${contact.id}`}
          submit={t("common.save")}
          errors={errors}
        >
          <TextField
            t={t}
            name="name"
            label={t("contacts.field.name")}
            values={shown}
            errors={errors}
            maxlength={200}
          />
          <TextField
            t={t}
            name="phone"
            label={t("contacts.field.phone")}
            hint={t("contacts.field.phone_hint")}
            values={shown}
            errors={errors}
            autocomplete="off"
          />
          <TextField
            t={t}
            name="email"
            label={t("contacts.field.email")}
            values={shown}
            errors={errors}
            autocomplete="off"
          />
          <TextAreaField
            t={t}
            name="notes"
            label={t("contacts.field.notes")}
            hint={t("contacts.field.notes_hint")}
            values={shown}
            errors={errors}
            rows={4}
          />
          <AttributeRows ctx={ctx} values={shown} errors={errors} />
        </FormCard>
      </div>
      {optOut ? <OptOutCard ctx={ctx} contact={contact} {...optOut} /> : null}
      {canManage
        ? (
          <section class="card" aria-labelledby="contact-merge">
            <h2 id="contact-merge">{t("contacts.merge")}</h2>
            <p class="muted">{t("contacts.merge_intro")}</p>
            {merge?.error ? <div class="flash error" role="alert">{merge.error}</div> : null}
            <form
              method="get"
              action={`/contacts/${contact.id}`}
              class="search-bar"
              role="search"
            >
              <label class="sr-only" for="merge-q">{t("contacts.search.q")}</label>
              <input
                id="merge-q"
                type="search"
                name="merge_q"
                value={merge?.q ?? ""}
                placeholder={t("contacts.search.q")}
                maxlength={100}
              />
              <button type="submit" class="secondary">{t("contacts.merge_find")}</button>
            </form>
            {merge?.candidates === undefined
              ? null
              : merge.candidates.length === 0
              ? <p class="muted">{t("contacts.merge_none")}</p>
              : (
                <ul class="merge-candidates">
                  {merge.candidates.map((other) => {
                    const name = contactTitle(other, t("contacts.no_name"));
                    return (
                      <li>
                        <span>
                          <a href={`/contacts/${other.id}`}>{name}</a>{" "}
                          <span class="mono muted">
                            {other.phone ? `+${other.phone}` : other.telegramChatId ?? ""}
                          </span>
                        </span>
                        <PostForm
                          csrfToken={ctx.csrfToken}
                          action={`/contacts/${contact.id}/merge`}
                          submit={t("contacts.merge_button")}
                          submitClass="secondary"
                          class="inline-form"
                          confirm={t("contacts.merge_confirm", { name })}
                        >
                          <input type="hidden" name="other" value={String(other.id)} />
                        </PostForm>
                      </li>
                    );
                  })}
                </ul>
              )}
          </section>
        )
        : null}
      {canManage
        ? (
          <section class="card danger-zone" aria-labelledby="contact-delete">
            <h2 id="contact-delete">{t("contacts.delete")}</h2>
            <p class="muted">{t("contacts.delete_hint")}</p>
            {deleteError ? <div class="flash error" role="alert">{deleteError}</div> : null}
            <form
              method="post"
              action={`/contacts/${contact.id}/delete`}
              data-confirm={t("contacts.delete_confirm", { name: title })}
            >
              <CsrfField token={ctx.csrfToken} />
              <button type="submit" class="danger">{t("contacts.delete")}</button>
            </form>
          </section>
        )
        : null}
    </Layout>
  );
}

/** Whether the contact's number gets broadcasts, since when and how not, and the button to change it. */
function OptOutCard(
  { ctx, contact, entry, canChange }: {
    ctx: PageContext;
    contact: ContactView;
    entry?: OptOutView;
    canChange: boolean;
  },
) {
  const { t } = ctx;
  const phone = contact.phone ? `+${contact.phone}` : "";
  return (
    <section class="card" aria-labelledby="contact-opt-out" id="opt-out">
      <h2 id="contact-opt-out">{t("optouts.contact.title")}</h2>
      {contact.phone === null ? <p class="muted">{t("optouts.contact.no_phone")}</p> : entry
        ? (
          <>
            <p>
              <span class="badge bad">{t("optouts.contact.out")}</span>
            </p>
            <dl class="facts">
              <dt>{t("optouts.col.since")}</dt>
              <dd>
                <LocalTime ms={entry.createdAt} ctx={ctx} />
              </dd>
              <dt>{t("optouts.col.how")}</dt>
              <dd>
                {optOutHow(t, entry)}
                {entry.conversationId !== null
                  ? (
                    <>
                      {" · "}
                      <a href={`/inbox/${entry.conversationId}`}>{t("optouts.open_reply")}</a>
                    </>
                  )
                  : null}
              </dd>
            </dl>
            <p class="muted small">{t("optouts.contact.note")}</p>
          </>
        )
        : <p>{t("optouts.contact.in")}</p>}
      {contact.phone !== null && canChange
        ? (
          <PostForm
            csrfToken={ctx.csrfToken}
            action={`/contacts/${contact.id}/${entry ? "opt-in" : "opt-out"}`}
            submit={t(entry ? "optouts.contact.opt_in" : "optouts.contact.opt_out")}
            submitClass="secondary"
            confirm={t(
              entry ? "optouts.contact.opt_in_confirm" : "optouts.contact.opt_out_confirm",
              { phone },
            )}
          />
        )
        : null}
    </section>
  );
}
