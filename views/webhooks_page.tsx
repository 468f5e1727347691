import { deliverySubject } from "../core/delivery_subject.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey, Translate } from "../core/i18n.ts";
import { WEBHOOK_EVENTS } from "../core/webhook_events.ts";
import {
  CheckboxField,
  CheckboxGroup,
  CsrfField,
  listValue,
  SelectField,
  TextField,
} from "./form_fields.tsx";
import { DataTable } from "./kit/data_table.tsx";
import { FormCard } from "./kit/form_card.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { SecretOnce } from "./kit/secret_once.tsx";
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
  /** The body sent: what the event was about is read from it. */
  payload: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  responseExcerpt: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

/** The event of a delivery in the page's language, and what it was about (message and status). */
function DeliveryEvent({ t, event, payload }: { t: Translate; event: string; payload: string }) {
  const key = EVENT_KEYS[event as keyof typeof EVENT_KEYS];
  const about = deliverySubject(payload);
  const status = about.status
    ? t.maybe(`webhooks.subject_status.${about.status}`) ?? about.status
    : undefined;
  const what = about.messageId !== undefined
    ? t("webhooks.subject.message", { id: about.messageId })
    : about.conversationId !== undefined
    ? t("webhooks.subject.conversation", { id: about.conversationId })
    : about.channelId !== undefined
    ? t("webhooks.subject.channel", { id: about.channelId })
    : undefined;
  return (
    <>
      <div>{key ? t(key) : event}</div>
      {what ? <div class="muted">{status ? `${what} · ${status}` : what}</div> : null}
    </>
  );
}

const EVENT_KEYS: Record<(typeof WEBHOOK_EVENTS)[number], MessageKey> = {
  "message.received": "webhooks.event.message_received",
  "message.status": "webhooks.event.message_status",
  "channel.status": "webhooks.event.channel_status",
  "conversation.created": "webhooks.event.conversation_created",
  "conversation.updated": "webhooks.event.conversation_updated",
  "broadcast.progress": "webhooks.event.broadcast_progress",
  "broadcast.finished": "webhooks.event.broadcast_finished",
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
      <PageHead title={t("webhooks.title")} intro={t("webhooks.intro")} />
      {created
        ? (
          <SecretOnce
            t={t}
            id="new-secret"
            title={t("webhooks.created", { url: created.url })}
            explanation={t("webhooks.copy_secret")}
            fields={[{ label: t("webhooks.secret"), value: created.secret }]}
          />
        )
        : null}
      <FormCard
        t={t}
        csrfToken={ctx.csrfToken}
        id="add-webhook"
        title={t("webhooks.add")}
        action="/settings/webhooks"
        submit={t("webhooks.add")}
        errors={errors}
      >
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
      </FormCard>
      <section class="card">
        <DataTable
          label={t("webhooks.title")}
          rows={webhooks}
          empty={t("webhooks.empty")}
          columns={[
            {
              label: t("webhooks.field.url"),
              primary: true,
              long: true,
              cell: (w) => (
                <>
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
                </>
              ),
            },
            {
              label: t("webhooks.field.events"),
              class: "small",
              cell: (w) =>
                w.events.includes("*") ? `* — ${t(EVENT_KEYS["*"])}` : w.events.join(", "),
            },
            {
              label: t("webhooks.backlog"),
              class: "small",
              cell: (w) => t("webhooks.pending_failed", { pending: w.pending, failed: w.failed }),
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (w) => (
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
              ),
            },
          ]}
        />
      </section>
    </SettingsLayout>
  );
}

/**
 * One webhook's page: its delivery log, newest first, with "deliver again";
 * rotating its signing secret, the new one shown once.
 */
export function DeliveriesPage(
  { ctx, webhook, deliveries, nextCursor, rotatedSecret, previousSecretUntil }: {
    ctx: PageContext;
    webhook: WebhookRow;
    deliveries: DeliveryRow[];
    nextCursor: number | null;
    /** The secret a rotation just made, shown this once. */
    rotatedSecret?: string;
    /** Until when the secret before the last rotation still signs, while it does. */
    previousSecretUntil?: number | null;
  },
) {
  const { t } = ctx;
  return (
    <SettingsLayout ctx={ctx} title={t("webhooks.log_title")}>
      <PageHead
        title={t("webhooks.log_title")}
        intro={webhook.url}
        mono="intro"
        actions={<a class="button secondary" href="/settings/webhooks">{t("common.back")}</a>}
      />
      {rotatedSecret
        ? (
          <SecretOnce
            t={t}
            id="rotated-secret"
            title={t("webhooks.rotated", { url: webhook.url })}
            explanation={t("webhooks.copy_rotated_secret")}
            fields={[{ label: t("webhooks.secret"), value: rotatedSecret }]}
          />
        )
        : null}
      {webhook.integration ? null : (
        <section class="card" aria-labelledby="rotate-secret">
          <h2 id="rotate-secret">{t("webhooks.rotate")}</h2>
          <p class="hint">{t("webhooks.rotate_hint")}</p>
          {previousSecretUntil
            ? (
              <p id="previous-secret">
                {t("webhooks.previous_until")}{" "}
                <LocalTime ms={previousSecretUntil} ctx={ctx} seconds />.
              </p>
            )
            : null}
          <form
            method="post"
            action={`/settings/webhooks/${webhook.id}/secret`}
            data-confirm={t("webhooks.rotate_confirm", { url: webhook.url })}
          >
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="secondary">{t("webhooks.rotate")}</button>
          </form>
        </section>
      )}
      <section class="card">
        <DataTable
          label={t("webhooks.log_title")}
          rows={deliveries}
          empty={t("webhooks.log_empty")}
          columns={[
            { label: "#", class: "mono small", cell: (d) => d.id },
            {
              label: t("webhooks.log.event"),
              class: "small",
              cell: (d) => <DeliveryEvent t={t} event={d.event} payload={d.payload} />,
            },
            {
              label: t("webhooks.log.status"),
              cell: (d) => (
                <span class={`badge ${STATUS_CLASS[d.status] ?? "idle"}`}>
                  {t.maybe(`webhooks.status.${d.status}`) ?? d.status}
                </span>
              ),
            },
            {
              label: t("webhooks.log.answer"),
              class: "small",
              wide: true,
              long: true,
              cell: (d) => (
                <>
                  {d.lastStatusCode ? <span class="mono">{d.lastStatusCode}</span> : null}
                  {d.lastError && d.status !== "delivered" ? <div>{d.lastError}</div> : null}
                  {d.responseExcerpt
                    ? <div class="muted mono excerpt">{d.responseExcerpt}</div>
                    : null}
                </>
              ),
            },
            { label: t("webhooks.log.attempts"), cell: (d) => d.attempts },
            {
              label: t("webhooks.log.when"),
              class: "small nowrap",
              cell: (d) =>
                d.deliveredAt
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
                  : <LocalTime ms={d.createdAt} ctx={ctx} seconds />,
            },
            {
              label: t("common.actions"),
              actions: true,
              cell: (d) =>
                d.status === "delivered" || d.status === "failed"
                  ? (
                    <form
                      method="post"
                      action={`/settings/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`}
                    >
                      <CsrfField token={ctx.csrfToken} />
                      <button type="submit" class="secondary">{t("webhooks.redeliver")}</button>
                    </form>
                  )
                  : null,
            },
          ]}
        />
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
