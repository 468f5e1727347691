/** `/settings/broadcasts`: what a new broadcast starts with. */
import type { FieldErrors, FormValues } from "../core/form.ts";
import { CheckboxField, TextField } from "./form_fields.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/** The default sending hours, in the time zone named by `zone`. */
export function BroadcastSettingsPage(
  { ctx, values, errors, zone }: {
    ctx: PageContext;
    values: FormValues;
    errors?: FieldErrors;
    zone: string;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("settings.broadcasts")}>
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="broadcast-window"
        title={t("broadcasts.settings.window")}
        intro={t("broadcasts.settings.intro", { zone })}
        action="/settings/broadcasts"
        submit={t("broadcasts.settings.save")}
        errors={errors}
      >
        <div class="field-row">
          <TextField
            t={t}
            name="window_start"
            label={t("broadcasts.form.window_start")}
            values={values}
            errors={errors}
            inputmode="numeric"
            maxlength={5}
          />
          <TextField
            t={t}
            name="window_end"
            label={t("broadcasts.form.window_end")}
            values={values}
            errors={errors}
            inputmode="numeric"
            maxlength={5}
          />
        </div>
        <CheckboxField
          t={t}
          name="any_time"
          label={t("broadcasts.form.any_time")}
          values={values}
          checked={values.any_time !== undefined && values.any_time !== ""}
        />
      </FormCard>
    </SettingsLayout>
  );
}
