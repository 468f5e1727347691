import { type Context, Hono } from "hono";
import { AppError, notFound } from "../../core/app_error.ts";
import {
  channelDepartmentsSchema,
  checkboxOn,
  newChannelSchema,
  pacingFormSchema,
  renameChannelSchema,
  sandboxReplySchema,
  sandboxTimingSchema,
} from "../../core/channel_input.ts";
import { type FieldErrors, type FormValues, parseForm, safeFormValues } from "../../core/form.ts";
import {
  type Channel,
  type ChannelWithQueue,
  countQueued,
  listChannels,
  parseChannelOptions,
  requireChannel,
} from "../../db/channels.ts";
import { departmentsOfChannel, listDepartments } from "../../db/departments.ts";
import { listSandboxThreads } from "../../db/sandbox_threads.ts";
import { CHANNEL_KINDS, type ChannelKind } from "../../core/channel_types.ts";
import { sandboxTiming } from "../../core/sandbox_timing.ts";
import { pacingFor } from "../../core/pacing.ts";
import { readReceiptsOn } from "../../core/read_receipts.ts";
import {
  ChannelPage,
  ChannelsPage,
  type ChannelView,
  DeleteChannelPage,
  NewChannelPage,
} from "../../views/channels_page.tsx";
import { SandboxPage } from "../../views/sandbox_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { fieldErrorsOf } from "../field_errors.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { liveStream } from "../live_stream.ts";
import { channelListLive, channelPanelLive, sandboxLive } from "./channel_live.tsx";
import { pageContext, redirectTo, renderPage } from "../render.tsx";

/**
 * `/channels` (administrators): add WhatsApp numbers, Telegram bots and
 * sandboxes, pair them, and watch their status live.
 */
