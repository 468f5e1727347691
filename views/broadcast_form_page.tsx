/**
 * The broadcast form (new and change), and the step after an upload: which
 * column of the file is the number, the name, and each variable.
 */
import { columnLetter } from "../core/column_letter.ts";
import { SheetPreview } from "./sheet_preview.tsx";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { Translate } from "../core/i18n.ts";
import {
  CheckboxField,
  CsrfField,
  errorMessage,
  FormErrorSummary,
  SelectField,
  TextAreaField,
  TextField,
} from "./form_fields.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SendWindowFields } from "./send_window_fields.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** What the form offers to choose from. */
export interface BroadcastFormChoices {
  channels: Array<{ id: number; name: string; kind: string }>;
  templates: Array<{ id: number; name: string; variables: string[] }>;
  labels: Array<{ id: number; name: string }>;
  /** The rows a broadcast being changed has (offered to keep). */
  keepRows?: number;
  maxMb: number;
  /** The zone's short name, for the hours. */
  zone: string;
}

const one = (values: FormValues, name: string): string => {
  const v = values[name];
  return typeof v === "string" ? v : "";
};

function Radio(
  { name, value, checked, label, id }: {
    name: string;
    value: string;
    checked: boolean;
    label: string;
    id: string;
  },
) {
  return (
    <label for={id}>
      <input type="radio" id={id} name={name} value={value} checked={checked} /> {label}
    </label>
  );
}

function FieldErrorText({ t, errors, name }: { t: Translate; errors?: FieldErrors; name: string }) {
  const e = errors?.[name];
  return e ? <span class="error" id={`${name}-error`}>{errorMessage(t, e)}</span> : null;
}

