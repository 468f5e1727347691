import type { ChannelKind } from "../core/channel_types.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import { KIND_KEYS } from "./channels_page.tsx";
import { SelectField, TextAreaField, TextField } from "./form_fields.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

/**
 * `/inbox/new`: a message to any number, a contact or not, on a chosen
 * channel, as text or a message template. The conversation opens, assigned
 * to whoever started it.
 */
export function NewConversationPage(
  { ctx, channels, templates, values, errors }: {
    ctx: PageContext;
    channels: Array<{ id: number; name: string; kind: ChannelKind; isDefault: boolean }>;
    templates: Array<{ id: number; name: string; body: string }>;
    values: FormValues;
    errors?: FieldErrors;
  },
) {
  const { t } = ctx;
  const chosen = typeof values.channel === "string"
    ? values.channel
    : String(channels.find((ch) => ch.isDefault)?.id ?? channels[0]?.id ?? "");
  return (
    <Layout ctx={ctx} title={t("inbox.new")}>
      <p class="small">
        <a href="/inbox">← {t("thread.back")}</a>
      </p>
      <PageHead title={t("inbox.new")} intro={t("new.intro")} />
      {channels.length === 0 ? <p class="card muted">{t("new.no_channels")}</p> : (
        <FormCard
          t={t}
          csrfToken={ctx.csrfToken}
          action="/inbox/new"
          submit={t("thread.send")}
          cancel={{ href: "/inbox", label: t("common.cancel") }}
          errors={errors}
        >
          <SelectField
            t={t}
            name="channel"
            label={t("new.channel")}
            value={chosen}
            options={channels.map((ch): [string, string] => [
              String(ch.id),
              `${ch.name} (${t(KIND_KEYS[ch.kind])})`,
            ])}
            errors={errors}
          />
          <TextField
            t={t}
            name="to"
            label={t("new.to")}
            hint={t("new.to_hint")}
            values={values}
            errors={errors}
            maxlength={64}
            autocomplete="off"
          />
          <TextAreaField
            t={t}
            name="text"
            label={t("new.text")}
            values={values}
            errors={errors}
            rows={4}
          />
          {templates.length
            ? (
              <SelectField
                t={t}
                name="template"
                label={t("new.template")}
                hint={t("new.template_hint")}
                value={typeof values.template === "string" ? values.template : ""}
                options={[
                  ["", "—"],
                  ...templates.map((tpl): [string, string] => [String(tpl.id), tpl.name]),
                ]}
                errors={errors}
              />
            )
            : null}
        </FormCard>
      )}
    </Layout>
  );
}