export function channelRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { db, config, registry } = deps;
  const service = deps.services.channels;

  const view = (channel: Channel, queued: number): ChannelView => {
    const live = registry.live(channel.id);
    return {
      ...channel,
      status: live?.status ?? channel.status,
      statusReason: live ? live.reason : channel.statusReason,
      queued,
      qr: live?.qr ?? null,
      pairingCode: live?.pairingCode ?? null,
      retryAt: live?.retryAt ?? null,
      pacing: pacingFor(channel.kind, parseChannelOptions(channel.options)),
      readReceipts: channel.kind === "whatsapp"
        ? readReceiptsOn(parseChannelOptions(channel.options))
        : undefined,
      sandboxTiming: channel.kind === "sandbox"
        ? sandboxTiming(parseChannelOptions(channel.options))
        : undefined,
    };
  };
  const viewOf = async (id: number) => {
    const channel = await requireChannel(db, id);
    return {
      ...view(channel, await countQueued(db, id)),
      departments: await departmentsOfChannel(db, id),
    };
  };
  const allViews = async () =>
    (await listChannels(db)).map((c: ChannelWithQueue) => view(c, c.queued));

  const idParam = (c: Context<AppEnv>) => {
    const id = Number(c.req.param("id"));
    if (!Number.isInteger(id) || id <= 0) throw notFound(`No channel with id ${c.req.param("id")}`);
    return id;
  };
  const kindParam = (value: string | undefined): ChannelKind | undefined =>
    (CHANNEL_KINDS as readonly string[]).includes(value ?? "") ? value as ChannelKind : undefined;

  // --- list ---------------------------------------------------------------------------

  app.get(
    "/channels",
    async (c) =>
      renderPage(c, <ChannelsPage ctx={pageContext(c, deps)} channels={await allViews()} />),
  );

  app.get("/channels/live", (c) => {
    const ctx = pageContext(c, deps);
    return liveStream(c, deps, channelListLive(ctx, allViews));
  });

  // --- add ----------------------------------------------------------------------------

  const showNew = (
    c: Context<AppEnv>,
    kind: ChannelKind | undefined,
    failed?: { errors: FieldErrors; values: FormValues },
    /** Telegram could not be reached: the token was not refused, so it stays in its field. */
    unreachable = false,
  ) =>
    renderPage(
      c,
      <NewChannelPage
        ctx={pageContext(c, deps)}
        kind={kind}
        errors={failed?.errors}
        values={failed &&
          (unreachable
            ? { ...safeFormValues(failed.values), token: failed.values.token }
            : safeFormValues(failed.values))}
      />,
      unreachable ? 503 : failed ? 422 : 200,
    );

  app.get("/channels/new", (c) => showNew(c, kindParam(c.req.query("kind"))));

  app.post("/channels", async (c) => {
    const values = await formValues(c);
    const kind = kindParam(values.kind as string | undefined);
    const parsed = parseForm(newChannelSchema(config.phoneRegion), values);
    if (!parsed.ok) return showNew(c, kind, { errors: parsed.errors, values });
    const input = parsed.data;
    let channel: Channel;
    try {
      channel = await service.add(actorOf(c, deps), {
        kind: input.kind,
        name: input.name,
        phone: input.kind === "whatsapp" ? input.phone : undefined,
        token: input.kind === "telegram" ? input.token : undefined,
      });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showNew(c, kind, { errors, values });
      if (e instanceof AppError && e.code === "telegram_unreachable") {
        // Telegram cannot be reached: said beside the token, what was typed kept, the cause logged.
        c.get("log").warn("telegram unreachable", { error: { message: e.message, code: e.code } });
        return showNew(c, kind, { errors: { token: "err.telegram_unreachable" }, values }, true);
      }
      throw e;
    }
    setFlash(c, config, "success", "channels.created", { name: channel.name });
    return redirectTo(c, `/channels/${channel.id}`);
  });

  // --- one channel --------------------------------------------------------------------

  const showChannel = async (
    c: Context<AppEnv>,
    id: number,
    failed?: { errors: FieldErrors; values: FormValues },
  ) =>
    renderPage(
      c,
      <ChannelPage
        ctx={pageContext(c, deps)}
        channel={await viewOf(id)}
        allDepartments={await listDepartments(db)}
        errors={failed?.errors}
        values={failed?.values}
      />,
      failed ? 422 : 200,
    );

  app.get("/channels/:id{[0-9]+}", (c) => showChannel(c, idParam(c)));

  app.get("/channels/:id{[0-9]+}/live", async (c) => {
    const id = idParam(c);
    await requireChannel(db, id);
    const ctx = pageContext(c, deps);
    return liveStream(c, deps, channelPanelLive(ctx, id, () => viewOf(id)));
  });

  app.post("/channels/:id{[0-9]+}/rename", async (c) => {
    const id = idParam(c);
    const values = await formValues(c);
    const parsed = parseForm(renameChannelSchema, values);
    if (!parsed.ok) return showChannel(c, id, { errors: parsed.errors, values });
    try {
      await service.rename(actorOf(c, deps), id, parsed.data.name);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showChannel(c, id, { errors, values });
      throw e;
    }
    setFlash(c, config, "success", "channels.renamed", { name: parsed.data.name });
    return redirectTo(c, `/channels/${id}`);
  });

  for (const enabled of [true, false]) {
    app.post(`/channels/:id{[0-9]+}/${enabled ? "enable" : "disable"}`, async (c) => {
      const id = idParam(c);
      const channel = await service.setEnabled(actorOf(c, deps), id, enabled);
      setFlash(c, config, "success", enabled ? "channels.enabled" : "channels.disabled_done", {
        name: channel.name,
      });
      return redirectTo(c, `/channels/${id}`);
    });
  }

  app.post("/channels/:id{[0-9]+}/pair", async (c) => {
    const id = idParam(c);
    const refusal = await service.pair(id);
    if (refusal === "not_whatsapp") setFlash(c, config, "error", "channels.pair_not_whatsapp");
    if (refusal === "disabled") setFlash(c, config, "error", "channels.pair_disabled");
    if (refusal === "connected") {
      const { name } = await requireChannel(db, id);
      setFlash(c, config, "error", "channels.pair_connected", { name });
    }
    return redirectTo(c, `/channels/${id}`);
  });

  app.post("/channels/:id{[0-9]+}/pairing-code", async (c) => {
    const id = idParam(c);
    const channel = await requireChannel(db, id);
    try {
      await service.pairingCode(channel);
      setFlash(c, config, "info", "channels.pairing_code_asked");
    } catch (e) {
      const refused = e instanceof AppError && e.status === 409 ? e.code : undefined;
      if (refused === "not_whatsapp") setFlash(c, config, "error", "channels.pair_not_whatsapp");
      else if (refused === "already_connected") {
        setFlash(c, config, "error", "channels.pair_connected", { name: channel.name });
      } else if (refused === "not_ready") {
        setFlash(c, config, "error", "channels.pairing_code_not_ready");
      } else {
        deps.log.warn("pairing code refused", { channel_id: id, error: String(e) });
        setFlash(c, config, "error", "channels.pairing_code_failed");
      }
    }
    return redirectTo(c, `/channels/${id}`);
  });

  app.post("/channels/:id{[0-9]+}/logout", async (c) => {
    const id = idParam(c);
    const channel = await requireChannel(db, id);
    const { remote } = await service.logout(id);
    setFlash(
      c,
      config,
      remote || channel.kind !== "whatsapp" ? "success" : "info",
      remote || channel.kind !== "whatsapp" ? "channels.logged_out" : "channels.logged_out_local",
      { name: channel.name },
    );
    return redirectTo(c, `/channels/${id}`);
  });

  app.get("/channels/:id{[0-9]+}/delete", async (c) =>
    renderPage(
      c,
      <DeleteChannelPage ctx={pageContext(c, deps)} channel={await viewOf(idParam(c))} />,
    ));

  app.post("/channels/:id{[0-9]+}/delete", async (c) => {
    const id = idParam(c);
    const values = await formValues(c);
    const channel = await viewOf(id);
    // More messages queued since the page asked: ask again with the new count.
    if (Number(values.queued ?? 0) < channel.queued) {
      return renderPage(
        c,
        <DeleteChannelPage ctx={pageContext(c, deps)} channel={channel} />,
        409,
      );
    }
    const { failedMessages, loggedOutOnPhone } = await service.remove(
      actorOf(c, deps),
      await requireChannel(db, id),
    );
    const done = loggedOutOnPhone ? "channels.deleted" : "channels.deleted_local";
    setFlash(c, config, "success", done, {
      name: channel.name,
      count: failedMessages,
    });
    return redirectTo(c, "/channels");
  });

  // --- sandbox ------------------------------------------------------------------------

  const requireSandbox = async (id: number) => {
    const channel = await requireChannel(db, id);
    if (channel.kind !== "sandbox") throw notFound(`Channel ${id} is not a sandbox`);
    return channel;
  };
  const showSandbox = async (
    c: Context<AppEnv>,
    channel: Channel,
    failed?: { errors: FieldErrors; values: FormValues },
    prefill?: FormValues,
  ) =>
    renderPage(
      c,
      <SandboxPage
        ctx={pageContext(c, deps)}
        channelId={channel.id}
        channelName={channel.name}
        threads={await listSandboxThreads(db, channel.id)}
        errors={failed?.errors}
        values={failed?.values ?? prefill}
      />,
      failed ? 422 : 200,
    );

  app.get("/channels/:id{[0-9]+}/sandbox", async (c) => {
    const channel = await requireSandbox(idParam(c));
    const { phone, name } = c.req.query();
    return showSandbox(c, channel, undefined, { phone, name });
  });

  app.post("/channels/:id{[0-9]+}/pacing", async (c) => {
    const id = idParam(c);
    const channel = await requireChannel(db, id);
    const values = await formValues(c);
    const parsed = parseForm(pacingFormSchema, values);
    if (!parsed.ok) return showChannel(c, id, { errors: parsed.errors, values });
    // WhatsApp's form has the read receipts box: not ticked, it sends no field.
    const readReceipts = channel.kind === "whatsapp" ? checkboxOn(values.readReceipts) : undefined;
    await service.setPacing(actorOf(c, deps), id, parsed.data, readReceipts);
    setFlash(c, config, "success", "pacing.saved");
    return redirectTo(c, `/channels/${id}`);
  });

  app.post("/channels/:id{[0-9]+}/departments", async (c) => {
    const id = idParam(c);
    const channel = await requireChannel(db, id);
    const values = await formValues(c);
    const parsed = parseForm(channelDepartmentsSchema, values);
    if (!parsed.ok) return showChannel(c, id, { errors: parsed.errors, values });
    const known = new Set((await listDepartments(db)).map((d) => d.id));
    const unknown = parsed.data.departments.find((d) => !known.has(d));
    if (unknown !== undefined) {
      const errors = {
        departments: { key: "err.department_choice" as const, params: { value: String(unknown) } },
      };
      return showChannel(c, id, { errors, values });
    }
    try {
      await service.setDepartments(actorOf(c, deps), id, parsed.data.departments);
    } catch (e) {
      const errors = fieldErrorsOf(e);
      if (errors) return showChannel(c, id, { errors, values });
      throw e;
    }
    setFlash(c, config, "success", "channels.departments_saved", { name: channel.name });
    return redirectTo(c, `/channels/${id}`);
  });

  app.post("/channels/:id{[0-9]+}/sandbox-timing", async (c) => {
    const channel = await requireSandbox(idParam(c));
    const values = await formValues(c);
    const parsed = parseForm(sandboxTimingSchema, values);
    if (!parsed.ok) return showChannel(c, channel.id, { errors: parsed.errors, values });
    await service.setSandboxTiming(actorOf(c, deps), channel, parsed.data);
    setFlash(c, config, "success", "sandbox.timing_saved");
    return redirectTo(c, `/channels/${channel.id}`);
  });

  app.get("/channels/:id{[0-9]+}/sandbox/live", async (c) => {
    const channel = await requireSandbox(idParam(c));
    const ctx = pageContext(c, deps);
    return liveStream(
      c,
      deps,
      sandboxLive(ctx, channel.id, () => listSandboxThreads(db, channel.id)),
    );
  });

  app.post("/channels/:id{[0-9]+}/sandbox", async (c) => {
    const channel = await requireSandbox(idParam(c));
    const values = await formValues(c);
    const parsed = parseForm(sandboxReplySchema(config.phoneRegion), values);
    if (!parsed.ok) return showSandbox(c, channel, { errors: parsed.errors, values });
    try {
      await service.simulateInbound(channel, parsed.data);
    } catch (e) {
      if (!(e instanceof AppError && e.status === 503)) throw e;
      return showSandbox(c, channel, { errors: { _form: "err.sandbox_stopped" }, values });
    }
    // The next message is most likely from the same person: keep them in the form.
    const from = new URLSearchParams({ phone: parsed.data.phone, name: parsed.data.name ?? "" });
    return redirectTo(c, `/channels/${channel.id}/sandbox?${from}`);
  });

  return app;
}
