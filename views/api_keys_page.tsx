import { DEFAULT_RATE_LIMIT } from "../core/api_key_input.ts";
import { API_SCOPES, type ApiScope } from "../core/api_scopes.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey } from "../core/i18n.ts";
import {
  CheckboxGroup,
  CsrfField,
  listValue,
  SelectField,
  TextAreaField,
  TextField,
} from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SecretOnce } from "./kit/secret_once.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  ipAllowlist: string[];
  channelName: string | null;
  /** Requests a second; null: the default, 0: no limit. */
  rateLimit: number | null;
  lastUsedAt: number | null;
  createdAt: number;
  revokedAt: number | null;
}

const SCOPE_KEYS: Record<ApiScope, MessageKey> = {
  "messages:send": "apikeys.scope.messages_send",
  "messages:read": "apikeys.scope.messages_read",
  "numbers:check": "apikeys.scope.numbers_check",
  "channels:read": "apikeys.scope.channels_read",
  "channels:write": "apikeys.scope.channels_write",
  "conversations:read": "apikeys.scope.conversations_read",
  "conversations:write": "apikeys.scope.conversations_write",
  "conversations:*": "apikeys.scope.conversations",
  "contacts:read": "apikeys.scope.contacts_read",
  "contacts:write": "apikeys.scope.contacts_write",
  "contacts:*": "apikeys.scope.contacts",
  "templates:*": "apikeys.scope.templates",
  "webhooks:*": "apikeys.scope.webhooks",
  "broadcasts:read": "apikeys.scope.broadcasts_read",
  "broadcasts:write": "apikeys.scope.broadcasts_write",
  "broadcasts:*": "apikeys.scope.broadcasts",
  "*": "apikeys.scope.all",
};

/** Settings → API keys: the keys, a form to make one, and a new key shown once. */
export function ApiKeysPage(
  { ctx, keys, channels, created, errors, values }: {
    ctx: PageContext;
    keys: ApiKeyRow[];
    channels: Array<{ id: number; name: string }>;
    /** A key just made: shown this once. */
    created?: { name: string; key: string };
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("apikeys.title")}>
      <PageHead
        title={t("apikeys.title")}
        intro={t("apikeys.intro")}
        actions={<a class="button secondary" href="/api/docs">{t("apikeys.docs")}</a>}
      />
      {created
        ? (
          <SecretOnce
            t={t}
            id="new-key"
            title={t("apikeys.created", { name: created.name })}
            explanation={t("apikeys.copy_now")}
            fields={[{ label: t("apikeys.key"), value: created.key }]}
          />
        )
        : null}
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-key"
        title={t("apikeys.add")}
        action="/settings/api-keys"
        submit={t("apikeys.add")}
        errors={errors}
      >
        <TextField
          t={t}
          name="name"
          label={t("apikeys.field.name")}
          hint={t("apikeys.field.name_hint")}
          values={values}
          errors={errors}
          maxlength={80}
          required
        />
        <CheckboxGroup
          t={t}
          name="scopes"
          label={t("apikeys.field.scopes")}
          options={API_SCOPES.map((s) => [s, `${s} — ${t(SCOPE_KEYS[s])}`])}
          checked={values ? listValue(values, "scopes") : ["messages:send", "messages:read"]}
          errors={errors}
        />
        <TextAreaField
          t={t}
          name="ipAllowlist"
          label={t("apikeys.field.ips")}
          hint={t("apikeys.field.ips_hint")}
          values={values}
          errors={errors}
        />
        <SelectField
          t={t}
          name="channelId"
          label={t("apikeys.field.channel")}
          hint={t("apikeys.field.channel_hint")}
          options={[
            ["", t("apikeys.any_channel")],
            ...channels.map((c): [string, string] => [String(c.id), c.name]),
          ]}
          value={typeof values?.channelId === "string" ? values.channelId : ""}
          errors={errors}
        />
        <TextField
          t={t}
          name="rateLimit"
          label={t("apikeys.field.rate")}
          hint={t("apikeys.field.rate_hint", {
            rate: DEFAULT_RATE_LIMIT,
            burst: 2 * DEFAULT_RATE_LIMIT,
          })}
          values={values}
          errors={errors}
          inputmode="numeric"
          maxlength={6}
        />
      </FormCard>
      <section class="card">
        <DataTable
          label={t("apikeys.title")}
          rows={keys}
          empty={t("apikeys.empty")}
          columns={[
            {
              label: t("field.name"),
              primary: true,
              cell: (k) => (
                <>
                  {k.name}
                  <div class="small muted mono">{k.prefix}…</div>
                </>
              ),
            },
            {
              label: t("apikeys.field.scopes"),
              class: "small",
              wide: true,
              cell: (k) => k.scopes.join(", "),
            },
            {
              label: t("apikeys.limits"),
              class: "small",
              long: true,
              cell: (k) => (
                <>
                  {k.ipAllowlist.length ? k.ipAllowlist.join(", ") : t("apikeys.any_address")}
                  <div class="muted">{k.channelName ?? t("apikeys.any_channel")}</div>
                  <div class="muted">
                    {k.rateLimit === null
                      ? t("apikeys.rate_default", { count: DEFAULT_RATE_LIMIT })
                      : k.rateLimit === 0
                      ? t("apikeys.rate_none")
                      : t("apikeys.rate", { count: k.rateLimit })}
                  </div>
                </>
              ),
            },
            {
              label: t("apikeys.last_used"),
              class: "small nowrap",
              cell: (k) =>
                k.lastUsedAt ? <LocalTime ms={k.lastUsedAt} ctx={ctx} /> : t("apikeys.never"),
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (k) =>
                k.revokedAt ? <span class="badge off">{t("apikeys.revoked")}</span> : (
                  <form
                    method="post"
                    action={`/settings/api-keys/${k.id}/revoke`}
                    data-confirm={t("apikeys.revoke_confirm", { name: k.name })}
                  >
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="danger">{t("apikeys.revoke")}</button>
                  </form>
                ),
            },
          ]}
        />
      </section>
    </SettingsLayout>
  );
}
