/** The sending hours of a broadcast (or the default for new ones): start, end, or any time. */
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { Translate } from "../core/i18n.ts";
import { CheckboxField, TextField } from "./form_fields.tsx";

export function SendWindowFields(
  { t, values, errors, rowClass = "field-row" }: {
    t: Translate;
    values: FormValues;
    errors?: FieldErrors;
    /** The row's classes (the broadcast form hides it when any time is ticked). */
    rowClass?: string;
  },
) {
  return (
    <>
      <div class={rowClass}>
        {([
          ["window_start", t("broadcasts.form.window_start")],
          ["window_end", t("broadcasts.form.window_end")],
        ] as const).map(([name, label]) => (
          <TextField
            t={t}
            name={name}
            label={label}
            values={values}
            errors={errors}
            inputmode="numeric"
            maxlength={5}
          />
        ))}
      </div>
      <CheckboxField
        t={t}
        name="any_time"
        label={t("broadcasts.form.any_time")}
        values={values}
        checked={values.any_time !== undefined && values.any_time !== ""}
      />
    </>
  );
}
