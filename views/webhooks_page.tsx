import { WEBHOOK_EVENTS } from "../core/api_webhooks.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey } from "../core/i18n.ts";
import {
  CheckboxField,
  CheckboxGroup,
  CsrfField,
  FormErrorSummary,
  listValue,
  SelectField,
  TextField,
} from "./form_fields.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { SecretOnce } from "./secret_once.tsx";
import { SettingsLayout } from "./layout.tsx";
import type { PageContext } from "./page_context.ts";

export interface WebhookRow {
  id: number;
  url: string;
  events: string[];
  channelName: string | null;
  active: boolean;
  privateNetwork: boolean;
  pending: number;
  failed: number;
  /** The Wappin integration whose callbacks this webhook carries. */
  integration?: string;
}

export interface DeliveryRow {
  id: number;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  responseExcerpt: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

const EVENT_KEYS: Record<(typeof WEBHOOK_EVENTS)[number], MessageKey> = {
  "message.received": "webhooks.event.message_received",
  "message.status": "webhooks.event.message_status",
  "channel.status": "webhooks.event.channel_status",
  "*": "webhooks.event.all",
};
const STATUS_CLASS: Record<string, string> = {
  delivered: "ok",
  pending: "wait",
  delivering: "wait",
  failed: "bad",
};

/** Settings → Webhooks: endpoints, a form to add one, the new secret shown once. */
export function WebhooksPage(
  { ctx, webhooks, channels, created, errors, values }: {
    ctx: PageContext;
    webhooks: WebhookRow[];
    channels: Array<{ id: number; name: string }>;
    created?: { url: string; secret: string };
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("webhooks.title")}>
      <div class="page-head">
        <div>
          <h1>{t("webhooks.title")}</h1>
          <p>{t("webhooks.intro")}</p>
        </div>
      </div>
      {created
        ? (
          <SecretOnce
            id="new-secret"
            title={t("webhooks.created", { url: created.url })}
            explanation={t("webhooks.copy_secret")}
            fields={[{ label: t("webhooks.secret"), value: created.secret }]}
          />
        )
        : null}
      <section class="card" aria-labelledby="add-webhook">
        <h2 id="add-webhook">{t("webhooks.add")}</h2>
        <FormErrorSummary t={t} errors={errors} />
        <form method="post" action="/settings/webhooks" class="form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <TextField
            t={t}
            name="url"
            label={t("webhooks.field.url")}
            hint={t("webhooks.field.url_hint")}
            values={values}
            errors={errors}
            required
          />
          <CheckboxGroup
            t={t}
            name="events"
            label={t("webhooks.field.events")}
            options={WEBHOOK_EVENTS.map((e) => [e, `${e} — ${t(EVENT_KEYS[e])}`])}
            checked={values ? listValue(values, "events") : ["*"]}
            errors={errors}
          />
          <SelectField
            t={t}
            name="channelId"
            label={t("webhooks.field.channel")}
            options={[
              ["", t("apikeys.any_channel")],
              ...channels.map((c): [string, string] => [String(c.id), c.name]),
            ]}
            value={typeof values?.channelId === "string" ? values.channelId : ""}
            errors={errors}
          />
          <CheckboxField
            t={t}
            name="privateNetwork"
            label={t("webhooks.field.private_network")}
            hint={t("webhooks.field.private_network_hint")}
            values={values}
            errors={errors}
          />
          <div class="actions">
            <button type="submit">{t("webhooks.add")}</button>
          </div>
        </form>
      </section>
      <section class="card table-wrap">
        {webhooks.length === 0 ? <p class="muted">{t("webhooks.empty")}</p> : (
          <table>
            <thead>
              <tr>
                <th>{t("webhooks.field.url")}</th>
                <th>{t("webhooks.field.events")}</th>
                <th>{t("webhooks.backlog")}</th>
                <th>
                  <span class="muted">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((w) => (
                <tr>
                  <td>
                    <a href={`/settings/webhooks/${w.id}`} class="mono small">
                      {w.url || t("integrations.no_callback")}
                    </a>
                    <div class="small muted">
                      {w.channelName ?? t("apikeys.any_channel")}
                      {w.active ? "" : ` · ${t("webhooks.paused")}`}
                      {w.privateNetwork ? ` · ${t("webhooks.private_network")}` : ""}
                    </div>
                    {w.integration
                      ? (
                        <span class="badge idle">
                          {t("webhooks.wappin_callback", { name: w.integration })}
                        </span>
                      )
                      : null}
                  </td>
                  <td class="small">{w.events.join(", ")}</td>
                  <td class="small">
                    {t("webhooks.pending_failed", { pending: w.pending, failed: w.failed })}
                  </td>
                  <td>
                    <div class="actions">
                      <form
                        method="post"
                        action={`/settings/webhooks/${w.id}/${w.active ? "pause" : "resume"}`}
                      >
                        <CsrfField token={ctx.csrfToken} />
                        <button type="submit" class="secondary">
                          {t(w.active ? "webhooks.pause" : "webhooks.resume")}
                        </button>
                      </form>
                      {w.integration
                        ? (
                          <a class="button secondary" href="/settings/integrations">
                            {t("webhooks.managed")}
                          </a>
                        )
                        : (
                          <form
                            method="post"
                            action={`/settings/webhooks/${w.id}/delete`}
                            data-confirm={t("webhooks.delete_confirm", { url: w.url })}
                          >
                            <CsrfField token={ctx.csrfToken} />
                            <button type="submit" class="danger">{t("common.delete")}</button>
                          </form>
                        )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </SettingsLayout>
  );
}

/** One webhook's delivery log, newest first, with "deliver again". */
export function DeliveriesPage(
  { ctx, webhook, deliveries, nextCursor }: {
    ctx: PageContext;
    webhook: WebhookRow;
    deliveries: DeliveryRow[];
    nextCursor: number | null;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("webhooks.log_title")}>
      <div class="page-head">
        <div>
          <h1>{t("webhooks.log_title")}</h1>
          <p class="mono">{webhook.url}</p>
        </div>
        <a class="button secondary" href="/settings/webhooks">{t("common.back")}</a>
      </div>
      <section class="card table-wrap">
        {deliveries.length === 0 ? <p class="muted">{t("webhooks.log_empty")}</p> : (
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>{t("webhooks.log.event")}</th>
                <th>{t("webhooks.log.status")}</th>
                <th>{t("webhooks.log.answer")}</th>
                <th>{t("webhooks.log.attempts")}</th>
                <th>{t("webhooks.log.when")}</th>
                <th>
                  <span class="muted">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr>
                  <td class="mono small">{d.id}</td>
                  <td class="small">{d.event}</td>
                  <td>
                    <span class={`badge ${STATUS_CLASS[d.status] ?? "idle"}`}>
                      {t.maybe(`webhooks.status.${d.status}`) ?? d.status}
                    </span>
                  </td>
                  <td class="small">
                    {d.lastStatusCode ? <span class="mono">{d.lastStatusCode}</span> : null}
                    {d.lastError && d.status !== "delivered" ? <div>{d.lastError}</div> : null}
                    {d.responseExcerpt
                      ? <div class="muted mono excerpt">{d.responseExcerpt}</div>
                      : null}
                  </td>
                  <td>{d.attempts}</td>
                  <td class="small nowrap">
                    {d.deliveredAt
                      ? <LocalTime ms={d.deliveredAt} ctx={ctx} seconds />
                      : d.status === "pending"
                      ? d.nextAttemptAt
                        ? (
                          <>
                            {t("webhooks.next_try")}{" "}
                            <LocalTime ms={d.nextAttemptAt} ctx={ctx} seconds />
                          </>
                        )
                        : t("webhooks.waits_for_earlier")
                      : <LocalTime ms={d.createdAt} ctx={ctx} seconds />}
                  </td>
                  <td>
                    {d.status === "delivered" || d.status === "failed"
                      ? (
                        <form
                          method="post"
                          action={`/settings/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`}
                        >
                          <CsrfField token={ctx.csrfToken} />
                          <button type="submit" class="secondary">{t("webhooks.redeliver")}</button>
                        </form>
                      )
                      : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextCursor
          ? (
            <p>
              <a href={`?cursor=${nextCursor}`}>{t("webhooks.older")}</a>
            </p>
          )
          : null}
      </section>
    </SettingsLayout>
  );
}
