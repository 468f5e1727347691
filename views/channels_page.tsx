import { CHANNEL_KINDS, type ChannelKind } from "../core/channel_types.ts";
import type { FieldErrors, FormValues } from "../core/form.ts";
import type { MessageKey, Translate } from "../core/i18n.ts";
import type { Pacing } from "../core/pacing.ts";
import type { SandboxTiming } from "../core/sandbox_timing.ts";
import {
  CheckboxField,
  CheckboxGroup,
  CsrfField,
  FormErrorSummary,
  listValue,
  TextField,
} from "./form_fields.tsx";
import { LocalTime } from "./kit/local_time.tsx";
import { PageHead } from "./kit/page_head.tsx";
import { Layout } from "./layout.tsx";
import type { LivePart } from "./live_part.ts";
import type { PageContext } from "./page_context.ts";
import { QrCode } from "./qr_code.tsx";

/** A channel as the pages show it: the stored row and what the registry knows live. */
export interface ChannelView {
  id: number;
  kind: ChannelKind;
  name: string;
  phone: string | null;
  botUsername: string | null;
  status: string;
  statusReason: string | null;
  enabled: boolean;
  isDefault: boolean;
  lastActivityAt: number | null;
  pairedAt: number | null;
  queued: number;
  qr: { value: string; expiresAt: number } | null;
  pairingCode: string | null;
  retryAt: number | null;
  /** Sandbox only: the simulated delays. */
  sandboxTiming?: SandboxTiming;
  /** How fast the channel sends. */
  pacing: Omit<Pacing, "retryBaseMs">;
  /** WhatsApp: whether opening a conversation sends read receipts. */
  readReceipts?: boolean;
  /** The departments it belongs to, by name (its own page only). */
  departments?: Array<{ id: number; name: string }>;
}

