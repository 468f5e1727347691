import type { Child } from "hono/jsx";
import type { FieldError, FieldErrors, FormValues } from "../core/form.ts";
import type { Translate } from "../core/i18n.ts";
import { MIN_PASSWORD_LENGTH } from "../core/password.ts";

/**
 * The text of what is wrong with a field: its message with the values it
 * names, and the limits every error message may use.
 */
export function errorMessage(t: Translate, error: FieldError): string {
  if (typeof error === "string") return t(error, { count: MIN_PASSWORD_LENGTH });
  return t(error.key, { count: MIN_PASSWORD_LENGTH, ...error.params });
}

/** The hidden field carrying the CSRF token; every form that posts has one. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A message at the top of a form that did not pass, with the form-wide error if any. */
export function FormErrorSummary(
  { t, errors }: { t: Translate; errors?: FieldErrors },
) {
  if (!errors || Object.keys(errors).length === 0) return null;
  const formError = errors._form;
  return (
    <div class="flash error" role="alert">
      {formError ? errorMessage(t, formError) : t("err.form")}
    </div>
  );
}

interface FieldProps {
  t: Translate;
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  /** Keeps ids unique when one page has several forms with this field. */
  idPrefix?: string;
}

function FieldError(
  { t, name, id, errors }: Pick<FieldProps, "t" | "name" | "errors"> & { id?: string },
) {
  const key = errors?.[name];
  return key ? <span class="error" id={`${id ?? name}-error`}>{errorMessage(t, key)}</span> : null;
}

function describedBy(
  name: string,
  errors?: FieldErrors,
  hint?: string,
  id = name,
): string | undefined {
  const ids = [
    hint ? `${id}-hint` : "",
    errors?.[name] ? `${id}-error` : "",
  ].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** A labelled text or password input with its hint and error. */
export function TextField(
  props: FieldProps & {
    values?: FormValues;
    type?: "text" | "password" | "search" | "date";
    autocomplete?: string;
    required?: boolean;
    autofocus?: boolean;
    inputmode?: "numeric" | "decimal" | "text";
    class?: string;
    maxlength?: number;
  },
) {
  const { t, name, label, errors, hint } = props;
  const id = (props.idPrefix ?? "") + name;
  const value = props.type === "password" ? undefined : props.values?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={props.type ?? "text"}
        value={typeof value === "string" ? value : undefined}
        autocomplete={props.autocomplete}
        required={props.required}
        autofocus={props.autofocus}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        class={props.class}
        aria-invalid={errors?.[name] ? "true" : undefined}
        aria-describedby={describedBy(name, errors, hint, id)}
      />
      {hint ? <span class="hint" id={`${id}-hint`}>{hint}</span> : null}
      <FieldError t={t} name={name} id={id} errors={errors} />
    </div>
  );
}

/** A labelled multi-line text field with its hint and error. */
export function TextAreaField(props: FieldProps & { values?: FormValues; rows?: number }) {
  const { t, name, label, errors, hint } = props;
  const id = (props.idPrefix ?? "") + name;
  const value = props.values?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={props.rows ?? 3}
        aria-invalid={errors?.[name] ? "true" : undefined}
        aria-describedby={describedBy(name, errors, hint, id)}
      >
        {typeof value === "string" ? value : ""}
      </textarea>
      {hint ? <span class="hint" id={`${id}-hint`}>{hint}</span> : null}
      <FieldError t={t} name={name} id={id} errors={errors} />
    </div>
  );
}

/** A labelled select with its error. */
export function SelectField(
  props: FieldProps & {
    options: Array<[string, string]>;
    value?: string;
    autosubmit?: boolean;
  },
) {
  const { t, name, label, errors, hint } = props;
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <select
        id={name}
        name={name}
        aria-invalid={errors?.[name] ? "true" : undefined}
        aria-describedby={describedBy(name, errors, hint)}
        data-autosubmit={props.autosubmit ? "" : undefined}
      >
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === props.value}>{text}</option>
        ))}
      </select>
      {hint ? <span class="hint" id={`${name}-hint`}>{hint}</span> : null}
      <FieldError t={t} name={name} errors={errors} />
    </div>
  );
}

/** A group of checkboxes sharing one name. */
export function CheckboxGroup(
  props: FieldProps & {
    options: Array<[string, string]>;
    checked: string[];
    empty?: Child;
  },
) {
  const { t, name, label, errors } = props;
  return (
    <fieldset class="field" aria-invalid={errors?.[name] ? "true" : undefined}>
      <legend>{label}</legend>
      {props.options.length === 0 ? <span class="hint">{props.empty}</span> : (
        <div class="checks">
          {props.options.map(([value, text]) => (
            <label>
              <input
                type="checkbox"
                name={name}
                value={value}
                checked={props.checked.includes(value)}
              />
              {text}
            </label>
          ))}
        </div>
      )}
      <FieldError t={t} name={name} errors={errors} />
    </fieldset>
  );
}

/** One checkbox with its hint and error; `checked` is its state when the form is first shown. */
export function CheckboxField(props: FieldProps & { values?: FormValues; checked?: boolean }) {
  const { t, name, label, hint, errors, values } = props;
  const id = (props.idPrefix ?? "") + name;
  const submitted = values?.[name];
  // A value given as undefined is none given: the field falls back to `checked`.
  const checked = submitted !== undefined
    ? submitted !== "" && submitted !== "false"
    : props.checked ?? false;
  return (
    <div class="field">
      <div class="checks">
        <label>
          <input
            type="checkbox"
            id={id}
            name={name}
            checked={checked}
            aria-invalid={errors?.[name] ? "true" : undefined}
            aria-describedby={describedBy(name, errors, hint, id)}
          />
          {label}
        </label>
      </div>
      {hint ? <span class="hint" id={`${id}-hint`}>{hint}</span> : null}
      <FieldError t={t} name={name} id={id} errors={errors} />
    </div>
  );
}

/** The values a multi-value field had, as strings. */
export function listValue(
  values: FormValues | undefined,
  name: string,
): string[] {
  const v = values?.[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
