import { type Context, Hono } from "hono";
import { forbidden, notFound } from "../../core/app_error.ts";
import { parseForm } from "../../core/form.ts";
import { decodeCursor, encodeCursor } from "../../core/keyset_cursor.ts";
import { optOutPhoneSchema, optOutSettingsSchema } from "../../core/opt_out_input.ts";
import { CONTACT_MANAGERS } from "../../core/permissions.ts";
import { parseRecordId } from "../../core/record_id.ts";
import type { OptOutEntry } from "../../db/opt_outs.ts";
import {
  type OptOutFormFailure,
  OptOutsPage,
  type OptOutView,
} from "../../views/opt_outs_page.tsx";
import { actorOf } from "../actor.ts";
import type { AppEnv, Deps } from "../app_env.ts";
import { setFlash } from "../flash.ts";
import { formValues } from "../form_values.ts";
import { localPath, pageContext, redirectTo, renderPage } from "../render.tsx";

const PAGE_SIZE = 50;
const LIST = "/settings/opt-outs";

/** An entry of the list as the pages show it. */
export function optOutView(e: OptOutEntry): OptOutView {
  return {
    phone: e.phone,
    source: e.source,
    createdAt: e.createdAt,
    createdByName: e.createdBy?.name ?? null,
    conversationId: e.conversationId,
    contact: e.contact,
  };
}

/**
 * `/settings/opt-outs` (administrators): the numbers that get no
 * broadcasts, added and removed by hand, and the stop words with the
 * confirmation reply. `/contacts/{id}/opt-out` and `/opt-in` (supervisors and
 * administrators; agents see the contact's status but may not change it).
 */
export function optOutRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const { config } = deps;
  const service = deps.services.optOuts;

  const show = async (
    c: Context<AppEnv>,
    failed?: OptOutFormFailure,
    status: 200 | 422 = 200,
  ) => {
    const q = (c.req.query("q") ?? "").replace(/\p{Cc}+/gu, " ").trim().slice(0, 100);
    const cursor = decodeCursor(c.req.query("cursor") ?? "");
    const page = await service.list(q, { cursor, limit: PAGE_SIZE });
    const next = page.next ? new URLSearchParams(q === "" ? {} : { q }) : undefined;
    next?.set("cursor", encodeCursor(page.next!));
    return renderPage(
      c,
      <OptOutsPage
        ctx={pageContext(c, deps)}
        rows={page.rows.map(optOutView)}
        q={q}
        nextHref={next ? `${LIST}?${next}` : undefined}
        words={await service.settings()}
        failed={failed}
      />,
      status,
    );
  };

  app.get(LIST, (c) => show(c));

  app.post(LIST, async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(optOutPhoneSchema(config.phoneRegion), values);
    if (!parsed.ok) return show(c, { form: "add", values, errors: parsed.errors }, 422);
    const { added } = await service.add(actorOf(c, deps), parsed.data.phone, "staff");
    setFlash(c, config, added ? "success" : "info", added ? "optouts.added" : "optouts.already", {
      phone: `+${parsed.data.phone}`,
    });
    return redirectTo(c, LIST);
  });

  app.post(`${LIST}/stop-words`, async (c) => {
    const values = await formValues(c);
    const parsed = parseForm(optOutSettingsSchema, values);
    if (!parsed.ok) return show(c, { form: "words", values, errors: parsed.errors }, 422);
    await service.saveSettings(actorOf(c, deps), parsed.data);
    setFlash(c, config, "success", "optouts.settings_saved");
    return redirectTo(c, LIST);
  });

  /** What taking `phone` off the list did, for the next page. */
  const removedFlash = (c: Context<AppEnv>, removed: unknown, phone: string) =>
    setFlash(
      c,
      config,
      removed ? "success" : "info",
      removed ? "optouts.removed" : "optouts.not_listed",
      { phone: `+${phone}` },
    );

  app.post(`${LIST}/:phone{[0-9]{1,15}}/delete`, async (c) => {
    const phone = c.req.param("phone");
    const values = await formValues(c);
    const removed = await service.remove(actorOf(c, deps), phone);
    removedFlash(c, removed, phone);
    const back = localPath(values.back, LIST);
    return redirectTo(c, back === LIST || back.startsWith(`${LIST}?`) ? back : LIST);
  });

  /** The contact of the path, with a number: only supervisors and administrators change it. */
  const contactPhone = async (c: Context<AppEnv>) => {
    if (!CONTACT_MANAGERS.includes(c.get("user")!.role)) {
      throw forbidden("Only supervisors and administrators may change who gets broadcasts");
    }
    const raw = c.req.param("id") ?? "";
    const id = parseRecordId(raw);
    if (id === undefined) throw notFound(`No contact with id ${raw.slice(0, 40)}`);
    const contact = await deps.services.contacts.get(id);
    if (contact.phone === null) {
      throw notFound(`Contact ${id} has no phone number to put on the opt-out list`);
    }
    return { id, phone: contact.phone };
  };

  app.post("/contacts/:id{[0-9]+}/opt-out", async (c) => {
    const { id, phone } = await contactPhone(c);
    const { added } = await service.add(actorOf(c, deps), phone, "staff");
    setFlash(c, config, added ? "success" : "info", added ? "optouts.added" : "optouts.already", {
      phone: `+${phone}`,
    });
    return redirectTo(c, `/contacts/${id}`);
  });

  app.post("/contacts/:id{[0-9]+}/opt-in", async (c) => {
    const { id, phone } = await contactPhone(c);
    const removed = await service.remove(actorOf(c, deps), phone);
    removedFlash(c, removed, phone);
    return redirectTo(c, `/contacts/${id}`);
  });

  return app;
}