/** The sending pace form: seconds, days and counts, as people think of them. */
function PacingForm(
  { ctx, channel, errors, values }: {
    ctx: PageContext;
    channel: ChannelView;
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  const p = channel.pacing;
  const current: FormValues = values?.gap !== undefined ? values : {
    gap: String(p.gapMs / 1000),
    jitter: String(p.jitterMs / 1000),
    broadcastGap: String(p.broadcastGapMs / 1000),
    broadcastJitter: String(p.broadcastJitterMs / 1000),
    warmupDays: String(p.warmupDays),
    dailyCap: String(p.dailyCap),
    maxAttempts: String(p.maxAttempts),
  };
  const field = (name: string, label: MessageKey, mode: "decimal" | "numeric" = "decimal") => (
    <TextField
      t={t}
      name={name}
      label={t(label)}
      values={current}
      errors={errors}
      inputmode={mode}
    />
  );
  return (
    <section class="card" aria-labelledby="pacing">
      <h2 id="pacing">{t("pacing.title")}</h2>
      <p class="muted">{t(`pacing.intro.${channel.kind}`)}</p>
      <form method="post" action={`/channels/${channel.id}/pacing`} class="form wide" novalidate>
        <CsrfField token={ctx.csrfToken} />
        {field("gap", "pacing.gap")}
        {field("jitter", "pacing.jitter")}
        {field("broadcastGap", "pacing.broadcast_gap")}
        {field("broadcastJitter", "pacing.broadcast_jitter")}
        {field("warmupDays", "pacing.warmup_days", "numeric")}
        {field("dailyCap", "pacing.daily_cap", "numeric")}
        {field("maxAttempts", "pacing.max_attempts", "numeric")}
        {channel.kind === "whatsapp"
          ? (
            <CheckboxField
              t={t}
              name="readReceipts"
              label={t("pacing.read_receipts")}
              hint={t("pacing.read_receipts_hint")}
              checked={values ? values.readReceipts !== undefined : channel.readReceipts ?? true}
            />
          )
          : null}
        <div class="actions">
          <button type="submit" class="secondary">{t("common.save")}</button>
        </div>
      </form>
    </section>
  );
}

/** A channel kind's name, as pages show it. */
export const KIND_KEYS: Record<ChannelKind, MessageKey> = {
  whatsapp: "channels.kind.whatsapp",
  telegram: "channels.kind.telegram",
  sandbox: "channels.kind.sandbox",
};

const STATUS_CLASS: Record<string, string> = {
  connected: "ok",
  qr: "wait",
  connecting: "wait",
  error: "bad",
  logged_out: "bad",
  disconnected: "idle",
};

/** A channel status in words; a status this page does not know reads as not connected. */
function statusText(t: Translate, status: string): string {
  return t.maybe(`channels.status.${status}`) ?? t("channels.status.disconnected");
}

/** The reason a channel is not connected, in words. */
export function reasonText(
  t: Translate,
  reason: string | null,
  kind: ChannelKind,
): string | null {
  if (!reason) return null;
  const service = kind === "telegram" ? "Telegram" : "WhatsApp";
  return t.maybe(`channels.reason.${reason}`, { service }) ?? reason;
}

function StatusBadge({ t, channel }: { t: Translate; channel: ChannelView }) {
  const status = channel.enabled ? channel.status : "disconnected";
  const reason = channel.enabled
    ? reasonText(t, channel.statusReason, channel.kind)
    : t("channels.disabled");
  return (
    <span class="status-line">
      <span class={`badge ${STATUS_CLASS[status] ?? "idle"}`} data-status={status}>
        {statusText(t, status)}
      </span>
      {reason ? <span class="small muted">{reason}</span> : null}
    </span>
  );
}

function Address({ channel }: { channel: ChannelView }) {
  if (channel.kind === "whatsapp" && channel.phone) {
    return <span class="mono">+{channel.phone}</span>;
  }
  if (channel.kind === "telegram" && channel.botUsername) {
    return <span class="mono">@{channel.botUsername}</span>;
  }
  return <span class="muted">—</span>;
}

/** One channel's row in the list: a live part, sent again when the channel changes. */
function ChannelRow({ ctx, channel }: { ctx: PageContext; channel: ChannelView }) {
  const { t } = ctx;
  return (
    <tr id={`channel-${channel.id}`} data-channel={channel.id}>
      <td class="primary" data-label={t("field.name")}>
        <a href={`/channels/${channel.id}`}>{channel.name}</a>
        {channel.isDefault ? <span class="badge small-badge">{t("channels.default")}</span> : null}
      </td>
      <td data-label={t("channels.kind")}>{t(KIND_KEYS[channel.kind])}</td>
      <td class="long" data-label={t("channels.address")}>
        <Address channel={channel} />
      </td>
      <td class="wide" data-label={t("channels.status")}>
        <StatusBadge t={t} channel={channel} />
      </td>
      <td class="small nowrap" data-label={t("channels.last_activity")}>
        {channel.lastActivityAt ? <LocalTime ms={channel.lastActivityAt} ctx={ctx} /> : "—"}
      </td>
      <td data-label={t("channels.queued")}>{channel.queued}</td>
    </tr>
  );
}

/**
 * The list of channels: a live part, sent whole when a channel is added or
 * deleted, as its changed rows otherwise.
 */
export function ChannelList({ ctx, channels }: { ctx: PageContext; channels: ChannelView[] }) {
  const { t } = ctx;
  if (channels.length === 0) {
    return (
      <div id="channel-list" class="card empty">
        <h2>{t("empty.channels.title")}</h2>
        <p>{t("empty.channels.body")}</p>
        <a class="button" href="/channels/new">{t("channels.add")}</a>
      </div>
    );
  }
  return (
    <div id="channel-list" class="card table-wrap">
      {/* A data table: on a phone each channel is a card of labelled cells. */}
      <table class="data-table">
        <thead>
          <tr>
            <th>{t("field.name")}</th>
            <th>{t("channels.kind")}</th>
            <th>{t("channels.address")}</th>
            <th>{t("channels.status")}</th>
            <th>{t("channels.last_activity")}</th>
            <th>{t("channels.queued")}</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => <ChannelRow ctx={ctx} channel={channel} />)}
        </tbody>
      </table>
    </div>
  );
}

/** The live parts of `/channels`: the list, and each row inside it. */
export function channelListParts(ctx: PageContext, channels: ChannelView[]): LivePart[] {
  return [{
    id: "channel-list",
    node: <ChannelList ctx={ctx} channels={channels} />,
    inner: channels.map((channel) => ({
      id: `channel-${channel.id}`,
      node: <ChannelRow ctx={ctx} channel={channel} />,
    })),
  }];
}

