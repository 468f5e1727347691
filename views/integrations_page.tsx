import type { FieldErrors, FormValues } from "../core/form.ts";
import { WAPPIN_ENVIRONMENTS } from "../core/wappin_environment.ts";
import {
  CheckboxField,
  CsrfField,
  FormErrorSummary,
  SelectField,
  TextAreaField,
  TextField,
} from "./form_fields.tsx";
import { formatTimeWithZone } from "./format_time.ts";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { PostForm } from "./kit/post_form.tsx";
import { SecretOnce } from "./kit/secret_once.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

export interface IntegrationRow {
  id: number;
  projectName: string;
  environment: string;
  channelName: string | null;
  clientId: string;
  projectId: string;
  callbackUrl: string | null;
  privateNetwork: boolean;
  webhookId: number;
  ipWhitelist: string[];
  tokenExpiresAt: number | null;
}

export interface CreatedIntegration {
  /** New keys for an existing integration rather than a new one. */
  renewed?: boolean;
  projectName: string;
  clientId: string;
  projectId: string;
  secretKey: string;
  clientKey: string;
}

/**
 * Settings → Integrations: Wappin-compatible integrations (add, change,
 * remove, keys shown once) and how to point Indoshopster callers at Kabar.
 */
export function IntegrationsPage(
  { ctx, integrations, channels, baseUrl, corsOrigins, created, errors, values, editErrors }: {
    ctx: PageContext;
    integrations: IntegrationRow[];
    channels: Array<{ id: number; name: string; kind: string }>;
    baseUrl: string;
    corsOrigins: string[];
    created?: CreatedIntegration;
    errors?: FieldErrors;
    values?: FormValues;
    /** A change to one integration that did not pass, with what was typed. */
    editErrors?: { id: number; errors: FieldErrors; values: FormValues };
  },
) {
  const { t } = ctx;
  const sendable = channels.filter((c) => c.kind !== "telegram");
  return (
    <SettingsLayout ctx={ctx} title={t("integrations.title")}>
      <PageHead title={t("integrations.title")} intro={t("integrations.intro")} />
      {created
        ? (
          <SecretOnce
            t={t}
            id="new-integration"
            title={t(created.renewed ? "integrations.renewed" : "integrations.created", {
              name: created.projectName,
            })}
            explanation={t("integrations.copy_keys")}
            fields={[
              { label: t("integrations.client_id"), value: created.clientId },
              { label: t("integrations.project_id"), value: created.projectId },
              { label: t("integrations.secret_key"), value: created.secretKey },
              { label: t("integrations.client_key"), value: created.clientKey },
            ]}
          />
        )
        : null}
      <section class="card" aria-labelledby="wappin">
        <h2 id="wappin">{t("integrations.wappin")}</h2>
        <p class="wrap-anywhere">{t("integrations.wappin_intro", { base: baseUrl })}</p>
        <DataTable
          label={t("integrations.wappin")}
          rows={integrations}
          empty={t("integrations.empty")}
          columns={[
            {
              label: t("integrations.col.project"),
              primary: true,
              cell: (row) => (
                <>
                  <strong>{row.projectName}</strong>{" "}
                  <span class="badge idle">{row.environment}</span>
                  <div class="small muted">
                    {row.channelName ?? t("integrations.channel_removed")}
                  </div>
                </>
              ),
            },
            {
              label: t("integrations.col.ids"),
              class: "mono small",
              cell: (row) => <>{row.clientId} / {row.projectId}</>,
            },
            {
              label: t("integrations.col.ip"),
              class: "mono small",
              long: true,
              cell: (row) =>
                row.ipWhitelist.length ? row.ipWhitelist.join(", ") : t("integrations.any_ip"),
            },
            {
              label: t("integrations.col.callback"),
              class: "small",
              wide: true,
              long: true,
              cell: (row) => (
                <>
                  <div class="mono">{row.callbackUrl ?? t("integrations.no_callback")}</div>
                  {row.privateNetwork
                    ? <div class="muted">{t("webhooks.private_network")}</div>
                    : null}
                  <a href={`/settings/webhooks/${row.webhookId}`}>
                    {t("integrations.callback_log")}
                  </a>
                  <div class="muted">
                    {row.tokenExpiresAt
                      ? t("integrations.token_until", {
                        time: formatTimeWithZone(row.tokenExpiresAt, ctx),
                      })
                      : t("integrations.no_token")}
                  </div>
                </>
              ),
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (row) => (
                <IntegrationActions
                  ctx={ctx}
                  row={row}
                  edit={editErrors?.id === row.id ? editErrors : undefined}
                />
              ),
            },
          ]}
        />
      </section>
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-wappin"
        title={t("integrations.wappin_add")}
        action="/settings/integrations/wappin"
        submit={t("integrations.wappin_add")}
        errors={errors}
      >
        <SelectField
          t={t}
          name="channel"
          label={t("integrations.field.channel")}
          hint={t("integrations.field.channel_hint")}
          options={sendable.map((c): [string, string] => [
            String(c.id),
            `${c.name} (${c.kind === "sandbox" ? "sandbox" : "WhatsApp"})`,
          ])}
          value={typeof values?.channel === "string" ? values.channel : undefined}
          errors={errors}
        />
        <TextField
          t={t}
          name="project_name"
          label={t("integrations.field.project")}
          values={values}
          errors={errors}
          required
        />
        <SelectField
          t={t}
          name="environment"
          label={t("integrations.field.environment")}
          hint={t("integrations.field.environment_hint")}
          options={WAPPIN_ENVIRONMENTS.map((e): [string, string] => [e, e])}
          value={typeof values?.environment === "string" ? values.environment : "PRODUCTION"}
          errors={errors}
        />
        <TextField
          t={t}
          name="callback_url"
          label={t("integrations.field.callback")}
          hint={t("integrations.field.callback_hint")}
          values={values}
          errors={errors}
        />
        <CheckboxField
          t={t}
          name="private_network"
          label={t("webhooks.field.private_network")}
          hint={t("webhooks.field.private_network_hint")}
          values={values}
          errors={errors}
        />
        <TextAreaField
          t={t}
          name="ip_whitelist"
          label={t("integrations.field.ip")}
          hint={t("integrations.field.ip_hint")}
          values={values}
          errors={errors}
        />
      </FormCard>
      <section class="card" aria-labelledby="indoshopster">
        <h2 id="indoshopster">{t("integrations.indoshopster")}</h2>
        <p class="wrap-anywhere">{t("integrations.indoshopster_intro", { base: baseUrl })}</p>
        <ul class="wrap-anywhere">
          <li>{t("integrations.indoshopster_key")}</li>
          <li>{t("integrations.indoshopster_template")}</li>
          <li>
            {t("integrations.indoshopster_origins", {
              origins: corsOrigins.length ? corsOrigins.join(", ") : t("integrations.no_origins"),
            })}
          </li>
        </ul>
      </section>
    </SettingsLayout>
  );
}

