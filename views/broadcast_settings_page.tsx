/** `/settings/broadcasts`: what a new broadcast starts with. */
import type { FieldErrors, FormValues } from "../core/form.ts";
import { FormCard } from "./kit/form_card.tsx";
import { SettingsLayout } from "./layout.tsx";
import { SendWindowFields } from "./send_window_fields.tsx";
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
        <SendWindowFields
          t={t}
          values={values}
          errors={errors}
          rowClass="field-row when-window"
        />
      </FormCard>
    </SettingsLayout>
  );
}