/** `/channels`: every channel with its live status. */
export function ChannelsPage({ ctx, channels }: { ctx: PageContext; channels: ChannelView[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("nav.channels")}>
      <PageHead
        title={t("nav.channels")}
        intro={t("channels.intro")}
        actions={channels.length > 0
          ? <a class="button" href="/channels/new">{t("channels.add")}</a>
          : undefined}
      />
      <div id="live" data-live="/channels/live">
        <ChannelList ctx={ctx} channels={channels} />
      </div>
    </Layout>
  );
}

/** `/channels/new`: choose a kind, then fill in its form. */
export function NewChannelPage(
  { ctx, kind, errors, values }: {
    ctx: PageContext;
    kind?: ChannelKind;
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("channels.add")}>
      <PageHead
        title={t("channels.add")}
        intro={t("channels.add_intro")}
        actions={<a class="button secondary" href="/channels">{t("common.back")}</a>}
      />
      <nav class="kind-choices" aria-label={t("channels.kind")}>
        {CHANNEL_KINDS.map((k) => (
          <a
            class="kind-choice"
            href={`/channels/new?kind=${k}`}
            aria-current={k === kind ? "true" : undefined}
          >
            <strong>{t(KIND_KEYS[k])}</strong>
            <span class="small muted">{t(`channels.kind_hint.${k}`)}</span>
          </a>
        ))}
      </nav>
      {kind
        ? (
          <section class="card" aria-labelledby="channel-form">
            <h2 id="channel-form">{t(KIND_KEYS[kind])}</h2>
            <FormErrorSummary t={t} errors={errors} />
            <form method="post" action="/channels" class="form" novalidate>
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="kind" value={kind} />
              <TextField
                t={t}
                name="name"
                label={t("channels.field.name")}
                hint={t("channels.field.name_hint")}
                values={values}
                errors={errors}
                required
                maxlength={80}
              />
              {kind === "whatsapp"
                ? (
                  <TextField
                    t={t}
                    name="phone"
                    label={t("channels.field.phone")}
                    hint={t("channels.field.phone_hint")}
                    values={values}
                    errors={errors}
                    inputmode="numeric"
                    autocomplete="tel"
                    required
                  />
                )
                : null}
              {kind === "telegram"
                ? (
                  <TextField
                    t={t}
                    name="token"
                    label={t("channels.field.token")}
                    hint={t("channels.field.token_hint")}
                    values={values}
                    errors={errors}
                    autocomplete="off"
                    required
                  />
                )
                : null}
              <div class="actions">
                <button type="submit">{t("common.save")}</button>
              </div>
            </form>
          </section>
        )
        : null}
    </Layout>
  );
}

/** A channel's status, and when it tries again after an error: a live part. */
function StatusFact({ t, channel }: { t: Translate; channel: ChannelView }) {
  return (
    <dd id="channel-status">
      <StatusBadge t={t} channel={channel} />
      {channel.retryAt && channel.status === "error"
        ? (
          <span class="small muted retry-line">
            {t("channels.retrying")}{" "}
            <span data-countdown-to={channel.retryAt} data-done={t("channels.trying_now")}></span>
          </span>
        )
        : null}
    </dd>
  );
}

/** The QR code to scan: a live part, sent again when WhatsApp gives the next one. */
function QrImage({ t, qr }: { t: Translate; qr: { value: string } }) {
  return (
    <div id="channel-qr">
      <QrCode text={qr.value} label={t("channels.qr_label")} />
    </div>
  );
}

function QrExpiry({ t, qr }: { t: Translate; qr: { expiresAt: number } }) {
  return (
    <p id="channel-qr-expiry" class="small muted">
      {t("channels.qr_expires")} <span data-countdown-to={qr.expiresAt}></span>
    </p>
  );
}