/** An integration's buttons: change it (a form that opens in place), new keys, delete. */
function IntegrationActions(
  { ctx, row, edit }: {
    ctx: PageContext;
    row: IntegrationRow;
    edit?: { errors: FieldErrors; values: FormValues };
  },
) {
  const { t } = ctx;
  const prefix = `edit-${row.id}-`;
  return (
    <>
      <details class="inline-edit" open={edit ? true : undefined}>
        <summary class="button secondary">{t("integrations.edit")}</summary>
        <FormErrorSummary t={t} errors={edit?.errors} />
        <PostForm
          csrfToken={ctx.csrfToken}
          action={`/settings/integrations/wappin/${row.id}`}
          submit={t("integrations.save")}
        >
          <TextField
            t={t}
            idPrefix={prefix}
            name="callback_url"
            label={t("integrations.field.callback")}
            values={edit?.values ?? { callback_url: row.callbackUrl ?? "" }}
            errors={edit?.errors}
          />
          <CheckboxField
            t={t}
            idPrefix={prefix}
            name="private_network"
            label={t("webhooks.field.private_network")}
            checked={row.privateNetwork}
            values={edit?.values}
            errors={edit?.errors}
          />
          <TextAreaField
            t={t}
            idPrefix={prefix}
            name="ip_whitelist"
            label={t("integrations.field.ip")}
            hint={t("integrations.field.ip_hint")}
            values={edit?.values ?? { ip_whitelist: row.ipWhitelist.join("\n") }}
            errors={edit?.errors}
          />
        </PostForm>
      </details>
      <form
        method="post"
        action={`/settings/integrations/wappin/${row.id}/keys`}
        data-confirm={t("integrations.renew_confirm", { name: row.projectName })}
      >
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="secondary">{t("integrations.renew")}</button>
      </form>
      <form
        method="post"
        action={`/settings/integrations/wappin/${row.id}/delete`}
        data-confirm={t("integrations.delete_confirm", { name: row.projectName })}
      >
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="danger">{t("common.delete")}</button>
      </form>
    </>
  );
}
