import type { FieldErrors, FormValues } from "../core/form.ts";
import { DEFAULT_LABEL_COLOR } from "../core/inbox_actions.ts";
import { MAX_LABEL_NAME } from "../core/label_input.ts";
import type { Translate } from "../core/i18n.ts";
import { CsrfField, errorMessage, TextField } from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { LabelDot } from "./kit/label_dot.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** A label as the labels page lists it. */
export interface LabelRow {
  id: number;
  name: string;
  color: string;
  conversationCount: number;
}

/** The form that did not pass: the new label's (no `id`) or a row's. */
export interface LabelFormFailure {
  id?: number;
  errors: FieldErrors;
  values: FormValues;
}

const text = (values: FormValues | undefined, name: string) => {
  const v = values?.[name];
  return typeof v === "string" ? v : undefined;
};

/** A colour picker with its label and error; `id` keeps each row's fields apart. */
function ColorField(
  { t, id, value, error, labelClass }: {
    t: Translate;
    id: string;
    value: string;
    error?: FieldErrors[string];
    labelClass?: string;
  },
) {
  // A colour input shows black for a value it cannot read: the error names what was sent.
  const shown = /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : DEFAULT_LABEL_COLOR;
  return (
    <span class="color-field">
      <label for={id} class={labelClass}>{t("labels.color")}</label>
      <input
        type="color"
        id={id}
        name="color"
        value={shown}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? <span class="error" id={`${id}-error`}>{errorMessage(t, error)}</span> : null}
    </span>
  );
}

/**
 * `/settings/labels`: every label with its colour and how many conversations
 * carry it; add one, change a name or colour in its row, delete one (after a
 * question). `failed` marks which form's errors to show.
 */
export function LabelsPage(
  { ctx, labels, failed }: {
    ctx: PageContext;
    labels: LabelRow[];
    failed?: LabelFormFailure;
  },
) {
  const { t } = ctx;
  const addFailed = failed && failed.id === undefined ? failed : undefined;
  return (
    <SettingsLayout ctx={ctx} title={t("labels.title")}>
      <PageHead title={t("labels.title")} intro={t("labels.intro")} />
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-label"
        title={t("labels.add")}
        action="/settings/labels"
        submit={t("labels.add")}
        errors={addFailed?.errors}
      >
        <TextField
          t={t}
          name="name"
          idPrefix="new-label-"
          label={t("labels.name")}
          values={addFailed?.values}
          errors={addFailed?.errors}
          maxlength={MAX_LABEL_NAME}
          required
        />
        <div class="field">
          <ColorField
            t={t}
            id="new-label-color"
            value={text(addFailed?.values, "color") ?? DEFAULT_LABEL_COLOR}
            error={addFailed?.errors.color}
          />
        </div>
      </FormCard>
      <section class="card" aria-labelledby="label-list">
        <h2 id="label-list">{t("labels.title")}</h2>
        {labels.length > 0 ? <p class="muted small">{t("labels.edit_hint")}</p> : null}
        <DataTable
          label={t("labels.title")}
          rows={labels}
          empty={t("labels.empty")}
          columns={[
            {
              label: t("labels.name"),
              primary: true,
              cell: (l) => {
                const rowFailed = failed?.id === l.id ? failed : undefined;
                const nameError = rowFailed?.errors.name;
                const id = `label-${l.id}`;
                return (
                  <form
                    method="post"
                    action={`/settings/labels/${l.id}`}
                    class="actions label-edit"
                    novalidate
                  >
                    <CsrfField token={ctx.csrfToken} />
                    <LabelDot color={l.color} />
                    <label class="sr-only" for={`${id}-name`}>{t("labels.name")}</label>
                    <input
                      type="text"
                      id={`${id}-name`}
                      name="name"
                      maxlength={MAX_LABEL_NAME}
                      value={text(rowFailed?.values, "name") ?? l.name}
                      aria-invalid={nameError ? "true" : undefined}
                      aria-describedby={nameError ? `${id}-name-error` : undefined}
                    />
                    <ColorField
                      t={t}
                      id={`${id}-color`}
                      value={text(rowFailed?.values, "color") ?? l.color}
                      error={rowFailed?.errors.color}
                      labelClass="sr-only"
                    />
                    <button type="submit" class="secondary">{t("labels.save")}</button>
                    {nameError
                      ? (
                        <span class="error small" id={`${id}-name-error`}>
                          {errorMessage(t, nameError)}
                        </span>
                      )
                      : null}
                  </form>
                );
              },
            },
            {
              label: t("labels.conversations"),
              class: "nowrap",
              cell: (l) => t("labels.conversation_count", { count: l.conversationCount }),
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (l) => (
                <form
                  method="post"
                  action={`/settings/labels/${l.id}/delete`}
                  data-confirm={t("labels.delete_confirm", { name: l.name })}
                >
                  <CsrfField token={ctx.csrfToken} />
                  <button
                    type="submit"
                    class="danger"
                    aria-label={t("labels.delete_named", { name: l.name })}
                  >
                    {t("common.delete")}
                  </button>
                </form>
              ),
            },
          ]}
        />
      </section>
    </SettingsLayout>
  );
}