function When(
  { t, prefix, legend, hint, values, errors }: {
    t: Translate;
    prefix: string;
    legend: string;
    hint: string;
    values: FormValues;
    errors?: FieldErrors;
  },
) {
  const bad = errors?.[`${prefix}_date`];
  return (
    <fieldset class="field" aria-invalid={bad ? "true" : undefined}>
      <legend>{legend}</legend>
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}_date`}>{t("broadcasts.form.date")}</label>
          <input
            id={`${prefix}_date`}
            name={`${prefix}_date`}
            type="date"
            value={one(values, `${prefix}_date`)}
            aria-describedby={`${prefix}-hint${bad ? ` ${prefix}_date-error` : ""}`}
          />
        </div>
        <div class="field">
          <label for={`${prefix}_time`}>{t("broadcasts.form.time")}</label>
          <input
            id={`${prefix}_time`}
            name={`${prefix}_time`}
            type="time"
            value={one(values, `${prefix}_time`)}
          />
        </div>
      </div>
      <span class="hint" id={`${prefix}-hint`}>{hint}</span>
      <FieldErrorText t={t} errors={errors} name={`${prefix}_date`} />
    </fieldset>
  );
}

/** `/broadcasts/new` and `/broadcasts/{id}/edit`. */
export function BroadcastFormPage(
  { ctx, action, editing, choices, values, errors }: {
    ctx: PageContext;
    action: string;
    editing: boolean;
    choices: BroadcastFormChoices;
    values: FormValues;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  const title = editing ? t("broadcasts.form.edit_title") : t("broadcasts.form.new_title");
  const messageKind = one(values, "message_kind") || "text";
  const source = one(values, "recipients") || (editing ? "keep" : "text");
  const hasTelegram = choices.channels.some((c) => c.kind === "telegram");
  return (
    <Layout ctx={ctx} title={title}>
      <PageHead
        title={title}
        intro={t("broadcasts.form.intro")}
        actions={<a class="button secondary" href="/broadcasts">{t("common.back")}</a>}
      />
      <section class="card form-card broadcast-form">
        <FormErrorSummary t={t} errors={errors} />
        <form
          method="post"
          action={action}
          enctype="multipart/form-data"
          class="form"
          novalidate
        >
          <CsrfField token={ctx.csrfToken} />
          <TextField
            t={t}
            name="name"
            label={t("broadcasts.form.name")}
            hint={t("broadcasts.form.name_hint")}
            values={values}
            errors={errors}
            maxlength={100}
          />
          <SelectField
            t={t}
            name="channel"
            label={t("broadcasts.form.channel")}
            hint={hasTelegram ? t("broadcasts.form.channel_hint") : undefined}
            value={one(values, "channel")}
            options={choices.channels.map((c): [string, string] => [
              String(c.id),
              `${c.name} (${
                c.kind === "whatsapp" ? "WhatsApp" : c.kind === "telegram" ? "Telegram" : "Sandbox"
              })`,
            ])}
            errors={errors}
          />
          {
            // With no template to choose, there is nothing to choose: the text it is.
            choices.templates.length
              ? (
                <fieldset class="field">
                  <legend>{t("broadcasts.form.message")}</legend>
                  <div class="checks">
                    <Radio
                      id="message_kind_text"
                      name="message_kind"
                      value="text"
                      checked={messageKind !== "template"}
                      label={t("broadcasts.form.message_text")}
                    />
                    <Radio
                      id="message_kind_template"
                      name="message_kind"
                      value="template"
                      checked={messageKind === "template"}
                      label={t("broadcasts.form.message_template")}
                    />
                  </div>
                </fieldset>
              )
              : <input type="hidden" name="message_kind" value="text" />
          }
          <div class="when-text">
            <TextAreaField
              t={t}
              name="text"
              label={t("broadcasts.form.text")}
              hint={t("broadcasts.form.text_hint")}
              values={values}
              errors={errors}
              rows={5}
            />
          </div>
          {choices.templates.length
            ? (
              <div class="when-template">
                <SelectField
                  t={t}
                  name="template"
                  label={t("broadcasts.form.template")}
                  hint={t("broadcasts.form.template_hint")}
                  value={one(values, "template")}
                  options={[
                    ["", t("broadcasts.form.template_none")],
                    ...choices.templates.map((tp): [string, string] => [
                      String(tp.id),
                      tp.variables.length
                        ? `${tp.name} — ${tp.variables.map((v) => `{{${v}}}`).join(" ")}`
                        : tp.name,
                    ]),
                  ]}
                  errors={errors}
                />
              </div>
            )
            : null}
          <TextAreaField
            t={t}
            name="variables"
            label={t("broadcasts.form.variables")}
            hint={t("broadcasts.form.variables_hint")}
            values={values}
            errors={errors}
            rows={2}
          />
          <div class="field">
            <label for="attachment">{t("broadcasts.form.attachment")}</label>
            {one(values, "media_id")
              ? (
                <>
                  <input type="hidden" name="media_id" value={one(values, "media_id")} />
                  <input type="hidden" name="media_name" value={one(values, "media_name")} />
                  <span>
                    {t("broadcasts.form.attachment_current", { name: one(values, "media_name") })}
                  </span>
                  <div class="checks">
                    <label>
                      <input
                        type="checkbox"
                        name="remove_media"
                        checked={one(values, "remove_media") !== ""}
                      />
                      {t("broadcasts.form.attachment_remove")}
                    </label>
                  </div>
                </>
              )
              : null}
            <input
              id="attachment"
              name="attachment"
              type="file"
              aria-invalid={errors?.attachment ? "true" : undefined}
              aria-describedby={errors?.attachment
                ? "attachment-hint attachment-error"
                : "attachment-hint"}
            />
            <span class="hint" id="attachment-hint">
              {t("broadcasts.form.attachment_hint", { max: choices.maxMb })}
            </span>
            <FieldErrorText t={t} errors={errors} name="attachment" />
          </div>
          <fieldset class="field" aria-invalid={errors?.recipients ? "true" : undefined}>
            <legend>{t("broadcasts.form.recipients")}</legend>
            <div class="checks">
              {choices.keepRows !== undefined
                ? (
                  <Radio
                    id="recipients_keep"
                    name="recipients"
                    value="keep"
                    checked={source === "keep"}
                    label={t("broadcasts.form.recipients_keep", { count: choices.keepRows })}
                  />
                )
                : null}
              <Radio
                id="recipients_typed"
                name="recipients"
                value="text"
                checked={source === "text"}
                label={t("broadcasts.form.recipients_text")}
              />
              <Radio
                id="recipients_file"
                name="recipients"
                value="file"
                checked={source === "file"}
                label={t("broadcasts.form.recipients_file")}
              />
              {choices.labels.length
                ? (
                  <Radio
                    id="recipients_label"
                    name="recipients"
                    value="label"
                    checked={source === "label"}
                    label={t("broadcasts.form.recipients_label")}
                  />
                )
                : null}
            </div>
            <FieldErrorText t={t} errors={errors} name="recipients" />
            {/* A label chosen on an older page, gone since, with no label left to show it beside. */}
            {choices.labels.length ? null : <FieldErrorText t={t} errors={errors} name="label" />}
          </fieldset>
          <div class="when-list">
            <TextAreaField
              t={t}
              name="recipients_text"
              label={t("broadcasts.form.list")}
              hint={t("broadcasts.form.list_hint")}
              values={values}
              errors={errors}
              rows={6}
            />
          </div>
          <div class="when-file">
            <div class="field">
              <label for="file">{t("broadcasts.form.file")}</label>
              <input
                id="file"
                name="file"
                type="file"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                aria-invalid={errors?.file ? "true" : undefined}
                aria-describedby={errors?.file ? "file-hint file-error" : "file-hint"}
              />
              <span class="hint" id="file-hint">
                {t("broadcasts.form.file_hint", { max: choices.maxMb })}
              </span>
              <FieldErrorText t={t} errors={errors} name="file" />
            </div>
          </div>
          <div class="when-label">
            {choices.labels.length
              ? (
                <SelectField
                  t={t}
                  name="label"
                  label={t("broadcasts.form.label")}
                  value={one(values, "label")}
                  options={[
                    ["", t("broadcasts.form.label_none")],
                    ...choices.labels.map((l): [string, string] => [String(l.id), l.name]),
                  ]}
                  errors={errors}
                />
              )
              : null}
          </div>
          <fieldset class="field">
            <legend>{t("broadcasts.form.window")}</legend>
            <SendWindowFields
              t={t}
              values={values}
              errors={errors}
              rowClass="field-row when-window"
            />
            <span class="hint when-window">
              {t("broadcasts.form.window_hint", { zone: choices.zone })}
            </span>
          </fieldset>
          <When
            t={t}
            prefix="schedule"
            legend={t("broadcasts.form.schedule")}
            hint={t("broadcasts.form.schedule_hint")}
            values={values}
            errors={errors}
          />
          <When
            t={t}
            prefix="stop"
            legend={t("broadcasts.form.stop")}
            hint={t("broadcasts.form.stop_hint")}
            values={values}
            errors={errors}
          />
          <div class="actions">
            <button type="submit">{t("broadcasts.form.save")}</button>
            <a class="button secondary" href="/broadcasts">{t("common.cancel")}</a>
          </div>
        </form>
      </section>
    </Layout>
  );
}

/** What the mapping step shows of the uploaded file. */
export interface BroadcastMappingView {
  fileId: string;
  fileName: string;
  sheets: string[];
  sheet: number;
  width: number;
  rows: Array<{ number: number; cells: string[] }>;
}

/** The second step of an upload: which column is what, with the first rows as read. */
export function BroadcastMappingPage(
  { ctx, action, view, variables, values, errors }: {
    ctx: PageContext;
    action: string;
    view: BroadcastMappingView;
    /** The message's variables that a column may fill. */
    variables: string[];
    /** The form's values, carried along, and the chosen columns. */
    values: FormValues;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  const first = view.rows[0]?.cells ?? [];
  const columns: Array<[string, string]> = Array.from({ length: view.width }, (_, i) => [
    String(i),
    first[i]?.trim()
      ? `${t("broadcasts.map.column", { letter: columnLetter(i) })}: ${
        first[i].trim().slice(0, 30)
      }`
      : t("broadcasts.map.column", { letter: columnLetter(i) }),
  ]);
  const none: [string, string] = ["", t("broadcasts.map.col_none")];
  const carried = Object.entries(values).filter(([k]) =>
    ![
      "_csrf",
      "recipients",
      "file_name",
      "col_phone",
      "col_name",
      "sheet",
      "header",
      "file_id",
      "show_sheet",
    ].includes(k) &&
    !k.startsWith("col_var.")
  );
  const headerChecked = values.header !== undefined && values.header !== "";
  return (
    <Layout ctx={ctx} title={t("broadcasts.map.title")}>
      <PageHead
        title={t("broadcasts.map.title")}
        intro={t("broadcasts.map.intro", { file: view.fileName })}
        actions={<a class="button secondary" href="/broadcasts">{t("common.cancel")}</a>}
      />
      <section class="card form-card">
        <FormErrorSummary t={t} errors={errors} />
        <form method="post" action={action} class="form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          {carried.flatMap(([k, v]) =>
            [v ?? []].flat().map((one) => <input type="hidden" name={k} value={one} />)
          )}
          <input type="hidden" name="recipients" value="file" />
          <input type="hidden" name="file_id" value={view.fileId} />
          <input type="hidden" name="file_name" value={view.fileName} />
          {view.sheets.length > 1
            ? (
              <div class="field-row">
                <SelectField
                  t={t}
                  name="sheet"
                  label={t("broadcasts.map.sheet")}
                  value={String(view.sheet)}
                  options={view.sheets.map((s, i): [string, string] => [String(i), s])}
                />
                <div class="actions">
                  <button type="submit" name="show_sheet" value="1" class="secondary">
                    {t("broadcasts.map.sheet_show")}
                  </button>
                </div>
              </div>
            )
            : <input type="hidden" name="sheet" value={String(view.sheet)} />}
          <CheckboxField
            t={t}
            name="header"
            label={t("broadcasts.map.header")}
            checked={headerChecked}
          />
          <div class="field-row">
            <SelectField
              t={t}
              name="col_phone"
              label={t("broadcasts.map.col_phone")}
              value={one(values, "col_phone")}
              options={[none, ...columns]}
              errors={errors}
            />
            <SelectField
              t={t}
              name="col_name"
              label={t("broadcasts.map.col_name")}
              value={one(values, "col_name")}
              options={[none, ...columns]}
              errors={errors}
            />
            {variables.map((v) => (
              <SelectField
                t={t}
                name={`col_var.${v}`}
                label={t("broadcasts.map.col_var", { variable: v })}
                value={one(values, `col_var.${v}`)}
                options={[none, ...columns]}
                errors={errors}
              />
            ))}
          </div>
          <div class="actions">
            <button type="submit">{t("broadcasts.form.save")}</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="map-preview">
        <h2 id="map-preview">{t("broadcasts.map.first_rows")}</h2>
        <SheetPreview
          rowLabel={t("broadcasts.map.row")}
          headers={columns.map((_, i) => columnLetter(i))}
          labels={columns.map(([, label]) => label)}
          rows={view.rows}
        />
      </section>
    </Layout>
  );
}