/** The pairing code once asked for, the button that asks for it before. */
function PairingCode({ ctx, channel }: { ctx: PageContext; channel: ChannelView }) {
  const { t } = ctx;
  return (
    <div id="channel-pairing-code">
      {channel.pairingCode
        ? (
          <p>
            {t("channels.pairing_code_is")}{" "}
            <strong class="mono pairing-code">{channel.pairingCode}</strong>
          </p>
        )
        : (
          <form method="post" action={`/channels/${channel.id}/pairing-code`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="secondary">
              {t("channels.use_pairing_code")}
            </button>
          </form>
        )}
    </div>
  );
}

/** What a WhatsApp channel waiting to be linked shows: its QR code, or that it connects. */
function pairingState(channel: ChannelView): "qr" | "connecting" | null {
  if (!channel.enabled || channel.kind !== "whatsapp") return null;
  if (channel.status === "qr" && channel.qr) return "qr";
  return channel.status === "connecting" ? "connecting" : null;
}

/** How to link the phone, while that is what the channel waits for: a live part. */
function Pairing({ ctx, channel }: { ctx: PageContext; channel: ChannelView }) {
  const { t } = ctx;
  const state = pairingState(channel);
  if (state === "connecting") {
    return (
      <div id="channel-pairing">
        <p class="muted">{t("channels.connecting_hint")}</p>
      </div>
    );
  }
  if (state !== "qr" || !channel.qr) return <div id="channel-pairing"></div>;
  return (
    <div id="channel-pairing" class="pairing">
      <QrImage t={t} qr={channel.qr} />
      <div>
        <h2>{t("channels.scan_title")}</h2>
        <ol class="steps">
          <li>{t("channels.scan_step1")}</li>
          <li>{t("channels.scan_step2")}</li>
          <li>{t("channels.scan_step3")}</li>
        </ol>
        <QrExpiry t={t} qr={channel.qr} />
        <PairingCode ctx={ctx} channel={channel} />
      </div>
    </div>
  );
}

function AddressFact({ channel }: { channel: ChannelView }) {
  return (
    <dd id="channel-address">
      <Address channel={channel} />
    </dd>
  );
}

/** Whose agents see the channel's conversations without a department: a live part. */
function DepartmentsFact({ t, channel }: { t: Translate; channel: ChannelView }) {
  const names = (channel.departments ?? []).map((d) => d.name);
  return (
    <dd id="channel-departments">
      {names.length > 0
        ? names.join(", ")
        : <span class="muted">{t("channels.departments_none")}</span>}
    </dd>
  );
}

/**
 * Which departments the channel belongs to: every department as a checkbox,
 * saved together. Not a live part, so a colleague's save never unticks a box
 * being changed here; the fact above shows what is saved.
 */
function DepartmentsForm(
  { ctx, channel, allDepartments, errors, values }: {
    ctx: PageContext;
    channel: ChannelView;
    allDepartments: Array<{ id: number; name: string }>;
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  const checked = values
    ? listValue(values, "departments")
    : (channel.departments ?? []).map((d) => String(d.id));
  return (
    <section class="card" aria-labelledby="channel-departments-title">
      <h2 id="channel-departments-title">{t("channels.departments")}</h2>
      <p class="muted">{t("channels.departments_intro")}</p>
      <FormErrorSummary t={t} errors={errors} />
      <form
        method="post"
        action={`/channels/${channel.id}/departments`}
        class="form"
        novalidate
      >
        <CsrfField token={ctx.csrfToken} />
        <CheckboxGroup
          t={t}
          name="departments"
          label={t("channels.departments")}
          options={allDepartments.map((d) => [String(d.id), d.name])}
          checked={checked}
          errors={errors}
          empty={t("channels.departments_empty")}
        />
        {allDepartments.length > 0
          ? (
            <div class="actions">
              <button type="submit" class="secondary">{t("channels.departments_save")}</button>
            </div>
          )
          : null}
      </form>
    </section>
  );
}

function QueuedFact({ channel }: { channel: ChannelView }) {
  return <dd id="channel-queued">{channel.queued}</dd>;
}

function LastActivity({ ctx, channel }: { ctx: PageContext; channel: ChannelView }) {
  return (
    <dd id="channel-activity">
      {channel.lastActivityAt ? <LocalTime ms={channel.lastActivityAt} ctx={ctx} /> : "—"}
    </dd>
  );
}

/** The live part of a channel's page: status, QR code or pairing code, what to do next. */
export function ChannelPanel({ ctx, channel }: { ctx: PageContext; channel: ChannelView }) {
  const { t } = ctx;
  return (
    <div class="card">
      <dl class="facts">
        <dt>{t("channels.status")}</dt>
        <StatusFact t={t} channel={channel} />
        <dt>{t("channels.kind")}</dt>
        <dd>{t(KIND_KEYS[channel.kind])}</dd>
        <dt>{t("channels.address")}</dt>
        <AddressFact channel={channel} />
        <dt>{t("channels.last_activity")}</dt>
        <LastActivity ctx={ctx} channel={channel} />
        <dt>{t("channels.queued")}</dt>
        <QueuedFact channel={channel} />
        {channel.departments
          ? (
            <>
              <dt>{t("channels.departments")}</dt>
              <DepartmentsFact t={t} channel={channel} />
            </>
          )
          : null}
      </dl>
      <Pairing ctx={ctx} channel={channel} />
    </div>
  );
}

/**
 * The live parts of a channel's page: its status, address, last activity,
 * queue, and the pairing (whose QR code, expiry and pairing code also change
 * alone).
 */
export function channelPanelParts(ctx: PageContext, channel: ChannelView): LivePart[] {
  const { t } = ctx;
  const qr = pairingState(channel) === "qr" ? channel.qr : null;
  return [
    { id: "channel-status", node: <StatusFact t={t} channel={channel} /> },
    { id: "channel-address", node: <AddressFact channel={channel} /> },
    { id: "channel-activity", node: <LastActivity ctx={ctx} channel={channel} /> },
    { id: "channel-queued", node: <QueuedFact channel={channel} /> },
    ...(channel.departments
      ? [{ id: "channel-departments", node: <DepartmentsFact t={t} channel={channel} /> }]
      : []),
    { id: "channel-actions-list", node: <ChannelActions ctx={ctx} channel={channel} /> },
    {
      id: "channel-pairing",
      node: <Pairing ctx={ctx} channel={channel} />,
      inner: qr
        ? [
          { id: "channel-qr", node: <QrImage t={t} qr={qr} /> },
          { id: "channel-qr-expiry", node: <QrExpiry t={t} qr={qr} /> },
          { id: "channel-pairing-code", node: <PairingCode ctx={ctx} channel={channel} /> },
        ]
        : undefined,
    },
  ];
}

/**
 * What can be done with a channel now (pair, log out, turn on or off): a
 * live part, since pairing or losing the phone changes it. Buttons only.
 */
function ChannelActions({ ctx, channel }: { ctx: PageContext; channel: ChannelView }) {
  const { t } = ctx;
  const base = `/channels/${channel.id}`;
  const connected = channel.status === "connected";
  return (
    <div id="channel-actions-list" class="action-list">
      {channel.kind === "whatsapp" && channel.enabled
        ? (
          <form method="post" action={`${base}/pair`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit">
              {t(channel.pairedAt ? "channels.repair" : "channels.pair")}
            </button>
            <span class="small muted">{t("channels.pair_hint")}</span>
          </form>
        )
        : null}
      {channel.kind !== "sandbox" && channel.enabled
        ? (
          <form
            method="post"
            action={`${base}/logout`}
            data-confirm={t("channels.logout_confirm", { name: channel.name })}
          >
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="secondary" disabled={!connected && !channel.pairedAt}>
              {t("channels.logout")}
            </button>
            <span class="small muted">{t(`channels.logout_hint.${channel.kind}`)}</span>
          </form>
        )
        : null}
      <form method="post" action={`${base}/${channel.enabled ? "disable" : "enable"}`}>
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="secondary">
          {t(channel.enabled ? "channels.disable" : "channels.enable")}
        </button>
        <span class="small muted">
          {t(channel.enabled ? "channels.disable_hint" : "channels.enable_hint")}
        </span>
      </form>
    </div>
  );
}

/** `/channels/{id}`: one channel, its pairing and its actions. */
export function ChannelPage(
  { ctx, channel, allDepartments, errors, values }: {
    ctx: PageContext;
    channel: ChannelView;
    /** Every department, to choose the channel's from. */
    allDepartments?: Array<{ id: number; name: string }>;
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { t } = ctx;
  const base = `/channels/${channel.id}`;
  return (
    <Layout ctx={ctx} title={channel.name}>
      <PageHead
        title={channel.name}
        intro={t(`channels.kind_hint.${channel.kind}`)}
        actions={<a class="button secondary" href="/channels">{t("common.back")}</a>}
      />
      <div id="live" data-live={`${base}/live`}>
        <ChannelPanel ctx={ctx} channel={channel} />
      </div>
      {channel.kind === "sandbox" && channel.sandboxTiming
        ? (
          <section class="card" aria-labelledby="sandbox-settings">
            <h2 id="sandbox-settings">{t("sandbox.settings")}</h2>
            <p>
              <a class="button secondary" href={`${base}/sandbox`}>{t("sandbox.open")}</a>
            </p>
            <form method="post" action={`${base}/sandbox-timing`} class="form" novalidate>
              <CsrfField token={ctx.csrfToken} />
              <TextField
                t={t}
                name="acceptAfter"
                label={t("sandbox.field.accept_after")}
                values={values?.acceptAfter !== undefined
                  ? values
                  : { acceptAfter: String(channel.sandboxTiming.acceptAfterMs / 1000) }}
                errors={errors}
                inputmode="decimal"
              />
              <TextField
                t={t}
                name="deliverAfter"
                label={t("sandbox.field.deliver_after")}
                values={values?.deliverAfter !== undefined
                  ? values
                  : { deliverAfter: String(channel.sandboxTiming.deliverAfterMs / 1000) }}
                errors={errors}
                inputmode="decimal"
              />
              <TextField
                t={t}
                name="readAfter"
                label={t("sandbox.field.read_after")}
                values={values?.readAfter !== undefined
                  ? values
                  : { readAfter: String(channel.sandboxTiming.readAfterMs / 1000) }}
                errors={errors}
                inputmode="decimal"
              />
              <div class="actions">
                <button type="submit" class="secondary">{t("common.save")}</button>
              </div>
            </form>
          </section>
        )
        : null}
      <PacingForm
        ctx={ctx}
        channel={channel}
        errors={errors?.gap !== undefined || values?.gap !== undefined ? errors : undefined}
        values={values?.gap !== undefined ? values : undefined}
      />
      {allDepartments
        ? (
          <DepartmentsForm
            ctx={ctx}
            channel={channel}
            allDepartments={allDepartments}
            errors={errors?.departments !== undefined ? errors : undefined}
            values={errors?.departments !== undefined ? values : undefined}
          />
        )
        : null}
      <section class="card" aria-labelledby="channel-actions">
        <h2 id="channel-actions">{t("common.actions")}</h2>
        <ChannelActions ctx={ctx} channel={channel} />
        <form method="post" action={`${base}/rename`} class="form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <TextField
            t={t}
            name="name"
            label={t("channels.rename")}
            values={values?.name !== undefined ? values : { name: channel.name }}
            errors={errors}
            maxlength={80}
            required
          />
          <div class="actions">
            <button type="submit" class="secondary">{t("channels.rename")}</button>
          </div>
        </form>
        <p class="danger-zone">
          <a class="button danger" href={`${base}/delete`}>{t("channels.delete")}</a>
        </p>
      </section>
    </Layout>
  );
}

/** `/channels/{id}/delete`: says what goes and what stays, then asks. */
export function DeleteChannelPage(
  { ctx, channel }: { ctx: PageContext; channel: ChannelView },
) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("channels.delete")}>
      <PageHead title={t("channels.delete_title", { name: channel.name })} />
      <section class="card">
        <h2>{t("channels.delete_goes")}</h2>
        <ul>
          <li>
            {t(
              channel.kind === "whatsapp"
                ? "channels.delete_goes_whatsapp"
                : channel.kind === "telegram"
                ? "channels.delete_goes_telegram"
                : "channels.delete_goes_sandbox",
            )}
          </li>
          {channel.queued > 0
            ? (
              <li>
                <strong>{t("channels.delete_goes_queued", { count: channel.queued })}</strong>
              </li>
            )
            : null}
        </ul>
        <h2>{t("channels.delete_stays")}</h2>
        <ul>
          <li>{t("channels.delete_stays_messages")}</li>
        </ul>
        <form method="post" action={`/channels/${channel.id}/delete`} class="actions">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="queued" value={String(channel.queued)} />
          <button type="submit" class="danger">
            {channel.queued > 0
              ? t("channels.delete_confirm_queued", { count: channel.queued })
              : t("channels.delete_confirm")}
          </button>
          <a class="button secondary" href={`/channels/${channel.id}`}>{t("common.cancel")}</a>
        </form>
      </section>
    </Layout>
  );
}
